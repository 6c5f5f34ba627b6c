import DevEnvCore

/// Whether `docker build` may use BuildKit: forcing DOCKER_BUILDKIT=1 on a CLI without it
/// fails, and the legacy builder rejects `RUN --mount` (DESIGN.md section 4).
struct BuildKitSupport {
    let session: DockerSession
    let cli: String

    /// What the probe found: whether `docker build` may use BuildKit, and whether the engine
    /// behind the CLI is Podman's (a docker CLI with DOCKER_HOST on Podman's socket, which the
    /// CLI's name does not tell).
    struct Answer: Sendable, Equatable {
        var buildKit: Bool
        var podmanBehind = false
    }

    /// The template of the probe: the client's version, then a comma and the name of each of the
    /// server's components ("Engine" for Docker, "Podman Engine" for Podman's API), none when no
    /// server answers. Not tabs: `docker version` lays its output out with a tab writer, which
    /// turns them into runs of spaces.
    static let versionTemplate = "{{.Client.Version}}{{if .Server}}{{range .Server.Components}},{{.Name}}{{end}}{{end}}"

    /// One docker call on the clients devenv ships for (Debian's 20.10): the client's version
    /// and the server's components first, `buildx version` only for a client of 23 or later.
    /// Asked once per command. Behind Podman's API there is no BuildKit, whatever the client:
    /// its build endpoint has no BuildKit session (Debian's 20.10 client, which has BuildKit
    /// built in, failed with "failed to dial gRPC: unable to upgrade to h2c, received 404"),
    /// and its legacy build, buildah, takes RUN --mount itself.
    func probe() throws -> Answer {
        if session.dryRun { return Answer(buildKit: true) }
        let invocation = ProcessInvocation([cli, "version", "--format", Self.versionTemplate])
        let version = try session.probe(invocation)
        // The client's version is printed even when no engine answers; that case is exit 3, not
        // a false "no BuildKit".
        if !version.succeeded {
            let failure = DockerFailure.error("asking the docker CLI its version", invocation: invocation, result: version)
            if failure.exitCode == .noEngine { throw failure }
        }
        let fields = version.stdoutText.split(whereSeparator: { $0 == "," || $0 == "\n" })
        if fields.dropFirst().contains("Podman Engine") { return Answer(buildKit: false, podmanBehind: true) }
        // Clients before 23 (Debian's docker.io 20.10) have BuildKit built in.
        if let major = Int(fields.first?.split(separator: ".").first ?? ""), major < 23 { return Answer(buildKit: true) }
        // The buildx plugin brings BuildKit to any CLI.
        return Answer(buildKit: try session.probe(ProcessInvocation([cli, "buildx", "version"])).succeeded)
    }

    func available() throws -> Bool { try probe().buildKit }

    static func requiresBuildKit(dockerfile: String) -> Bool {
        dockerfile.split(whereSeparator: \.isNewline).contains { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            return trimmed.hasPrefix("# syntax=") || trimmed.hasPrefix("#syntax=")
                || (trimmed.uppercased().hasPrefix("RUN") && trimmed.contains("--mount="))
        }
    }
}
