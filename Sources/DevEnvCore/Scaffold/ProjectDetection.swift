/// Reads a project folder through the `FileSystem` port and says what kind of uv project it
/// is. Pure: no system calls, only the port.
public enum ProjectDetection {
    /// What `directory` holds, from its pyproject.toml and files (layout, package, scripts,
    /// dependencies, build backend, tests folder, web app). Throws `DevEnvError.usage` (exit 2) when uv could not lock or sync the
    /// project: no pyproject.toml (setup.py or setup.cfg only), one that is not TOML (the
    /// message has its `pyproject.toml:LINE:COL`), or one without a `[project]` table; each with
    /// a hint saying what would make it work.
    public static func detect(directory: String, fileSystem: any FileSystem) throws -> PythonProject {
        let pyprojectPath = ConfigPath.join(directory, "pyproject.toml")
        let legacy = ["setup.py", "setup.cfg"].filter { fileSystem.fileExists(ConfigPath.join(directory, $0)) }
        guard let bytes = try fileSystem.readFile(pyprojectPath) else {
            if let file = legacy.first {
                throw DevEnvError.usage("\(file) without pyproject.toml in \(directory): devenv runs uv projects, and uv can neither lock nor sync a project without a [project] table",
                                        hint: "move the metadata into pyproject.toml's [project] table (name, version, dependencies; keep setup.py for ext_modules if needed), then run `uv lock`")
            }
            throw DevEnvError.usage("no pyproject.toml in \(directory)",
                                    hint: "devenv init sets up a uv project: run `uv init` (or `uv init --package`) first, then `uv lock`")
        }
        let table: TOMLTable
        do {
            table = try TOMLDecoder.decode(bytes, file: "pyproject.toml")
        } catch {
            throw DevEnvError.usage("pyproject.toml is not valid TOML: \(error)", hint: "fix it (uv would refuse it too)")
        }
        let tool = Self.table(table["tool"])
        guard let projectTable = Self.table(table["project"]) else {
            // uv locks and syncs [project] only: anything else gives an empty lock and a venv
            // without the project's dependencies, which looks like success until an import fails.
            let reason: String
            let hint: String
            if tool.flatMap({ Self.table($0["poetry"]) }) != nil {
                reason = "its metadata is Poetry's ([tool.poetry])"
                hint = "convert it to a [project] table (Poetry 2 reads [project] too), then run `uv lock`"
            } else if tool.flatMap({ Self.table($0["pdm"]) }) != nil && legacy.isEmpty {
                reason = "it has [tool.pdm] but no [project] metadata"
                hint = "add a [project] table (name, version, dependencies), then run `uv lock`"
            } else if let file = legacy.first {
                reason = "its metadata is in \(file)"
                hint = "move the metadata into pyproject.toml's [project] table (name, version, dependencies), then run `uv lock`"
            } else {
                reason = "there is no project metadata"
                hint = "add a [project] table (or run `uv init` in the folder), then run `uv lock`"
            }
            throw DevEnvError.usage("pyproject.toml in \(directory) has no [project] table (\(reason)): uv cannot lock or install the project, so devenv cannot run it",
                                    hint: hint)
        }
        try Self.checkNames(table, project: projectTable)
        let folderName = ConfigPath.lastComponent(directory)
        // No [project] name (uv would refuse the file): the folder's, made a valid name.
        let name = Self.string(projectTable["name"])
            ?? (PythonProject.isValidName(folderName) ? folderName : ProjectName.sanitized(folderName))
        let uvTool = tool.flatMap { Self.table($0["uv"]) }
        let buildSystem = Self.table(table["build-system"])
        let packageFlag: Bool? = uvTool.flatMap { uv in
            if case .boolean(let flag)? = uv["package"]?.value { return flag }
            return nil
        }

        let groups = Self.dependencyGroups(Self.table(table["dependency-groups"]),
                                           legacyDev: Self.strings(uvTool.flatMap { $0["dev-dependencies"] }))
        let devDependencies = groups.first { $0.name == "dev" }?.packages ?? []
        let extras = Self.table(projectTable["optional-dependencies"]).map { extras in
            extras.entries.map { PythonProject.Requirements(name: $0.key, packages: Self.strings($0.node).map(PythonProject.requirementName)) }
        } ?? []
        var scripts: [String] = []
        if let scriptTable = Self.table(projectTable["scripts"]) {
            scripts = scriptTable.entries.map(\.key)
        }

        let (module, layout) = Self.findCode(directory: directory, projectName: name, fileSystem: fileSystem)
        let packageFolder = Self.packageFolder(directory: directory, module: module, layout: layout)
        let pinned = try fileSystem.readFile(ConfigPath.join(directory, ".python-version")).flatMap { bytes in
            String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map { Self.trimmed(String($0)) }
        }
        let buildRequires = Self.strings(buildSystem?["requires"]).map(PythonProject.requirementName)
        let setupScript = try fileSystem.readFile(ConfigPath.join(directory, "setup.py")).map { String(decoding: $0, as: UTF8.self) }

        return PythonProject(
            directory: directory, name: name, module: module, layout: layout,
            hasLock: fileSystem.fileExists(ConfigPath.join(directory, "uv.lock")),
            isPackaged: packageFlag ?? (buildSystem != nil),
            buildBackend: buildSystem.flatMap { Self.string($0["build-backend"]) },
            requiresPython: Self.string(projectTable["requires-python"]),
            pinnedPython: pinned.flatMap { $0.isEmpty ? nil : $0 },
            scripts: scripts,
            dependencies: Self.strings(projectTable["dependencies"]).map(PythonProject.requirementName),
            devDependencies: devDependencies,
            dependencyGroups: groups,
            optionalDependencies: extras,
            testsFolder: ["tests", "test"].first { fileSystem.isDirectory(ConfigPath.join(directory, $0)) },
            buildRequires: buildRequires,
            extensionBuild: Self.extensionBuild(buildRequires: buildRequires, setupScript: setupScript,
                                                setuptools: tool.flatMap { Self.table($0["setuptools"]) }),
            hasMainModule: packageFolder.map { fileSystem.fileExists(ConfigPath.join($0, "__main__.py")) } ?? false,
            webApp: try packageFolder.flatMap { try Self.findWebApp(packageFolder: $0, module: module, fileSystem: fileSystem) })
    }

