/// Thrown by a `ProcessRunning` when a child outlived its invocation's `deadline`: the child was
/// ended (SIGTERM, then SIGKILL) and reaped, and whatever it printed is dropped.
public struct ProcessDeadlineExceeded: Error, Sendable, Hashable, CustomStringConvertible {
    public var invocation: ProcessInvocation
    /// The deadline that passed, in seconds.
    public var seconds: Double

    public init(invocation: ProcessInvocation, seconds: Double) {
        self.invocation = invocation
        self.seconds = seconds
    }

    public var description: String {
        "`\(invocation.shellQuoted)` did not finish within \(QueryTimeout.display(seconds))"
    }
}
