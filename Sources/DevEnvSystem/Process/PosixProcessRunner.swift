#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// Runs child processes with posix_spawn (Foundation's Process costs tens of milliseconds a
/// spawn on Linux; DESIGN.md section 6). Output is read with poll(2) so that stdout and stderr
/// never block each other.
public struct PosixProcessRunner: ProcessRunning {
    /// The environment children inherit (before each invocation's own additions).
    public let baseEnvironment: [String: String]

    /// The inherited variables that are not UTF-8, passed on byte for byte (tests give their own).
    var verbatim = SystemEnvironment.verbatim

    /// Calls started before the Swift runtime (`PrestartedCalls`): `start` adopts one that is
    /// exactly its invocation instead of spawning it again.
    public var prestarted: PrestartedCalls?

    public init(environment: [String: String]) {
        self.baseEnvironment = environment
    }

    public func run(_ invocation: ProcessInvocation,
                    onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult {
        guard invocation.io == .interactive else {
            // One path for every piped child, started ahead or not: the same deadline, signal
            // forwarding and reaping (PosixStartedProcess).
            return try start(invocation).finish(onOutput: onOutput)
        }
        let executable = try resolved(invocation)
        let deadline = invocation.deadline.map { MonotonicClock.seconds() + $0 }
        // The terminal's settings go back as the child got them, however it ended: `docker exec
        // -t` ended by a signal (SIGTERM or SIGHUP to devenv, passed on) leaves its raw mode
        // behind, for the user's shell or the dashboard's own restore to keep (mend27b).
        let handedOver = TerminalSettings.foreground()
        defer { handedOver?.putBack() }
        let pid = try spawn(executable.path, invocation, executable.environment, stdinFD: nil, stdoutFD: nil, stderrFD: nil, closing: [])
        guard let status = ChildProcesses.waitInForeground(pid, until: deadline, stillAnswering: stillAnswering(invocation)) else {
            throw ProcessDeadlineExceeded(invocation: invocation, seconds: invocation.deadline ?? 0)
        }
        return ProcessResult(exitCode: status)
    }

    /// The question of `invocation.answerCheck`, asked once when the call still runs at its
    /// deadline: true when it ended in time (the engine answers: the call runs on with no
    /// deadline), or could not be started at all (nothing says the engine is frozen); nil
    /// without an `answerCheck`.
    func stillAnswering(_ invocation: ProcessInvocation) -> (() -> Bool)? {
        invocation.answerCheck.map { check in
            {
                var question = ProcessInvocation(check, environment: invocation.environment,
                                                 workingDirectory: invocation.workingDirectory,
                                                 deadline: invocation.deadline ?? invocation.interruptedAnswerWait)
                question.io = .capture
                do {
                    _ = try start(question).finish(onOutput: nil)
                    return true
                } catch is ProcessDeadlineExceeded {
                    return false
                } catch {
                    return true
                }
            }
        }
    }

    public func start(_ invocation: ProcessInvocation) throws -> any StartedProcess {
        guard invocation.io != .interactive else {
            throw DevEnvError.failure("internal error: an interactive call cannot be started ahead")
        }
        let executable = try resolved(invocation)
        if let prestarted, let adopted = prestarted.adopt(invocation, executable: executable.path,
                                                          environment: ProcessSpawn.entries(executable.environment, verbatim: verbatim),
                                                          stillAnswering: stillAnswering(invocation)) {
            return adopted
        }
        // An absolute time on the monotonic clock, counted from the spawn; nil: no deadline.
        let deadline = invocation.deadline.map { MonotonicClock.seconds() + $0 }
        let out = try Pipe()
        let err: Pipe
        do { err = try Pipe() } catch { out.closeAll(); throw error }
        let input = invocation.input.map { _ in try? Pipe() } ?? nil
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if devNull >= 0 { close(devNull) } }
        let pid: pid_t
        do {
            pid = try spawn(executable.path, invocation, executable.environment,
                            stdinFD: input?.readEnd ?? devNull, stdoutFD: out.writeEnd, stderrFD: err.writeEnd,
                            closing: [out.readEnd, err.readEnd] + (input.map { [$0.writeEnd] } ?? []))
        } catch {
            out.closeAll(); err.closeAll(); input?.closeAll()
            throw error
        }
        close(out.writeEnd); close(err.writeEnd)
        if let input { close(input.readEnd) }
        return PosixStartedProcess(invocation: invocation, pid: pid, stdout: out.readEnd, stderr: err.readEnd,
                                   stdin: input?.writeEnd, deadline: deadline, stillAnswering: stillAnswering(invocation))
    }

