import DevEnvCore
import DevEnvSystem

/// `devenv up`: build the image if its inputs changed, create the labelled volumes (owned by
/// the synced user), and start the container. Idempotent: on a running, unchanged environment
/// it makes one docker call and starts nothing.
struct Up {
    enum Outcome: String, Sendable { case upToDate = "up-to-date", started, recreated, restarted }

    struct Result: Sendable {
        var outcome: Outcome
        var container: String
        var image: String
        var built: Bool
        var createdVolumes: [String]
        var staleReason: String?
        /// The services started first (ServiceSet), in the profile's order.
        var services: [ServiceSet.Outcome] = []
        /// The app's container now under today's name replaced an earlier devenv's (its own, or
        /// a recreate's leftover: `ContainerLookup.Found.holdsEarlierNames`).
        var replacedEarlier = false
    }

    let environment: Environment
    let session: DockerSession
    let context: AppContext
    let progress: Progress

    func run() throws -> Result {
        try checkFiles()
        if environment.identity.source == .fallback && environment.spec.user == .host && environment.spec.mountWorkspace {
            let identity = environment.identity
            let warning = DoctorChecks.rootOwnedFolder(synced: "\(identity.uid):\(identity.gid)")
            context.console.writeError(ErrorReport.warning("\(warning.summary); fix: \(warning.fix)"))
        }
        // A run that fails or is interrupted takes back the network and volumes it made that no
        // container it leaves behind uses (its containers went first: `ContainerReplacement`,
        // `PendingServiceHealth`), so an interrupted first `up` leaves nothing half-made; what
        // it could not take back is named in the error, which is then exit 1.
        let made = MadeObjects()
        do {
            return try run(made)
        } catch {
            throw made.takeBack(after: error, session: session, environment: environment, progress: progress)
        }
    }

    private func run(_ made: MadeObjects) throws -> Result {
        // Services first, each healthy before the app starts; the app's ports are checked
        // before any service is made. The last service's health check runs while the app's
        // container is made: `runApp` waits for it just before the app starts.
        guard !environment.spec.services.isEmpty else {
            let result = try runApp(made, beforeStart: {})
            try removeEarlierNetwork(after: result, environment: environment)
            return result
        }
        try PortCheck(session: session, environment: environment, context: context).verify()
        // A service that runs as the synced user needs the engine's user mapping (rootless
        // Docker's 0:0, rootless Podman's keep-id) before it is made; the session keeps the
        // probe's answer, so the app's own probe below makes no second call.
        var mapped = environment
        if environment.spec.services.contains(where: { $0.user == .host }) {
            _ = try EngineProbe(session: session, context: context).apply(to: &mapped.planner)
        }
        let (outcomes, pending) = try ServiceSet(environment: mapped, session: session, progress: progress, made: made).up()
        var services = outcomes
        var result: Result
        do {
            result = try runApp(made, beforeStart: { try pending?.resolve() })
            // An app that was running already, unchanged: up still ends only with the service healthy.
            if let pending, !services.isEmpty { services[services.count - 1].health = try pending.resolve() }
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            pending?.abandon()
            throw pending?.noted(error) ?? error
        }
        result.services = services
        try removeEarlierNetwork(after: result, environment: mapped)
        return result
    }

    /// When the app or a service moved from an earlier devenv's container to one under today's
    /// name, that devenv's project network (its untagged name) goes too: by ID, only when its
    /// labels say devenv made it for this folder and profile, and only once no container is on
    /// it (`ServiceSet.removeNetwork`). Asked only then: an unchanged `up` stays one call.
    private func removeEarlierNetwork(after result: Result, environment: Environment) throws {
        guard result.replacedEarlier || result.services.contains(where: \.replacedEarlier) else { return }
        try ServiceSet(environment: environment, session: session, progress: progress)
            .removeNetwork(named: environment.names.legacy.container, why: "an earlier devenv's name")
    }

