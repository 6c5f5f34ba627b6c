import DevEnvCore
import Foundation
import Testing

/// An engine the engine-parameterised lifecycle suite (Tests/IntegrationTests/
/// EngineLifecycleTests.swift) runs on, with what differs between them: who runs devenv and
/// against which engine, who owns the project folder, who the dev container runs as, and how the
/// engine is asked about what devenv made. The suite's bodies are the same for every engine
/// (issue 11: the lifecycle suite on each engine the machine can provide); each engine skips,
/// or fails when required, with its own reason.
public enum LifecycleEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Rootful Podman (DEVENV_DOCKER=podman), devenv run as root on a folder owned by 4242:4242.
    case rootfulPodman
    /// Rootless Docker, devenv run by its user devenv-rldocker (1600) on a folder of theirs.
    case rootlessDocker

    public var testDescription: String {
        switch self {
        case .rootfulPodman: return "rootful Podman"
        case .rootlessDocker: return "rootless Docker"
        }
    }

    /// What devenv calls the engine (`EngineFacts.mode`), in doctor and `--dry-run`.
    public var mode: String {
        switch self {
        case .rootfulPodman: return "rootful Podman"
        case .rootlessDocker: return "rootless Docker"
        }
    }

    /// Skips (or fails, when required) with the engine's reason when it cannot be used.
    public func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        switch self {
        case .rootfulPodman: _ = try PodmanEngine.require(sourceLocation: sourceLocation)
        case .rootlessDocker: try RootlessDockerEngine.require(sourceLocation: sourceLocation)
        }
    }

    /// The owner of the project folder, who devenv syncs the container's user to: 4242 for a
    /// root-run devenv (it takes the folder's owner), the engine's user for a rootless engine.
    public var hostUser: (uid: UInt32, gid: UInt32) {
        switch self {
        case .rootfulPodman: return (4242, 4242)
        case .rootlessDocker: return (RootlessDockerEngine.uid, RootlessDockerEngine.gid)
        }
    }

    /// What `id -u; id -g` prints in the dev container: the synced user on a rootful engine;
    /// 0:0 on rootless Docker, which is the host user outside (DESIGN.md section 4).
    public var containerIDs: (uid: UInt32, gid: UInt32) {
        switch self {
        case .rootfulPodman: return hostUser
        case .rootlessDocker: return (0, 0)
        }
    }

    /// Runs `devenv --project PATH ARGS` as this engine's user would.
    @discardableResult
    public func devenv(_ arguments: [String], in path: String) throws -> ProcessResult {
        switch self {
        case .rootfulPodman:
            return try DevenvBinary.run(arguments, in: path, environment: ["DEVENV_DOCKER": "podman"])
        case .rootlessDocker:
            let argv = RootlessDockerEngine.asUser([DevenvBinary.path, "--project", path] + arguments,
                                                   environment: ["DEVENV_DOCKER": RootlessDockerEngine.docker])
            return try TestEngine.run(argv, timeoutSeconds: 300)
        }
    }

    /// Runs the engine's CLI (podman, or docker against the rootless engine), as root.
    @discardableResult
    public func cli(_ arguments: [String]) throws -> ProcessResult {
        switch self {
        case .rootfulPodman: return try PodmanEngine.podman(arguments)
        case .rootlessDocker: return try RootlessDockerEngine.cli(arguments)
        }
    }

    public func containerExists(_ name: String) throws -> Bool {
        try cli(["container", "inspect", "--format", "{{.Id}}", name]).succeeded
    }

    /// What `up --verbose` must print on this engine, and must not.
    public var upSays: (must: [String], mustNot: [String]) {
        switch self {
        // Rootful Podman maps UID n to n: keep-id (rootless-only) would fail here; its builds
        // are OCI unless --format docker, which would drop HEALTHCHECK.
        case .rootfulPodman: return (["podman build --file", "--format docker"], ["keep-id"])
        // Container root is the host user: no chown container for the volumes, no --userns.
        case .rootlessDocker: return (["--user 0:0"], ["--entrypoint chown", "--userns", "keep-id"])
        }
    }

    /// Runs the container's HEALTHCHECK once where nothing else does: Podman runs health checks
    /// from systemd timers, and this sandbox has no systemd. Docker runs them itself.
    public func runHealthCheck(_ container: String) throws {
        if self == .rootfulPodman { _ = try cli(["healthcheck", "run", container]) }
    }

    /// Removes what devenv made for a test project on this engine (by its label).
    public func removeEverything(ofProject name: String) {
        switch self {
        case .rootfulPodman: PodmanEngine.removeEverything(ofProject: name)
        case .rootlessDocker: RootlessDockerEngine.removeEverything(ofProject: name)
        }
    }
}
