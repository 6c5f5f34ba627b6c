import DevEnvCore

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
    }

    let environment: Environment
    let session: DockerSession
    let context: AppContext
    let progress: Progress

    func run() throws -> Result {
        let planner = environment.planner
        try checkFiles()

        let existing = try ContainerLookup(session: session, planner: planner).find()
        let image = try environment.image(fileSystem: context.fileSystem)
        let fingerprint = try environment.containerFingerprint(image: image, fileSystem: context.fileSystem)
        let unchanged = existing?.labels[ResourceNames.configHashLabel] == fingerprint

        if let existing, unchanged, existing.state == "running" {
            return Result(outcome: .upToDate, container: existing.name, image: image, built: false, createdVolumes: [],
                          staleReason: nil)
        }
        if let existing, unchanged, existing.state == "paused" {
            progress.step("unpausing \(existing.name)")
            try session.run(planner.unpause(), "unpausing \(existing.name)")
            return Result(outcome: .restarted, container: existing.name, image: image, built: false, createdVolumes: [],
                          staleReason: nil)
        }

        var built = false
        let inspected = try session.attempt(planner.imageExists(image))
        if !inspected.succeeded {
            try Build(environment: environment, session: session, context: context, progress: progress)
                .build(image: image, noCache: false)
            built = true
        }
        // What the image says about its volume paths: asked again after a build, and only when
        // a volume is new (one inspect instead of a chown container).
        let session = self.session
        let volumeOwner: () throws -> ImageVolumeOwner? = {
            if !built { return ImageVolumeOwner.parse(inspectOutput: inspected.stdoutText) }
            let again = try session.attempt(planner.imageExists(image))
            return again.succeeded ? ImageVolumeOwner.parse(inspectOutput: again.stdoutText) : nil
        }

        // From here on containers and volumes are made: how users map on this engine matters.
        var environment = self.environment
        environment.planner.userMapping = try UserMappingProbe(session: session, planner: planner).mapping()
        let volumes = try VolumeSet(session: session, environment: environment)
            .ensure(image: image, volumeOwner: volumeOwner, progress: progress)

        if let existing, unchanged, existing.state == "exited" || existing.state == "created" {
            progress.step("starting \(existing.name)")
            try session.run(planner.start(), "starting \(existing.name)")
            try StartWatch(session: session, planner: planner, progress: progress).check(container: existing.id, name: existing.name)
            return Result(outcome: .restarted, container: existing.name, image: image, built: built,
                          createdVolumes: volumes, staleReason: nil)
        }
        let reason = existing.map { unchanged ? "it was \($0.state)" : "its configuration changed" }
        if let existing, let reason {
            progress.step("recreating \(existing.name) (\(reason); volumes are kept)")
            try session.run(planner.remove(), "removing the container \(existing.name)")
        } else {
            progress.step("starting \(environment.names.container)")
        }
        try start(environment.planner, image: image, fingerprint: fingerprint)
        return Result(outcome: existing == nil ? .started : .recreated, container: environment.names.container,
                      image: image, built: built, createdVolumes: volumes, staleReason: reason)
    }

    /// `docker run -d` creates and starts in one call; when the start fails (a port in use) or
    /// devenv is interrupted, the container it created is removed again, so no half-made
    /// container is left behind.
    private func start(_ planner: DockerPlanner, image: String, fingerprint: String) throws {
        let invocation = planner.run(image: image, configHash: fingerprint)
        let result = try session.attempt(invocation)
        if result.succeeded && context.interruption() == nil {
            let id = result.stdoutText.split(whereSeparator: \.isNewline).last.map(String.init) ?? environment.names.container
            try StartWatch(session: session, planner: planner, progress: progress).check(container: id, name: environment.names.container)
            return
        }
        // Whatever `run` got as far as creating goes again (the lock says no one else made it).
        _ = try? session.attempt(planner.remove(), cleanup: true)
        try session.checkInterruption()
        throw DockerFailure.error("starting \(environment.names.container)", invocation: invocation, result: result)
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
    }
}

