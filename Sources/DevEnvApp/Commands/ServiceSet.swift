import Dashboard
import DevEnvCore

/// An environment's services (README, "Services") on the engine: `up` starts them on the
/// project network before the app and waits until each is healthy; `down` removes them and
/// the network. Everything is found by name and judged by labels (`ContainerLookup`): a
/// foreign container or network with a service's name is exit 4 and never touched; devenv's
/// own are acted on by ID.
struct ServiceSet {
    /// What `up` did to one service.
    struct Outcome: Sendable {
        var service: String
        var container: String
        /// up-to-date, started, recreated or restarted (as the app's `Up.Outcome`).
        var result: String
        /// healthy, or running for a service without a health check.
        var health: String
        /// It replaced an earlier devenv's container (named without the folder's tag).
        var replacedEarlier = false
    }

    let environment: Environment
    let session: DockerSession
    let progress: Progress
    /// What `up` makes (the network, volumes), for `MadeObjects.takeBack` when it fails.
    var made = MadeObjects()

    private var context: AppContext { session.context }

    private var planner: ServicePlanner { ServicePlanner(planner: environment.planner) }
    private var names: ResourceNames { environment.names }

    // MARK: up

    /// Starts every service the profile runs (nothing, and no docker call, without services).
    /// Order: every name is checked (containers, network, volumes, ports) before anything is
    /// made; then the network; then each service in the profile's order, waiting until it is
    /// healthy before the next. The last service's wait is returned unwaited (`PendingServiceHealth`):
    /// `up` makes the app's container while the service's health check runs, and waits just
    /// before it starts the app (as Compose's `condition: service_healthy`, which makes the
    /// app's network and volumes first too). A container this run created is removed again (by
    /// ID) when the run is interrupted before it is healthy; one that fails its health check is
    /// stopped and kept, for `devenv logs SERVICE`.
    func up() throws -> (outcomes: [Outcome], pending: PendingServiceHealth?) {
        let services = planner.services
        guard !services.isEmpty else { return ([], nil) }
        // The questions asked before anything is made do not depend on each other's answers:
        // the network, the volumes and the ready images are asked while the containers are
        // looked up (`DockerSession.begin`), so `up` waits for the slowest, not for each.
        let networkCall = try session.begin(planner.inspectNetwork())
        defer { networkCall.cancel() }
        let listVolumes = DockerPlanner.listProjectVolumes(cli: environment.planner.cli, project: names.project, engine: environment.planner.engine)
        let volumeCall = services.contains(where: { !$0.volumes.isEmpty }) ? try session.begin(listVolumes) : nil
        defer { volumeCall?.cancel() }
        var imageCalls: [String: DockerSession.StartedCall] = [:]
        defer { for call in imageCalls.values { call.cancel() } }
        for image in services.compactMap(\.image) where imageCalls[image] == nil {
            imageCalls[image] = try session.begin(environment.planner.imageExists(image))
        }
        let existing = try ContainerLookup(session: session, planner: environment.planner).services()
        let network = try networkID(try networkCall.finish())
        // One listing serves the check and every service's volumes: each service makes only
        // its own (names carry the service), so what one makes cannot change another's answer.
        var volumes: [VolumeSnapshot] = []
        if let volumeCall {
            let listed = try volumeCall.finish()
            try session.checkInterruption()
            guard listed.succeeded else { throw DockerFailure.error("listing volumes", invocation: listVolumes, result: listed) }
            volumes = try VolumeSnapshot.parseList(listed.stdoutText)
            try checkVolumes(volumes)
        }
        for service in services {
            // The service's own running container (an earlier devenv's too) keeps its ports across the recreate.
            try PortCheck(session: session, environment: environment, context: context)
                .verify(service.ports, own: existing[service.name].map { ContainerSnapshot.plainName($0.name) } ?? names.serviceContainer(service.name),
                        service: service.name)
        }
        if network == nil {
            progress.step("creating network \(names.network)")
            made.creatingNetwork()
            try session.run(planner.createNetwork().toItsEnd, "creating network \(names.network)")
        }
        var outcomes: [Outcome] = []
        var pending: PendingServiceHealth?
        for service in services {
            if let earlier = pending { outcomes[outcomes.count - 1].health = try earlier.resolve() }
            let asked = service.image.flatMap { imageCalls.removeValue(forKey: $0) }
            let (outcome, wait) = try up(service, existing: existing[service.name], volumes: volumes, imageAsked: asked)
            outcomes.append(outcome)
            pending = wait
        }
        return (outcomes, pending)
    }