    /// The app's container. `beforeStart` runs once the container is made and before it is
    /// started, restarted or unpaused (the services' health wait); what it throws ends `up`,
    /// and a container this run made for it is removed again (by ID).
    private func runApp(_ made: MadeObjects, beforeStart: () throws -> Void) throws -> Result {
        let planner = environment.planner
        let names = environment.names

        try noteRemoteEngine()
        // What the container should be, before its lookup is asked for: the lookup started
        // before the configuration was read (LookupSpeculation) is still running, so reading the
        // Dockerfile and lock file and hashing the arguments happen while docker answers, not
        // after (issue 14: an unchanged `up` is this, one lookup and a comparison).
        // (Worked out with the configuration when nothing it reads changed: `Environment.expected`.)
        let expected = try environment.expectation(fileSystem: context.fileSystem)
        let image = expected.image, fingerprint = expected.fingerprint
        let lookup = ContainerLookup(session: session, planner: planner)
        // What devenv remembers of the container, read while docker answers too.
        let known = session.dryRun ? nil : lookup.memory.recall()
        let found = try lookup.look()
        var existing = try ContainerLookup.ours(found.container, name: names.container, names: names, cli: environment.planner.cli)
        if let note = Self.orphansNote(found.orphans, profile: environment.spec.profile, defaultProfile: environment.spec.defaultProfile) {
            // A note: nothing is wrong (a service taken out for a while keeps its container).
            context.console.writeError(ErrorReport.note(note))
        }
        if let existing, !session.dryRun { lookup.memory.remember(existing, recalled: known) }
        // Containers under a recreate's temporary names mean an earlier run was cut short.
        let leftovers = found.replacement.ours != nil || found.previous.ours != nil
        let earlier = found.holdsEarlierNames(names)
        var unchanged: Bool { existing?.labels[ResourceNames.configHashLabel] == fingerprint }

        if !leftovers, let existing, unchanged, existing.state == "running" {
            return Result(outcome: .upToDate, container: existing.name, image: image, built: false, createdVolumes: [],
                          staleReason: nil)
        }
        if !leftovers, let existing, unchanged, existing.state == "paused" {
            try beforeStart()
            progress.step("unpausing \(existing.name)")
            try session.run(planner.unpause(id: existing.id), "unpausing \(existing.name)")
            return Result(outcome: .restarted, container: existing.name, image: image, built: false, createdVolumes: [],
                          staleReason: nil)
        }

        // Nothing is removed, built or created while a port it needs is taken.
        try PortCheck(session: session, environment: environment, context: context).verify()

        var built = false
        let inspected = try session.attempt(planner.imageExists(image))
        if !inspected.succeeded {
            try Build(environment: environment, session: session, context: context, progress: progress)
                .build(image: image, noCache: false, nameIsFree: true)
            built = true
        }
        // What the image says (its volume paths, USER and Config.Env): the inspect above, or
        // after a build one more, asked only when something needs it.
        let session = self.session
        var askedAfterBuild: ProcessResult?
        let described: () throws -> ProcessResult = {
            if !built { return inspected }
            if let askedAfterBuild { return askedAfterBuild }
            let again = try session.attempt(planner.imageExists(image))
            askedAfterBuild = again
            return again
        }
        let volumeOwner: () throws -> ImageVolumeOwner? = {
            let description = try described()
            return description.succeeded ? ImageVolumeOwner.parse(inspectOutput: description.stdoutText) : nil
        }

        var imageUser: (user: String, source: String)?
        if environment.spec.user == .image {
            imageUser = ImageVolumeOwner.configUser(inspectOutput: try described().stdoutText).map { ($0, "the image \(image)") }
        }

        // From here on containers and volumes are made: how users map on this engine matters.
        var environment = self.environment
        func rootWarnings(rootlessEngine: Bool) -> [String] {
            HostIdentity.rootMappingWarnings(user: environment.spec.user, identity: environment.identity,
                                             profile: environment.spec.profile, imageUser: imageUser, rootlessEngine: rootlessEngine)
        }
        // The mapping is applied only for the synced user (it matters for nothing else; Podman's
        // templates follow the CLI's name). A container that would run as root is warned about
        // only on a rootful engine: on a rootless one root is the host user (the same probe,
        // which the session remembers; under --dry-run with no engine, rootful is assumed).
        var rootlessEngine = false
        if environment.spec.user == .host {
            rootlessEngine = try EngineProbe(session: session, context: context).apply(to: &environment.planner).isRootless
        } else if !rootWarnings(rootlessEngine: false).isEmpty {
            // Only for the root-folder warning's wording: an engine that does not answer here
            // fails the next call that needs it, with exit 3.
            rootlessEngine = (try? EngineProbe(session: session, context: context).facts())?.isRootless ?? false
        }
        if session.dryRun && environment.spec.user != .host && !session.plannedEngineNoted {
            // Nothing in this plan depends on how the engine maps users: say so, not silently.
            session.plannedEngineNoted = true
            let who = environment.planner.userArgument.map { "\($0) (`user` in devenv.toml)" } ?? "its image's USER"
            context.console.writeError(ErrorReport.note("dry run: profile \(environment.spec.profile) runs as \(who) on every engine, so the plan does not depend on how the engine maps users\(rootlessEngine ? " (a rootless one here: root in the container is the host user)" : "")"))
        }
        for warning in rootWarnings(rootlessEngine: rootlessEngine) {
            context.console.writeError(ErrorReport.warning(warning))
        }
        try GPUProbe(session: session, context: context).apply(to: &environment.planner)
        // remoteEnv's ${containerEnv:VAR}: resolved against the image's environment when the container is made.
        if !environment.spec.environmentResolvedAtCreate.isEmpty {
            environment.planner.imageEnvironment = try environment.containerBaseEnvironment(inspectOutput: try described().stdoutText,
                                                                                            context: context)
        }
        let ensured = try VolumeSet(session: session, environment: environment, made: made)
            .ensure(image: image, volumeOwner: volumeOwner, progress: progress)
        environment.planner.adoptedVolumes = ensured.adopted
        let volumes = ensured.created
        // New volumes are a new environment to the create stages (LifecycleRecord), even if
        // this run is cut short before they run.
        if !volumes.isEmpty {
            try LifecycleHooks(environment: environment, session: session, context: context, progress: progress).forgetCreateStages()
        }
        existing = try repair(found, existing: existing)
        if let existing, !session.dryRun { lookup.memory.remember(existing) }
        // A volume the environment's started container mounts was given before it was made;
        // one no container of ours mounts (after `down`, or after a run killed before its
        // chown) is probed.
        _ = try VolumeSet(session: session, environment: environment)
            .repairOwners(skipping: volumes + environment.mountedVolumes(of: existing), image: image, volumeOwner: volumeOwner,
                          progress: progress)

        if let existing, unchanged, existing.state == "running" {
            return Result(outcome: .upToDate, container: existing.name, image: image, built: built,
                          createdVolumes: volumes, staleReason: nil, replacedEarlier: earlier)
        }
        if let existing, unchanged, existing.state == "exited" {
            try beforeStart()
            progress.step("starting \(existing.name)", phase: .starting)
            try session.run(planner.start(id: existing.id), "starting \(existing.name)")
            let started = StartedInterruption(container: existing.name, spec: environment.spec, session: session)
            try started.guarding("watching its first seconds") {
                try StartWatch(session: session, planner: planner, progress: progress).check(container: existing.id, name: existing.name)
            }
            try afterStart(environment)
            return Result(outcome: .restarted, container: existing.name, image: image, built: built,
                          createdVolumes: volumes, staleReason: nil, replacedEarlier: earlier)
        }
        var replacing = ContainerReplacement(session: session, planner: environment.planner, progress: progress)
        replacing.inputs = try environment.inputs(image: image, fileSystem: context.fileSystem).encoded
        guard let existing else {
            progress.step("starting \(names.container)", phase: .starting)
            let id = try replacing.createAndStart(image: image, fingerprint: fingerprint, beforeStart: beforeStart)
            if !session.dryRun { lookup.memory.remember(id: id, user: environment.planner.userArgument) }
            try afterStart(environment)
            return Result(outcome: .started, container: names.container, image: image, built: built,
                          createdVolumes: volumes, staleReason: nil, replacedEarlier: earlier)
        }
        let staleness = unchanged ? nil : try? environment.staleness(of: existing, image: image, fileSystem: context.fileSystem)
        let reason = unchanged ? "it was \(existing.state)" : staleness?.changedText ?? "its configuration changed"
        // An earlier devenv's container goes with its volumes unused (VolumeSet says so).
        progress.step("recreating \(existing.name) (\(reason); \(staleness?.earlierName == nil ? "volumes are kept" : "as \(names.container)"))", phase: .starting)
        let id = try replacing.replace(existing, image: image, fingerprint: fingerprint, beforeStart: beforeStart)
        if !session.dryRun { lookup.memory.remember(id: id, user: environment.planner.userArgument) }
        // A signal during the swap's last step (which runs to its end) comes after the swap:
        // "stopped cleanly" would hide that the new container runs. Said as every interruption
        // once the container runs is (`StartedInterruption`), with this profile's `up`.
        if session.context.interruption() != nil {
            throw StartedInterruption(container: names.container, spec: environment.spec, session: session)
                .error(during: "finishing the recreate (\(names.container) runs the new configuration)")
        }
        try afterStart(environment)
        return Result(outcome: .recreated, container: names.container, image: image, built: built,
                      createdVolumes: volumes, staleReason: reason, replacedEarlier: earlier)
    }

