/// One run of `ConfigLoader.evaluate`: reads the layers in order, collecting profile layers,
/// project settings, the files read and every finding.
struct ConfigAssembly {
    let projectDirectory: String
    let environment: HostEnvironment
    /// The names in `environment` whose values were not UTF-8 on the host: a reference to one
    /// is an error where it stands (`HostVariable.notUTF8`).
    let undecodable: Set<String>
    /// Reads and decodes each file once (the caller's cache when it passed one).
    let fileSystem: CachedFileSystem
    private var reader: ConfigTableReader
    private var files: [String] = []
    private var layers: [String: [ProfileLayer]] = [:]
    private var project: ProjectSettings
    /// devcontainer.json files read, by the profile each defines.
    private var devcontainers: [String: DevcontainerLayer] = [:]
    /// `[services.NAME]` of devenv.toml or `[tool.devenv]`, by name.
    private var services: [String: ServiceSpec] = [:]
    /// Every name under `[services]`, broken ones included.
    private var declaredServices: Set<String> = []

    init(projectDirectory: String, environment: HostEnvironment, undecodable: Set<String> = [], fileSystem: FileSystem) {
        let directory = ConfigPath.normalize(projectDirectory)
        self.projectDirectory = directory
        self.environment = environment
        self.undecodable = undecodable
        self.fileSystem = CachedFileSystem.wrapping(fileSystem)
        self.reader = ConfigTableReader(projectDirectory: directory, home: environment["HOME"], environment: environment,
                                        undecodable: undecodable)
        self.project = ProjectSettings.defaults(directory: directory)
    }