    /// The project network's ID when devenv made it for this environment, nil when there is
    /// none; exit 4 when someone else's has the name.
    private func networkID(_ inspected: ProcessResult) throws -> String? {
        try session.checkInterruption()
        guard inspected.succeeded, !session.dryRun else { return nil }
        guard let (id, labels) = ServicePlanner.parseNetwork(inspected.stdoutText) else {
            throw DevEnvError.failure("cannot read docker's answer about network \(names.network)",
                                      detail: "unexpected output: \(inspected.stdoutText.prefix(200))")
        }
        guard names.owns(labels) else {
            throw DevEnvError(.conflict, "a network named \(names.network) (\(id.prefix(12))) exists that devenv did not create for this project (\(ContainerOwnership.owner(of: labels))); it was not touched",
                              hint: "remove or rename it yourself, or set a different `name` under [project] in devenv.toml")
        }
        return id
    }

    /// Every service volume's name is free or devenv's for this service (`listed`: the
    /// project's volumes).
    private func checkVolumes(_ listed: [VolumeSnapshot]) throws {
        for volume in listed {
            for service in planner.services {
                for named in service.volumes where names.serviceVolume(service.name, named.name) == volume.name {
                    guard names.ownsService(service.name, volume.labels) else {
                        throw DevEnvError(.conflict, "a volume named \(volume.name) exists that devenv did not create for service \(service.name) of this project; it was not touched",
                                          hint: "remove or rename it yourself, or set a different `name` under [project] in devenv.toml")
                    }
                }
            }
        }
    }

    /// One service made current and started; its health not yet waited for (the caller
    /// resolves the returned wait). `volumes`: the project's volumes, listed before anything
    /// was made.
    private func up(_ service: ServiceSpec, existing: ContainerSnapshot?, volumes: [VolumeSnapshot],
                    imageAsked: DockerSession.StartedCall?) throws -> (Outcome, PendingServiceHealth?) {
        let name = names.serviceContainer(service.name)
        let image = try ensureImage(service, asked: imageAsked)
        let envFile = try service.envFile.flatMap { try context.fileSystem.readFile($0) }
        if let envFile = service.envFile, !context.fileSystem.fileExists(envFile) {
            throw DevEnvError(.usage, "service \(service.name): the env file \(RelativePath.display(envFile, under: environment.spec.projectRoot)) is missing",
                              hint: "create it, or remove `env_file` from [services.\(service.name)]; nothing was started")
        }
        let fingerprint = planner.fingerprint(service, image: image, envFileContents: envFile)
        // An earlier devenv's container (no folder tag in its name) is replaced by one under today's name.
        let earlier = existing.map { ContainerIndex.holds($0, name: names.legacy.serviceContainer(service.name)) } ?? false
        let unchanged = !earlier && existing?.labels[ResourceNames.configHashLabel] == fingerprint
        func outcome(_ result: String) -> Outcome {
            Outcome(service: service.name, container: name, result: result, health: "starting")
        }
        if let existing, unchanged, existing.state == "running" {
            return (outcome("up-to-date"), pending(service, id: existing.id, createdNow: false, startedAt: nil))
        }
        try ensureVolumes(service, image: image, existing: volumes)
        if let existing, unchanged, ["exited", "created"].contains(existing.state) {
            progress.step("starting service \(service.name)", phase: .starting)
            let startedAt = context.clock()
            try session.run(environment.planner.start(id: existing.id), "starting \(name)")
            return (outcome("restarted"), pending(service, id: existing.id, createdNow: false, startedAt: startedAt))
        }
        if let existing {
            let reason = earlier ? "\(ContainerSnapshot.plainName(existing.name)) is an earlier devenv's name"
                : unchanged ? "it was \(existing.state)" : "its configuration changed"
            progress.step("recreating service \(service.name) (\(reason); volumes are kept)", phase: .starting)
            // Each runs to its end (a stop cut short by Ctrl-C was finished by the engine after
            // devenv had exited saying "stopped cleanly"); then the interruption says what is left.
            func step(_ invocation: ProcessInvocation, _ what: String, leaves left: String) throws {
                let result = try session.attempt(invocation.toItsEnd, cleanup: true)
                if let signal = context.interruption() {
                    throw PendingServiceHealth.noted(.interrupted(by: signal), recreating: service.name,
                                                               up: environment.spec.command("up"), left: left)
                }
                guard result.succeeded else { throw DockerFailure.error(what, invocation: invocation, result: result) }
            }
            try session.checkInterruption()
            if existing.hasProcess {
                try step(environment.planner.stop(id: existing.id), "stopping \(name)", leaves: "its previous container is stopped")
            }
            try step(environment.planner.remove(id: existing.id), "removing \(name)", leaves: "its previous container had been removed")
        } else {
            progress.step("starting service \(service.name)", phase: .starting)
        }
        let wait: PendingServiceHealth
        do {
            wait = try createAndStart(service, image: image, fingerprint: fingerprint, replacing: existing != nil)
        } catch let error as DevEnvError where error.exitCode == .interrupted && existing != nil {
            throw PendingServiceHealth.noted(error, recreating: service.name, up: environment.spec.command("up"),
                                             left: "its previous container had been removed and the new one was not made or was removed")
        }
        var done = outcome(existing == nil ? "started" : "recreated")
        done.replacedEarlier = earlier
        return (done, wait)
    }