    /// What `up` says, once per run, of the containers of services the profile no longer runs
    /// (Compose's "orphan containers"): they are left as they are (a service taken out for a
    /// while keeps its container), and `down` removes them. Nil when there are none.
    static func orphansNote(_ orphans: [ContainerOwnership.OrphanedService], profile: String, defaultProfile: String) -> String? {
        guard !orphans.isEmpty else { return nil }
        // Service names come from container names, which the engine restricts to [a-zA-Z0-9_.-].
        let listed = orphans.map { "\($0.container.name.hasPrefix("/") ? String($0.container.name.dropFirst()) : $0.container.name) (service \($0.service), \($0.container.state))" }
        let which = orphans.count == 1 ? "a container of a service" : "containers of services"
        return "\(which) that profile \(profile) no longer runs (removed from devenv.toml or from the profile's `services`): "
            + listed.joined(separator: ", ") + "; up leaves \(orphans.count == 1 ? "it" : "them") as \(orphans.count == 1 ? "it is" : "they are")"
            + ", `\(EnvironmentSpec.command("down", profile: profile, defaultProfile: defaultProfile))` removes \(orphans.count == 1 ? "it" : "them") (volumes stay unless --volumes)"
    }

    /// Puts right what an interrupted or crashed earlier `up` left (all of it ours, by labels,
    /// acted on by ID): a replacement that never took over goes; a container that was created
    /// but never started (the engine died during the start: starting it again fails with "task
    /// already exists") goes, and is made again; the previous container of a recreate cut short
    /// between its two renames gets its name back. Returns the environment's container after.
    private func repair(_ found: ContainerLookup.Found, existing: ContainerSnapshot?) throws -> ContainerSnapshot? {
        let planner = environment.planner
        let names = environment.names
        var existing = existing
        if let replacement = found.replacement.ours {
            progress.step("removing \(replacement.name), left by an interrupted recreate")
            try session.run(planner.remove(id: replacement.id), "removing \(replacement.name)")
        }
        if let current = existing, current.state == "created" || current.state == "dead" {
            let why = current.state == "dead" ? "dead" : "created but never started"
            progress.step("removing \(current.name) (\(why): an earlier run was interrupted)")
            try session.run(planner.remove(id: current.id), "removing \(current.name)")
            existing = nil
        }
        guard let previous = found.previous.ours else { return existing }
        if existing != nil {
            // The recreate got as far as its new container: the old one is what it would have removed.
            progress.step("removing \(previous.name), the container an interrupted recreate replaced")
            try session.run(planner.remove(id: previous.id), "removing \(previous.name)")
            return existing
        }
        // An earlier devenv's recreate goes back under that devenv's name: then replaced as its
        // container is (`Environment.staleness`), by one under today's name.
        let back = ContainerIndex.holds(previous, name: names.legacy.previousContainer) ? names.legacy.container : names.container
        progress.step("renaming \(previous.name) back to \(back) (an interrupted recreate)")
        try session.run(planner.rename(id: previous.id, to: back), "renaming \(previous.name)")
        var restored = previous
        restored.name = back
        return restored
    }

