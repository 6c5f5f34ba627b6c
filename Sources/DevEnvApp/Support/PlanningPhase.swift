import DevEnvCore

/// The span of a command in which it has changed nothing yet: from its start until its first
/// docker call that is no query (`DockerPlanner.isQuery`: a build, a create, an exec, a run),
/// or its end. Reading the configuration, fingerprinting the Dockerfile and uv.lock, planning
/// the argv, and queries (whose running child the handler passes the signal to, and waits for)
/// make nothing, so nothing is half-made and nothing waits to be taken back: it is marked as a
/// reading (`AppContext.readingConfiguration`, `ChildProcesses.readingConfiguration`), and a
/// SIGTERM or Ctrl-C in it ends devenv at once with 128+signal, with no docker child running or
/// being spawned and the terminal as devenv found it (the handler's own rule), instead of after
/// the computation (a large uv.lock took seconds to hash before the signal was looked at). The
/// project lock is an flock: the kernel releases it with the process.
final class PlanningPhase: @unchecked Sendable {
    private let mark: @Sendable (Bool) -> Void
    private let lock = Lock()
    private var open = true

    /// Marks the start at once.
    init(mark: @escaping @Sendable (Bool) -> Void) {
        self.mark = mark
        mark(true)
    }

    /// Marks the end; once, whoever asks first (the session's first changing call, the command's end).
    func end() {
        let closing = lock.withLock { () -> Bool in
            defer { open = false }
            return open
        }
        if closing { mark(false) }
    }
}
