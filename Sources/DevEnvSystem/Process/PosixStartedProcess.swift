#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// A piped child spawned by `PosixProcessRunner.start`: its stdout and stderr pipes wait,
/// unread, until `finish` reads them to their end (a child with more to say than a pipe holds
/// waits for the reader, as it would for a slow terminal) or `cancel` ends it. Tracked for
/// signal forwarding from its spawn, like every child (`ChildProcesses`), so Ctrl-C or a CI's
/// SIGTERM reaches it whatever devenv is doing meanwhile. `PosixProcessRunner.run` is `start`
/// then `finish`: one path for every piped child.
final class PosixStartedProcess: StartedProcess, @unchecked Sendable {
    let invocation: ProcessInvocation
    /// The child (tests read it: a child ended before it ran a line cannot say its own pid).
    let pid: pid_t
    private let stdout: Int32
    private let stderr: Int32
    private let stdin: Int32?
    /// On the monotonic clock, from the spawn; nil: none.
    private let deadline: Double?
    /// `ProcessInvocation.answerCheck`'s question (`PosixProcessRunner.stillAnswering`).
    private let stillAnswering: (() -> Bool)?
    private let lock = Lock()
    /// Finished or cancelled: the descriptors are closed and the child reaped.
    private var done = false

    init(invocation: ProcessInvocation, pid: pid_t, stdout: Int32, stderr: Int32, stdin: Int32?, deadline: Double?,
         stillAnswering: (() -> Bool)? = nil) {
        self.invocation = invocation
        self.stillAnswering = stillAnswering
        self.pid = pid
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.deadline = deadline
    }

    func finish(onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult {
        try finish(onOutput: onOutput, whileEnding: nil)
    }

    func finish(onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?,
                whileEnding: (([UInt8]) -> Void)?) throws -> ProcessResult {
        let owned = lock.withLock { () -> Bool in
            if done { return false }
            done = true
            return true
        }
        guard owned else { throw DevEnvError.failure("internal error: a started call was finished twice or after it was cancelled") }
        defer { ChildProcesses.untrack(pid) }
        var deadline = self.deadline
        // Started ahead and asked for late (devenv was busy meanwhile): a child that has ended
        // answered in time, whatever the clock says now; its output waits in the pipes.
        var status: Int32?
        if let limit = deadline, MonotonicClock.seconds() >= limit, let ended = ChildProcesses.reapIfEnded(pid) {
            status = ended
            deadline = nil
        }
        let endsAtFirstLine = invocation.endsAtFirstLine && invocation.io == .capture
        // devenv's stdout, unless a pipe of this call took its number (devenv started with fd 1 closed).
        let watched: Int32? = invocation.endsWhenOutputCloses && invocation.io == .stream && stdout != 1 && stderr != 1 ? 1 : nil
        var readPastDeadline: Double?
        var stoppedAcross = false
        let collected = PosixProcessRunner.collect(stdout: stdout, stderr: stderr, stdin: stdin, input: invocation.input ?? [],
                                                   keepStdout: invocation.io == .capture, deadline: &deadline,
                                                   deadlineEndsWithOutput: invocation.deadlineEndsWithOutput,
                                                   endsAtFirstLine: endsAtFirstLine,
                                                   beatWhenInterrupted: invocation.runsToItsEnd,
                                                   interruptedWait: invocation.interruptedAnswerWait, watchedOutput: watched,
                                                   stillAnswering: stillAnswering, readPastDeadline: &readPastDeadline,
                                                   stoppedAcross: &stoppedAcross,
                                                   whileEnding: invocation.io == .capture ? whileEnding : nil,
                                                   onOutput: Self.delivered(onOutput, io: invocation.io))
        close(stdout); close(stderr)
        guard let (out, err) = collected else {
            ChildProcesses.end(pid)
            throw ProcessDeadlineExceeded(invocation: invocation, seconds: invocation.deadline ?? invocation.interruptedAnswerWait ?? 0,
                                          readPastDeadline: readPastDeadline, stoppedAcross: stoppedAcross)
        }
        if let status { return ProcessResult(exitCode: status, stdout: out, stderr: err) }
        if let watched, Self.hasClosed(watched) || StandardStreams.outputFailed {
            // Nobody reads what it prints any more: ended, as SIGPIPE would have ended it.
            ChildProcesses.end(pid)
            return ProcessResult(exitCode: 128 + SIGPIPE, stdout: out, stderr: err)
        }
        if endsAtFirstLine && out.contains(10) {
            // The line is the answer; the child would only wait out its window.
            return ProcessResult(exitCode: ChildProcesses.end(pid), stdout: out, stderr: err)
        }
        // Output ended, but the child may still hold on (it closed its pipes early). Ended past
        // the deadline (read after devenv was stopped: `collect`), the child that was blocked on
        // a full pipe has just written its last bytes: it gets the grace to exit.
        let now = MonotonicClock.seconds()
        let exitBy = deadline.map { $0 > now ? $0 : now + ChildProcesses.terminationGrace }
        guard let status = ChildProcesses.wait(pid, until: exitBy) else {
            ChildProcesses.end(pid)
            throw ProcessDeadlineExceeded(invocation: invocation, seconds: invocation.deadline ?? 0)
        }
        return ProcessResult(exitCode: status, stdout: out, stderr: err)
    }

    /// What `onOutput` hears: a stream's chunks as they come, with an empty chunk after each
    /// quiet second (`PosixProcessRunner.quietHeartbeat`) and, for a call that runs to its end,
    /// once as soon as devenv is interrupted; a captured call's empty chunks only (its output
    /// is the result), so its caller can say how long, and for what, it waits.
    static func delivered(_ onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?,
                          io: ProcessIO) -> (@Sendable (OutputChannel, [UInt8]) -> Void)? {
        guard let onOutput, io != .interactive else { return nil }
        if io == .stream { return onOutput }
        return { channel, bytes in if bytes.isEmpty { onOutput(channel, bytes) } }
    }

    /// Whether `fd` reports an error or hang-up (a pipe whose reader left, a terminal gone, a
    /// closed descriptor), without waiting.
    static func hasClosed(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: 0, revents: 0)
        return poll(&entry, 1, 0) > 0 && entry.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0
    }

    func cancel() {
        let owned = lock.withLock { () -> Bool in
            if done { return false }
            done = true
            return true
        }
        guard owned else { return }
        close(stdout); close(stderr)
        if let stdin { close(stdin) }
        ChildProcesses.end(pid)
        ChildProcesses.untrack(pid)
    }

    /// A handle dropped unfinished still ends and reaps its child.
    deinit { cancel() }
}