    /// On an engine on another machine (an ssh:// or tcp:// host, or a context pointing at one)
    /// the bind mount's source is a path on that machine: said plainly, before anything runs.
    /// A context's host is asked with one `docker context inspect`, only for a chosen context.
    private func noteRemoteEngine() throws {
        let spec = environment.spec
        guard spec.mountWorkspace else { return }
        var endpoint = context.engineEndpoint()
        if endpoint.host == nil, endpoint.source != .builtIn, environment.planner.engine == .docker {
            let inspect = ProcessInvocation([environment.planner.cli, "context", "inspect", endpoint.context,
                                             "--format", "{{.Endpoints.docker.Host}}"])
            // Only for the remote-engine note: no answer leaves the context's host unknown (no note).
            if let result = try? session.probe(inspect, evenInDryRun: true), result.succeeded {
                endpoint.host = result.stdoutText.split(whereSeparator: \.isNewline).first.map(String.init)
            }
        }
        guard endpoint.isRemote else { return }
        context.console.writeError(ErrorReport.note("the engine is on another machine (\(endpoint.display)): the bind mount of \(spec.projectRoot) at \(spec.workspace) refers to \(spec.projectRoot) on that machine, not this one"))
    }

    /// What a started container still needs: its user's HOME, then dependencies in step with
    /// uv.lock. The lock comparison (a read as the user, in the workspace) runs while HOME is
    /// made (as root): neither reads what the other writes, so `up` waits for one exec, not two.
    /// An interruption here says that the container runs and is kept (`StartedInterruption`).
    private func afterStart(_ environment: Environment) throws {
        try StartedInterruption(container: environment.names.container, spec: environment.spec, session: session)
            .guarding("making its user's HOME and syncing its dependencies") { try afterStartSteps(environment) }
    }

