import DevEnvCore

/// `devenv init [--base-image IMAGE] [--python 3.13] [--force]`: detects the uv project and
/// writes the multi-stage Dockerfile, docker/create-user.sh, .dockerignore, the env templates,
/// devenv.toml and the .gitignore entries. Never overwrites a file without --force, and then
/// keeps the old one as FILE.bak. No docker call.
struct Init {
    struct Result: Sendable {
        var project: PythonProject
        var choices: ScaffoldChoices
        var steps: [ScaffoldPlan.Step]
        var warnings: [String]
    }

    let context: AppContext
    let directory: String
    let baseImage: String?
    let python: String?
    let force: Bool
    let dryRun: Bool
    /// `--with`: names from `InitService.all`.
    var with: [String] = []

    func run() throws -> Result {
        let fileSystem = context.fileSystem
        try ProjectFolder.require(directory, fileSystem: fileSystem)
        let project = try ProjectDetection.detect(directory: directory, fileSystem: fileSystem)
        var choices = try ScaffoldChoices.resolve(project: project, python: python, baseImage: baseImage)
        let offered = InitService.all(project: PythonProject.moduleName(project.name))
        choices.services = with.compactMap { name in offered.first { $0.name == name } }
        let gitignore = try fileSystem.readFile(path(".gitignore")).map { String(decoding: $0, as: UTF8.self) }
        let files = ScaffoldPlan.files(project: project, choices: choices, existingGitignore: gitignore)
        let plan = ScaffoldPlan.make(files: files, exists: { fileSystem.fileExists(path($0)) }, force: force,
                                     unchanged: { file in
                                         (try? fileSystem.readFile(path(file.path))) == Array(file.text.utf8)
                                     })
        if !plan.conflicts.isEmpty {
            throw DevEnvError.usage("init would overwrite \(plan.conflicts.joined(separator: ", ")); nothing was written",
                                    hint: "pass --force to replace them (each old file is kept as FILE.bak)")
        }
        if !dryRun {
            // A root user in someone else's folder (sudo devenv init) gives them the files, as the
            // container would run as them too.
            let facts = context.hostFacts(directory)
            let folder = facts.folderOwner ?? fileSystem.owner(of: directory)
            let owner = facts.uid == 0 ? folder.flatMap { $0.uid == 0 ? nil : $0 } : nil
            var written: [String] = []
            for step in plan.steps where step.action != .skip {
                let target = path(step.file.path)
                // Folders init creates (docker/) go to the same owner as the files.
                let newFolders = Self.parentFolders(of: step.file.path).filter { !fileSystem.isDirectory(path($0)) }
                do {
                    if let backup = step.backup, let old = try fileSystem.readFile(target) {
                        try write(path(backup), old, mode: fileSystem.permissions(of: target) ?? 0o644, owner: owner)
                        written.append(backup)
                    }
                    try write(target, Array(step.file.text.utf8), mode: step.file.mode, owner: owner)
                } catch let error as DevEnvError {
                    // A full disk halfway: which files are there, and that init finishes them
                    // (a file that holds what it writes is left alone), not a bare error over
                    // half a scaffold (break30).
                    guard !written.isEmpty else { throw error }
                    throw DevEnvError(.failure, "\(error.message); written before it: \(written.joined(separator: ", ")), the rest was not",
                                      hint: "make room, then run `devenv init` again: it leaves the files that hold what it writes")
                }
                written.append(step.file.path)
                if let owner {
                    for folder in newFolders { try? fileSystem.setOwner(path(folder), uid: owner.uid, gid: owner.gid) }
                }
            }
        }
        return Result(project: project, choices: choices, steps: plan.steps, warnings: Self.warnings(project))
    }

