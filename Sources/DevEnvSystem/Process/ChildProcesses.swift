#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

// Read from the signal handler: plain integers in memory allocated once, never resized. The
// dashboard runs several actions at once, each with its docker child.
private let trackedSlots = 32
nonisolated(unsafe) private let trackedChildren: UnsafeMutablePointer<pid_t> = {
    let slots = UnsafeMutablePointer<pid_t>.allocate(capacity: trackedSlots)
    slots.initialize(repeating: 0, count: trackedSlots)
    return slots
}()
/// The signal the handler passed to the child in each slot (0: none yet).
nonisolated(unsafe) private let signalledChildren: UnsafeMutablePointer<Int32> = {
    let slots = UnsafeMutablePointer<Int32>.allocate(capacity: trackedSlots)
    slots.initialize(repeating: 0, count: trackedSlots)
    return slots
}()
/// Where the child in each slot is (`ChildProcesses.Group`'s raw value): in devenv's process
/// group (0), in a group of its own and running to its end (1), in a group of its own (2).
nonisolated(unsafe) private let runsToItsEnd: UnsafeMutablePointer<Int32> = {
    let slots = UnsafeMutablePointer<Int32>.allocate(capacity: trackedSlots)
    slots.initialize(repeating: 0, count: trackedSlots)
    return slots
}()
nonisolated(unsafe) private var trackingLock = pthread_mutex_t()
/// What the handler writes: `SignalHandlerRecord` (why it is a pointer's pointee, not Swift
/// global `var`s, and why no generic code touches it).
nonisolated(unsafe) private let signals = SignalHandlerRecord.shared
/// `endAll` ran: no child is spawned from now on (under `trackingLock`).
nonisolated(unsafe) private var endingAll = false
/// Spawns under way (`spawnTracked`, under `trackingLock`): `endAll` waits for them.
nonisolated(unsafe) private var spawning = 0

/// Sends `received` (as `ChildProcesses.passedOn`) to the tracked children: `others`, the ones in devenv's process group;
/// `toTheirEnd`, the ones that run to their end; the other ones in a group of their own always
/// (no terminal signal reaches them: devenv passes each on).
private func signalTrackedChildren(_ received: Int32, others: Bool = true, toTheirEnd: Bool) {
    let signal = ChildProcesses.passedOn(received)
    var slot = 0
    while slot < trackedSlots {
        let group = runsToItsEnd[slot]
        if trackedChildren[slot] > 0, group == 1 ? toTheirEnd : group == 2 ? true : others {
            signalledChildren[slot] = signal
            signalChild(trackedChildren[slot], inItsOwnGroup: group != 0, signal)
        }
        slot += 1
    }
}

/// Sends `signal` to a child devenv spawned: to its whole process group when it has one of its
/// own (`ChildProcesses.Group.own`, `.ownToItsEnd`: its group's id is its pid), as the terminal
/// sends Ctrl-C to the whole foreground group; to the child alone when it is in devenv's group.
/// A docker CLI that is a script running the real one as its child (a DEVENV_DOCKER wrapper
/// without `exec`), or a CLI with a plugin process (`docker buildx`), got the signal in its
/// first process only (review30): the wrapper died, the real CLI ran on, holding the pipe, so a
/// Ctrl-C'd `status` waited silently until docker ended by itself (its deadline on a frozen
/// engine), a build was never cancelled, and a call ended at its deadline left the real CLI
/// running after devenv. Async-signal-safe (the handler calls it).
private func signalChild(_ pid: pid_t, inItsOwnGroup: Bool, _ signal: Int32) {
    kill(inItsOwnGroup ? -pid : pid, signal)
}