    /// Build requirements that mean compiled code, each with the tool's name as users know it.
    static let extensionBackends: [(package: String, name: String)] = [
        ("cython", "Cython"), ("meson-python", "meson-python"), ("scikit-build-core", "scikit-build-core"),
        ("scikit-build", "scikit-build"), ("maturin", "maturin"), ("setuptools-rust", "setuptools-rust"),
        ("pybind11", "pybind11"), ("cffi", "cffi"), ("nanobind", "nanobind"),
    ]

    /// Why the project compiles code when it is built, nil when nothing says so.
    static func extensionBuild(buildRequires: [String], setupScript: String?, setuptools: TOMLTable?) -> String? {
        if let backend = extensionBackends.first(where: { buildRequires.contains($0.package) }) {
            return "\(backend.name) in [build-system].requires"
        }
        if setuptools?["ext-modules"] != nil { return "[tool.setuptools] ext-modules" }
        if let setupScript, setupScript.contains("ext_modules") || setupScript.contains("Extension(") {
            return "setuptools ext_modules in setup.py"
        }
        return nil
    }

    /// Groups in file order with `{ include-group = "NAME" }` resolved (cycles stop), `dev`
    /// extended by the legacy `tool.uv.dev-dependencies`.
    static func dependencyGroups(_ table: TOMLTable?, legacyDev: [String]) -> [PythonProject.Requirements] {
        var raw: [(String, [TOMLNode])] = []
        for (key, node) in table?.entries ?? [] {
            if case .array(let items) = node.value { raw.append((key, items)) }
        }
        func resolve(_ name: String, seen: Set<String>) -> [String] {
            guard !seen.contains(name), let items = raw.first(where: { $0.0 == name })?.1 else { return [] }
            var packages: [String] = []
            for item in items {
                if let requirement = string(item) {
                    packages.append(PythonProject.requirementName(requirement))
                } else if let include = self.table(item).flatMap({ string($0["include-group"]) }) {
                    packages += resolve(include, seen: seen.union([name]))
                }
            }
            return packages
        }
        var groups = raw.map { PythonProject.Requirements(name: $0.0, packages: resolve($0.0, seen: [])) }
        let legacy = legacyDev.map(PythonProject.requirementName)
        if !legacy.isEmpty {
            if let dev = groups.firstIndex(where: { $0.name == "dev" }) {
                groups[dev].packages += legacy
            } else {
                groups.insert(PythonProject.Requirements(name: "dev", packages: legacy), at: 0)
            }
        }
        return groups
    }

    static func packageFolder(directory: String, module: String, layout: PythonProject.Layout) -> String? {
        switch layout {
        case .src: return ConfigPath.join(ConfigPath.join(directory, "src"), module)
        case .flat: return ConfigPath.join(directory, module)
        case .singleModule, .unknown: return nil
        }
    }

