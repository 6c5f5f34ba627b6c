import DevEnvCore

/// Fills the engine description (`EngineFacts`) for one command with one call, remembered by
/// the session (`DockerSession.probe`) for the rest of it: Docker's `info --format '{{json .}}'`
/// (about 40 ms: rootless, context, buildx, server version; Podman's shim answers it in
/// Podman's shape), or for a CLI named podman its `version --format '{{json .}}'` (0.1 s,
/// where `podman info` takes 0.8 s) with rootless read from the effective UID: a local Podman
/// is rootless exactly when a non-root user runs it. A remote Podman (CONTAINER_HOST, or a
/// version with a Server part) is asked `info` instead.
/// Under `--dry-run` the call still runs (it changes nothing) and the plan says what it found,
/// or, when no engine answers, that it assumes rootful Docker.
struct EngineProbe {
    let session: DockerSession
    let context: AppContext

    func facts() throws -> EngineFacts {
        let cli = context.dockerCLI
        var facts = EngineFacts(kind: context.engineKind)
        if facts.kind == .podman {
            let versionCall = DockerPlanner.engineVersion(cli: cli)
            let version = try session.probe(versionCall, evenInDryRun: true)
            facts.readVersion(stdout: version.stdoutText, stderr: version.stderrText, cli: cli, succeeded: version.succeeded)
            try requireAnswer(version, versionCall)
            let remote = !(context.environment["CONTAINER_HOST"] ?? "").isEmpty || facts.serverVersion != facts.clientVersion
            if remote {
                facts.readInfo(stdout: try session.probe(DockerPlanner.engineInfo(cli: cli), evenInDryRun: true).stdoutText)
            } else {
                facts.podmanRootless = context.hostFacts("/").uid != 0
            }
            return facts
        }
        let infoCall = DockerPlanner.engineInfo(cli: cli)
        let info = try session.probe(infoCall, evenInDryRun: true)
        facts.readInfo(stdout: info.stdoutText)
        if info.stderrText.contains("Emulate Docker CLI using podman") { facts.kind = .podman }
        try requireAnswer(info, infoCall)
        return facts
    }

    /// The planner with the engine's family and user mapping applied.
    /// Under `--dry-run` the plan says which engine it is for (stderr, so stdout stays the
    /// plan), or what it assumed when no engine answered.
    func apply(to planner: inout DockerPlanner) throws -> EngineFacts {
        let facts: EngineFacts
        do {
            facts = try self.facts()
        } catch let error as DevEnvError where session.dryRun && error.exitCode == .noEngine {
            planner.userMapping = .direct
            guard !session.plannedEngineNoted else { return EngineFacts(kind: planner.engine) }
            session.plannedEngineNoted = true
            context.console.writeError(ErrorReport.note("dry run: no engine answered (\(error.message)); planned for rootful \(planner.engine.display)"))
            return EngineFacts(kind: planner.engine)
        }
        planner.engine = facts.kind
        planner.userMapping = facts.userMapping
        if session.dryRun && !session.plannedEngineNoted {
            session.plannedEngineNoted = true
            context.console.writeError(ErrorReport.note("dry run: planned for \(facts.mode)\(facts.context.map { " (context \($0))" } ?? ""), as the engine said"))
        }
        return facts
    }

    /// Where the engine is, in `status`'s words: Podman's CONTAINER_HOST or "local"; Docker's
    /// context or DOCKER_HOST as the CLI reads them (`EngineEndpoint.label`), "context default" when
    /// nothing chose one.
    static func location(_ facts: EngineFacts, context: AppContext) -> String {
        if facts.kind == .podman {
            let host = context.environment["CONTAINER_HOST"] ?? ""
            return host.isEmpty ? "local" : host
        }
        let named = context.engineEndpoint().label
        return named == "default" ? "context \(facts.context ?? "default")" : named
    }

    /// A call that shows no engine answering becomes exit 3 (DockerFailure's reading).
    private func requireAnswer(_ result: ProcessResult, _ invocation: ProcessInvocation) throws {
        guard !result.succeeded else { return }
        let error = DockerFailure.error("asking the engine", invocation: invocation, result: result)
        if error.exitCode == .noEngine { throw error }
    }
}