    private func pending(_ service: ServiceSpec, id: String, createdNow: Bool, startedAt: Double?,
                         replacedPrevious: Bool = false) -> PendingServiceHealth {
        PendingServiceHealth(service: service, id: id, createdNow: createdNow, startedAt: startedAt,
                             replacedPrevious: replacedPrevious, set: self)
    }

    /// The service's image: a ready one is pulled when the engine lacks it; a `build` one is
    /// built when its tag (the Dockerfile's fingerprint) is missing. `asked`: the `imageExists`
    /// call `up` started for it already.
    private func ensureImage(_ service: ServiceSpec, asked: DockerSession.StartedCall?) throws -> String {
        let dockerfile = try service.build.flatMap { build in try context.fileSystem.readFile(build.dockerfile ?? "") }
        if let build = service.build, dockerfile == nil {
            throw DevEnvError(.usage, "service \(service.name): no Dockerfile at \(RelativePath.display(build.dockerfile ?? "", under: environment.spec.projectRoot))",
                              hint: "create it, or set `build.dockerfile` of [services.\(service.name)]")
        }
        let image = planner.image(service, dockerfile: dockerfile)
        let exists = try asked.map { try $0.finish() } ?? session.attempt(environment.planner.imageExists(image))
        try session.checkInterruption()
        guard !exists.succeeded else { return image }
        let invocation: ProcessInvocation
        let what: String
        var phase: ActionPhase?
        // A built one is recorded as devenv's (`BuiltImages`), as the app's image is (`Build`).
        let built = BuiltImages(context: context, engine: environment.planner.engine)
        let imageIDFile = session.dryRun || service.build == nil ? nil : built.imageIDFile(image: image)
        // The engine probe's judgement, as the app's build (`Build`).
        let engine = session.dryRun || service.build == nil ? nil : try EngineProbe(session: session, context: context).facts()
        if let build = planner.build(service, image: image,
                                     buildKit: try BuildKitSupport(session: session, cli: context.dockerCLI).available(on: engine),
                                     imageIDFile: imageIDFile) {
            (invocation, what, phase) = (build, "building \(image) for service \(service.name)", .building)
        } else {
            (invocation, what) = (environment.planner.pull(image), "pulling \(image) for service \(service.name)")
        }
        progress.begin(what, phase: phase)
        let result = try session.attempt(invocation, onOutput: { _, bytes in progress.output(bytes) })
        progress.end(succeeded: result.succeeded)
        built.record(from: imageIDFile, image: image)
        try session.checkInterruption()
        guard result.succeeded else { throw DockerFailure.error(what, invocation: invocation, result: result, outputShown: progress.showsOutput) }
        return image
    }

