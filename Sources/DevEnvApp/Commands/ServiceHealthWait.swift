import DevEnvCore

/// `up`'s wait for one service container: until the engine says it is healthy (or just
/// running, without a health check), in engine-timed steps (`ServicePlanner.waitStep`). On an
/// engine whose checks devenv runs itself (`HealthCheckDriving`: Podman, whose timers need
/// systemd) it runs `healthcheck run ID` once per health interval while the status is
/// `starting`, the first one interval after the container was started (`startedAt`; when the
/// wait began for one that ran already), as the engine's timer would, each call under the
/// query deadline; Podman counts retries and the start period itself.
struct ServiceHealthWait {
    /// What the wait saw last, when it did not end healthy.
    enum Ending: Equatable {
        case healthy(String)
        /// Not running any more (exited, dead): its exit code as the engine printed it.
        case exited(String)
        case unhealthy
        /// Still `health` (starting) when the deadline passed.
        case expired(health: String)
    }

    let session: DockerSession
    let planner: ServicePlanner
    let progress: Progress
    let service: String
    /// Seconds from now on the session's clock.
    let deadlineSeconds: Double
    /// When `up` started the container, on the session's clock (`up` makes the app's container
    /// before it waits); nil: when the wait begins.
    var startedAt: Double? = nil
    /// Whether this run created the container: every event of its ID is then of this run, and
    /// a `health_status: healthy` line from a wait step is the answer (no `health` call
    /// after it). For one that ran before, a replayed line may be of its earlier life: its
    /// state is asked again.
    var createdNow = false

    private var clock: @Sendable () -> Double { session.context.clock }

    /// Waits; returns `healthy("healthy")` or `healthy("running")` (no health check), else how
    /// it ended. Throws only what the engine calls throw (exit 3 for an engine that stops
    /// answering, interruption).
    func wait(id: String) throws -> Ending {
        let name = planner.names.serviceContainer(service)
        let deadline = clock() + deadlineSeconds
        let drives = HealthCheckDriving.drivenByDevenv(planner.planner.engine)
        var announced = false
        var drivingAnnounced = false
        var nextCheck: Double?
        while true {
            let fields = try session.run(planner.health(id: id), "inspecting \(name)").stdoutText
                .split(whereSeparator: { $0 == " " || $0.isNewline }).map(String.init)
            let (state, health, exitCode) = (fields.first ?? "?", fields.dropFirst().first ?? "none", fields.dropFirst(2).first ?? "?")
            if state == "running" && (health == "healthy" || health == "none") {
                // Said for a container this run started even when it was healthy at the first look
                // (`up` made the app's container meanwhile), and after any wait.
                if announced || startedAt != nil { progress.step("service \(service) is \(health == "none" ? "running" : "healthy")") }
                return .healthy(health == "none" ? "running" : "healthy")
            }
            if state != "running" && state != "restarting" && state != "created" { return .exited(exitCode) }
            if health == "unhealthy" { return .unhealthy }
            let now = clock()
            if now >= deadline { return .expired(health: health) }
            if !announced {
                progress.step("waiting for service \(service) to be healthy")
                announced = true
            }
            if drives && state == "running" {
                let interval = HealthCheckDriving.intervalSeconds(inspected: fields.dropFirst(3).first)
                let due = nextCheck ?? ((startedAt ?? now) + interval)
                if nextCheck == nil { nextCheck = due }
                if now >= due {
                    if !drivingAnnounced {
                        progress.step("running the health check of service \(service) every \(QueryTimeout.display(interval)) (Podman runs it only from systemd timers)")
                        drivingAnnounced = true
                    }
                    // Its exit code is the check's; the status it records is read next.
                    _ = try session.attempt(planner.runHealthCheck(id: id))
                    try session.checkInterruption()
                    nextCheck = clock() + interval
                    continue
                }
            }
            let step = try session.attempt(planner.waitStep(id: id))
            try session.checkInterruption()
            if createdNow, step.succeeded, step.stdoutText.split(whereSeparator: \.isNewline)
                .contains(where: { line in ContainerEvent.parse(line).map { $0.action == "health_status" && $0.detail == "healthy" } ?? false }) {
                if announced || startedAt != nil { progress.step("service \(service) is healthy") }
                return .healthy("healthy")
            }
        }
    }
}
