/// Reads and layers devenv's configuration. Layers, lowest first:
/// 1. shipped profiles (`ProfileSearch.shippedCandidates`), 2. the user's profile folder,
/// 3. the project's `.devenv/profiles`, 4. devenv.toml (or `[tool.devenv]` of pyproject.toml
/// when there is no devenv.toml). A higher layer replaces the values it sets; `env`,
/// `volumes`, `build_args` and `build_secrets` merge key by key.
public enum ConfigLoader {
    /// The outcome of reading the configuration: a config when there was no error, and every
    /// finding (errors and warnings) in the order files were read.
    public struct Evaluation: Sendable {
        public var config: LoadedConfig?
        public var diagnostics: [Diagnostic]
        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    }

    /// Loads the configuration for `profile` (nil: the project's `default_profile`).
    /// Throws `DevEnvError(.usage)` (exit 2) listing every finding when any is an error.
    public static func load(projectDirectory: String, profile: String?, executablePath: String,
                            environment: [String: String], fileSystem: FileSystem) throws -> LoadedConfig {
        let evaluation = evaluate(projectDirectory: projectDirectory, profile: profile, executablePath: executablePath,
                                  environment: environment, fileSystem: fileSystem)
        if let config = evaluation.config { return config }
        let errors = evaluation.errors
        let message = errors.count == 1
            ? errors[0].description
            : "\(errors.count) errors in the configuration"
        throw DevEnvError(.usage, message,
                          hint: "fix the configuration; `devenv config` shows the effective settings and where each comes from",
                          detail: evaluation.diagnostics.map(\.description).joined(separator: "\n"))
    }