    /// Files inside the project are shown relative to it (`devenv.toml`), others absolute.
    private func display(_ path: String) -> String {
        let prefix = projectDirectory == "/" ? "/" : projectDirectory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The decoded file, nil when it is absent or broken. With `report` false the file only
    /// informs a warning: it is neither listed as read nor are its problems reported.
    private mutating func decode(_ path: String, report: Bool = true) -> TOMLTable? {
        let shown = display(path)
        do {
            // Read first (cached: `toml` reuses these bytes) so that an unreadable file is not
            // listed as read, while a broken one is.
            guard let bytes = try fileSystem.readFile(path) else { return nil }
            if report { files.append(shown) }
            if let problem = ConfigLimits.sizeProblem(bytes, shown: shown) {
                if report { reader.error(problem, at: SourceLocation(file: shown, line: 1, column: 1)) }
                return nil
            }
            return try fileSystem.toml(path, shown: shown)
        } catch let error as DecodeError {
            if report { reader.error(error.message, at: error.location) }
        } catch {
            if report { reader.error("cannot read \(shown): \(error)", at: nil) }
        }
        return nil
    }

    /// The decoded bytes of a file shown as `shown`, nil when broken (see `decode(_:report:)`).
    private mutating func decode(_ bytes: [UInt8], shown: String, report: Bool) -> TOMLTable? {
        if report { files.append(shown) }
        do {
            return try TOMLDecoder.decode(bytes, file: shown)
        } catch {
            if report { reader.error(error.message, at: error.location) }
        }
        return nil
    }

    /// Layers 1-3: the shipped, user and project profile folders, one `NAME.toml` a profile.
    mutating func readProfileDirectories(executablePath: String) {
        let explicit = environment[ProfileSearch.folderVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let explicit, !fileSystem.isDirectory(explicit) {
            reader.error("\(ProfileSearch.folderVariable) is \"\(explicit)\", which is not a folder", at: nil)
        }
        let directories = ProfileSearch.directories(executablePath: executablePath, projectDirectory: projectDirectory,
                                                    environment: environment, fileSystem: fileSystem)
        // No shipped folder (a binary copied away from its share/devenv/profiles): the copies
        // compiled in from Profiles/ stand in, so it behaves like an installed one. An explicit
        // DEVENV_PROFILES_DIR never falls back.
        if explicit == nil && !directories.contains(where: { $0.kind == .shipped }) {
            for file in ShippedProfiles.files {
                let name = String(file.name.dropLast(".toml".count))
                let shown = ProfileSearch.embeddedPrefix + file.name
                if let layer = ShippedProfileLayers.layer(file.name, file: shown) {
                    files.append(shown)
                    layers[name, default: []].append(layer)
                    continue
                }
                guard let table = decode(Array(file.text.utf8), shown: shown, report: true) else { continue }
                layers[name, default: []].append(reader.profileLayer(table, context: "profile \(shown)"))
            }
        }
        for directory in directories {
            for entry in fileSystem.listDirectory(directory.path) where entry.hasSuffix(".toml") {
                let path = ConfigPath.join(directory.path, entry)
                let name = String(entry.dropLast(".toml".count))
                if let problem = ConfigLoader.profileNameProblem(name) {
                    reader.warning("\(display(path)) is not used: profile names \(problem)", at: nil)
                    continue
                }
                if directory.kind == .shipped, let layer = shippedLayer(path, entry: entry) {
                    files.append(display(path))
                    layers[name, default: []].append(layer)
                    continue
                }
                guard let table = decode(path) else { continue }
                layers[name, default: []].append(reader.profileLayer(table, context: "profile \(display(path))"))
            }
        }
    }

    /// The precomputed layer of a shipped profile file whose bytes are exactly the compiled-in
    /// text of that name (decoding the shipped profiles was a sixth of `status`'s own work);
    /// nil for any other file (an edited one, an unreadable one), which is then decoded and
    /// reported as usual.
    private func shippedLayer(_ path: String, entry: String) -> ProfileLayer? {
        guard let shipped = ShippedProfiles.files.first(where: { $0.name == entry }),
              let bytes = try? fileSystem.readFile(path),
              // Array == compares in bulk; elementsEqual against the UTF-8 view went byte by
              // byte through the view's iterator, 40 instructions a byte.
              bytes.count == shipped.text.utf8.count, bytes == Array(shipped.text.utf8) else { return nil }
        return ShippedProfileLayers.layer(entry, file: display(path))
    }

    /// Layer 4: devenv.toml, else `[tool.devenv]` of pyproject.toml.
    mutating func readProjectFile() {
        let devenvPath = ConfigPath.join(projectDirectory, "devenv.toml")
        let pyprojectPath = ConfigPath.join(projectDirectory, "pyproject.toml")
        var ownConfiguration = true
        // A link that leads to no file (a loop, a target that is gone) is no absent file: the
        // shipped profiles would run in its place, silently.
        for path in [devenvPath, pyprojectPath] where !fileSystem.fileExists(path) {
            guard let target = fileSystem.symbolicLinkTarget(path) else { continue }
            reader.error("\(display(path)) is a symbolic link to \(target), which leads to no file (it is missing, or the links "
                         + "go round in a loop)", at: nil)
        }
        if fileSystem.fileExists(devenvPath) {
            if let root = decode(devenvPath) { readRoot(root, context: "devenv.toml", prefix: "") }
            // Only to say that [tool.devenv] is ignored: pyproject.toml itself is uv's business.
            if let pyproject = decode(pyprojectPath, report: false), let devenv = Self.toolDevenv(pyproject) {
                reader.warning("[tool.devenv] is ignored because devenv.toml exists; keep the configuration in one place",
                               at: devenv.keyLocation ?? devenv.location)
            }
        } else if let pyproject = decode(pyprojectPath), let devenv = Self.toolDevenv(pyproject) {
            if case .table(let root) = devenv.value { readRoot(root, context: "[tool.devenv]", prefix: "tool.devenv.") }
            else { reader.error("\"tool.devenv\" must be a table, found \(devenv.value.typeDescription)", at: devenv.location) }
        } else {
            ownConfiguration = false
        }
        // Without devenv's own configuration, the project's devcontainer.json files are it.
        if !ownConfiguration { readDevcontainers() }
    }

    private mutating func readDevcontainers() {
        let search = DevcontainerSearch.files(projectDirectory: projectDirectory, fileSystem: fileSystem)
        for (path, reason) in search.passedOver { reader.warning("\(display(path)) is \(reason)", at: nil) }
        for found in search.found { readDevcontainer(found.path, profile: found.profile, namedAt: nil) }
        // With only named configurations, the first is the default (there is no dev one).
        if let first = search.found.first, !search.found.contains(where: { $0.profile == project.defaultProfile.value }) {
            project.defaultProfile = .builtIn(first.profile)
        }
    }

    /// Reads one devcontainer.json as the whole of profile `name`: it replaces the profile
    /// folders' layers of that name (a devcontainer.json describes its environment fully, and
    /// devenv's shipped dev profile would add a target, ports and volumes it never asked for).
    private mutating func readDevcontainer(_ path: String, profile name: String, namedAt: SourceLocation?) {
        let shown = display(path)
        let bytes: [UInt8]
        do {
            guard let read = try fileSystem.readFile(path) else {
                reader.error("devcontainer: no file at \(shown)", at: namedAt)
                return
            }
            bytes = read
            if let problem = ConfigLimits.sizeProblem(read, shown: shown) {
                reader.error(problem, at: SourceLocation(file: shown, line: 1, column: 1))
                return
            }
        } catch {
            reader.error("cannot read \(shown): \(error)", at: namedAt)
            return
        }
        // Named by devenv.toml (read already): the file is the layer below it.
        if namedAt != nil, !files.isEmpty { files.insert(shown, at: files.count - 1) } else { files.append(shown) }
        let root: JSONCNode
        do { root = try JSONCDecoder.decode(bytes, file: shown) } catch {
            reader.error(error.message, at: error.location)
            return
        }
        var mapper = DevcontainerReader(file: shown, path: path, projectDirectory: projectDirectory, profileName: name,
                                        environment: environment, undecodable: undecodable)
        let layer = mapper.read(root)
        for diagnostic in mapper.diagnostics { reader.add(diagnostic) }
        layers[name] = [layer.profile]
        devcontainers[name] = layer
    }

    private static func toolDevenv(_ pyproject: TOMLTable) -> TOMLNode? {
        guard let tool = pyproject["tool"], case .table(let toolTable) = tool.value else { return nil }
        return toolTable["devenv"]
    }

    /// The root of devenv.toml or `[tool.devenv]`: `[project]` and `[profiles.NAME]`.
    private mutating func readRoot(_ root: TOMLTable, context: String, prefix: String) {
        reader.checkKeys(root, known: ConfigKeys.root, in: context)
        // Read before the profiles, so that devenv.toml's keys override the file's.
        if let node = root["devcontainer"], let path = reader.nonEmptyString("\(prefix)devcontainer", node) {
            if reader.checkInsideProject("devcontainer", path, at: node.location) {
                var absolute = ConfigPath.join(projectDirectory, path)
                if fileSystem.isDirectory(absolute) { absolute = ConfigPath.join(absolute, "devcontainer.json") }
                readDevcontainer(absolute, profile: DevcontainerSearch.profile(forPath: absolute), namedAt: node.location)
            }
        }
        if let node = root["project"] {
            if case .table(let table) = node.value { reader.project(table, context: "[\(prefix)project]", into: &project) }
            else { reader.error("\"\(prefix)project\" must be a table, found \(node.value.typeDescription)", at: node.location) }
        }
        if let node = root["services"] {
            let read = reader.services(node, context: "\(prefix)services")
            for service in read.services { services[service.name] = service }
            declaredServices.formUnion(read.declared)
        }
        guard let node = root["profiles"] else { return }
        guard case .table(let profiles) = node.value else {
            reader.error("\"\(prefix)profiles\" must be a table, found \(node.value.typeDescription)", at: node.location)
            return
        }
        for (name, entry) in profiles.entries {
            if let problem = ConfigLoader.profileNameProblem(name) {
                reader.error("profile name \"\(name)\" \(problem)", at: entry.keyLocation ?? entry.location)
                continue
            }
            guard case .table(let table) = entry.value else {
                reader.error("\"\(prefix)profiles.\(name)\" must be a table, found \(entry.value.typeDescription)", at: entry.location)
                continue
            }
            layers[name, default: []].append(reader.profileLayer(table, context: "[\(prefix)profiles.\(name)]"))
        }
    }

    /// Resolves every profile (so that a broken `extends` anywhere is reported), picks the
    /// requested one (or `default_profile`), and orders the findings.
    mutating func finish(requested: String?) -> ConfigLoader.Evaluation {
        let names = layers.keys.sorted()
        var resolver = ProfileResolver(layers: layers)
        var resolved: [String: Profile] = [:]
        for name in names {
            switch resolver.resolve(name) {
            case .success(let profile): resolved[name] = profile
            case .failure(let problem):
                reader.add(problem.diagnostic, once: true)
            }
        }

        let chosenName = requested ?? project.defaultProfile.value
        if layers[chosenName] == nil {
            let available = names.isEmpty ? "none" : names.joined(separator: ", ")
            if requested != nil {
                reader.error("unknown profile \"\(chosenName)\" (available: \(available))", at: nil)
            } else {
                var at: SourceLocation?
                if case .file(let location) = project.defaultProfile.origin { at = location }
                reader.error("default_profile \"\(chosenName)\" is not a profile (available: \(available))", at: at)
            }
        }

        // The chosen profile's devcontainer.json fills in the project settings devenv.toml left
        // at their defaults (devenv.toml overrides any field).
        if let devcontainer = devcontainers[chosenName] {
            if case .builtIn = project.dockerfile.origin, let v = devcontainer.dockerfile { project.dockerfile = v }
            if case .builtIn = project.context.origin, let v = devcontainer.context { project.context = v }
            if case .builtIn = project.workspace.origin, let v = devcontainer.workspace { project.workspace = v }
            if case .builtIn = project.mounts.origin, let v = devcontainer.mounts { project.mounts = v }
            if case .builtIn = project.cacheFrom.origin, let v = devcontainer.cacheFrom { project.cacheFrom = v }
            project.buildArgs = devcontainer.buildArgs.overlaid(with: project.buildArgs)
        }

        checkServices(chosen: resolved[chosenName], all: resolved)

        // The count of what was not kept comes last, after the findings in file order.
        let diagnostics = ConfigLoader.ordered(reader.diagnostics, files: files) + (reader.unshownSummary.map { [$0] } ?? [])
        guard let chosen = resolved[chosenName], !diagnostics.contains(where: { $0.severity == .error }) else {
            return ConfigLoader.Evaluation(config: nil, diagnostics: diagnostics, unshownErrors: reader.unshown.errors)
        }
        var config = LoadedConfig(project: project, profile: chosen, profileNames: names, files: files,
                                  diagnostics: diagnostics, profiles: resolved)
        config.services = services.values.sorted { $0.name < $1.name }
        return ConfigLoader.Evaluation(config: config, diagnostics: diagnostics)
    }

    /// The chosen profile may name only declared services (an error where it names it); a
    /// declared service no profile runs is a warning where it is declared. Other profiles'
    /// unknown names are not errors here (a user-wide profile may name a service this project
    /// lacks): they are left out when that profile is used.
    private mutating func checkServices(chosen: Profile?, all: [String: Profile]) {
        if let chosen {
            let known = declaredServices.sorted()
            for named in chosen.services.value where !declaredServices.contains(named.name) {
                var at: SourceLocation?
                if case .file(let location) = named.origin { at = location }
                var message = "profile \(chosen.name) names service \"\(named.name)\", which no [services.\(named.name)] declares"
                if reader.isFull {
                    // Only counted: the message is not worth its work.
                } else if let near = KeySuggestion.nearest(to: named.name, in: known) { message += "; did you mean \"\(near)\"?" }
                else { message += " (declared: \(known.isEmpty ? "none" : known.joined(separator: ", ")))" }
                reader.error(message, at: at)
            }
        }
        let used = Set(all.values.flatMap { $0.services.value.map(\.name) })
        for service in services.values.sorted(by: { $0.name < $1.name }) where !used.contains(service.name) {
            var at: SourceLocation?
            if case .file(let location) = service.origin { at = location }
            reader.warning("service \"\(service.name)\" is declared but no profile runs it; add it to a profile's "
                           + "`services = [\"\(service.name)\"]`", at: at)
        }
    }
}