    private func afterStartSteps(_ environment: Environment) throws {
        let compare = environment.planner.tracksLock && !session.dryRun ? try session.begin(environment.planner.compareLockStamp()) : nil
        defer { compare?.cancel() }
        try HomeFolder(session: session, planner: environment.planner, progress: progress, console: context.console).ensure()
        if let compare { try syncIfLockChanged(environment, compared: try compare.finish()) }
    }

    /// A venv synced from another uv.lock than the workspace's (`uv add` since) is synced now,
    /// so new dependencies are importable after `up` without `sync-deps`. `compared`: the
    /// answer of `compareLockStamp` (0 same, 1 differs, 2 no stamp).
    private func syncIfLockChanged(_ environment: Environment, compared: ProcessResult) throws {
        try session.checkInterruption()
        let memory = ContainerMemory(context: context, names: environment.names)
        if compared.exitCode == 0 || compared.exitCode == 2, let lock = memory.currentLock(environment.spec),
           let id = memory.recall()?.id {
            memory.rememberSynced(id: id, lock: lock)
        }
        guard compared.exitCode == 1 else { return }
        progress.step("dependencies out of date (uv.lock changed since the venv was synced): syncing")
        do {
            try SyncDeps(environment: environment, session: session, progress: progress).run()
        } catch let error as DevEnvError {
            throw DevEnvError(error.exitCode, "dependencies out of date: \(error.message)",
                              hint: "fix the cause, then run `\(environment.spec.command("sync-deps"))`",
                              detail: error.detail)
        }
    }

