/// The exit codes devenv documents in README. Scripts rely on them: never renumber.
public enum ExitCode: Int32, Sendable, CaseIterable {
    case success = 0
    /// The operation failed (a docker call failed, a build broke, a check failed).
    case failure = 1
    /// Bad usage or bad configuration: nothing was attempted.
    case usage = 2
    /// No Docker engine answers.
    case noEngine = 3
    /// A container or volume with devenv's name exists that devenv did not create; it was not touched.
    case conflict = 4
    /// Interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT) and cleaned up. The process exits with
    /// `status(afterSignal:)` of the signal, not this raw value (130 is SIGINT's, and the value
    /// when the signal is not known: a scripted test).
    case interrupted = 130

    /// The exit status of devenv ended by signal `signal` after its clean-up: 128 + the signal's
    /// number, as POSIX shells report a command a signal ended (`sh`'s "Exit Status": SIGINT 130,
    /// SIGQUIT 131, SIGHUP 129, SIGTERM 143), so a caller's `$?` tells which signal it was
    /// whether devenv died of it or handled it. The one rule for the subcommands
    /// (`ErrorReport.status`) and the dashboard.
    public static func status(afterSignal signal: Int32) -> Int32 { 128 + signal }
}

/// The one error type devenv reports. Every failure becomes one of these before it reaches the
/// user, and `ErrorReport` is the only place that turns it into text on stderr.
public struct DevEnvError: Error, Sendable, Equatable, CustomStringConvertible {
    public var exitCode: ExitCode
    /// One line, saying what went wrong and where (file:line:col for configuration).
    public var message: String
    /// How to fix it, when devenv knows.
    public var hint: String?
    /// Supporting detail shown under the message: the docker argv and docker's own stderr.
    public var detail: String?

    public init(_ exitCode: ExitCode, _ message: String, hint: String? = nil, detail: String? = nil) {
        self.exitCode = exitCode
        self.message = message
        self.hint = hint
        self.detail = detail
    }

    public static func usage(_ message: String, hint: String? = nil) -> DevEnvError {
        DevEnvError(.usage, message, hint: hint)
    }

    public static func failure(_ message: String, hint: String? = nil, detail: String? = nil) -> DevEnvError {
        DevEnvError(.failure, message, hint: hint, detail: detail)
    }

    public var description: String { message }
}
