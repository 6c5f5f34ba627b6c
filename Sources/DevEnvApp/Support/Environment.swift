import DevEnvCore

/// One environment ready to act on: its resolved spec, the synced user, and the planner that
/// turns both into docker calls.
struct Environment: Sendable {
    var spec: EnvironmentSpec
    var identity: HostIdentity
    var planner: DockerPlanner
    var names: ResourceNames { planner.names }
    /// Every profile the project can use, for `status` and the dashboard.
    var profileNames: [String]
    /// Configuration warnings (shown once, on stderr).
    var warnings: [Diagnostic]

    /// The fingerprint the container carries: its whole configuration, and the env file's
    /// contents (a changed .env.dev makes it stale too).
    func containerFingerprint(image: String, fileSystem: any FileSystem) throws -> String {
        let envFile = try spec.envFile.flatMap { try fileSystem.readFile($0) }
        return planner.containerFingerprint(image: image, envFileContents: envFile)
    }

    /// The named volumes a container of this environment mounts. Docker's `ps` names them;
    /// Podman's gives mount points, mapped back through the spec's volumes (role -> path).
    func mountedVolumes(of container: ContainerSnapshot?) -> [String] {
        guard let container else { return [] }
        let byPath = Dictionary(spec.volumes.map { ($0.value, names.volume(role: $0.key)) }, uniquingKeysWith: { a, _ in a })
        return container.mounts.map { byPath[$0] ?? $0 }
    }

    /// Whether a container runs `image`: Podman names a local image `localhost/NAME:TAG`.
    static func sameImage(_ running: String, _ image: String) -> Bool {
        running == image || running == "localhost/" + image
    }

    /// Reads the Dockerfile and the dependency files in the build context, and fingerprints
    /// them with the target and build args: the image tag for these inputs.
    /// A devcontainer.json `image` is used as it is.
    func image(fileSystem: any FileSystem) throws -> String {
        if let image = spec.image { return image }
        guard let dockerfile = try fileSystem.readFile(spec.dockerfile) else {
            throw DevEnvError(.usage, "no Dockerfile at \(spec.dockerfile)",
                              hint: "create one (`devenv init` writes a multi-stage Dockerfile), or set `dockerfile` in devenv.toml")
        }
        let dependencies = try ["pyproject.toml", "uv.lock"].map { name in
            (name: name, bytes: try fileSystem.readFile(spec.context + "/" + name))
        }
        return names.image(fingerprint: planner.imageFingerprint(dockerfile: dockerfile, dependencyFiles: dependencies))
    }
}