    /// `invocation` as `start` spawns it, for `PrestartRecord`: the program's path, the argv
    /// and the environment entries added to the base environment; nil when it cannot be started.
    public func prestartCall(_ invocation: ProcessInvocation) -> PrestartRecord.Call? {
        guard let (path, environment) = try? resolved(invocation) else { return nil }
        let additions = environment.filter { baseEnvironment[$0.key] != $0.value }.map { "\($0.key)=\($0.value)" }
        return PrestartRecord.Call(executable: path, argv: invocation.argv, additions: additions.sorted())
    }

    /// The program's path and the child's environment (the base one with the invocation's
    /// additions on top); a missing program is an error before anything is spawned.
    private func resolved(_ invocation: ProcessInvocation) throws -> (path: String, environment: [String: String]) {
        guard let program = invocation.argv.first else {
            throw DevEnvError.failure("internal error: empty argv")
        }
        let environment = invocation.childEnvironment(inheriting: baseEnvironment)
        return (try Self.resolve(program, path: environment["PATH"], directory: invocation.workingDirectory), environment)
    }

    private func spawn(_ executable: String, _ invocation: ProcessInvocation, _ environment: [String: String],
                       stdinFD: Int32?, stdoutFD: Int32?, stderrFD: Int32?, closing: [Int32]) throws -> pid_t {
        // Registered for signal forwarding as it starts: Ctrl-C or a CI's SIGTERM is never lost
        // (for a call that runs to its end, the second one). Only an interactive call, which
        // needs the terminal, stays in devenv's process group; a piped one gets the signals
        // from devenv (`ChildProcesses.Group.own`: Ctrl-\ made docker dump its goroutines).
        let group: ChildProcesses.Group = invocation.runsToItsEnd ? .ownToItsEnd : invocation.io == .interactive ? .devenv : .own
        return try ChildProcesses.spawnTracked(in: group) {
            try ProcessSpawn.spawn(executable, argv: invocation.argv, environment: environment,
                                   workingDirectory: invocation.workingDirectory,
                                   stdinFD: stdinFD, stdoutFD: stdoutFD, stderrFD: stderrFD, closing: closing,
                                   ownProcessGroup: group != .devenv, verbatim: verbatim)
        }
    }

    /// How many times at most a call's answer so far is worked on before its end
    /// (`collect`'s `whileEnding`): a CLI that writes its answer line by line, more slowly than
    /// devenv reads, would otherwise have it worked on again for every line.
    public static let earlyLooks = 4

    /// How often a stream with no output hears from the runner anyway: `onOutput` gets an
    /// empty chunk, so progress on a terminal can say how long it has been waiting.
    static let quietHeartbeat = 1.0

    /// Seconds a child past its deadline may go quiet between two outputs and still be read
    /// (`collect`): one whose output was found waiting when devenv looked after the deadline
    /// (devenv had been stopped) writes the rest as the pipe is read, a scheduling delay apart.
    static let pastDeadlineGap = 1.0

    /// Seconds past its deadline that devenv's first look may come and devenv still count as
    /// having run meanwhile (`collect`). A wait is bounded by the deadline, so a later look means
    /// devenv asked for the output late (a call started ahead, finished after other work) or was
    /// stopped; only then is what the child wrote meanwhile still read. A stop that ended after
    /// the deadline counts however soon after it (`ChildProcesses.lastContinuedAt`): devenv was
    /// not there to look, though its look came within this late-wake-up allowance.
    static let stoppedPastDeadline = 0.5

