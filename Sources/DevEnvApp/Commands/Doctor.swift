import DevEnvCore

/// `devenv doctor [--json]`: gathers facts about the docker CLI, the engine, the host user, the
/// project's files and images, then lets `DoctorChecks` judge them. At most five docker calls
/// (version, info, images, volume ls, one one-shot container), plus git and df.
struct Doctor {
    struct Report: Sendable {
        var checks: [DoctorCheck]
        var dockerCalls: Int
        var passed: Bool { !checks.contains { $0.status == .fail } }
    }

    let context: AppContext
    let loader: EnvironmentLoader
    let session: DockerSession

    /// Where the one-shot container mounts the dev volumes to read their owners.
    static let volumeMountRoot = "/devenv-doctor"
    static let passwdMarker = "@@devenv-doctor-group"
    static let volumesMarker = "@@devenv-doctor-volumes"
    /// POSIX sh, cat and stat only: runs in slim and busybox images alike.
    static let accountsScript = """
        cat /etc/passwd; echo \(passwdMarker); cat /etc/group; echo \(volumesMarker)
        for d in \(volumeMountRoot)/*; do [ -e "$d" ] && stat -c '%u %g %n' "$d"; done; true
        """

    func run() throws -> Report {
        let cli = context.dockerCLI
        var facts = DoctorFacts(cli: cli)
        let directory = loader.projectDirectory
        try ProjectFolder.require(directory, fileSystem: context.fileSystem)

        readEngine(&facts)
        readHost(&facts, directory: directory)
        let dev = readProject(&facts, directory: directory)
        readEnvFiles(&facts, directory: directory)
        if facts.engine.serverVersion != nil {
            readImages(&facts, dev: dev)
            readDisk(&facts)
        }
        return Report(checks: DoctorChecks.evaluate(facts), dockerCalls: session.callCount)
    }

    // MARK: Gathering

    private func readEngine(_ facts: inout DoctorFacts) {
        let cli = context.dockerCLI
        let version: ProcessResult
        do {
            version = try session.attempt(ProcessInvocation([cli, "version", "--format", "{{json .}}"]))
        } catch let error as DevEnvError where DockerSession.isNotAnswering(error) {
            facts.engine.serverError = error.message
            return
        } catch {
            facts.cliFound = false
            facts.cliPassedOver = (error as? DevEnvError)?.detail
            return
        }
        // Podman's docker shim is Podman before it answers (`EngineKind.of`).
        facts.engine.kind = context.engineKind
        facts.engine.readVersion(stdout: version.stdoutText, stderr: version.stderrText, cli: cli, succeeded: version.succeeded)
        // No info: the checks that need it say they were skipped (`readInfo` not run); doctor
        // reports, it does not fail on a query (exit 3 would hide every other finding).
        guard facts.engine.serverVersion != nil,
              let info = try? session.attempt(ProcessInvocation([cli, "info", "--format", "{{json .}}"])) else { return }
        facts.engine.readInfo(stdout: info.stdoutText)
    }

    private func readHost(_ facts: inout DoctorFacts, directory: String) {
        let host = context.hostFacts(directory)
        facts.hostUID = host.uid
        facts.hostGID = host.gid
        facts.folderOwner = host.folderOwner ?? context.fileSystem.owner(of: directory)
        facts.hostExtraCAs = CABundle.extraAnchors(listDirectory: context.fileSystem.listDirectory,
                                                   isDirectory: context.fileSystem.isDirectory)
    }

    /// The configuration's profiles and the Dockerfile; returns the dev environment when it loads.
    private func readProject(_ facts: inout DoctorFacts, directory: String) -> Environment? {
        var environment: Environment?
        do {
            let config = try loader.config(profile: nil)
            facts.buildArgs = config.project.buildArgs.map { ($0.name, $0.value) }
            facts.dockerfilePath = RelativePath.display(config.project.dockerfilePath, under: directory)
            facts.dockerfile = try context.fileSystem.readFile(config.project.dockerfilePath).map { String(decoding: $0, as: UTF8.self) }
            facts.caBundle = config.project.caBundle.value
            readBuildContext(&facts, project: config.project)
            for name in config.profileNames {
                let profile = name == config.profile.name ? config.profile : try loader.config(profile: name).profile
                facts.profiles.append(DoctorFacts.ProfileFacts(profile))
                if facts.caBundle == nil, let own = profile.caBundle.value, own != CABundle.none { facts.caBundle = own }
            }
            let devName = config.profileNames.contains("dev") ? "dev" : config.profile.name
            let loaded = try loader.load(profile: devName)
            facts.identity = loaded.identity
            environment = loaded
        } catch let error as DevEnvError {
            facts.configError = error.message
        } catch {
            facts.configError = "\(error)"
        }
        if facts.identity == nil { facts.identity = HostIdentity.resolve(context.hostFacts(directory)) }
        return environment
    }