    /// `MODULE.FILE:NAME` for an ASGI/WSGI callable assigned at the top level of the package's
    /// main, app, asgi or wsgi module (`app = FastAPI()`, `application = get_wsgi_application()`).
    static func findWebApp(packageFolder: String, module: String, fileSystem: any FileSystem) throws -> String? {
        for file in ["main", "app", "asgi", "wsgi"] {
            guard let bytes = try fileSystem.readFile(ConfigPath.join(packageFolder, file + ".py")) else { continue }
            for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
                for name in ["app", "application"] where line.hasPrefix(name + " =") || line.hasPrefix(name + "=") {
                    return "\(module).\(file):\(name)"
                }
            }
        }
        return nil
    }

    /// src/ layout first (uv init --package), then flat, then a single module; a package
    /// folder under src/ whose name differs from the project's is still found when it is the
    /// only one.
    static func findCode(directory: String, projectName: String,
                         fileSystem: any FileSystem) -> (module: String, layout: PythonProject.Layout) {
        let module = PythonProject.moduleName(projectName)
        let src = ConfigPath.join(directory, "src")
        if fileSystem.fileExists(ConfigPath.join(src, module + "/__init__.py")) { return (module, .src) }
        if fileSystem.fileExists(ConfigPath.join(directory, module + "/__init__.py")) { return (module, .flat) }
        if fileSystem.fileExists(ConfigPath.join(src, module + ".py"))
            || fileSystem.fileExists(ConfigPath.join(directory, module + ".py")) {
            return (module, .singleModule)
        }
        // A folder whose name is no identifier cannot be imported; init writes the module's
        // name into the Dockerfile, so such a name (a newline, quotes) is never taken.
        let packages = fileSystem.listDirectory(src).filter {
            PythonProject.isIdentifier($0) && fileSystem.fileExists(ConfigPath.join(src, $0 + "/__init__.py"))
        }
        if packages.count == 1, let only = packages.first { return (only, .src) }
        return (module, .unknown)
    }

    /// The names init writes into the Dockerfile and devenv.toml (the project's, its extras',
    /// its dependency groups', its scripts') must be names: uv refuses the others (PEP 508,
    /// PEP 685, PEP 735), and a newline in one wrote a Dockerfile instruction of its own
    /// (`name = "x\nRUN ..."`). Throws `DevEnvError.usage` (exit 2) at the first bad one's
    /// `pyproject.toml:LINE:COL`.
    static func checkNames(_ table: TOMLTable, project: TOMLTable) throws {
        let rule = "ASCII letters and digits, with '.', '_' or '-' between them (PEP 508); uv refuses it too"
        if let node = project["name"] {
            guard case .string(let name) = node.value else {
                throw DevEnvError.usage("\(node.location): [project] name must be a string, found \(node.value.typeDescription)")
            }
            guard PythonProject.isValidName(name) else {
                throw DevEnvError.usage("\(node.location): [project] name \(JSONText.quote(name)) is not a package name: \(rule)")
            }
        }
        let named: [(String, TOMLTable?)] = [("[project.optional-dependencies]", Self.table(project["optional-dependencies"])),
                                            ("[dependency-groups]", Self.table(table["dependency-groups"]))]
        for (what, entries) in named {
            for (key, node) in entries?.entries ?? [] where !PythonProject.isValidName(key) {
                throw DevEnvError.usage("\(node.keyLocation ?? node.location): \(what) name \(JSONText.quote(key)) is not a valid name: \(rule)")
            }
        }
        for (key, node) in Self.table(project["scripts"])?.entries ?? [] where !PythonProject.isValidScriptName(key) {
            throw DevEnvError.usage("\(node.keyLocation ?? node.location): [project.scripts] name \(JSONText.quote(key)) is not a script name "
                                    + "devenv init can write into the prod stage's CMD: letters, digits, '_', '.' and '-' (as the entry points specification recommends)")
        }
    }

    private static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }

    private static func table(_ node: TOMLNode?) -> TOMLTable? {
        if case .table(let table)? = node?.value { return table }
        return nil
    }

    private static func string(_ node: TOMLNode?) -> String? {
        if case .string(let text)? = node?.value { return text }
        return nil
    }

    private static func strings(_ node: TOMLNode?) -> [String] {
        guard case .array(let items)? = node?.value else { return [] }
        return items.compactMap { string($0) }
    }
}
