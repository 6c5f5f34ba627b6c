import DevEnvCore

/// Configuration (TOML layers) + the host user -> the Environment a command acts on.
struct EnvironmentLoader {
    let context: AppContext
    let options: GlobalOptions
    /// Set for the reading `ConfigurationCache` keeps (`assembled`): the environment variables
    /// through a recording `HostEnvironment`, with the CLI they named (that reading's context
    /// has no environment of its own, so that nothing in it can read a variable unrecorded).
    private var recording: (variables: HostEnvironment, cli: String)?

    init(context: AppContext, options: GlobalOptions) {
        self.context = context
        self.options = options
    }

    /// The environment variables as the reading asks for them: every one goes through here.
    private var variables: HostEnvironment { recording?.variables ?? HostEnvironment(context.environment) }

    /// --project, else the nearest folder up from here with a devenv.toml or pyproject.toml (as
    /// git and uv find theirs), else the current folder; canonical (symbolic links resolved,
    /// once, here), so a symlink and the real path are one project: the same labels, names and
    /// lock.
    var projectDirectory: String {
        let found = foundDirectory
        return context.fileSystem.canonicalPath(found) ?? found
    }

    private var foundDirectory: String {
        if let given = options.projectDirectory {
            return given.hasPrefix("/") ? given : context.currentDirectory + "/" + given
        }
        var candidate = context.currentDirectory
        while true {
            let fs = context.fileSystem
            if fs.fileExists(candidate + "/devenv.toml") || fs.fileExists(candidate + "/pyproject.toml")
                || DevcontainerSearch.hasFile(projectDirectory: candidate, fileSystem: fs) {
                return candidate
            }
            guard let slash = candidate.lastIndex(of: "/"), candidate != "/" else { return context.currentDirectory }
            candidate = slash == candidate.startIndex ? "/" : String(candidate[..<slash])
        }
    }

    func config(profile: String?) throws -> LoadedConfig {
        let projectDirectory = self.projectDirectory
        // Docker's CLI and engine take paths as text: a folder name that is not UTF-8 cannot
        // be mounted or labelled faithfully (`ProjectFolder.require` judges its bytes).
        try ProjectFolder.require(projectDirectory, fileSystem: context.fileSystem)
        return try ConfigLoader.load(projectDirectory: projectDirectory, profile: profile,
                                     executablePath: context.executablePath, environment: variables,
                                     undecodable: context.undecodableEnvironment, fileSystem: context.fileSystem)
    }

    /// The environment of the chosen profile (--profile, else the project's default): what a
    /// command that hands its settings to docker (`up`, `build`, `test`, `exec`, the dashboard's
    /// actions: each loads its one profile here) acts on. Values the kernel would refuse to pass
    /// docker all together (E2BIG) are exit 2 here, before anything runs
    /// (`ConfigLimits.checkArgumentTotal`).
    func load(profile: String? = nil) throws -> Environment {
        let environments = try assembled(.one(profile ?? options.profile))
        guard let environment = environments.first else { throw DevEnvError.usage("the project has no profiles") }
        return environment
    }

    /// Every profile of the project, the chosen one first and its warnings only once, for the
    /// commands that show or clean up (`status`, `prune`, the dashboard's view), which hand no
    /// profile's settings to docker: the ARG_MAX check is `load`'s (it cost `status` a third of
    /// its instructions, building every profile's `ConfigReport` rows). The
    /// configuration is read and decoded once and the host user looked up once, whatever the
    /// number of profiles (issue 14: this was once per profile, quadratic in effect); so is the
    /// engine kind (`AppContext.engineKind` searches PATH and looks at the CLI's file).
    func loadAll() throws -> [Environment] {
        try assembled(.all(chosen: options.profile))
    }

    /// The resolution of `slot` (kept from an earlier run when nothing it read changed:
    /// `ConfigurationCache`) with the host user, looked up on every run, applied.
    private func assembled(_ slot: ConfigurationCache.Slot) throws -> [Environment] {
        var identity: HostIdentity?
        // Between the configuration and the environments, as always: which error a project with
        // several says first does not depend on whether the resolution was kept.
        func identify(_ directory: String) throws {
            let facts = context.hostFacts(directory)
            if let impossible = HostIdentity.impossibleSudoIDs(facts) { throw impossible }
            identity = HostIdentity.resolve(facts)
        }
        let cache = ConfigurationCache(context: context, slot: slot, projectDirectory: projectDirectory)
        let resolution = try cache.resolution { fileSystem, variables in
            var reading = context
            reading.fileSystem = fileSystem
            reading.environment = [:]
            var loader = EnvironmentLoader(context: reading, options: options)
            loader.recording = (variables, context.dockerCLI)
            var resolution = try loader.resolve(slot, identify: identify)
            // What status and up compare a container with, worked out here, through the same
            // file system as the configuration: the Dockerfile, dependency files and env file it
            // reads are recorded inputs like the configuration's own, and a warm run reads and
            // hashes none of them; a cold one reads them while its docker lookup runs, not after
            // (issue 14). One that cannot be worked out is left to the command, which says why.
            if let identity {
                resolution.expectedFor = identity
                for (index, environment) in environments(resolution, identity: identity).enumerated() {
                    resolution.environments[index].expected = try? environment.expectation(fileSystem: fileSystem)
                }
            }
            return resolution
        }
        if identity == nil { try identify(resolution.projectDirectory) }
        guard let identity else { throw DevEnvError.failure("internal error: no host user") }
        return environments(resolution, identity: identity)
    }