    /// Creates the service's missing volumes (labelled with the service) and, when it runs as a
    /// given user, hands them to that user in one root container (DESIGN.md section 4). A new
    /// volume is recorded in `made`: when `up` fails or is interrupted and no container uses
    /// it, it goes again (`MadeObjects.takeBack`).
    private func ensureVolumes(_ service: ServiceSpec, image: String, existing listed: [VolumeSnapshot]) throws {
        guard !service.volumes.isEmpty else { return }
        let existing = Set(listed.map(\.name))
        let missing = service.volumes.map(\.name).filter { !existing.contains(names.serviceVolume(service.name, $0)) }
        for volume in missing {
            let name = names.serviceVolume(service.name, volume)
            progress.step("creating volume \(name) for service \(service.name)", phase: .starting)
            made.creatingVolume(name)
            try session.run(planner.createVolume(service, volume: volume).toItsEnd, "creating volume \(name)")
        }
        let run = session.context.randomToken()
        if let chown = planner.chownVolumes(service, volumes: missing, image: image, run: run) {
            // As the app's volumes' chown (`VolumeSet`): one cut short before its start goes.
            try OneOffContainers(session: session, planner: environment.planner)
                .run(chown, "giving the volumes of service \(service.name) to \(planner.userArgument(service) ?? "its user")", run: run, image: image,
                     said: .chown(of: missing.map { names.serviceVolume(service.name, $0) }.joined(separator: ", ")))
        }
    }

    /// `docker create`, start; the wait for its health is the caller's. A start that fails
    /// removes the new container again (by its ID); so does an interruption before it is
    /// healthy (`PendingServiceHealth`).
    private func createAndStart(_ service: ServiceSpec, image: String, fingerprint: String, replacing: Bool) throws -> PendingServiceHealth {
        let name = names.serviceContainer(service.name)
        // Let finish, so that a container it made is known by its ID and goes when interrupted.
        let invocation = planner.create(service, image: image, configHash: fingerprint).toItsEnd
        let created = try session.attempt(invocation)
        let madeID = created.succeeded ? created.stdoutText.split(whereSeparator: \.isWhitespace).last.map(String.init) : nil
        if let signal = context.interruption(), let madeID, !session.dryRun, !removeCreated(id: madeID) {
            throw MadeObjects.incomplete(DevEnvError.interrupted(by: signal),
                                         left: [.container(name, id: madeID, planner: environment.planner, why: "the engine did not remove it")])
        }
        try session.checkInterruption()
        guard created.succeeded else { throw DockerFailure.error("creating \(name)", invocation: invocation, result: created) }
        guard let id = madeID ?? (session.dryRun ? name : nil) else {
            throw DevEnvError(.failure, "creating \(name): docker printed no container ID")
        }
        // A first container of the service: an interrupted `up` takes it back even once it is
        // healthy (`MadeObjects`). A recreated one stays: its previous container is gone.
        if !replacing { made.createdContainer(id: id, name: name) }
        let wait = pending(service, id: id, createdNow: true, startedAt: context.clock(), replacedPrevious: replacing)
        do {
            let start = environment.planner.start(id: id)
            let started = try session.attempt(start)
            try session.checkInterruption()
            guard started.succeeded else {
                var error = DockerFailure.error("starting \(name)", invocation: start, result: started)
                guard removeCreated(id: id) else {
                    throw MadeObjects.incomplete(error, left: [.container(name, id: id, planner: environment.planner,
                                                                          why: "the engine did not remove it")])
                }
                error.message += "; the container it created was removed"
                throw error
            }
            return wait
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            wait.abandon()
            throw wait.noted(error)
        }
    }

    /// How long `up` waits for a service to become healthy: its health check's own worst case
    /// (interval × (retries + 1)) plus 30 s for the start, or 120 s under the image's own check
    /// (whose interval devenv does not read).
    static func healthDeadline(_ service: ServiceSpec) -> Double {
        guard let check = service.healthcheck else { return 120 }
        return Double(check.intervalSeconds * (check.retries + 1) + 30)
    }

