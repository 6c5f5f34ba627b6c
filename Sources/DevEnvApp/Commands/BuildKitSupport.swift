import DevEnvCore

/// Whether `docker build` may use BuildKit: forcing DOCKER_BUILDKIT=1 on a CLI without it
/// fails, and the legacy builder rejects `RUN --mount` (DESIGN.md section 4).
struct BuildKitSupport {
    let session: DockerSession
    let cli: String

    /// The template of the probe: the client's version.
    static let versionTemplate = "{{.Client.Version}}"

    /// One docker call on the clients devenv ships for (Debian's 20.10): the client's version,
    /// `buildx version` only for a client of 23 or later. Asked once per command. `engine`: the
    /// engine probe's description (`EngineProbe`, one a command). Behind Podman's API
    /// (`EngineFacts.podmanAPI`) there is no BuildKit whatever the client, and nothing is asked:
    /// its build endpoint has no BuildKit session (Debian's 20.10 client, which has BuildKit
    /// built in, failed with "failed to dial gRPC: unable to upgrade to h2c, received 404"), and
    /// its own build, Buildah, takes RUN --mount itself. Podman's CLI is not asked either: its
    /// build is Buildah's (the BuildKit answer only sets DOCKER_BUILDKIT, which it ignores).
    func available(on engine: EngineFacts?) throws -> Bool {
        if session.dryRun { return true }
        if engine?.podmanAPI == true { return false }
        if engine?.kind == .podman { return true }
        let invocation = ProcessInvocation([cli, "version", "--format", Self.versionTemplate])
        let version = try session.probe(invocation)
        // The client's version is printed even when no engine answers; that case is exit 3, not
        // a false "no BuildKit".
        if !version.succeeded {
            let failure = DockerFailure.error("asking the docker CLI its version", invocation: invocation, result: version)
            if failure.exitCode == .noEngine { throw failure }
        }
        // Clients before 23 (Debian's docker.io 20.10) have BuildKit built in.
        if let major = Int(version.stdoutText.split(separator: ".").first ?? ""), major < 23 { return true }
        // The buildx plugin brings BuildKit to any CLI.
        return try session.probe(ProcessInvocation([cli, "buildx", "version"])).succeeded
    }

    static func requiresBuildKit(dockerfile: String) -> Bool {
        dockerfile.split(whereSeparator: \.isNewline).contains { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            return trimmed.hasPrefix("# syntax=") || trimmed.hasPrefix("#syntax=")
                || (trimmed.uppercased().hasPrefix("RUN") && trimmed.contains("--mount="))
        }
    }
}