    /// The ignore file BuildKit uses (`<Dockerfile>.dockerignore` first, else the context's
    /// `.dockerignore`) and the secret-like files of the context, only when a stage copies the
    /// whole context (else nothing is walked).
    private func readBuildContext(_ facts: inout DoctorFacts, project: ProjectSettings) {
        guard let text = facts.dockerfile, !DockerfileSummary.parse(text).contextCopies.isEmpty else { return }
        let fileSystem = context.fileSystem
        let directory = loader.projectDirectory
        let contextPath = project.contextPath
        facts.contextPath = contextPath == directory ? "." : RelativePath.display(contextPath, under: directory)
        let candidates = DockerignoreMatcher.ignoreFilePaths(dockerfile: project.dockerfilePath, context: contextPath)
        let ignorePath = candidates.first(where: fileSystem.fileExists) ?? candidates[candidates.count - 1]
        facts.dockerignorePath = RelativePath.display(ignorePath, under: directory)
        facts.dockerignore = (try? fileSystem.readFile(ignorePath))?.map { String(decoding: $0, as: UTF8.self) }
        facts.contextSecrets = BuildContextScan.candidates(in: contextPath, fileSystem: fileSystem,
                                                           ignore: DockerignoreMatcher(facts.dockerignore ?? ""))
    }

    /// `.env` and `.env.NAME`, not their templates (nor init's backups of them), and not
    /// look-alikes such as direnv's `.envrc`.
    static func isEnvFile(_ name: String) -> Bool {
        guard name == ".env" || name.hasPrefix(".env.") else { return false }
        let templateLike = [".template", ".example", ".sample", ".dist"]
        return !templateLike.contains { name.hasSuffix($0) || name.contains($0 + ".bak") }
    }

    private func readEnvFiles(_ facts: inout DoctorFacts, directory: String) {
        let fileSystem = context.fileSystem
        let names = fileSystem.listDirectory(directory).filter { name in
            Self.isEnvFile(name) && !fileSystem.isDirectory(directory + "/" + name)
        }
        var tracked: Set<String>?
        // The project may sit anywhere inside a repository: ask git, whose failure means "not
        // a repository". safe.directory: root (or another user) reading someone else's.
        let invocation = ProcessInvocation(["git", "-c", "safe.directory=*", "-C", directory, "ls-files", "-z", "--",
                                            ":(glob)**/.env", ":(glob)**/.env.*"])
        if let result = try? context.runner.run(invocation), result.succeeded {
            tracked = Set(result.stdoutText.split(separator: "\0").map(String.init))
        }
        // A tracked env file the working tree no longer has is still in the history.
        let all = Set(names).union(tracked?.filter { Self.isEnvFile(String($0.split(separator: "/").last ?? "")) } ?? [])
        facts.envFiles = all.sorted().map { name in
            DoctorFacts.EnvFile(path: name, permissions: fileSystem.permissions(of: directory + "/" + name),
                                tracked: tracked.map { $0.contains(name) })
        }
    }

    /// One `docker images` to find the dev image (else the base image), one `docker volume ls`,
    /// and one one-shot container that prints the image's users and the volumes' owners.
    private func readImages(_ facts: inout DoctorFacts, dev: Environment?) {
        let cli = context.dockerCLI
        guard let dev else {
            facts.imageAccountsSkipped = "the configuration did not load"
            return
        }
        facts.volumeOwnerExpected = dev.planner.userArgument == nil ? nil : (dev.identity.uid, dev.identity.gid)
        if case .fixed(let uid, let gid) = dev.spec.user { facts.volumeOwnerExpected = (uid, gid) }

        // A listing that failed reads as no images: the image checks then say they were skipped.
        let listing = (try? session.attempt(ProcessInvocation([cli, "images", "--format", "{{.Repository}}:{{.Tag}}"])))?.stdoutText ?? ""
        // Podman names local images localhost/NAME:TAG.
        let present = Set(listing.split(whereSeparator: \.isNewline).map { line in
            ImageSnapshot.plain(String(line))
        })
        let devImage = try? dev.image(fileSystem: context.fileSystem)
        var overrides: [String: String] = [:]
        for argument in facts.buildArgs { overrides[argument.name] = argument.value }
        if let base = dev.spec.buildArgs["BASE_IMAGE"] { overrides["BASE_IMAGE"] = base }
        let base = facts.dockerfile.flatMap { DockerfileSummary.parse($0).baseImage(overrides: overrides) }
        let image: (name: String, built: Bool)?
        if let devImage, present.contains(devImage) {
            image = (devImage, true)
        } else if let base, present.contains(base) || present.contains(base + ":latest") {
            image = (base, false)
        } else {
            image = nil
        }

        // As the image listing: no answer, no volumes to check (said as skipped below when it matters).
        let volumeListing = (try? session.attempt(DockerPlanner.listProjectVolumes(cli: cli, project: dev.names.project, engine: facts.engine.kind)))?.stdoutText ?? ""
        let volumes = ((try? VolumeSnapshot.parseList(volumeListing)) ?? []).filter { dev.names.madeVolume($0.name, labels: $0.labels) }

        guard let image else {
            facts.imageAccountsSkipped = "neither the dev image\(devImage.map { " \($0)" } ?? "") nor the base image\(base.map { " \($0)" } ?? "") is on this engine"
            if !volumes.isEmpty { facts.volumesSkipped = "no image to read them with" }
            return
        }
        // This project's labels, not the image's own (which it would take otherwise): as up's one-shot containers.
        var arguments = [cli, "run", "--rm"] + dev.names.labelArguments + ["--network", "none", "--user", "0:0", "--entrypoint", "sh"]
        // The volumes' owners as the dev container sees them: on rootless Podman in its keep-id
        // namespace (as `up`'s volume repair reads them), where the host user is its own UID;
        // in the default one the host user is 0, and every volume `up` gave the synced user read
        // as 0:0, a failed check that told the user to remove them (break30). As root, Podman
        // adds no /etc/passwd entry, so the image's accounts read as they are.
        var planner = dev.planner
        planner.userMapping = facts.engine.userMapping
        if dev.spec.user == .host { arguments += planner.keepIDArguments }
        for volume in volumes {
            arguments += ["--volume", "\(volume.name):\(Self.volumeMountRoot)/\(volume.name):ro"]
        }
        arguments += [image.name, "-c", Self.accountsScript]
        guard let result = try? session.attempt(ProcessInvocation(arguments)), result.succeeded else {
            facts.imageAccountsSkipped = "a one-shot container of \(image.name) could not read /etc/passwd (no sh in the image?)"
            if !volumes.isEmpty { facts.volumesSkipped = "the one-shot container failed" }
            return
        }
        let (passwd, group, owners) = Self.splitOutput(result.stdoutText)
        facts.imageAccounts = DoctorFacts.ImageAccounts(image: image.name, isBuilt: image.built,
                                                        accounts: AccountDatabase.parse(passwd: passwd, group: group))
        facts.volumes = owners
    }

