/// Thrown by a `ProcessRunning` when a child outlived its invocation's `deadline`: the child was
/// ended (SIGTERM, then SIGKILL) and reaped, and whatever it printed is dropped.
public struct ProcessDeadlineExceeded: Error, Sendable, Hashable, CustomStringConvertible {
    public var invocation: ProcessInvocation
    /// The deadline that passed, in seconds.
    public var seconds: Double
    /// Seconds devenv read the child's output after it went on past the deadline (it had been
    /// stopped across it: Ctrl-Z, SIGSTOP) before it gave up with output still coming
    /// (`PosixProcessRunner.pastDeadlineGrace`); nil when the child was quiet at the deadline.
    public var readPastDeadline: Double?
    /// Whether devenv was stopped across the deadline (Ctrl-Z, SIGSTOP: its last SIGCONT came
    /// after it); false: it only came back to the call late (a call started ahead, finished after
    /// other work).
    public var stoppedAcross: Bool

    public init(invocation: ProcessInvocation, seconds: Double, readPastDeadline: Double? = nil, stoppedAcross: Bool = true) {
        self.invocation = invocation
        self.seconds = seconds
        self.readPastDeadline = readPastDeadline
        self.stoppedAcross = stoppedAcross
    }

    public var description: String {
        "`\(invocation.shellQuoted)` did not finish within \(QueryTimeout.display(seconds))" + (stillWriting.map { "; \($0)" } ?? "")
    }

    /// What devenv waited for past the deadline, when it read on (`readPastDeadline`): said
    /// where the deadline's error is, so a stopped devenv that gave up says why.
    public var stillWriting: String? {
        readPastDeadline.map { read in
            (stoppedAcross ? "devenv was stopped past that time" : "devenv came back to the call only after that time (it was doing other work)")
                + ", then read what the call went on writing for "
                + "\(QueryTimeout.display(read.rounded())) more and stopped waiting: it was still writing"
        }
    }
}