    private func path(_ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    private func write(_ path: String, _ bytes: [UInt8], mode: UInt32,
                       owner: (uid: UInt32, gid: UInt32)?) throws {
        do {
            try context.fileSystem.writeFile(path, bytes, mode: mode)
            if let owner { try context.fileSystem.setOwner(path, uid: owner.uid, gid: owner.gid) }
        } catch let error as DevEnvError {
            throw error
        } catch {
            // The file system's error names the path and what failed ("cannot write PATH: …").
            throw DevEnvError.failure("\(error)")
        }
    }

    /// `docker/x/y.sh` -> [`docker`, `docker/x`].
    static func parentFolders(of relative: String) -> [String] {
        let parts = relative.split(separator: "/").dropLast()
        return parts.indices.map { parts[...($0)].joined(separator: "/") }
    }

    static func warnings(_ project: PythonProject) -> [String] {
        var warnings: [String] = []
        if !project.hasLock {
            warnings.append("no uv.lock: the Dockerfile installs with `uv sync --frozen`; run `uv lock` before building")
        }
        if project.layout == .unknown {
            warnings.append("no package or module named \(project.module) found: check the HEALTHCHECK and CMD of the prod stage")
        }
        if project.prodCommand == nil {
            let web = project.webFramework.map { " (\($0) found: the CMD should serve on port 8080)" } ?? ""
            warnings.append("prod needs an entry point: no [project.scripts], no \(project.module)/__main__.py and no ASGI/WSGI app under a server were found; the prod stage's CMD fails with that message until you set it\(web)")
        } else if let web = project.webFramework, project.webApp == nil, project.scripts.isEmpty {
            warnings.append("\(web) found but no console script: make the prod CMD start your server on port 8080")
        }
        return warnings
    }

    // MARK: Reporting

    static func describe(_ project: PythonProject) -> String {
        var parts: [String] = []
        switch project.layout {
        case .src: parts.append("src layout, package \(project.module)")
        case .flat: parts.append("flat layout, package \(project.module)")
        case .singleModule: parts.append("single module \(project.module)")
        case .unknown: parts.append("no package \(project.module) found")
        }
        parts.append(project.isPackaged ? "packaged\(project.buildBackend.map { " (\($0))" } ?? "")" : "not packaged (no [build-system])")
        parts.append(project.hasLock ? "uv.lock" : "no uv.lock")
        parts.append("\(Plural.count(project.dependencies.count, "dependency", "dependencies")), \(project.devDependencies.count) dev")
        if !project.scripts.isEmpty { parts.append("scripts: \(project.scripts.joined(separator: ", "))") }
        if let web = project.webFramework { parts.append("web: \(web)") }
        return parts.joined(separator: "; ")
    }

    static func text(_ result: Result, dryRun: Bool) -> String {
        let project = result.project
        let choices = result.choices
        var lines = ["found \(project.name): \(describe(project))",
                     "python \(choices.python ?? "of the base image") (\(choices.pythonSource)), base image \(choices.baseImage) (\(choices.baseImageSource))"]
        let verb = dryRun ? "would " : ""
        for step in result.steps {
            let path = step.file.path
            switch step.action {
            case .write: lines.append("\(verb)\(dryRun ? "write" : "wrote") \(path)")
            case .overwrite: lines.append("\(verb)\(dryRun ? "replace" : "replaced") \(path) (the old one kept as \(step.backup ?? path + ".bak"))")
            case .append: lines.append("\(verb)\(dryRun ? "add" : "added") the missing devenv entries to \(path)")
            case .skip: lines.append("kept \(path) (it exists)")
            }
        }
        lines.append("tests: \(project.testRunner.summary)")
        lines.append("prod: " + (project.prodCommand.map { "runs \($0.joined(separator: " "))" } ?? "no entry point found"))
        if let reason = project.extensionBuild {
            lines.append("compiled code: \(reason); BUILD_PACKAGES = \"build-essential\" for the builder, dev and ci stages (not prod)")
        }
        if !dryRun {
            lines.append("next: devenv up && devenv sync-deps && devenv shell   (prod: cp .env.prod.template .env.prod; devenv up --profile prod)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ result: Result, dryRun: Bool) -> JSONValue {
        let project = result.project
        let choices = result.choices
        return .object([
            ("ok", .bool(true)), ("command", .string("init")), ("dryRun", .bool(dryRun)),
            ("project", .object([
                ("name", .string(project.name)), ("module", .string(project.module)),
                ("layout", .string(project.layout.rawValue)), ("packaged", .bool(project.isPackaged)),
                ("buildBackend", .optional(project.buildBackend)), ("lock", .bool(project.hasLock)),
                ("requiresPython", .optional(project.requiresPython)), ("scripts", .strings(project.scripts)),
                ("dependencies", .strings(project.dependencies)), ("devDependencies", .strings(project.devDependencies)),
                ("web", .optional(project.webFramework)),
                ("testCommand", .strings(project.testRunner.command)),
                ("testSyncOptions", .strings(project.testRunner.syncOptions)),
                ("prodCommand", project.prodCommand.map { .strings($0) } ?? .null),
                ("extensionBuild", .optional(project.extensionBuild)),
            ])),
            ("python", .optional(choices.python)), ("pythonSource", .string(choices.pythonSource)),
            ("baseImage", .string(choices.baseImage)), ("baseImageSource", .string(choices.baseImageSource)),
            ("files", .array(result.steps.map { step in
                .object([("path", .string(step.file.path)), ("action", .string(step.action.rawValue)),
                         ("backup", .optional(step.backup))])
            })),
            ("warnings", .strings(result.warnings)),
        ])
    }
}
