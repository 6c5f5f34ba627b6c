#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// The dashboard's streams (`docker events`, `logs -f`, `stats`) being ended off its loop
/// thread (`BackgroundProcess.closeAside`): each is sent SIGTERM, SIGKILLed once `grace` has
/// passed, and counted until it is reaped; `endNow` SIGKILLs every one at once, for a devenv on
/// its way out.
///
/// Why quitting does not wait out the grace (dash30): docker 28's `stats` ignores SIGTERM (and
/// SIGINT) for good, so quitting the dashboard while it showed a running container took a
/// second after the terminal was restored before the shell had it back. A stream only reads:
/// the engine drops a client that goes away, and there is nothing to clean up.
public final class EndingStreams: @unchecked Sendable {
    private let lock = Lock()
    /// Children sent on their way and not reaped yet. Reaped only under `lock`, so `endNow`
    /// never signals a process ID that has already been given to another process.
    private var ending: Set<pid_t> = []
    private var endingNow = false
    /// The children of `ending`, for `wait`.
    private let count = RunningCount()
    /// Seconds between SIGTERM and SIGKILL.
    let grace: Double

    public convenience init() { self.init(grace: ChildProcesses.terminationGrace) }

    init(grace: Double) { self.grace = grace }

    /// Counts `pid` as being ended: called before the thread that ends it starts, so that a
    /// quit right after sees it.
    func begin(_ pid: pid_t) {
        lock.withLock { _ = ending.insert(pid) }
        count.increment()
    }

    /// Ends `pid` (counted by `begin`) and reaps it; blocks its thread until then.
    func end(_ pid: pid_t) {
        var killed = lock.withLock { () -> Bool in
            kill(pid, endingNow ? SIGKILL : SIGTERM)
            return endingNow
        }
        let deadline = MonotonicClock.seconds() + grace
        let exited = ChildProcesses.exitNotice(pid)
        defer { if let exited { close(exited) } }
        while !reaped(pid) {
            let left = deadline - MonotonicClock.seconds()
            if !killed && left <= 0 {
                kill(pid, SIGKILL)
                killed = true
            }
            // Woken by the child's exit (a pidfd is readable then), or at the deadline; SIGKILL
            // from `endNow` makes it exit.
            let pause = killed ? 0.05 : max(left, 0.001)
            if let exited {
                var entry = pollfd(fd: exited, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, Int32(min(pause * 1000, 60_000).rounded(.up)))
            } else {
                usleep(UInt32(min(pause, 0.01) * 1_000_000))
            }
        }
        count.decrement()
    }

    /// Reaps `pid` if it has exited (or cannot be waited for), and then no longer counts it.
    private func reaped(_ pid: pid_t) -> Bool {
        lock.withLock {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            guard reaped == pid || (reaped < 0 && errno != EINTR) else { return false }
            ending.remove(pid)
            return true
        }
    }

    /// SIGKILL to every stream still being ended, and to any ended from now on.
    public func endNow() {
        lock.withLock {
            endingNow = true
            for pid in ending { kill(pid, SIGKILL) }
        }
    }

    /// Waits until every stream is reaped; false when `seconds` passed first.
    public func wait(seconds: Int) -> Bool { count.wait(seconds: seconds) }
}