    /// The environments of `resolution` for the host user `identity`, with their expectations
    /// when they were worked out for that very user (another one, under sudo say, works them
    /// out afresh: its UID and GID are in both).
    private func environments(_ resolution: ConfigurationCache.Resolution, identity: HostIdentity) -> [Environment] {
        resolution.environments.enumerated().map { index, resolved in
            var planner = DockerPlanner(cli: context.dockerCLI, spec: resolved.spec, identity: identity)
            planner.engine = resolution.engine
            var environment = Environment(spec: resolved.spec, identity: identity, planner: planner,
                                          profileNames: resolved.profileNames, warnings: index == 0 ? resolved.warnings : [])
            environment.consideredFiles = resolved.consideredFiles
            if resolution.expectedFor == identity { environment.expected = resolved.expected }
            return environment
        }
    }

    /// Reads the configuration and resolves `slot`'s environments; `identify` is told the
    /// project folder once the configuration is read, before any environment is resolved.
    private func resolve(_ slot: ConfigurationCache.Slot, identify: (String) throws -> Void) throws -> ConfigurationCache.Resolution {
        switch slot {
        case .one(let profile):
            let config = try config(profile: profile)
            try ConfigLimits.checkArgumentTotal(config, argumentLimit: context.argumentLimit, environment: variables)
            try identify(config.project.directory)
            return .init(environments: [try resolved(config)], engine: engineKind, projectDirectory: config.project.directory)
        case .all(let chosen):
            let config = try config(profile: chosen)
            try identify(config.project.directory)
            let engine = engineKind
            let first = try resolved(config)
            return .init(environments: try [first] + config.profileNames.filter { $0 != config.profile.name }.compactMap { name in
                guard let other = config.selecting(name) else { return nil }
                return try resolved(other)
            }, engine: engine, projectDirectory: config.project.directory)
        }
    }

    /// `AppContext.engineKind`, its PATH asked through `variables`.
    private var engineKind: EngineKind {
        EngineKind.of(cli: recording?.cli ?? context.dockerCLI, searchPath: variables["PATH"], fileSystem: context.fileSystem)
    }

    private func resolved(_ config: LoadedConfig) throws -> ConfigurationCache.Resolved {
        var spec = Self.spec(config)
        var warnings = config.diagnostics
        if let problem = SSHForwarding.apply(to: &spec, environment: variables,
                                             fileExists: context.fileSystem.fileExists, origin: Self.place(config.profile.ssh.origin)) {
            warnings.append(Diagnostic(.warning, problem, at: nil))
        }
        if !spec.services.isEmpty, let network = spec.network {
            throw DevEnvError.usage("\(Self.place(config.profile.network.origin).map { "\($0): " } ?? "")profile \(spec.profile) runs services (\(spec.services.map(\.name).joined(separator: ", "))) but sets `network = \"\(network)\"`",
                                    hint: "remove `network` from the profile: with services the app joins the project's own network")
        }
        try Self.applyCABundle(config, to: &spec, home: variables["HOME"], fileExists: context.fileSystem.fileExists)
        if case .fixed(let uid, let gid) = spec.user, !HostIdentity.isPossibleID(uid) || !HostIdentity.isPossibleID(gid) {
            throw DevEnvError.usage("\(Self.place(config.profile.user.origin).map { "\($0): " } ?? "")profile \(spec.profile): "
                                    + "`user = \"\(uid):\(gid)\"` is not a possible user (IDs go up to 4294967294)")
        }
        // Root-mapping warnings (`user = "0:0"` and the like) depend on the engine: `up` gives
        // them once it knows whether it is rootless, and doctor.
        // A missing env file with a template is an error `up` explains (copy the template); with
        // no template the project simply has none, and the container runs without it.
        var considered = config.files.compactMap { shown -> String? in
            // Shown relative to the project, or absolute; the built-in profiles have no file.
            if shown.hasPrefix(ProfileSearch.embeddedPrefix) { return nil }
            return shown.hasPrefix("/") ? shown : config.project.directory + "/" + shown
        }
        if let envFile = spec.envFile { considered += [envFile, envFile + ".template"] }
        // stat cannot tell a link going round in a loop from no file: reading it can (ELOOP is
        // exit 2, as for the Dockerfile), so such a link is never taken for a missing env file.
        if let envFile = spec.envFile, !context.fileSystem.fileExists(envFile),
           context.fileSystem.symbolicLinkTarget(envFile) != nil {
            _ = try context.fileSystem.readFile(envFile)
        }
        if let envFile = spec.envFile, !context.fileSystem.fileExists(envFile),
           !context.fileSystem.fileExists(envFile + ".template") {
            warnings.append(Diagnostic(.warning, "env file \(RelativePath.display(envFile, under: spec.projectRoot)) not found; the \(spec.profile) container runs without it",
                                       at: nil))
            spec.envFile = nil
        }
        return .init(spec: spec, warnings: warnings, profileNames: config.profileNames, consideredFiles: considered)
    }

