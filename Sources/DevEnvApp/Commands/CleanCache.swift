import DevEnvCore

/// `devenv clean-cache`: removes __pycache__, *.pyc/*.pyo and the pytest/mypy/ruff caches in
/// the workspace, inside the container as its user, and reports how much it removed. Caches
/// the user cannot remove (left root-owned by an earlier root container) are removed by one
/// one-shot root container on the bind mount, as new volumes are given to the user; whatever
/// even that cannot remove is listed, and the command fails (exit 1) after doing the rest.
struct CleanCache {
    struct Result: Sendable {
        var files: Int
        var bytes: Int
    }

    let environment: Environment
    let session: DockerSession

    func run() throws -> Result {
        let planner = environment.planner
        let container = try RunningContainer(session: session, environment: environment).require()
        // The container found: under an earlier devenv's name until `up` replaces it.
        let name = container.map { ContainerSnapshot.plainName($0.name) } ?? environment.names.container
        let asUser = try pass(planner.cleanCache(runningAs: container?.labels[DockerPlanner.userLabel], container: name), in: name)
        var result = Result(files: asUser.files, bytes: asUser.bytes)
        var failed = asUser.failed
        if !failed.isEmpty, planner.spec.cleanCacheCommand.isEmpty, let image = container?.image {
            // A one-off like the volumes' chown: one cut short before its start goes (`OneOffContainers`).
            let run = session.context.randomToken()
            let asRoot = try pass(planner.cleanCacheAsRoot(image: image, run: run), in: "a root container of \(image)") {
                try OneOffContainers(session: session, planner: planner).attempt($0, run: run, image: image, said: .cleanCacheAsRoot)
            }
            result.files += asRoot.files
            result.bytes += asRoot.bytes
            failed = asRoot.failed
        }
        guard failed.isEmpty else {
            let shown = failed.map { "  " + TerminalSafeText.escaping($0.hasPrefix("./") ? String($0.dropFirst(2)) : $0, keepingLineBreaks: false) }
            throw DevEnvError(.failure,
                              "clean-cache removed \(Plural.count(result.files, "file")), \(Plural.count(result.bytes, "byte")) but could not remove \(Plural.count(failed.count, "path")), not even as root",
                              hint: "see who owns them (ls -ld PATH) and remove them yourself",
                              detail: "not removed (relative to the project folder):\n" + shown.joined(separator: "\n"))
        }
        return result
    }

    /// One run of the script: its counts and the paths it could not remove. A failure of the
    /// call itself names where it ran and docker's last line, an engine that does not answer
    /// names the step (`ProcessInvocation.step`), never the script.
    /// `attempt`: how the call is run (a one-off's through `OneOffContainers`).
    private func pass(_ invocation: ProcessInvocation, in place: String,
                      attempt: ((ProcessInvocation) throws -> ProcessResult)? = nil) throws -> (files: Int, bytes: Int, failed: [String]) {
        var invocation = invocation
        invocation.step = "clean-cache in \(place)"
        let result = try attempt?(invocation) ?? session.attempt(invocation)
        try session.checkInterruption()
        guard result.succeeded else {
            let last = (result.stderrText + result.stdoutText).split(whereSeparator: \.isNewline).last.map(String.init)
            throw DevEnvError(.failure, "clean-cache in \(place) failed (exit \(result.exitCode))"
                              + (last.map { ": " + TerminalSafeText.escaping($0, keepingLineBreaks: false) } ?? ""))
        }
        let lines = result.stdoutText.split(whereSeparator: \.isNewline)
        let failed = lines.filter { $0.hasPrefix("failed\t") }.map { String($0.dropFirst("failed\t".count)) }
        let numbers = (lines.last { !$0.hasPrefix("failed\t") } ?? "").split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        return (numbers.first ?? 0, numbers.dropFirst().first ?? 0, failed)
    }
}

extension CleanCache {
    /// What `clean-cache` prints: "clean-cache: removed 3 files, 1200 bytes"; `--json`: `files`, `bytes`.
    static func text(_ result: Result) -> String {
        "clean-cache: removed \(Plural.count(result.files, "file")), \(Plural.count(result.bytes, "byte"))\n"
    }
    static func fields(_ result: Result) -> [(String, JSONValue)] {
        [("files", .number(result.files)), ("bytes", .number(result.bytes))]
    }
}
