/// Untrusted text (a label's value, a name from the engine or /proc, a line docker said) made
/// fit to stand inside one line of devenv's own: `TerminalSafeText.escaping` with line breaks
/// escaped too (`keepingLineBreaks: false`), so a newline in a label cannot end devenv's line
/// and start one that looks like devenv's, and a tab cannot shift a column. The console's own
/// escaping keeps newlines and tabs (devenv's messages have several lines), so text inside
/// one line has to be made safe where it is put in. The values that one-line messages are made
/// of (a port holder's names, who made a container, a recorded user) are held as this type,
/// not as String: made only through `init`, they cannot reach a message unescaped.
/// Escaping is idempotent (its output has no control character left), so text made of
/// `OneLine` pieces may be wrapped again.
public struct OneLine: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The escaped text.
    public let description: String

    public init(_ untrusted: String) {
        description = TerminalSafeText.escaping(untrusted, keepingLineBreaks: false)
    }

    /// A literal is devenv's own text (tests, fixed words): escaped all the same.
    public init(stringLiteral value: String) { self.init(value) }
}
