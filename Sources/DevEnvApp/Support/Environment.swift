import DevEnvCore

/// One environment ready to act on: its resolved spec, the synced user, and the planner that
/// turns both into docker calls.
struct Environment: Sendable {
    // Any change of what `expectation` is worked out from drops the one worked out before.
    var spec: EnvironmentSpec { didSet { expected = nil } }
    var identity: HostIdentity { didSet { expected = nil } }
    var planner: DockerPlanner { didSet { expected = nil } }
    var names: ResourceNames { planner.names }
    /// Every profile the project can use, for `status` and the dashboard.
    var profileNames: [String]
    /// Configuration warnings (shown once, on stderr).
    var warnings: [Diagnostic]
    /// Files the configuration reading read or looked for (absolute, present or not): the
    /// layers it read (LoadedConfig.files) and the env file with its template, also when it
    /// was not there (then `spec.envFile` is nil). The dashboard watches them
    /// (`DashboardWatchList`).
    var consideredFiles: [String] = []
    /// `expectation` as it was worked out while the configuration was read, for this very spec,
    /// host user and planner (`EnvironmentLoader`; `ConfigurationCache` keeps it with the files
    /// it read, so a warm run reads none of them); nil when it was not, or when any of the three
    /// has changed since.
    var expected: Expectation?

    /// What a container of this environment is compared with: the image tag for the Dockerfile,
    /// dependency files and build args (`image`) and the fingerprint the container carries
    /// (`containerFingerprint`), for staleness; and, when its venv follows uv.lock
    /// (`DockerPlanner.tracksLock`), the lock's fingerprint (`ContainerMemory.currentLock`) the
    /// venv's last sync is compared with (nil otherwise, or without a uv.lock).
    struct Expectation: Sendable, Hashable {
        var image: String
        var fingerprint: String
        var lock: String? = nil
        /// Each service's name: the fingerprint its container is compared with
        /// (`serviceFingerprints`), so that a snapshot reads no service Dockerfile or env file.
        var services: [String: String] = [:]
    }

    /// `expected`, else worked out now from the files. Throws what `image` and
    /// `containerFingerprint` throw (no Dockerfile, a file that cannot be read).
    func expectation(fileSystem: any FileSystem) throws -> Expectation {
        if let expected { return expected }
        let image = try image(fileSystem: fileSystem)
        return Expectation(image: image, fingerprint: try containerFingerprint(image: image, fileSystem: fileSystem),
                           lock: planner.tracksLock ? ContainerMemory.lock(spec, fileSystem: fileSystem) : nil,
                           services: serviceFingerprints(fileSystem: fileSystem))
    }

    /// The fingerprint a container of each service is compared with: its image (a `build`
    /// one's tag hashes its Dockerfile) and its env file's contents, as `up` makes it
    /// (`ServiceSet`). A file that cannot be read counts as empty: the container then differs.
    func serviceFingerprints(fileSystem: any FileSystem) -> [String: String] {
        let planner = ServicePlanner(planner: planner)
        var fingerprints: [String: String] = [:]
        for service in spec.services {
            let dockerfile = service.build.flatMap { build in (try? fileSystem.readFile(build.dockerfile ?? "")) ?? nil }
            let envFile = service.envFile.flatMap { (try? fileSystem.readFile($0)) ?? nil }
            fingerprints[service.name] = planner.fingerprint(service, image: planner.image(service, dockerfile: dockerfile),
                                                             envFileContents: envFile)
        }
        return fingerprints
    }

    /// The fingerprint the container carries: its whole configuration, and the env file's
    /// contents (a changed .env.dev makes it stale too).
    func containerFingerprint(image: String, fileSystem: any FileSystem) throws -> String {
        let envFile = try spec.envFile.flatMap { try fileSystem.readFile($0) }
        return planner.containerFingerprint(image: image, envFileContents: envFile)
    }

    /// What a new container's environment is before devenv's own `--env` entries, for the
    /// `${containerEnv:VAR}` templates of remoteEnv (`DockerPlanner.imageEnvironment`): the
    /// image's Config.Env (from `DockerPlanner.imageExists`'s output) with the env file's
    /// entries over it, as Docker applies them (a bare `NAME` line takes the host's value).
    /// Nil when the output does not say.
    func containerBaseEnvironment(inspectOutput: String, context: AppContext) throws -> [String: String]? {
        guard var base = ImageEnvironment.parse(inspectOutput: inspectOutput) else { return nil }
        if let envFile = spec.envFile, let bytes = try context.fileSystem.readFile(envFile) {
            let read = EnvFile.read(bytes, file: envFile, environment: context.environment)
            for entry in read.entries {
                if let value = entry.value ?? context.environment[entry.name] { base[entry.name] = value }
            }
        }
        return base
    }