    /// Like `load`, without throwing: for tests and for `devenv config`, which shows findings.
    public static func evaluate(projectDirectory rawProjectDirectory: String, profile requested: String?,
                                executablePath: String, environment: [String: String],
                                fileSystem: FileSystem) -> Evaluation {
        let projectDirectory = ConfigPath.normalize(rawProjectDirectory)
        var reader = ConfigTableReader(projectDirectory: projectDirectory, home: environment["HOME"])
        var files: [String] = []
        var layers: [String: [ProfileLayer]] = [:]
        var definedAt: [String: SourceLocation] = [:]

        func display(_ path: String) -> String {
            let prefix = projectDirectory == "/" ? "/" : projectDirectory + "/"
            return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        }

        func decode(_ path: String) -> TOMLTable? {
            let shown = display(path)
            do {
                guard let bytes = try fileSystem.readFile(path) else { return nil }
                files.append(shown)
                return try TOMLDecoder.decode(bytes, file: shown)
            } catch let error as TOMLDecodeError {
                reader.error(error.message, at: error.location)
            } catch {
                reader.error("cannot read \(shown): \(error)", at: nil)
            }
            return nil
        }

        // 1-3: profile folders.
        if let explicit = environment["DEVENV_PROFILES_DIR"], !explicit.isEmpty, !fileSystem.isDirectory(explicit) {
            reader.error("DEVENV_PROFILES_DIR is \"\(explicit)\", which is not a folder", at: nil)
        }
        let directories = ProfileSearch.directories(executablePath: executablePath, projectDirectory: projectDirectory,
                                                    environment: environment, fileSystem: fileSystem)
        if !directories.contains(where: { $0.kind == .shipped }) && environment["DEVENV_PROFILES_DIR"]?.isEmpty ?? true {
            let looked = ProfileSearch.shippedCandidates(executablePath: executablePath, environment: environment,
                                                         fileSystem: fileSystem)
            reader.warning("devenv's shipped profiles were not found (looked in \(looked.joined(separator: ", "))); "
                           + "set DEVENV_PROFILES_DIR", at: nil)
        }
        for directory in directories {
            for entry in fileSystem.listDirectory(directory.path) where entry.hasSuffix(".toml") {
                let path = ConfigPath.join(directory.path, entry)
                let name = String(entry.dropLast(".toml".count))
                guard isProfileName(name) else {
                    reader.warning("\(display(path)) is not used: profile names may only use letters, digits, '_', '.' and '-'",
                                   at: nil)
                    continue
                }
                guard let table = decode(path) else { continue }
                let layer = reader.profileLayer(table, context: "profile \(display(path))")
                layers[name, default: []].append(layer)
                if definedAt[name] == nil { definedAt[name] = SourceLocation(file: display(path), line: 1, column: 1) }
            }
        }

        // 4: devenv.toml, else [tool.devenv] of pyproject.toml.
        var project = ProjectSettings.defaults(directory: projectDirectory)
        let devenvPath = ConfigPath.join(projectDirectory, "devenv.toml")
        let pyprojectPath = ConfigPath.join(projectDirectory, "pyproject.toml")
        var projectRoot: (table: TOMLTable, context: String)?
        if fileSystem.fileExists(devenvPath) {
            if let table = decode(devenvPath) { projectRoot = (table, "devenv.toml") }
            if fileSystem.fileExists(pyprojectPath), let pyproject = decode(pyprojectPath),
               let tool = pyproject["tool"], case .table(let toolTable) = tool.value, let devenv = toolTable["devenv"] {
                reader.warning("[tool.devenv] is ignored because devenv.toml exists; keep the configuration in one place",
                               at: devenv.keyLocation ?? devenv.location)
            }
        } else if fileSystem.fileExists(pyprojectPath), let pyproject = decode(pyprojectPath),
                  let tool = pyproject["tool"], case .table(let toolTable) = tool.value, let devenv = toolTable["devenv"] {
            if case .table(let table) = devenv.value { projectRoot = (table, "[tool.devenv]") }
            else { reader.error("\"tool.devenv\" must be a table, found \(devenv.value.typeDescription)", at: devenv.location) }
        }
        if let (root, context) = projectRoot {
            let prefix = context == "devenv.toml" ? "" : "tool.devenv."
            reader.checkKeys(root, known: ConfigKeys.root, in: context)
            if let node = root["project"] {
                if case .table(let table) = node.value { reader.project(table, context: "[\(prefix)project]", into: &project) }
                else { reader.error("\"\(prefix)project\" must be a table, found \(node.value.typeDescription)", at: node.location) }
            }
            if let node = root["profiles"] {
                if case .table(let profiles) = node.value {
                    for (name, entry) in profiles.entries {
                        let at = entry.keyLocation ?? entry.location
                        guard isProfileName(name) else {
                            reader.error("profile name \"\(name)\" may only use letters, digits, '_', '.' and '-'", at: at)
                            continue
                        }
                        guard case .table(let table) = entry.value else {
                            reader.error("\"\(prefix)profiles.\(name)\" must be a table, found \(entry.value.typeDescription)",
                                         at: entry.location)
                            continue
                        }
                        layers[name, default: []].append(reader.profileLayer(table, context: "[\(prefix)profiles.\(name)]"))
                        if definedAt[name] == nil { definedAt[name] = at }
                    }
                } else {
                    reader.error("\"\(prefix)profiles\" must be a table, found \(node.value.typeDescription)", at: node.location)
                }
            }
        }

        // Resolve every profile, so that a broken `extends` anywhere is reported.
        let names = layers.keys.sorted()
        var resolver = ProfileResolver(layers: layers)
        var resolved: [String: Profile] = [:]
        for name in names {
            switch resolver.resolve(name) {
            case .success(let profile): resolved[name] = profile
            case .failure(let problem):
                if !reader.diagnostics.contains(problem.diagnostic) { reader.diagnostics.append(problem.diagnostic) }
            }
        }

        let chosenName = requested ?? project.defaultProfile.value
        let chosen = resolved[chosenName]
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

        let diagnostics = ordered(reader.diagnostics, files: files)
        guard let chosen, !diagnostics.contains(where: { $0.severity == .error }) else {
            return Evaluation(config: nil, diagnostics: diagnostics)
        }
        let config = LoadedConfig(project: project, profile: chosen, profileNames: names, files: files,
                                  diagnostics: diagnostics)
        return Evaluation(config: config, diagnostics: diagnostics)
    }

    /// Findings in reading order: general ones (no place) first, then by file as read, line
    /// and column; the sort is stable, so findings at one place keep their order.
    static func ordered(_ diagnostics: [Diagnostic], files: [String]) -> [Diagnostic] {
        var rank: [String: Int] = [:]
        for (index, file) in files.enumerated() where rank[file] == nil { rank[file] = index }
        func key(_ d: Diagnostic) -> (Int, Int, Int) {
            guard let l = d.location else { return (-1, 0, 0) }
            return (rank[l.file] ?? files.count, l.line, l.column)
        }
        return diagnostics.enumerated()
            .sorted { a, b in
                let (ka, kb) = (key(a.element), key(b.element))
                return (ka.0, ka.1, ka.2, a.offset) < (kb.0, kb.1, kb.2, b.offset)
            }
            .map(\.element)
    }

    static func isProfileName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
    }
}
