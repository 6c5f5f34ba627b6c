#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Read from the signal handler: plain integers in memory allocated once, never resized. The
// dashboard runs several actions at once, each with its docker child.
private let trackedSlots = 32
nonisolated(unsafe) private let trackedChildren: UnsafeMutablePointer<pid_t> = {
    let slots = UnsafeMutablePointer<pid_t>.allocate(capacity: trackedSlots)
    slots.initialize(repeating: 0, count: trackedSlots)
    return slots
}()
nonisolated(unsafe) private var trackingLock = pthread_mutex_t()
nonisolated(unsafe) private var receivedSignal: Int32 = 0

private func signalTrackedChildren(_ signal: Int32) {
    for slot in 0..<trackedSlots where trackedChildren[slot] > 0 { kill(trackedChildren[slot], signal) }
}

private func recordInterruption(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
                                _ context: UnsafeMutableRawPointer?) {
    receivedSignal = signal
    // Ctrl-C from the terminal already reached the child (same process group: si_code is
    // SI_KERNEL); a signal sent to devenv alone with kill (a CI timeout) is passed on, so the
    // docker call ends as well. Sending the terminal's one again would make docker give up its
    // own graceful cancel.
    let sentByAProcess = info.map { $0.pointee.si_code <= 0 } ?? true
    if sentByAProcess { signalTrackedChildren(signal) }
}

/// Waiting for children, and what devenv does when it is interrupted while one runs: the signal
/// is recorded and passed to the child, the command finishes its clean-up (no half-created
/// container is left behind) and devenv exits with 128+signal.
public enum ChildProcesses {
    /// Installs the SIGINT/SIGTERM/SIGHUP handlers. Call once, at start.
    public static func installInterruptionHandlers() {
        pthread_mutex_init(&trackingLock, nil)
        _ = trackedChildren // allocated now, not first in a signal handler
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = recordInterruption
        sigemptyset(&action.sa_mask)
        // No SA_RESTART: poll and waitpid return EINTR and see the flag.
        action.sa_flags = SA_SIGINFO
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            sigaction(signal, &action, nil)
            sigaddset(&unblock, signal)
        }
        // A parent may hand devenv these signals blocked (some process launchers do): then
        // Ctrl-C would never arrive.
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// The signal that interrupted devenv, if any.
    public static var interruption: Int32? { receivedSignal == 0 ? nil : receivedSignal }

    public static func clearInterruption() { receivedSignal = 0 }

    /// Interrupts devenv from within (the dashboard quitting while actions run): every command
    /// stops at its next step and cleans up, and the docker calls under way get the signal.
    public static func interruptAll(_ signal: Int32 = SIGINT) {
        receivedSignal = signal
        pthread_mutex_lock(&trackingLock)
        signalTrackedChildren(signal)
        pthread_mutex_unlock(&trackingLock)
    }

    /// Sends `signal` to every tracked child without taking the lock: for signal handlers
    /// (a crash, a fatal signal), where only async-signal-safe calls are allowed.
    static func signalTrackedFromHandler(_ signal: Int32) {
        signalTrackedChildren(signal)
    }

    /// Ends every docker call still under way (SIGTERM), without marking devenv interrupted:
    /// the dashboard on its way out, so that no child of an abandoned snapshot or action runs
    /// on after devenv.
    public static func endAll() {
        pthread_mutex_lock(&trackingLock)
        signalTrackedChildren(SIGTERM)
        pthread_mutex_unlock(&trackingLock)
    }

    static func track(_ pid: pid_t) {
        pthread_mutex_lock(&trackingLock)
        defer { pthread_mutex_unlock(&trackingLock) }
        for slot in 0..<trackedSlots where trackedChildren[slot] == 0 {
            trackedChildren[slot] = pid
            return
        }
    }

    static func untrack(_ pid: pid_t) {
        pthread_mutex_lock(&trackingLock)
        defer { pthread_mutex_unlock(&trackingLock) }
        for slot in 0..<trackedSlots where trackedChildren[slot] == pid { trackedChildren[slot] = 0 }
    }

    /// Waits for the child; the exit code, or 128+signal when it was killed (as shells report).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 127 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Waits for a child that owns the terminal (shell, exec): Ctrl-C and Ctrl-\ belong to it,
    /// so devenv ignores them meanwhile, as system(3) does.
    static func waitInForeground(_ pid: pid_t) -> Int32 {
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        var savedInt = sigaction(), savedQuit = sigaction()
        sigaction(SIGINT, &ignore, &savedInt)
        sigaction(SIGQUIT, &ignore, &savedQuit)
        track(pid)
        let status = wait(pid)
        untrack(pid)
        sigaction(SIGINT, &savedInt, nil)
        sigaction(SIGQUIT, &savedQuit, nil)
        return status
    }
}
