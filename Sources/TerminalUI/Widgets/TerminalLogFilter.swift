/// A container's output made safe for a terminal as it streams (`devenv logs` on a terminal):
/// cut into lines, each passed through `ANSILineParser.terminalSafe`, the dashboard's logs-pane
/// rule (colours kept, every other sequence and control character dropped). An escape sequence
/// split across two reads is seen whole because only complete lines are filtered.
public struct TerminalLogFilter: Sendable {
    private var partial: [UInt8] = []
    private var styled = false
    /// A "line" this long without a newline is filtered as it is (not a line protocol).
    private let longestLine = 1 << 16

    public init() {}

    /// The safe text of the complete lines in what has arrived so far, newlines kept.
    public mutating func feed(_ bytes: [UInt8]) -> String {
        partial += bytes
        guard let lastNewline = partial.lastIndex(of: 0x0A) else {
            // Cut where a character starts: its other bytes come with the next read.
            return partial.count > longestLine ? take(UTF8StreamDecoder.completeLength(partial)) : ""
        }
        return take(lastNewline + 1)
    }

    /// What is left at the end (a last line without newline), and the colours reset when any
    /// were passed on, so the shell's prompt is not left coloured.
    public mutating func finish() -> String {
        var out = take(partial.count)
        if styled { out += "\u{1B}[0m" }
        styled = false
        return out
    }

    private mutating func take(_ count: Int) -> String {
        let text = String(decoding: partial[..<count], as: UTF8.self)
        partial.removeFirst(count)
        var out = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { out += "\n" }
            let safe = ANSILineParser.terminalSafe(String(line))
            if !styled && safe.utf8.contains(0x1B) { styled = true }
            out += safe
        }
        return out
    }
}
