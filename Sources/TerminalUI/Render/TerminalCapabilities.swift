/// What the terminal can show, decided from the environment alone (passed in as a value).
public enum TerminalCapabilities {
    /// The colour mode for a terminal, or a refusal when it cannot host the dashboard.
    /// NO_COLOR set and non-empty turns colour off (attributes such as bold stay).
    public static func colorMode(environment: [String: String], isTerminal: Bool) throws -> ColorMode {
        guard isTerminal else { throw TerminalRefusal.notATerminal }
        let term = (environment["TERM"] ?? "").lowercased()
        if term.isEmpty || term == "dumb" { throw TerminalRefusal.dumbTerminal }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" || term.hasSuffix("-direct") { return .truecolor }
        if term.contains("256color") { return .indexed256 }
        return .ansi16
    }
}