    private func checkFiles() throws {
        let spec = environment.spec
        if let envFile = spec.envFile, !context.fileSystem.fileExists(envFile) {
            let template = envFile + ".template"
            let relative = RelativePath.display(envFile, under: spec.projectRoot)
            if context.fileSystem.fileExists(template) {
                throw DevEnvError(.usage, "the env file \(relative) is missing",
                                  hint: "copy the template and fill it in: cp \(RelativePath.display(template, under: spec.projectRoot)) \(relative)")
            }
            throw DevEnvError(.usage, "the env file \(relative) is missing",
                              hint: "create it, or set `env_file` for profile \(spec.profile) in devenv.toml")
        }
        try Self.checkInputs(environment, context: context)
    }

    /// Everything that can be checked before a container is touched (issue 9 section 1), exit 2
    /// with file:line: the env file by Docker's own rules (its warnings are shown), and the
    /// host side of every bind mount. Port specs were checked when the configuration was read.
    static func checkInputs(_ environment: Environment, context: AppContext) throws {
        let spec = environment.spec
        if let envFile = spec.envFile, let bytes = try context.fileSystem.readFile(envFile) {
            let read = EnvFile.read(bytes, file: RelativePath.display(envFile, under: spec.projectRoot),
                                    environment: context.environment)
            ErrorReport.write(read.warnings, to: context.console)
            let errors = read.errors
            if let first = errors.first {
                let place = first.location.map { "\($0): " } ?? ""
                let more = errors.dropFirst().map { "\($0)" }
                throw DevEnvError(.usage, "\(place)\(first.message)",
                                  hint: "fix the env file; nothing was changed",
                                  detail: more.isEmpty ? nil : "also:\n" + more.joined(separator: "\n"))
            }
        }
        for mount in spec.mounts where !context.fileSystem.fileExists(mount.source) {
            let place = mount.origin.map { "\($0): " } ?? ""
            throw DevEnvError(.usage, "\(place)the mount source \(mount.source) does not exist",
                              hint: "create it, or change `mounts` in devenv.toml; nothing was changed")
        }
    }
}

extension Up {
    /// What `up` and `restart` (whose result this is too) print: a line a service started
    /// first ("service cache: devenv-shop-dev-svc-cache started (healthy)"), then the app's
    /// ("dev is up: devenv-shop-dev recreated (uv.lock changed)").
    static func text(_ result: Result, profile: String) -> String {
        let app = switch result.outcome {
        case .upToDate: "\(profile) is up to date: \(result.container) is running\n"
        case .started: "\(profile) is up: \(result.container) started\n"
        case .recreated: "\(profile) is up: \(result.container) recreated (\(result.staleReason ?? "changed"))\n"
        case .restarted: "\(profile) is up: \(result.container) restarted\n"
        }
        return result.services.map { "service \($0.service): \($0.container) \($0.result) (\($0.health))\n" }.joined() + app
    }

    /// The `--json` fields of `up` and `restart` after ok, command and profile (README, "JSON
    /// output"): result, container, image, built, createdVolumes, services.
    static func fields(_ result: Result) -> [(String, JSONValue)] {
        [("result", .string(result.outcome.rawValue)), ("container", .string(result.container)),
         ("image", .string(result.image)), ("built", .bool(result.built)),
         ("createdVolumes", .strings(result.createdVolumes)),
         ("services", .array(result.services.map { service in
             .object([("name", .string(service.service)), ("container", .string(service.container)),
                      ("result", .string(service.result)), ("health", .string(service.health))])
         }))]
    }
}