private func recordInterruption(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
                                _ context: UnsafeMutableRawPointer?) {
    signals.pointee.receivedSignal = signal
    signals.pointee.interruptions &+= 1
    let again = signals.pointee.interruptions > 1
    // Ctrl-C from the terminal already reached the child (same process group: si_code is
    // SI_KERNEL); a signal sent to devenv alone with kill (a CI timeout) is passed on, so the
    // docker call ends as well. Sending the terminal's one again would make docker give up its
    // own graceful cancel. A child that runs to its end (a group of its own) gets the second.
    // No generic code here (`Optional.map`, a `for` over a range): in a build without
    // specialisation it instantiates type metadata under the Swift runtime's lock, which is not
    // async-signal-safe (a signal arriving while that lock is held deadlocks devenv for good).
    // The piped children are in groups of their own (`ChildProcesses.Group.own`): no terminal
    // signal reaches them, so every signal is passed to them, SIGQUIT as SIGTERM.
    var sentByAProcess = true
    if let info { sentByAProcess = info.pointee.si_code <= 0 }
    signals.pointee.lastForwarded = ChildProcesses.passedOn(signal)
    signals.pointee.forwardGeneration &+= 1
    signalTrackedChildren(signal, others: sentByAProcess, toTheirEnd: again)
    // Reading the configuration is reads and computation only: nothing is made, so nothing is
    // half-made, and nothing waits to be taken back. With no child running or being spawned and
    // the terminal as devenv found it, devenv ends now (128+signal) instead of reading on: a 4
    // MiB devenv.toml took seconds (25 s in a debug build) before the signal was looked at.
    if signals.pointee.readingConfiguration > 0, signals.pointee.spawnsUnderWay == 0, signals.pointee.active == 0 {
        var slot = 0
        while slot < trackedSlots, trackedChildren[slot] == 0 { slot += 1 }
        if slot == trackedSlots {
            if signals.pointee.commandOnlyReads != 0 {
                _ = write(2, queryInterruptedMessage, queryInterruptedMessageCount)
            } else {
                _ = write(2, readingInterruptedMessage, readingInterruptedMessageCount)
            }
            _exit(128 + signal)
        }
    }
}

/// What devenv says when a signal ends it while it reads the configuration or plans, before it
/// changed anything (`readingConfiguration`; written by the
/// handler: bytes made once, before any handler is installed).
private let readingInterruptedText = "devenv: interrupted while reading the configuration and planning; nothing was changed\n"
private let readingInterruptedMessageCount = readingInterruptedText.utf8.count
nonisolated(unsafe) private let readingInterruptedMessage = handlerBytes(readingInterruptedText)
/// The same for a command that only reads (`commandOnlyReads`: status, config, logs, doctor): it
/// plans no change, so "planning" and "nothing was changed" would say it might have changed something.
private let queryInterruptedText = "devenv: interrupted while reading the configuration and asking the engine; this command changes nothing\n"
private let queryInterruptedMessageCount = queryInterruptedText.utf8.count
nonisolated(unsafe) private let queryInterruptedMessage = handlerBytes(queryInterruptedText)

private func handlerBytes(_ text: String) -> UnsafeMutablePointer<UInt8> {
    let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: text.utf8.count)
    bytes.initialize(from: Array(text.utf8), count: text.utf8.count)
    return bytes
}

/// SIGCONT outside the dashboard (whose terminal handler counts it too).
private func recordContinuation(_ signal: Int32) {
    signals.pointee.continuations &+= 1
    signals.pointee.lastContinuedAt = MonotonicClock.seconds()
}

/// Waiting for children, and what devenv does when it is interrupted while one runs: the signal
/// is recorded and passed to the child, the command finishes its clean-up (no half-created
/// container is left behind) and devenv exits with 128+signal.
public enum ChildProcesses {
    /// Installs the handlers of the `forwarded` signals. Call once, at start.
    /// `prestarted`: the calls started before the Swift runtime (`PrestartedCalls`), tracked
    /// before the handlers are installed, and the signal mask they were started under restored
    /// once they are: a signal that came meanwhile waited, blocked, and is passed on to them now.
    public static func installInterruptionHandlers(adopting prestarted: PrestartedCalls? = nil) {
        pthread_mutex_init(&trackingLock, nil)
        _ = trackedChildren // allocated now, not first in a signal handler
        _ = runsToItsEnd
        _ = signalledChildren
        _ = signals
        _ = readingInterruptedMessage
        _ = readingInterruptedMessageCount
        _ = queryInterruptedMessage
        _ = queryInterruptedMessageCount
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = recordInterruption
        // The handler is not re-entered: the other interrupting signals wait while it runs. A
        // CI's SIGTERM followed at once by a SIGHUP nested the handler inside itself while it
        // held the Swift runtime's metadata lock: devenv hung for good (a full CI run).
        // The other ending signals only where they had their default action (not ignored:
        // nohup's; nor someone's handler: a profiler's SIGPROF).
        for signal in otherEnding where !endingHandled.contains(signal) {
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            if unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == 0 { endingHandled.append(signal) }
        }
        interrupting = forwarded + endingHandled
        sigemptyset(&action.sa_mask)
        for signal in interrupting { sigaddset(&action.sa_mask, signal) }
        // No SA_RESTART: poll and waitpid return EINTR and see the flag.
        action.sa_flags = SA_SIGINFO
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in interrupting {
            sigaction(signal, &action, nil)
            sigaddset(&unblock, signal)
        }
        for pid in prestarted?.pids ?? [] { track(pid, in: .own) }
        if var mask = prestarted?.savedMask { sigprocmask(SIG_SETMASK, &mask, nil) }
        // A parent may hand devenv these signals blocked (some process launchers do): then
        // Ctrl-C would never arrive.
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        // Counted for `continuations`; SA_RESTART, since going on is no reason to cut a call short.
        var continued = sigaction()
        continued.__sigaction_handler.sa_handler = recordContinuation
        sigemptyset(&continued.sa_mask)
        continued.sa_flags = SA_RESTART
        sigaction(SIGCONT, &continued, nil)
    }