/// The first seconds of a started container (DockerPlanner.startWatchSeconds): one that exited
/// or restarted in them makes `up` fail with its exit code and last log lines. The container
/// is stopped (a restart policy would loop on) and kept, for `devenv logs`.
struct StartWatch {
    let session: DockerSession
    let planner: DockerPlanner
    let progress: Progress

    func check(container id: String, name: String) throws {
        guard planner.watchesStart, !session.dryRun else { return }
        progress.step("watching \(name) for \(DockerPlanner.startWatchSeconds)s (a command that fails at start exits now)")
        _ = try session.attempt(planner.watchStart(container: id))
        try session.checkInterruption()
        let verdict = try session.run(planner.startVerdict(container: id), "inspecting \(name)").stdoutText
        let fields = verdict.split(whereSeparator: { $0 == " " || $0.isNewline }).map(String.init)
        guard fields.count == 3 else { return }
        let (status, exitCode, restarts) = (fields[0], fields[1], Int(fields[2]) ?? 0)
        guard status == "exited" || status == "dead" || status == "restarting" || restarts > 0 else { return }
        let logs = try session.attempt(planner.lastLogLines(container: id, count: 15))
        let lines = (logs.stdoutText + logs.stderrText).split(whereSeparator: \.isNewline).suffix(15)
            .map { "  " + Progress.printable(Array($0.utf8)) }
        if status != "exited" && status != "dead" {
            _ = try? session.attempt(planner.stop())
        }
        let restarted = restarts > 0 ? " and was restarted \(restarts) time\(restarts == 1 ? "" : "s")" : ""
        throw DevEnvError(.failure,
                          "\(name) exited with code \(exitCode) within \(DockerPlanner.startWatchSeconds)s of starting\(restarted); it is stopped and kept",
                          hint: "fix the command it runs (the Dockerfile's CMD or `command` in devenv.toml), then run up again; `devenv logs --profile \(planner.spec.profile)` shows all its output",
                          detail: lines.isEmpty ? "(no output)" : "its last lines:\n" + lines.joined(separator: "\n"))
    }
}

/// Rootful Docker, rootless Docker (container root is the host user) or Podman: one
/// `docker info`, asked only when a container or volume is about to be made.
struct UserMappingProbe {
    let session: DockerSession
    let planner: DockerPlanner

    func mapping() throws -> DockerPlanner.UserMapping {
        guard planner.spec.user == .host, !session.dryRun else { return .direct }
        let invocation = planner.engineSecurityOptions()
        let result = try session.probe(invocation)
        if !result.succeeded && DockerFailure.error("", invocation: invocation, result: result).exitCode == .noEngine {
            throw DockerFailure.error("asking the engine", invocation: invocation, result: result)
        }
        return DockerPlanner.userMapping(cli: planner.cli, securityOptions: result)
    }
}

/// Finds this environment's container by name and tells devenv's own from a foreign one.
struct ContainerLookup {
    let session: DockerSession
    let planner: DockerPlanner

    /// devenv's container for this environment, nil when there is none; exit 4 when a
    /// container with its name belongs to someone else.
    func find() throws -> ContainerSnapshot? {
        let output = try session.run(planner.findContainer(), "listing containers").stdoutText
        let name = planner.names.container
        guard let found = try ContainerSnapshot.parseList(output).first(where: { $0.name == name }) else { return nil }
        guard planner.names.owns(found.labels) else {
            let owner = found.labels[ResourceNames.rootLabel].map { "devenv made it for \($0)" } ?? "it has no devenv labels"
            throw DevEnvError(.conflict, "a container named \(name) exists that devenv did not create for this project (\(owner)); it was not touched",
                              hint: "remove or rename it yourself, or set a different `name` under [project] in devenv.toml")
        }
        return found
    }
}

enum RelativePath {
    /// `/p/.env.dev` under `/p` shows as `.env.dev`.
    static func display(_ path: String, under root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