    /// Whether `container`'s listed mounts tell which named volume each role has: Docker's `ps`
    /// names them; Podman's gives mount points only (`ContainerSnapshot.mounts`), which
    /// `mountedVolumes` can name only for an earlier devenv's container (it mounts that devenv's
    /// volumes). Today's container may have today's volume of a role or an earlier one `up`
    /// adopted (`ResourceNames.volumeInUse`), which only the volumes' own listing tells (mend27a:
    /// status showed an adopted volume under today's name).
    func mountsNameVolumes(_ container: ContainerSnapshot) -> Bool {
        planner.engine != .podman || ContainerIndex.holds(container, name: names.legacy.container)
    }

    /// The named volumes a container of this environment mounts. Docker's `ps` names them;
    /// Podman's gives mount points, mapped back through the spec's volumes (role -> path).
    func mountedVolumes(of container: ContainerSnapshot?) -> [String] {
        guard let container else { return [] }
        // An earlier devenv's container (its name without the folder's tag) mounts that devenv's volumes.
        let earlier = ContainerIndex.holds(container, name: names.legacy.container)
        let byPath = Dictionary(spec.volumes.map { ($0.value, earlier ? names.legacy.volume(role: $0.key) : names.volume(role: $0.key)) },
                                uniquingKeysWith: { a, _ in a })
        return container.mounts.map { byPath[$0] ?? $0 }
    }

    /// Whether a container runs `image`: Podman names a local image `localhost/NAME:TAG`.
    static func sameImage(_ running: String, _ image: String) -> Bool {
        ImageSnapshot.plain(running) == ImageSnapshot.plain(image)
    }

    /// Reads the Dockerfile and the dependency files in the build context, and fingerprints
    /// them with the target and build args: the image tag for these inputs.
    /// A devcontainer.json `image` is used as it is.
    func image(fileSystem: any FileSystem) throws -> String {
        if let image = spec.image { return image }
        guard let dockerfile = try fileSystem.readFile(spec.dockerfile) else {
            throw DevEnvError(.usage, "no Dockerfile at \(spec.dockerfile)",
                              hint: "create one (`devenv init` writes a multi-stage Dockerfile), or set `dockerfile` in devenv.toml")
        }
        // pyproject.toml counts by its dependency tables: a comment edit builds nothing.
        let dependencies = try ["pyproject.toml", "uv.lock"].map { name in
            let bytes = try fileSystem.readFile(spec.context + "/" + name)
            return (name: name, bytes: name == "pyproject.toml" ? EnvironmentInputs.pyprojectDependencies(bytes) : bytes)
        }
        return names.image(fingerprint: planner.imageFingerprint(dockerfile: dockerfile, dependencyFiles: dependencies))
    }

    /// The profile's `target` is a stage of the Dockerfile: else `docker build --target` fails
    /// only once the build has started ("target stage ... could not be found"), after
    /// `up --dry-run` said all was well. Exit 2 at the `target` setting's place. Asked before a
    /// build (`Build`), not by `status`, which shows the profile whatever its Dockerfile holds.
    func checkTarget(dockerfile: [UInt8]) throws {
        guard let target = spec.target else { return }
        let summary = DockerfileSummary.parse(String(decoding: dockerfile, as: UTF8.self))
        guard !summary.stages.isEmpty, !summary.hasComputedStageName, summary.stage(named: target) == nil else { return }
        let file = RelativePath.display(spec.dockerfile, under: spec.projectRoot)
        let named = summary.stages.filter { Int($0.name) == nil }
        let stages = named.isEmpty ? "it names no stage (`FROM IMAGE AS NAME`)"
            : "its stages: " + named.map { "\($0.name) (\(file):\($0.line):1)" }.joined(separator: ", ")
        throw DevEnvError(.usage, "\(spec.targetOrigin.map { "\($0): " } ?? "")profile \(spec.profile): target \"\(target)\" is not a stage of \(file); \(stages)",
                          hint: "add `FROM ... AS \(target)` to \(file), or set `target` of the profile to one of its stages")
    }