    /// How many times devenv was stopped (Ctrl-Z) and went on (`fg`, `bg`): what the shell
    /// printed meanwhile is below anything devenv drew before (`Progress`).
    public static var continuations: Int { signals.pointee.continuations }

    /// How many interrupting signals devenv got so far (`AppContext.interruptionCount`): a second
    /// one ends the calls under way, a clean-up call's too.
    public static var interruptions: Int { Int(signals.pointee.interruptions) }

    /// When devenv last went on after a stop (SIGCONT), in `MonotonicClock` seconds; 0: never.
    static var lastContinuedAt: Double { signals.pointee.lastContinuedAt }

    /// Records a SIGCONT as its handler does, now (tests).
    static func continueAsTheSignalHandlerWould() {
        recordContinuation(SIGCONT)
    }

    /// Marks a reading of the configuration (`true` as it starts, `false` when it is done; they
    /// nest): an interrupting signal that comes meanwhile, with no child running, ends devenv at
    /// once with 128+signal, saying so, instead of after the reading (`recordInterruption`).
    /// Only for reads and computation: nothing made, nothing to take back, the terminal untouched.
    public static func readingConfiguration(_ reading: Bool) {
        // The dashboard's actions read on threads of their own, several at once: a count changed
        // unlocked could lose a change and stay above 0, ending devenv at a later signal without
        // its clean-up. The handler only reads it.
        pthread_mutex_lock(&trackingLock)
        signals.pointee.readingConfiguration += reading ? 1 : -1
        pthread_mutex_unlock(&trackingLock)
    }

    /// Whether the command only reads (`CommandSpec.onlyReads`): an interrupting signal in its
    /// reading then says the command changes nothing, not that nothing was changed yet. Set once,
    /// before the reading starts.
    public static func commandOnlyReads(_ onlyReads: Bool) {
        signals.pointee.commandOnlyReads = onlyReads ? 1 : 0
    }

    /// The signal that interrupted devenv, if any.
    public static var interruption: Int32? { signals.pointee.receivedSignal == 0 ? nil : signals.pointee.receivedSignal }

    public static func clearInterruption() {
        signals.pointee.receivedSignal = 0
        signals.pointee.interruptions = 0
    }

    /// Interrupts devenv from within (the dashboard quitting while actions run): every command
    /// stops at its next step and cleans up, and the docker calls under way get the signal.
    public static func interruptAll(_ signal: Int32 = SIGINT) {
        signals.pointee.receivedSignal = signal
        signals.pointee.interruptions &+= 1
        pthread_mutex_lock(&trackingLock)
        signalTrackedChildren(signal, toTheirEnd: signals.pointee.interruptions > 1)
        pthread_mutex_unlock(&trackingLock)
    }

    /// Sends `signal` to every tracked child without taking the lock: for signal handlers
    /// (a crash, a fatal signal), where only async-signal-safe calls are allowed.
    static func signalTrackedFromHandler(_ signal: Int32) {
        signalTrackedChildren(signal, toTheirEnd: true)
    }