    static func splitOutput(_ output: String) -> (passwd: String, group: String, volumes: [DoctorFacts.VolumeOwner]) {
        var passwd: [Substring] = [], group: [Substring] = [], volumes: [DoctorFacts.VolumeOwner] = []
        var section = 0
        for line in output.split(whereSeparator: \.isNewline) {
            if line == passwdMarker { section = 1; continue }
            if line == volumesMarker { section = 2; continue }
            switch section {
            case 0: passwd.append(line)
            case 1: group.append(line)
            default:
                let words = line.split(separator: " ", maxSplits: 2)
                if words.count == 3, let uid = UInt32(words[0]), let gid = UInt32(words[1]) {
                    let name = words[2].split(separator: "/").last.map(String.init) ?? String(words[2])
                    volumes.append(DoctorFacts.VolumeOwner(name: name, uid: uid, gid: gid))
                }
            }
        }
        return (passwd.joined(separator: "\n"), group.joined(separator: "\n"), volumes)
    }

    /// `df` where the engine keeps its data, when that folder is on this machine.
    private func readDisk(_ facts: inout DoctorFacts) {
        guard let root = facts.engine.dockerRootDir else { return }
        facts.diskPath = root
        guard context.fileSystem.isDirectory(root),
              let result = try? context.runner.run(ProcessInvocation(["df", "-Pk", root])), result.succeeded else { return }
        let lines = result.stdoutText.split(whereSeparator: \.isNewline)
        guard lines.count >= 2 else { return }
        let columns = lines[1].split(separator: " ", omittingEmptySubsequences: true)
        if columns.count >= 4, let available = UInt64(columns[3]) { facts.freeBytes = available * 1024 }
    }

    // MARK: Reporting

    static func text(_ report: Report) -> String {
        var lines: [String] = []
        for check in report.checks {
            let mark: String
            switch check.status {
            case .ok: mark = "ok  "
            case .warn: mark = "warn"
            case .fail: mark = "FAIL"
            }
            lines.append("\(mark)  \(check.id): \(check.summary)")
            if let fix = check.fix, check.status != .ok { lines.append("      fix: \(fix)") }
        }
        let failures = report.checks.filter { $0.status == .fail }.count
        let warnings = report.checks.filter { $0.status == .warn }.count
        lines.append("\(Plural.count(report.checks.count, "check")): \(failures) failed, \(Plural.count(warnings, "warning")) (\(Plural.count(report.dockerCalls, "docker call")))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ report: Report) -> JSONValue {
        let failed = report.checks.filter { $0.status == .fail }.map(\.id)
        // Like every ok:false result, a failed doctor carries the documented error object.
        let error: [(String, JSONValue)] = report.passed ? [] : [
            ("error", ErrorReport.errorObject("\(Plural.count(failed.count, "check")) failed: \(failed.joined(separator: ", "))",
                                              exitCode: 1, hint: "each failed check's fix says what to do")),
        ]
        return .object([
            ("ok", .bool(report.passed)), ("command", .string("doctor")),
            ("checks", .array(report.checks.map { check in
                .object([("id", .string(check.id)), ("status", .string(check.status.rawValue)),
                         ("summary", .string(check.summary)), ("fix", .optional(check.fix))])
            })),
            ("dockerCalls", .number(report.dockerCalls)),
        ] + error)
    }
}
