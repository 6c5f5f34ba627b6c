/// Which of a child's output streams a chunk came from.
public enum OutputChannel: Sendable, Hashable { case stdout, stderr }

/// The port through which devenv runs every child process. DevEnvSystem implements it with
/// posix_spawn; unit tests script it with `FakeProcessRunner`.
public protocol ProcessRunning: Sendable {
    /// Runs the invocation to completion. With `.stream`, `onOutput` receives each chunk as it
    /// arrives. Throws `DevEnvError` only when the process could not be started at all; a
    /// non-zero exit is a result, not an error.
    func run(_ invocation: ProcessInvocation,
             onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult

    /// Starts a `.capture` or `.stream` invocation and returns at once; the child runs until
    /// the handle's `finish` (what `run` returns) or `cancel`. Throws as `run` does when the
    /// process cannot be started (and for `.interactive`, which owns the terminal).
    func start(_ invocation: ProcessInvocation) throws -> any StartedProcess
}

extension ProcessRunning {
    public func run(_ invocation: ProcessInvocation) throws -> ProcessResult {
        try run(invocation, onOutput: nil)
    }
}