    /// The profile's `ca_bundle` (else [project]'s) resolved on this host and put into the
    /// spec (`CABundle`); a file that does not exist is exit 2 at the key's place.
    static func applyCABundle(_ config: LoadedConfig, to spec: inout EnvironmentSpec, home: String?,
                              fileExists: (String) -> Bool) throws {
        let settings = CABundle.settings(project: config.project.caBundle, profile: config.profile.caBundle)
        func resolved(_ setting: Sourced<String>?) throws -> String? {
            guard let setting else { return nil }
            switch CABundle.resolve(setting.value, projectDirectory: config.project.directory, home: home, fileExists: fileExists) {
            case .success(let path): return path
            case .failure(let failure):
                throw DevEnvError(.usage, "\(place(setting.origin).map { "\($0): " } ?? "")\(failure.reason)", hint: failure.hint)
            }
        }
        CABundle.apply(to: &spec, build: try resolved(settings.build), container: try resolved(settings.container),
                       origin: settings.container.flatMap { place($0.origin) })
    }

    /// `devenv.toml:7:10` for a value from a file, nil for a default.
    private static func place(_ origin: ConfigOrigin) -> String? {
        if case .file(let location) = origin { return location.description }
        return nil
    }

    static func spec(_ config: LoadedConfig) -> EnvironmentSpec {
        let project = config.project
        let profile = config.profile
        var spec = EnvironmentSpec(project: project.name.value, profile: profile.name, projectRoot: project.directory,
                                   dockerfile: project.dockerfilePath, context: project.contextPath)
        spec.defaultProfile = project.defaultProfile.value
        spec.target = profile.target.value
        spec.targetOrigin = place(profile.target.origin)
        for argument in project.buildArgs { spec.buildArgs[argument.name] = argument.value }
        if let base = project.baseImage.value { spec.buildArgs["BASE_IMAGE"] = base }
        spec.buildSecrets = project.buildSecrets.map { secret in
            switch secret.source {
            case .file(_, let resolved): return .init(id: secret.id, source: .file(resolved), origin: place(secret.origin))
            case .environment(let variable): return .init(id: secret.id, source: .environment(variable), origin: place(secret.origin))
            }
        }
        spec.network = profile.network.value
        switch profile.user.value {
        case .host: spec.user = .host
        case .image: spec.user = .image
        case .ids(let uid, let gid): spec.user = .fixed(uid: uid, gid: gid)
        }
        spec.ports = profile.publishedPorts
        for variable in profile.env { spec.environment[variable.name] = variable.value }
        spec.environmentResolvedAtCreate = profile.envResolvedAtUp
        if let home = profile.home.value, spec.environment["HOME"] == nil { spec.environment["HOME"] = home }
        spec.envFile = profile.envFile.value.map(project.resolve)
        for volume in profile.volumes { spec.volumes[volume.name] = volume.value }
        spec.mounts = project.mounts.value.map {
            .init(source: $0.resolvedHostPath, target: $0.containerPath, readOnly: $0.readOnly, origin: place(project.mounts.origin))
        }
        spec.ssh = profile.ssh.value
        spec.command = profile.command.value ?? []
        spec.readOnly = profile.readOnly.value
        spec.tmpfs = profile.tmpfs.value
        spec.capDrop = profile.capDrop.value
        spec.capAdd = profile.capAdd.value
        spec.noNewPrivileges = profile.noNewPrivileges.value
        spec.restart = profile.restart.value
        spec.mountWorkspace = profile.mountWorkspace.value
        spec.workspace = project.workspace.value
        spec.syncCommand = profile.syncCommand.value
        spec.testCommand = profile.testCommand.value
        spec.cleanCacheCommand = project.cleanCache.value ?? []
        spec.image = profile.image.value
        spec.cacheFrom = project.cacheFrom.value
        spec.runArgs = profile.runArgs.value
        if case .file(let place) = profile.runArgs.origin, place.file.hasSuffix(".json") { spec.runArgsKey = "runArgs" }
        spec.lifecycle = profile.lifecycle.mapValues(\.value)
        spec.waitFor = profile.waitFor.value
        for label in profile.portLabels { spec.portLabels[label.name] = label.value }
        spec.devcontainerFile = profile.devcontainerFile
        spec.gpu = profile.gpu.value
        spec.services = config.services(for: profile).map { service in
            var service = service
            service.envFile = service.envFile.map(project.resolve)
            // Published like the app's: on the profile's `host` unless the spec names an address.
            service.ports = service.ports.map { port in
                var port = port
                if port.hostIP == nil { port.hostIP = profile.host.value }
                return port
            }
            if var build = service.build {
                build.context = project.resolve(build.context)
                build.dockerfile = build.dockerfile.map(project.resolve) ?? build.context + "/Dockerfile"
                service.build = build
            }
            return service
        }
        if !spec.services.isEmpty { spec.serviceNetwork = ResourceNames(spec).network }
        return spec
    }
}
