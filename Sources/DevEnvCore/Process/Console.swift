/// Where devenv's own text goes, and what the three standard streams are connected to.
/// DevEnvSystem writes to the real descriptors; tests collect the text.
///
/// `write` and `writeError` take text that may hold untrusted parts (a key from devenv.toml,
/// a profile name, docker's stderr): the real console shows its control characters escaped
/// (`TerminalSafeText`), the one place devenv's text leaves for a terminal. Text with control
/// sequences devenv means (Progress redrawing its lines, a log already filtered by
/// `ANSILineParser.terminalSafe`) goes through `writeVerbatim`.
public protocol Console: AnyObject, Sendable {
    func write(_ text: String)
    func writeError(_ text: String)
    /// Written unchanged: only for text devenv made itself, or already made safe.
    func writeVerbatim(_ text: String, to stream: ConsoleStream)
    /// Bytes written exactly as given (`logs --raw`, or into a pipe or file): not even
    /// decoded as UTF-8.
    func writeBytes(_ bytes: [UInt8], to stream: ConsoleStream)
    /// Why text written to standard output was lost (`"No space left on device"`), nil when
    /// every write got through. A closed pipe (`devenv status | head -1`) is not a loss: the
    /// reader asked for no more. `App.run` turns a loss into exit 1, so that `devenv config
    /// --json > file` on a full disk, or with stdout closed, does not exit 0 with the output
    /// cut short or missing.
    var outputLoss: String? { get }
    /// Why standard output takes nothing at all (`"Bad file descriptor"`: it was closed when
    /// devenv started, `devenv exec -- echo hi >&-`), nil when it is open. A child handed
    /// devenv's stdout (`exec`, `shell`) would print nowhere, and docker says nothing of it.
    var outputClosed: String? { get }
    var stdinIsTerminal: Bool { get }
    var stdoutIsTerminal: Bool { get }
    var stderrIsTerminal: Bool { get }
}

/// Standard output or standard error.
public enum ConsoleStream: Sendable {
    case output, error
}

extension Console {
    /// Consoles that keep their text (tests, the dashboard's action pane) lose none.
    public var outputLoss: String? { nil }
    public var outputClosed: String? { nil }

    /// Consoles that do not reach a terminal (tests, the dashboard's action pane, which draws
    /// through `ANSILineParser`) take verbatim text like any other.
    public func writeVerbatim(_ text: String, to stream: ConsoleStream) {
        switch stream {
        case .output: write(text)
        case .error: writeError(text)
        }
    }

    /// Consoles that keep text (tests) take the bytes as UTF-8 with replacements.
    public func writeBytes(_ bytes: [UInt8], to stream: ConsoleStream) {
        writeVerbatim(String(decoding: bytes, as: UTF8.self), to: stream)
    }
}
