import DevEnvCore
import Foundation
import Testing

/// An engine the engine-parameterised lifecycle suite (Tests/IntegrationTests/
/// EngineLifecycleTests.swift) runs on, with what differs between them: who runs devenv and
/// against which engine, who owns the project folder, who the dev container runs as, and how the
/// engine is asked about what devenv made. The suite's bodies are the same for every engine
/// (issue 11: the lifecycle suite on each engine the machine can provide); each engine skips,
/// or fails when required, with its own reason.
public enum LifecycleEngine: Sendable, CustomTestStringConvertible {
    /// Podman, rootful (root runs devenv on a folder owned by 4242:4242) or rootless (its test
    /// user runs devenv on a folder of theirs): `PodmanEngine`.
    case podman(PodmanEngine)
    /// Rootless Docker, devenv run by its user devenv-rldocker (1600) on a folder of theirs:
    /// `RootlessDockerEngine`.
    case rootlessDocker

    /// Every engine, for `@Test(arguments:)`.
    public static let all: [LifecycleEngine] = PodmanEngine.all.map { .podman($0) } + [.rootlessDocker]

    /// For the suite trait: some engine can run (or is required).
    public static var anyShouldRun: Bool { all.contains { $0.shouldRun } }

    /// What devenv calls the engine (`EngineFacts.mode`) in doctor and `--dry-run`:
    /// "rootful Podman", "rootless Podman", "rootless Docker".
    public var mode: String {
        switch self {
        case .podman(let podman): return podman.description
        case .rootlessDocker: return "rootless Docker"
        }
    }

    public var testDescription: String { mode }

    public var shouldRun: Bool {
        switch self {
        case .podman(let podman): return podman.shouldRun
        case .rootlessDocker: return RootlessDockerEngine.shouldRun
        }
    }

    /// Skips (or fails, when required) with the engine's reason when it cannot be used.
    public func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        switch self {
        case .podman(let podman): try podman.require(sourceLocation: sourceLocation)
        case .rootlessDocker: try RootlessDockerEngine.require(sourceLocation: sourceLocation)
        }
    }

    /// The owner of the project folder, who devenv syncs the container's user to: 4242 for a
    /// root-run devenv (it takes the folder's owner), the engine's user for a rootless engine.
    public var hostUser: (uid: UInt32, gid: UInt32) {
        switch self {
        case .podman(let podman): return podman.projectOwner
        case .rootlessDocker: return (RootlessDockerEngine.uid, RootlessDockerEngine.gid)
        }
    }

    /// What `id -u; id -g` prints in the dev container: the synced user on rootful engines and
    /// under rootless Podman's keep-id; 0:0 on rootless Docker, which is the host user outside
    /// (DESIGN.md section 4).
    public var containerIDs: (uid: UInt32, gid: UInt32) {
        switch self {
        case .podman: return hostUser
        case .rootlessDocker: return (0, 0)
        }
    }

    /// Who owns the dev volumes' roots inside the container, when devenv gives them an owner:
    /// the synced user (the image's declared owner, or devenv's chown). Nil on rootless Docker,
    /// where devenv gives none: container root, the host user, writes them whoever owns them.
    public var volumeOwnerInside: String? {
        switch self {
        case .podman: return "\(hostUser.uid):\(hostUser.gid)"
        case .rootlessDocker: return nil
        }
    }

    /// Runs `devenv --project PATH ARGS` as this engine's user would.
    @discardableResult
    public func devenv(_ arguments: [String], in path: String) throws -> ProcessResult {
        switch self {
        case .podman(let podman):
            return try podman.devenv(arguments, in: path)
        case .rootlessDocker:
            let argv = RootlessDockerEngine.asUser([DevenvBinary.path, "--project", path] + arguments,
                                                   environment: ["DEVENV_DOCKER": RootlessDockerEngine.docker])
            return try TestEngine.run(argv, workingDirectory: path, timeoutSeconds: 300)
        }
    }

    /// Runs the engine's CLI (podman as its user, or docker against the rootless engine).
    @discardableResult
    public func cli(_ arguments: [String]) throws -> ProcessResult {
        switch self {
        case .podman(let podman): return try podman.podman(arguments)
        case .rootlessDocker: return try RootlessDockerEngine.cli(arguments)
        }
    }

    public func containerExists(_ name: String) throws -> Bool {
        try cli(["container", "inspect", "--format", "{{.Id}}", name]).succeeded
    }

    /// What `up --verbose` must print on this engine, and must not.
    public var upSays: (must: [String], mustNot: [String]) {
        switch self {
        // Rootful Podman maps UID n to n: keep-id (rootless-only) would fail there; rootless
        // Podman 4.3 takes the ids. Podman builds are OCI unless --format docker, which would
        // drop HEALTHCHECK.
        case .podman(let podman) where podman.mode == .rootful:
            return (["podman build --file", "--format docker"], ["keep-id"])
        case .podman(let podman):
            return (["podman build --file", "--format docker",
                     "--userns=keep-id:uid=\(podman.projectOwner.uid),gid=\(podman.projectOwner.gid) "], [])
        // Container root is the host user: no chown container for the volumes, no --userns.
        case .rootlessDocker: return (["--user 0:0"], ["--entrypoint chown", "--userns", "keep-id"])
        }
    }

    /// Runs the container's HEALTHCHECK once where nothing else does: Podman runs health checks
    /// from systemd timers, and this sandbox has no systemd. Docker runs them itself. devenv runs
    /// Podman's checks only while `up` waits for a service (`HealthCheckDriving`); `up` does not
    /// wait for the app's (prod's) health, so the prod test still stands in for the timer.
    public func runHealthCheck(_ container: String) throws {
        if case .podman(let podman) = self { _ = try podman.podman(["healthcheck", "run", container]) }
    }

    /// Removes what devenv made for a test project on this engine (by its label).
    public func removeEverything(ofProject name: String) {
        switch self {
        case .podman(let podman): podman.removeEverything(ofProject: name)
        case .rootlessDocker: RootlessDockerEngine.removeEverything(ofProject: name)
        }
    }
}