    /// Seconds at most that a child's output is read once devenv, stopped across the deadline,
    /// looks again (`collect`): a child that answered while devenv was stopped has its answer in
    /// the pipe, or writes the rest within moments as the pipe is read; one that goes on writing
    /// (a stream, or a chatty command, every half second) would otherwise be read for ever.
    static let pastDeadlineGrace = 3.0

    /// Seconds between looks at whether devenv was interrupted, while a call that runs to its
    /// end has not yet woken its listener for it (`collect`'s `beatWhenInterrupted`).
    static let noticeLook = 0.2

    /// Reads both pipes to their end, feeding stdin as it can take it. Nil when `deadline` (on
    /// the monotonic clock) passed; the stdin pipe is closed either way. When devenv's first look
    /// past the deadline comes `stoppedPastDeadline` or more after it (devenv was stopped), what
    /// the pipes hold then is still read, and what follows it within `pastDeadlineGap`, for at
    /// most `pastDeadlineGrace` seconds: a child still writing then is given up on, and
    /// `readPastDeadline` says for how long it was read (nil when it went quiet, or was not read),
    /// `stoppedAcross` whether devenv was stopped across the deadline (else it only looked late).
    /// `deadlineEndsWithOutput`: the first byte read sets `deadline` to nil. `endsAtFirstLine`:
    /// reading stops once the kept stdout holds a newline (the child is still running then).
    /// `beatWhenInterrupted`: `onOutput` hears an empty chunk as soon as a signal interrupts
    /// devenv during the wait (looked at every `noticeLook` seconds), once: the caller says
    /// what devenv waits for (`DockerSession`, through the command's console). Not written
    /// here: the runner has no say in where text goes (the dashboard's action pane, --json).
    /// `watchedOutput`: reading stops when that descriptor (devenv's stdout) reports an error
    /// or hang-up (`ProcessInvocation.endsWhenOutputCloses`; the child is still running then).
    /// `stillAnswering`: asked once when the deadline passes; true sets `deadline` to nil and
    /// reading goes on (`ProcessInvocation.answerCheck`).
    /// `whileEnding`: given the kept stdout so far when a read of it came back short (the pipe
    /// drained) ending with a newline, at most `earlyLooks` times (`StartedProcess.finish(onOutput:whileEnding:)`);
    /// the time it takes is added to `deadline`.
    static func collect(stdout: Int32, stderr: Int32, stdin: Int32?, input: [UInt8], keepStdout: Bool,
                                deadline: inout Double?, deadlineEndsWithOutput: Bool, endsAtFirstLine: Bool = false,
                                beatWhenInterrupted: Bool = false, interruptedWait: Double? = nil, watchedOutput: Int32? = nil,
                                stillAnswering: (() -> Bool)? = nil, readPastDeadline: inout Double?,
                                stoppedAcross: UnsafeMutablePointer<Bool>? = nil,
                                whileEnding: (([UInt8]) -> Void)? = nil,
                                onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) -> ([UInt8], [UInt8])? {
        var earlyLooksLeft = whileEnding != nil && keepStdout ? Self.earlyLooks : 0
        var beatDue = beatWhenInterrupted && onOutput != nil
        var stillAnswering = stillAnswering
        // `ProcessInvocation.interruptedAnswerWait`: a deadline from the interruption on.
        var interruptedWait = deadline == nil && stillAnswering != nil ? interruptedWait : nil
        var collected: [[UInt8]] = [[], []]
        var open: [Int32] = [stdout, stderr]
        var stdinFD = stdin
        defer { if let fd = stdinFD { close(fd) } }
        var written = 0
        if let fd = stdinFD { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        if input.isEmpty, let fd = stdinFD { close(fd); stdinFD = nil }
        // Uninitialised: a zero-filled 64 KiB array wrote (and so faulted in) 16 fresh heap
        // pages for every docker call, where `read` touches only the pages a chunk fills (a
        // `docker ps` answer is a page or two) (issue 14).
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
        defer { buffer.deallocate() }
        var lastOutput = MonotonicClock.seconds()
        /// When output was last read after the deadline had passed (nil: none yet).
        var outputPastDeadline: Double?
        /// Whether a look past the deadline was made, and when, if it came so late that devenv
        /// had been stopped (`stoppedPastDeadline`): output is then read for `pastDeadlineGrace`.
        var lookedPastDeadline = false
        var readingLateSince: Double?
        readPastDeadline = nil
        /// The deadline missed: asked once (`ProcessInvocation.answerCheck`) whether the call may
        /// run on; true: it does, with no deadline.
        func runsOn() -> Bool {
            guard let ask = stillAnswering, ask() else { return false }
            stillAnswering = nil
            deadline = nil
            readingLateSince = nil
            readPastDeadline = nil
            return true
        }
        while !open.isEmpty || stdinFD != nil {
            // Looked at before each wait, not only on EINTR: the signal may have come before
            // this wait began (the child's first act), or to another thread, and then no poll
            // here returns EINTR (a recreate's `docker stop` once said nothing, in a loaded test run).
            if beatDue, ChildProcesses.interruption != nil {
                beatDue = false
                onOutput?(.stderr, [])
            }
            if let wait = interruptedWait, ChildProcesses.interruption != nil {
                interruptedWait = nil
                deadline = MonotonicClock.seconds() + wait
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if let fd = stdinFD { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            // Asked for no event: poll reports only an error or hang-up of devenv's own output.
            if let watched = watchedOutput { fds.append(pollfd(fd: watched, events: 0, revents: 0)) }
            let now = MonotonicClock.seconds()
            var wait = -1.0
            // devenv may have been stopped across the deadline (Ctrl-Z, then `fg` a minute
            // later; SIGSTOP) while the child, in a group of its own, ran on and answered:
            // `devenv status` said the engine did not answer within 30 s though it had in a
            // second (break24). Its first look past the deadline then comes late (every wait
            // ends at the deadline), and what the pipes hold counts (a look that does not
            // wait), and output that goes on coming after it (gaps under `pastDeadlineGap`: a
            // child that filled its pipe writes the rest as it is read), for at most
            // `pastDeadlineGrace`: a child that keeps writing is not read for ever. A look in
            // time past the deadline misses it, whatever the pipes hold.
            if let due = deadline, now >= due {
                if !lookedPastDeadline {
                    lookedPastDeadline = true
                    // Stopped across it: the last SIGCONT came after the deadline.
                    let stopped = ChildProcesses.lastContinuedAt >= due
                    if stopped || now - due >= Self.stoppedPastDeadline { readingLateSince = now }
                    stoppedAcross?.pointee = stopped
                }
                let givenUp = readingLateSince.map { now >= $0 + Self.pastDeadlineGrace } ?? true
                if givenUp {
                    // Still writing when the grace ran out (a quiet end is seen below).
                    if let since = readingLateSince { readPastDeadline = now - since }
                    if runsOn() { continue }
                    return nil
                }
            }
            let end = deadline.map { due in
                readingLateSince.map { since in min(since + Self.pastDeadlineGrace, outputPastDeadline.map { $0 + Self.pastDeadlineGap } ?? since) } ?? due
            }
            if let end { wait = max(0, end - now) }
            if onOutput != nil {
                let heartbeat = max(0, lastOutput + quietHeartbeat - now)
                wait = wait < 0 ? heartbeat : min(wait, heartbeat)
            }
            // While the beat is due, at most 0.2 s between looks (a signal to another thread).
            if beatDue || interruptedWait != nil { wait = wait < 0 ? Self.noticeLook : min(wait, Self.noticeLook) }
            let ready = poll(&fds, nfds_t(fds.count), wait < 0 ? -1 : Int32((wait * 1000).rounded(.up)))
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 {
                if let end, MonotonicClock.seconds() >= end {
                    // Read late and gone quiet: the deadline is missed now. In time, the look
                    // above misses it.
                    if let since = readingLateSince {
                        let now = MonotonicClock.seconds()
                        // The grace ran out inside a gap: still writing, as far as devenv can tell.
                        if now >= since + Self.pastDeadlineGrace { readPastDeadline = now - since }
                        if runsOn() { continue }
                        return nil
                    }
                    continue
                }
                if onOutput != nil && MonotonicClock.seconds() >= lastOutput + quietHeartbeat {
                    onOutput?(.stderr, [])
                    lastOutput = MonotonicClock.seconds()
                }
                continue
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == watchedOutput { return (collected[0], collected[1]) }
                if entry.fd == stdinFD {
                    let n = input[written...].withUnsafeBytes { write(entry.fd, $0.baseAddress, $0.count) }
                    if n > 0 { written += n }
                    if n < 0 && errno != EAGAIN && errno != EINTR || written >= input.count {
                        close(entry.fd)
                        stdinFD = nil
                    }
                    continue
                }
                let n = read(entry.fd, buffer.baseAddress, buffer.count)
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if n <= 0 {
                    open.removeAll { $0 == entry.fd }
                    continue
                }
                let chunk = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                if let deadline, MonotonicClock.seconds() >= deadline { outputPastDeadline = MonotonicClock.seconds() }
                if deadlineEndsWithOutput { deadline = nil }
                let which: OutputChannel = entry.fd == stdout ? .stdout : .stderr
                lastOutput = MonotonicClock.seconds()
                onOutput?(which, chunk)
                // Written into a file that takes no more (`StandardStreams.outputFailed`).
                if watchedOutput != nil && StandardStreams.outputFailed { return (collected[0], collected[1]) }
                if which == .stderr || keepStdout {
                    collected[which == .stdout ? 0 : 1].append(contentsOf: chunk)
                }
                if endsAtFirstLine && which == .stdout && chunk.contains(10) { return (collected[0], collected[1]) }
                // Drained, whole lines: most likely the whole answer, while the child still ends.
                if earlyLooksLeft > 0, which == .stdout, n < buffer.count, chunk.last == 10, let whileEnding {
                    earlyLooksLeft -= 1
                    // The deadline is the child's time to answer, not devenv's own work on the
                    // answer: it moves on by as long as the look took. Else a look that ended
                    // just past it (status reads Dockerfiles and lock files for staleness) had
                    // the call "not answer within N s" though the whole answer was in the pipe.
                    let lookedAt = MonotonicClock.seconds()
                    whileEnding(collected[0])
                    if let due = deadline { deadline = due + (MonotonicClock.seconds() - lookedAt) }
                }
                // Streamed stderr is kept for the error message only: its last 64 KiB, however
                // long `logs -f` of a chatty container runs.
                if onOutput != nil, collected[1].count > 1 << 17 {
                    collected[1].removeFirst(collected[1].count - (1 << 16))
                }
            }
        }
        return (collected[0], collected[1])
    }

    /// Where `program` is, by the one program-search rule (`ProgramSearch`, execvp's), looked
    /// up here rather than by posix_spawnp so that a missing program is a clear error before
    /// anything is spawned. `directory`: the call's own working folder, where the child starts
    /// (a relative PATH entry or program is taken from there, as execvp after the chdir would).
    static func resolve(_ program: String, path: String?, directory: String?) throws -> String {
        switch ProgramSearch.locate(program, path: path, directory: directory, fileSystem: LocalFileSystem()) {
        case .found(let executable): return executable
        case .notFound(let passedOver): throw ProgramSearch.notFoundError(program, passedOver: passedOver)
        }
    }
}

/// The settings of the terminal on standard input, when devenv runs in its foreground (a
/// `tcsetattr` from the background would stop devenv with SIGTTOU).
struct TerminalSettings {
    private var saved = termios()

    static func foreground() -> TerminalSettings? {
        var settings = TerminalSettings()
        guard isatty(STDIN_FILENO) == 1, tcgetpgrp(STDIN_FILENO) == getpgrp(),
              tcgetattr(STDIN_FILENO, &settings.saved) == 0 else { return nil }
        return settings
    }

    func putBack() {
        var saved = saved
        guard tcgetpgrp(STDIN_FILENO) == getpgrp() else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }
}