    /// Ends every docker call still under way (SIGTERM), without marking devenv interrupted:
    /// the dashboard on its way out, so that no child of an abandoned snapshot or action runs
    /// on after devenv. A spawn under way on a background thread (a snapshot's next `docker
    /// ps`) is waited for, up to `terminationGrace`, and its child ended as it is registered;
    /// later spawns are refused. Seen under tmux: a `ps` spawned as the dashboard quit was not
    /// registered yet, and, a hung one, outlived it. Only for a process on its way out.
    public static func endAll() {
        pthread_mutex_lock(&trackingLock)
        endingAll = true
        signalTrackedChildren(SIGTERM, toTheirEnd: true)
        pthread_mutex_unlock(&trackingLock)
        let deadline = monotonicSeconds() + terminationGrace
        while monotonicSeconds() < deadline {
            pthread_mutex_lock(&trackingLock)
            let under = spawning
            pthread_mutex_unlock(&trackingLock)
            if under == 0 { return }
            usleep(1000)
        }
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The signals that interrupt devenv (it cleans up and exits 130) and that it passes on to
    /// its children: Ctrl-C, a CI's or a process manager's SIGTERM, a closed terminal's SIGHUP,
    /// and Ctrl-\ (SIGQUIT, whose default action would kill devenv mid-step with a core dump
    /// and leave a half-made container behind). The dashboard's quit signals are these too
    /// (`TerminalSignalState.terminating`).
    public static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// The other signals whose default action ends the process (signal(7)). Where they had
    /// their default action (not ignored, no one's handler) they interrupt devenv as the
    /// `forwarded` ones do, its children getting SIGTERM (`passedOn`): dying of them at once left
    /// `logs -f`'s `docker logs --follow` running under PID 1 (regress26), and an `up`'s created
    /// container and new volumes behind (break27: `kill -USR1` or a stray SIGALRM mid-`up`), where
    /// an interrupted `up` removes what it made. The dashboard restores the terminal on them
    /// and dies (`TerminalSignalState.otherEnding`). Not `ownFaults`.
    public static let otherEnding: [Int32] = [SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT]

    /// The signals the kernel sends for devenv's own doing, default-fatal with a core dump as
    /// a crash is (signal(7)): SIGSYS, a system call its seccomp filter forbids; SIGXCPU, the
    /// CPU time limit (RLIMIT_CPU) it used up; SIGXFSZ, a write of its own past the file size
    /// limit (RLIMIT_FSIZE). Not an interruption: devenv would report a fault of its own as
    /// "interrupted by signal N", the user's request (mend28; 45d69bd had made them
    /// `otherEnding`). They keep their default action, as SIGSEGV does; the dashboard restores
    /// the terminal and ends its children first (`TerminalSignalState.fatal`).
    public static let ownFaults: [Int32] = [SIGSYS, SIGXCPU, SIGXFSZ]
    /// Those of `otherEnding` that had their default action, so got devenv's handler (set once, at
    /// start), in `otherEnding`'s order. An array: a `Set` of a dozen signals cost 20 K
    /// instructions (hashing, the type's first use) before `status` could start its docker call.
    nonisolated(unsafe) static var endingHandled: [Int32] = []
    /// `forwarded` and `endingHandled`: the signals that interrupt devenv (set once, at start).
    nonisolated(unsafe) static var interrupting: [Int32] = forwarded

    /// The signal devenv passes on to its children, and to the command in a container (exec's
    /// pass-on), for one that interrupted it: SIGINT, SIGTERM and SIGHUP as they are; any other
    /// as SIGTERM, the request to end (SIGQUIT asks a Go program, the docker CLI, for a goroutine
    /// dump on stderr; SIGUSR1 means something of a program's own choosing, dd's statistics, a
    /// log reopen). Async-signal-safe: the handler calls it.
    public static func passedOn(_ signal: Int32) -> Int32 {
        signal == SIGINT || signal == SIGHUP ? signal : SIGTERM
    }

    /// Spawns with `spawn` and registers the child for signal forwarding, so that no signal is
    /// lost between the two: the forwarded signals are blocked on this thread meanwhile (they
    /// stay pending and reach the handler once the child is registered), and one the handler
    /// passed on from another thread during the window is sent to the new child unless the
    /// handler already reached it (for a child that runs to its end: when it was a second one).
    /// Where a child runs, for the signals devenv passes on to it.
    enum Group: Int32 {
        /// devenv's process group: the terminal's signals reach it (an interactive `docker
        /// exec`, which needs the terminal; the dashboard's streams, in raw mode).
        case devenv = 0
        /// A group of its own, running to its end (`ProcessInvocation.runsToItsEnd`): it gets
        /// only a second signal.
        case ownToItsEnd = 1
        /// A group of its own: a piped call. The terminal's Ctrl-\ (SIGQUIT) made the docker CLI
        /// (a Go program) print a goroutine dump of some 200 lines on the terminal and exit 2
        /// (`devenv logs -f`, break23); neither blocking nor ignoring SIGQUIT stops Go's
        /// runtime from taking it. devenv passes every signal on to it, SIGQUIT as SIGTERM.
        case own = 2
    }

    static func spawnTracked(runsToItsEnd toItsEnd: Bool = false, _ spawn: () throws -> pid_t) throws -> pid_t {
        try spawnTracked(in: toItsEnd ? .ownToItsEnd : .devenv, spawn)
    }

    static func spawnTracked(in group: Group, _ spawn: () throws -> pid_t) throws -> pid_t {
        let toItsEnd = group == .ownToItsEnd
        var block = sigset_t(), saved = sigset_t()
        sigemptyset(&block)
        for signal in interrupting { sigaddset(&block, signal) }
        pthread_sigmask(SIG_BLOCK, &block, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        pthread_mutex_lock(&trackingLock)
        let refused = endingAll
        if !refused { spawning += 1 }
        // Seen by the handler on any thread: a child may be on its way.
        signals.pointee.spawnsUnderWay = Int32(spawning)
        pthread_mutex_unlock(&trackingLock)
        if refused { throw DevEnvError.failure("devenv is ending: nothing more is started") }
        defer {
            pthread_mutex_lock(&trackingLock)
            spawning -= 1
            signals.pointee.spawnsUnderWay = Int32(spawning)
            pthread_mutex_unlock(&trackingLock)
        }
        let before = signals.pointee.forwardGeneration
        let pid = try spawn()
        let slot = track(pid, in: group)
        if signals.pointee.forwardGeneration != before, signals.pointee.lastForwarded != 0, let slot, signalledChildren[slot] == 0, !toItsEnd || signals.pointee.interruptions > 1 {
            signalledChildren[slot] = signals.pointee.lastForwarded
            signalChild(pid, inItsOwnGroup: group != .devenv, signals.pointee.lastForwarded)
        }
        return pid
    }

    /// Registers a running child; its slot, nil when all are taken (then it is not forwarded to).
    @discardableResult
    static func track(_ pid: pid_t, runsToItsEnd toItsEnd: Bool = false) -> Int? {
        track(pid, in: toItsEnd ? .ownToItsEnd : .devenv)
    }

    @discardableResult
    static func track(_ pid: pid_t, in group: Group) -> Int? {
        pthread_mutex_lock(&trackingLock)
        defer { pthread_mutex_unlock(&trackingLock) }
        if endingAll { signalChild(pid, inItsOwnGroup: group != .devenv, SIGTERM) }
        for slot in 0..<trackedSlots where trackedChildren[slot] == 0 {
            runsToItsEnd[slot] = group.rawValue
            signalledChildren[slot] = endingAll ? SIGTERM : 0
            trackedChildren[slot] = pid
            return slot
        }
        return nil
    }

    static func untrack(_ pid: pid_t) {
        pthread_mutex_lock(&trackingLock)
        defer { pthread_mutex_unlock(&trackingLock) }
        for slot in 0..<trackedSlots where trackedChildren[slot] == pid { trackedChildren[slot] = 0 }
    }

    /// Runs the interruption handler's code as if a signal had been sent to devenv (tests).
    static func handleAsTheSignalHandlerWould(_ signal: Int32) {
        recordInterruption(signal, nil, nil)
    }

    /// As the handler would for a signal the terminal sent (Ctrl-C, Ctrl-\: si_code SI_KERNEL),
    /// which reached devenv's own process group already (tests).
    static func handleAsTheSignalHandlerWouldFromTheTerminal(_ signal: Int32) {
        var info = siginfo_t()
        info.si_signo = signal
        info.si_code = 0x80  // SI_KERNEL
        recordInterruption(signal, &info, nil)
    }

    /// Whether `pid` is registered for forwarding (tests).
    static func isTracked(_ pid: pid_t) -> Bool {
        pthread_mutex_lock(&trackingLock)
        defer { pthread_mutex_unlock(&trackingLock) }
        return (0..<trackedSlots).contains { trackedChildren[$0] == pid }
    }

    /// How long a child whose deadline passed gets between SIGTERM and SIGKILL, in seconds.
    static let terminationGrace = 1.0

    /// Ends a child whose deadline passed (or whose answer is in): SIGTERM, SIGKILL after
    /// `terminationGrace`, reaped. Returns its exit code as `wait` reports it. A child in a
    /// process group of its own gets them in its whole group (`signalChild`): not yet reaped,
    /// its pid is still its group's id.
    @discardableResult
    static func end(_ pid: pid_t) -> Int32 {
        let ownGroup = getpgid(pid) == pid
        signalChild(pid, inItsOwnGroup: ownGroup, SIGTERM)
        if let status = wait(pid, until: MonotonicClock.seconds() + terminationGrace) { return status }
        signalChild(pid, inItsOwnGroup: ownGroup, SIGKILL)
        return wait(pid)
    }

    /// Waits for the child; the exit code, or 128+signal when it was killed (as shells report).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 127 }
        }
        return exitCode(status)
    }

