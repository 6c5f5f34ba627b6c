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

    /// The process's standard streams; tests pass the write ends of pipes. `outputWasClosed`:
    /// what `StandardStreams.reserve` found of `outputFD` as devenv started (it is on /dev/null
    /// since); nil: looked at now.
    public init(outputFD: Int32 = 1, errorFD: Int32 = 2, outputWasClosed: Bool? = nil) {
        self.outputFD = outputFD
        self.errorFD = errorFD
        stdinIsTerminal = isatty(0) == 1
        stdoutIsTerminal = isatty(outputFD) == 1
        stderrIsTerminal = isatty(errorFD) == 1
        let closed = outputWasClosed ?? (fcntl(outputFD, F_GETFD) == -1 && errno == EBADF)
        outputClosed = closed ? String(cString: strerror(EBADF)) : nil
    }

    public let outputClosed: String?

    /// The errno of the first failed write to `outputFD` other than EPIPE, 0 while none failed.
    private var outputErrno: Int32 = 0
    private let lock = Lock()

    public func write(_ text: String) { output(Array(TerminalSafeText.escaping(text).utf8)) }
    public func writeError(_ text: String) { Self.writeAll(errorFD, Array(TerminalSafeText.escaping(text).utf8)) }

    public func writeVerbatim(_ text: String, to stream: ConsoleStream) {
        if stream == .output { output(Array(text.utf8)) } else { Self.writeAll(errorFD, Array(text.utf8)) }
    }

    public func writeBytes(_ bytes: [UInt8], to stream: ConsoleStream) {
        if stream == .output { output(bytes) } else { Self.writeAll(errorFD, bytes) }
    }

    /// ENOSPC (a full disk, /dev/full), EIO, EBADF (stdout closed: `devenv config >&-`) and
    /// the like, as strerror says them; a closed pipe is no loss (see `Console.outputLoss`).
    public var outputLoss: String? {
        let code = lock.withLock { outputErrno }
        return code == 0 ? nil : String(cString: strerror(code))
    }

    private func output(_ bytes: [UInt8]) {
        // Closed as devenv started: lost as a write to it was (EBADF), not written to the
        // /dev/null that holds its number now.
        let code = outputClosed != nil ? EBADF : Self.writeAll(outputFD, bytes)
        if code != 0 && outputFD == STDOUT_FILENO { StandardStreams.noteOutputFailure() }
        if code != 0 && code != EPIPE { lock.withLock { if outputErrno == 0 { outputErrno = code } } }
    }

    /// Writes every byte; returns 0, or the errno of the write that failed (the rest is not
    /// tried: a closed pipe (devenv status | head) or a full disk takes no more).
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }
}
