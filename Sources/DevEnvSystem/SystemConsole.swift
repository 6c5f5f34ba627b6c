#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// devenv's own output on file descriptors 1 and 2, written whole (write(2) may write less).
/// The one place devenv's text leaves for a terminal: `write` and `writeError` show control
/// characters escaped (`TerminalSafeText`), on a terminal or not, so a hostile key, profile
/// name, env value or docker message reads the same in a log file and cannot drive the
/// terminal. JSON output has no control characters left to escape (`JSONText.quote`).
public final class SystemConsole: Console, @unchecked Sendable {
    public let stdinIsTerminal: Bool
    public let stdoutIsTerminal: Bool
    public let stderrIsTerminal: Bool
    private let outputFD: Int32
    private let errorFD: Int32

    /// The process's standard streams; tests pass the write ends of pipes.
    public init(outputFD: Int32 = 1, errorFD: Int32 = 2) {
        self.outputFD = outputFD
        self.errorFD = errorFD
        stdinIsTerminal = isatty(0) == 1
        stdoutIsTerminal = isatty(outputFD) == 1
        stderrIsTerminal = isatty(errorFD) == 1
    }

    public func write(_ text: String) { Self.writeAll(outputFD, Array(TerminalSafeText.escaping(text).utf8)) }
    public func writeError(_ text: String) { Self.writeAll(errorFD, Array(TerminalSafeText.escaping(text).utf8)) }

    public func writeVerbatim(_ text: String, to stream: ConsoleStream) {
        Self.writeAll(stream == .output ? outputFD : errorFD, Array(text.utf8))
    }

    public func writeBytes(_ bytes: [UInt8], to stream: ConsoleStream) {
        Self.writeAll(stream == .output ? outputFD : errorFD, bytes)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return // a closed pipe (devenv status | head): nothing more to say
            }
            offset += n
        }
    }
}
