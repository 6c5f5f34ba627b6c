/// Why the dashboard will not draw on this terminal.
public enum TerminalRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case notATerminal
    case dumbTerminal

    public var description: String {
        switch self {
        case .notATerminal:
            return "the dashboard needs a terminal: stdin and stdout must be a TTY (use --no-tui for plain output)"
        case .dumbTerminal:
            return "TERM is 'dumb' or unset: the dashboard cannot draw without escape sequences (use --no-tui)"
        }
    }
}