    /// Waits until the service is healthy (or just running, without a health check:
    /// `ServiceHealthWait`, which also runs Podman's checks where its timers cannot).
    /// Unhealthy, exited, or still starting at the deadline: exit 1 with its last log lines;
    /// the container is stopped and kept. `startedAt`: when this run started it (session
    /// clock), nil when it was running already; `createdNow`: this run created it.
    func waitHealthy(_ service: ServiceSpec, id: String, startedAt: Double?, createdNow: Bool) throws -> String {
        guard !session.dryRun else { return "healthy" }
        let ending = try ServiceHealthWait(session: session, planner: planner, progress: progress, service: service.name,
                                           deadlineSeconds: Self.healthDeadline(service), startedAt: startedAt,
                                           createdNow: createdNow).wait(id: id)
        switch ending {
        case .healthy(let health): return health
        case .exited(let exitCode):
            throw try failure(service, id: id, what: "exited with code \(exitCode)", stop: false)
        case .unhealthy:
            throw try failure(service, id: id, what: "is unhealthy (its health check failed)", stop: true)
        case .expired(let health):
            throw try failure(service, id: id, what: "was not healthy within \(Int(Self.healthDeadline(service)))s (\(health))", stop: true)
        }
    }

    /// Removes a service container this run created and has not seen healthy (interrupted):
    /// by its ID, as clean-up (it runs after Ctrl-C). True when it is gone (removed now, or
    /// already: "No such container"); the caller says what is left when it is not.
    @discardableResult
    func removeCreated(id: String) -> Bool {
        guard let removed = try? session.attempt(environment.planner.remove(id: id), cleanup: true) else { return false }
        return removed.succeeded || removed.stderrText.contains("No such container")
    }

    private func failure(_ service: ServiceSpec, id: String, what: String, stop: Bool) throws -> DevEnvError {
        let detail = try LastLogLines.detail(of: id, planner: environment.planner, session: session)
        var kept = "it is stopped and kept"
        if stop, (try? session.attempt(environment.planner.stop(id: id), cleanup: true))?.succeeded != true {
            kept = "devenv could not stop it (`\(environment.planner.stop(id: id).shellQuoted)` stops it), it is kept"
        }
        return DevEnvError(.failure, "service \(service.name) \(what); \(kept), the app was not started",
                           hint: "`\(environment.spec.command("logs \(service.name)"))` shows all its output; fix [services.\(service.name)] or its image, then run up again",
                           detail: detail)
    }

    // MARK: down

    /// The services' containers that are devenv's, checked before `down` removes anything
    /// (exit 4 for a foreign one).
    func found() throws -> [String: ContainerSnapshot] {
        try ContainerLookup(session: session, planner: environment.planner).services()
    }

