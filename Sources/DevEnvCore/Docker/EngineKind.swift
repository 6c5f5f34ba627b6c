/// Which engine family a docker-compatible CLI talks to. Docker and Podman accept the same
/// command lines for nearly everything devenv runs; where they differ (`ps`/`volume ls`
/// templates, the image format of builds, keep-id) the planner asks this.
public enum EngineKind: String, Sendable, Hashable, Codable {
    case docker
    case podman

    /// From the CLI's name alone (`podman`, `/usr/bin/podman`, `podman-remote`): what every
    /// command knows before any call. Docker's `podman-docker` shim (a `docker` that is Podman)
    /// is recognised later by its stderr notice (`EngineFacts.readVersion`).
    public static func named(_ cli: String) -> EngineKind {
        let name = cli.split(separator: "/").last.map(String.init) ?? cli
        return name.hasPrefix("podman") ? .podman : .docker
    }

    /// The engine's name for people: "Docker" or "Podman".
    public var display: String { self == .docker ? "Docker" : "Podman" }
}
