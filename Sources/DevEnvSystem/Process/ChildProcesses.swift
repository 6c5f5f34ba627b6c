#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Read and written from the signal handler: plain integers only.
nonisolated(unsafe) private var trackedChild: pid_t = 0
nonisolated(unsafe) private var receivedSignal: Int32 = 0

private func recordInterruption(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
                                _ context: UnsafeMutableRawPointer?) {
    receivedSignal = signal
    // Ctrl-C from the terminal already reached the child (same process group: si_code is
    // SI_KERNEL); a signal sent to devenv alone with kill (a CI timeout) is passed on, so the
    // docker call ends as well. Sending the terminal's one again would make docker give up its
    // own graceful cancel.
    let sentByAProcess = info.map { $0.pointee.si_code <= 0 } ?? true
    if trackedChild > 0 && sentByAProcess { kill(trackedChild, signal) }
}

/// Waiting for children, and what devenv does when it is interrupted while one runs: the signal
/// is recorded and passed to the child, the command finishes its clean-up (no half-created
/// container is left behind) and devenv exits with 128+signal.
public enum ChildProcesses {
    /// Installs the SIGINT/SIGTERM/SIGHUP handlers. Call once, at start.
    public static func installInterruptionHandlers() {
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

    static func track(_ pid: pid_t) { trackedChild = pid }
    static func untrack(_ pid: pid_t) { if trackedChild == pid { trackedChild = 0 } }

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