    /// Stops and removes the services' containers (by ID), then those of services the profile
    /// no longer runs (`orphans`, devenv's by their labels: `ContainerOwnership.orphanedServices`),
    /// then the project network (`removeNetwork`), also when the profile runs no service any
    /// more. Returns the removed containers' names. The volumes go with the app's
    /// (`down --volumes`: they carry the same labels).
    /// `steps`: each removal runs to its end and is said if `down` is interrupted (`DoneSteps`).
    /// `earlierNames`: an earlier devenv's container of this environment went too (`down`), so
    /// the network that devenv named (`ResourceNames.legacy`) goes as well when it is unused.
    func remove(_ found: [String: ContainerSnapshot], orphans: [ContainerOwnership.OrphanedService] = [],
                earlierNames: Bool = false, steps: DoneSteps) throws -> [String] {
        var removed: [String] = []
        func stopAndRemove(_ container: ContainerSnapshot) throws {
            if container.hasProcess {
                var stop = environment.planner.stop(id: container.id)
                stop.waitsFor = DockerPlanner.serviceStopWait
                try steps.run(stop, "stopping \(container.name)", done: "stopped \(container.name)")
            }
            try steps.run(environment.planner.remove(id: container.id), "removing \(container.name)", done: "removed \(container.name)")
        }
        var earlier = earlierNames
        for service in planner.services {
            guard let container = found[service.name] else { continue }
            progress.step("stopping and removing service \(service.name)" + (container.hasProcess ? " (\(DockerPlanner.serviceStopWait))" : ""))
            try stopAndRemove(container)
            // Under an earlier devenv's name when today's was free (`ContainerLookup.services`).
            let name = ContainerSnapshot.plainName(container.name)
            earlier = earlier || name == names.legacy.serviceContainer(service.name)
            removed.append(name)
        }
        for orphan in orphans {
            // The service name is safe to print: it is part of the container's name, which the
            // engine restricts to [a-zA-Z0-9_.-] (`orphanedServices` checks the name).
            let name = ContainerSnapshot.plainName(orphan.container.name)
            let isEarlier = name == names.legacy.serviceContainer(orphan.service)
            earlier = earlier || isEarlier
            progress.step("stopping and removing service \(orphan.service) ("
                          + (isEarlier ? "\(name): an earlier devenv's name" : "profile \(environment.spec.profile) no longer runs it")
                          + (orphan.container.hasProcess ? "; \(DockerPlanner.serviceStopWait))" : ")"))
            try stopAndRemove(orphan.container)
            removed.append(name)
        }
        try removeNetwork(steps: steps)
        if earlier { try removeNetwork(named: names.legacy.container, why: "an earlier devenv's name", steps: steps) }
        return removed
    }

    /// Removes the project network (by ID) when devenv made it for this project folder and
    /// profile (its labels: `ResourceNames.owns`) and no container is on it any more, stopped
    /// ones included (`ServicePlanner.networkUsers`): a profile that dropped its services, or
    /// whose services' containers went another way, leaves none behind. A network with the
    /// name that devenv did not make for this environment is never touched; one still in use
    /// is kept, naming its containers. Asked on every `down` (a `network inspect`, and a
    /// `ps` when it is devenv's): nothing else tells that an earlier `up` made one.
    /// `cleanup`: the calls run after an interruption too (an `up` taking back what it made,
    /// `MadeObjects`); `why`: said with the removal; `steps`: `down`'s (`DoneSteps`).
    /// `named`: that network instead of the project network (an earlier devenv's name, labels
    /// checked the same).
    func removeNetwork(named: String? = nil, cleanup: Bool = false, why: String? = nil, steps: DoneSteps? = nil) throws {
        guard let id = try ownNetworkID(named: named, cleanup: cleanup) else { return }
        try removeNetwork(id: id, named: named, cleanup: cleanup, why: why, steps: steps)
    }

    /// The project network's ID (`named`: that network's) when it is there and devenv's for this
    /// folder and profile (its labels checked); nil when it is absent, another's, or under
    /// --dry-run. Throws as `DockerSession.attempt` does (exit 3: no answer).
    func ownNetworkID(named: String? = nil, cleanup: Bool = false) throws -> String? {
        let inspected = try session.attempt(planner.inspectNetwork(named), cleanup: cleanup)
        guard inspected.succeeded, !session.dryRun, let (id, labels) = ServicePlanner.parseNetwork(inspected.stdoutText),
              names.owns(labels) else { return nil }
        return id
    }

    /// `removeNetwork`, on the network `ownNetworkID` found: kept while a container is on it.
    func removeNetwork(id: String, named: String? = nil, cleanup: Bool = false, why: String? = nil, steps: DoneSteps? = nil) throws {
        let network = named ?? names.network
        let users = try session.run(planner.networkUsers(named), "listing the containers on network \(network)", cleanup: cleanup).stdoutText
            .split(whereSeparator: \.isNewline).map { TerminalSafeText.escaping(String($0), keepingLineBreaks: false) }
        guard users.isEmpty else {
            progress.step("keeping network \(network): still used by \(users.joined(separator: ", "))")
            return
        }
        progress.step("removing network \(network)\(why.map { " (\($0))" } ?? "")")
        if let steps {
            try steps.run(planner.removeNetwork(id: id), "removing network \(network)", done: "removed network \(network)")
        } else {
            try session.run(planner.removeNetwork(id: id), "removing network \(network)", cleanup: cleanup)
        }
    }
}
