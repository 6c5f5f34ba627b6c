import DevEnvCore

/// What `up` says when a signal comes once the app's container runs (its first seconds being
/// watched, its user's HOME being made, dependencies synced, lifecycle commands run). Why: such
/// an interruption came through `DockerSession.checkInterruption`, whose "stopped cleanly" reads
/// as if nothing was left, while the container runs and is kept on purpose (with the volumes,
/// network and services it uses: `MadeObjects.takeBack` leaves what a kept container uses), and
/// what `up` does after the start is unfinished (left23). The one place that wording lives:
/// `Up` and `ContainerReplacement.createAndStart` (the watch) and `App` (the lifecycle
/// commands) pass their interruptions through it.
struct StartedInterruption {
    /// The container that runs ("devenv-shop-dev").
    let container: String
    /// The environment's profile: the commands it names (`EnvironmentSpec.command`).
    let spec: EnvironmentSpec
    let session: DockerSession

    /// Runs `body` (the step `step`, e.g. "watching its first seconds"); an interruption it
    /// throws (exit 130) becomes `error(during:)`; anything else passes unchanged.
    func guarding<T>(_ step: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            throw self.error(during: step)
        }
    }

    /// Exit 130: which signal, during which step, that the container runs and is kept, and that
    /// the next `up` does what did not run (README, "up").
    func error(during step: String) -> DevEnvError {
        let signal = session.context.interruption().map { " by signal \($0)" } ?? ""
        return DevEnvError(.interrupted,
                           "interrupted\(signal) while \(step), once \(container) had started: it runs and is kept, with its volumes "
                           + "and services; what up does after the start (watching its first seconds, its user's HOME, the dependency "
                           + "sync, the lifecycle commands) did not finish",
                           hint: "`\(spec.command("up"))` finishes it (the running container is kept as it is); `\(spec.command("down"))` removes it")
    }
}