    /// Each input's short hash (`EnvironmentInputs`): the label `up` puts on the container.
    func inputs(image: String, fileSystem: any FileSystem) throws -> EnvironmentInputs {
        let envFile = try spec.envFile.flatMap { try fileSystem.readFile($0) }
        if spec.image != nil {
            return planner.inputs(dockerfile: nil, uvLock: nil, pyproject: nil, envFileContents: envFile, image: image)
        }
        return planner.inputs(dockerfile: try fileSystem.readFile(spec.dockerfile),
                              uvLock: try fileSystem.readFile(spec.context + "/uv.lock"),
                              pyproject: try fileSystem.readFile(spec.context + "/pyproject.toml"),
                              envFileContents: envFile, image: image)
    }

    /// Why a container is stale, in words: what changed and the command that brings it up to
    /// date. `changed` is empty for a container without the inputs label (made by an older
    /// devenv): then only whether the image changed can be told.
    struct Staleness: Sendable, Hashable {
        /// `EnvironmentInputs` keys.
        var changed: [String]
        var rebuild: Bool
        /// `devenv up` for the environment's profile (`EnvironmentSpec.command`).
        var command: String
        var envFile: String?
        /// This command was given `up --port` (`EnvironmentSpec.portOverrides`).
        var portsGiven = false
        /// The container holds the name an earlier devenv gave (`ResourceNames.legacy`): it is
        /// replaced by one under today's name, with new volumes.
        var earlierName: (name: String, tag: String)? = nil

        static func == (a: Self, b: Self) -> Bool {
            a.changed == b.changed && a.rebuild == b.rebuild && a.command == b.command && a.envFile == b.envFile
                && a.portsGiven == b.portsGiven && a.earlierName?.name == b.earlierName?.name && a.earlierName?.tag == b.earlierName?.tag
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(changed)
            hasher.combine(earlierName?.name)
        }

        /// "uv.lock and build arg UID changed", or today's wording without the label. A change
        /// of `up.port` is said by where it came from: the container's host ports were chosen by
        /// an earlier `up --port` (`status`, a plain `up`), or this `up --port` chose others.
        var changedText: String {
            if let earlierName {
                return "\(earlierName.name) is an earlier devenv's name; names now end in this folder's tag \(earlierName.tag)"
            }
            guard !changed.isEmpty else {
                return rebuild ? "the Dockerfile, dependency files or build args changed" : "configuration or env file changed"
            }
            var clauses: [String] = []
            let names = changed.filter { $0 != EnvironmentInputs.portOverrideKey }.map { EnvironmentInputs.describe($0, envFile: envFile) }
            if let last = names.last {
                clauses.append((names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last) + " changed")
            }
            if changed.contains(EnvironmentInputs.portOverrideKey) {
                clauses.append(portsGiven ? "\(EnvironmentInputs.describe(EnvironmentInputs.portOverrideKey)) changed"
                                          : "its host ports came from `devenv up --port`, not the configuration")
            }
            return clauses.joined(separator: "; ")
        }

        var reason: String {
            "\(changedText): `\(command)` \(rebuild ? "rebuilds and recreates" : "recreates the container")"
        }
    }

    /// Compares a stale container with the current inputs (no docker call: its labels came
    /// with `ps`).
    func staleness(of container: ContainerSnapshot, image: String, fileSystem: any FileSystem) throws -> Staleness {
        let envFile = spec.envFile.map { RelativePath.display($0, under: spec.projectRoot) }
        if ContainerIndex.holds(container, name: names.legacy.container) {
            var staleness = Staleness(changed: [], rebuild: true, command: spec.command("up"), envFile: envFile)
            staleness.earlierName = (names.legacy.container, names.folderTag)
            return staleness
        }
        let sameImage = Self.sameImage(container.image, image)
        guard let stored = EnvironmentInputs.parse(container.labels[EnvironmentInputs.label]) else {
            return Staleness(changed: [], rebuild: !sameImage, command: spec.command("up"), envFile: envFile)
        }
        let changed = try inputs(image: image, fileSystem: fileSystem).changed(since: stored)
        return Staleness(changed: changed, rebuild: !sameImage || changed.contains(where: EnvironmentInputs.needsBuild),
                         command: spec.command("up"), envFile: envFile, portsGiven: !spec.portOverrides.isEmpty)
    }
}
