/// Reads a project folder through the `FileSystem` port and says what kind of uv project it
/// is. Pure: no system calls, only the port.
public enum ProjectDetection {
    public static func detect(directory: String, fileSystem: any FileSystem) throws -> PythonProject {
        let pyprojectPath = ConfigPath.join(directory, "pyproject.toml")
        guard let bytes = try fileSystem.readFile(pyprojectPath) else {
            throw DevEnvError.usage("no pyproject.toml in \(directory)",
                                    hint: "devenv init sets up a uv project: run `uv init` (or `uv init --package`) first, then `uv lock`")
        }
        let table: TOMLTable
        do {
            table = try TOMLDecoder.decode(bytes, file: "pyproject.toml")
        } catch {
            throw DevEnvError.usage("pyproject.toml is not valid TOML: \(error)", hint: "fix it (uv would refuse it too)")
        }
        let projectTable = Self.table(table["project"])
        let folderName = ConfigPath.lastComponent(directory)
        let name = projectTable.flatMap { Self.string($0["name"]) } ?? folderName
        let tool = Self.table(table["tool"]).flatMap { Self.table($0["uv"]) }
        let buildSystem = Self.table(table["build-system"])
        let packageFlag: Bool? = tool.flatMap { uv in
            if case .boolean(let flag)? = uv["package"]?.value { return flag }
            return nil
        }

        var devDependencies = Self.strings(Self.table(table["dependency-groups"]).flatMap { $0["dev"] })
        devDependencies += Self.strings(tool.flatMap { $0["dev-dependencies"] })
        var scripts: [String] = []
        if let scriptTable = projectTable.flatMap({ Self.table($0["scripts"]) }) {
            scripts = scriptTable.entries.map(\.key)
        }

        let (module, layout) = Self.findCode(directory: directory, projectName: name, fileSystem: fileSystem)
        let pinned = try fileSystem.readFile(ConfigPath.join(directory, ".python-version")).flatMap { bytes in
            String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map { Self.trimmed(String($0)) }
        }

        return PythonProject(
            directory: directory, name: name, module: module, layout: layout,
            hasLock: fileSystem.fileExists(ConfigPath.join(directory, "uv.lock")),
            isPackaged: packageFlag ?? (buildSystem != nil),
            buildBackend: buildSystem.flatMap { Self.string($0["build-backend"]) },
            requiresPython: projectTable.flatMap { Self.string($0["requires-python"]) },
            pinnedPython: pinned.flatMap { $0.isEmpty ? nil : $0 },
            scripts: scripts,
            dependencies: Self.strings(projectTable.flatMap { $0["dependencies"] }).map(PythonProject.requirementName),
            devDependencies: devDependencies.map(PythonProject.requirementName),
            hasTestsFolder: fileSystem.isDirectory(ConfigPath.join(directory, "tests")))
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
        let packages = fileSystem.listDirectory(src).filter { fileSystem.fileExists(ConfigPath.join(src, $0 + "/__init__.py")) }
        if packages.count == 1, let only = packages.first { return (only, .src) }
        return (module, .unknown)
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