    /// The child's exit code when it has ended (it is reaped then); nil while it runs.
    static func reapIfEnded(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return exitCode(status) }
            if reaped < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Waits until `deadline` on the monotonic clock (nil: for ever); nil when it passed first
    /// (the child still runs). Polls: a deadline is for short calls, and a blocking waitpid
    /// cannot time out.
    static func wait(_ pid: pid_t, until deadline: Double?) -> Int32? {
        guard let deadline else { return wait(pid) }
        var status: Int32 = 0
        // A pidfd becomes readable the moment the child can be reaped: no sleeping past it. A
        // child whose pipes just closed is usually not reapable yet (a Go CLI's threads are
        // still going), and the 1 ms and 2 ms pauses below cost each docker call about 3 ms
        // of its wall time (issue 14).
        if let open = pidfdOpen {
            let fd = open(pid, 0)
            if fd >= 0 {
                defer { close(fd) }
                while true {
                    let reaped = waitpid(pid, &status, WNOHANG)
                    if reaped == pid { return exitCode(status) }
                    if reaped < 0 && errno != EINTR { return 127 }
                    let left = deadline - MonotonicClock.seconds()
                    if left <= 0 { return nil }
                    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&entry, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
                }
            }
        }
        var pause: UInt32 = 1000
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return exitCode(status) }
            if reaped < 0 && errno != EINTR { return 127 }
            if MonotonicClock.seconds() >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// A descriptor that becomes readable when `pid` (a child not yet reaped) exits, for a
    /// wait with a deadline that must not reap it yet; nil without pidfds. The caller closes it.
    static func exitNotice(_ pid: pid_t) -> Int32? {
        guard let open = pidfdOpen else { return nil }
        let fd = open(pid, 0)
        return fd >= 0 ? fd : nil
    }

    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    /// glibc 2.36+ (Linux 5.3+); hidden from Swift like the spawn extensions, so looked up.
    /// Without it (or when the kernel refuses) the wait polls with pauses as before.
    private static let pidfdOpen: PidfdOpen? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pidfd_open") else { return nil }
        return unsafeBitCast(symbol, to: PidfdOpen.self)
    }()

    private static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Waits for a child that owns the terminal (shell, exec): Ctrl-C and Ctrl-\ belong to it,
    /// so devenv ignores them meanwhile, as system(3) does. Nil when `deadline` passed first:
    /// the child was ended. `stillAnswering`: asked once when the deadline passes; true lets
    /// the child run on with no deadline (`ProcessInvocation.answerCheck`).
    static func waitInForeground(_ pid: pid_t, until deadline: Double? = nil, stillAnswering: (() -> Bool)? = nil) -> Int32? {
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        var savedInt = sigaction(), savedQuit = sigaction()
        sigaction(SIGINT, &ignore, &savedInt)
        sigaction(SIGQUIT, &ignore, &savedQuit)
        defer {
            untrack(pid)
            sigaction(SIGINT, &savedInt, nil)
            sigaction(SIGQUIT, &savedQuit, nil)
        }
        if let status = wait(pid, until: deadline) { return status }
        if let stillAnswering, stillAnswering(), let status = wait(pid, until: nil) { return status }
        end(pid)
        return nil
    }
}
