/// A child started by `ProcessRunning.start` that runs while its starter does other work (the
/// container lookup started before the configuration is read: `LookupSpeculation`, issue 14).
/// Exactly one of `finish` and `cancel` is called once; the owner makes sure of it, so that no
/// child is ever left running or unreaped.
public protocol StartedProcess: AnyObject, Sendable {
    /// What was started, as it was started (its deadline included).
    var invocation: ProcessInvocation { get }

    /// Waits for the child and returns what `ProcessRunning.run` would have returned for the
    /// invocation. The deadline counts from the start, not from this call: the engine had that
    /// long to answer. A child that already ended when its deadline passed still counts as
    /// answered. Throws `ProcessDeadlineExceeded` when it did not end in time (it was ended and
    /// reaped then).
    func finish(onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult

    /// `finish`, with `whileEnding` given the standard output as it stands each time the child
    /// has written whole lines and its pipe is drained (a short read ending with a newline), at
    /// most `PosixProcessRunner.earlyLooks` times: a CLI's last write is usually that moment,
    /// and it still has to end before its pipes close (the docker CLI, a Go program, tears down
    /// its threads and address space first, about as long as devenv takes to work on the
    /// answer), so the caller works on the answer meanwhile instead of after (issue 14). What
    /// it worked out is the caller's to keep only for the very output the result has, and only
    /// once the exit code says it is the answer. A runner that cannot tell gives the whole
    /// output once, after the child ended (this default).
    func finish(onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?,
                whileEnding: (([UInt8]) -> Void)?) throws -> ProcessResult

    /// Ends the child (SIGTERM, SIGKILL after a grace) and reaps it; what it printed, and any
    /// error it met, is dropped unseen. Harmless after `finish` or a first `cancel`.
    func cancel()
}

extension StartedProcess {
    public func finish() throws -> ProcessResult { try finish(onOutput: nil) }

    public func finish(onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?,
                       whileEnding: (([UInt8]) -> Void)?) throws -> ProcessResult {
        let result = try finish(onOutput: onOutput)
        whileEnding?(result.stdout)
        return result
    }
}
