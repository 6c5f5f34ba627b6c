import DevEnvCore
import Foundation
import Testing

/// Podman, rootful or rootless, for the lifecycle tests that run devenv with DEVENV_DOCKER=podman
/// (issue 11). One value per way of running it, so the same test bodies run on both
/// (`@Test(arguments: PodmanEngine.all)`):
/// - rootful: as root. `make engine` prepares it (Tests/Scripts/ensure-podman.sh: the packages,
///   the ulimits this machine needs, the test images copied from Docker).
/// - rootless: as the test user devenv-rootless (1500:1500) with subordinate ids, their own
///   store and XDG_RUNTIME_DIR; devenv and podman run as them through `runuser`, on project
///   folders they own (Tests/Scripts/ensure-rootless-podman.sh makes all that).
/// Without it a test is skipped with the reason, unless DEVENV_REQUIRE_ENGINES names it
/// (`podman`, `podman-rootless`): then it fails. Every object a test makes carries its
/// project's label and is removed by it.
public struct PodmanEngine: Sendable, CustomStringConvertible, CustomTestStringConvertible {
    public enum Mode: String, Sendable { case rootful, rootless }

    public let mode: Mode

    public static let rootful = PodmanEngine(mode: .rootful)
    public static let rootless = PodmanEngine(mode: .rootless)
    /// Both, for parameterised tests.
    public static let all = [rootful, rootless]

    /// The test user of rootless runs; the set-up script creates them with this fixed UID/GID.
    public static let rootlessUser = "devenv-rootless"
    public static let rootlessID: UInt32 = 1500

    /// "rootful Podman", "rootless Podman".
    public var description: String { "\(mode.rawValue) Podman" }
    public var testDescription: String { description }

    /// Its name in DEVENV_REQUIRE_ENGINES.
    public var requirementName: String { mode == .rootful ? "podman" : "podman-rootless" }

    /// DEVENV_REQUIRE_ENGINES names this engine (e.g. "docker,podman,podman-rootless"): a
    /// missing one is a failure.
    public var isRequired: Bool {
        (ProcessInfo.processInfo.environment["DEVENV_REQUIRE_ENGINES"] ?? "")
            .split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == requirementName }
    }

    /// Why this engine cannot be used here; nil when it can. Probed once per test process.
    public var problem: String? { mode == .rootful ? Self.rootfulProblem : Self.rootlessProblem }

    public var shouldRun: Bool { problem == nil || isRequired }

    /// For the suite trait: some Podman can run (or is required).
    public static var anyShouldRun: Bool { all.contains { $0.shouldRun } }

    /// Checks the engine first in a test: skips this test (case) with the reason when it cannot
    /// be used, or fails when it is required.
    public func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        guard let problem else { return }
        if isRequired { throw TestEngine.Unavailable(reason: "\(self): \(problem) (DEVENV_REQUIRE_ENGINES names \(requirementName))") }
        let reason = "skipped: \(self): \(problem); set DEVENV_REQUIRE_ENGINES to include \(requirementName) to fail instead"
        print("PodmanEngine: \(reason)")
        try Test.cancel(Comment(rawValue: reason), sourceLocation: sourceLocation)
    }

    /// The owner of a test project's folder, who runs devenv: 4242:4242 (a host user who is not
    /// root) on rootful Podman, which root runs; the test user on rootless Podman.
    public var projectOwner: (uid: UInt32, gid: UInt32) {
        mode == .rootful ? (4242, 4242) : (Self.rootlessID, Self.rootlessID)
    }

    /// argv run as this engine's user: unchanged for rootful; for rootless through `runuser`
    /// with the test user's own environment (runuser alone keeps root's HOME, and Podman would
    /// look for its store there), the variables in `environment` added.
    public func asEngineUser(_ argv: [String], environment: [String: String] = [:]) -> [String] {
        guard mode == .rootless else { return argv }
        let home = "/home/\(Self.rootlessUser)"
        var variables = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home,
                         "USER": Self.rootlessUser, "LOGNAME": Self.rootlessUser,
                         "XDG_RUNTIME_DIR": "/run/user/\(Self.rootlessID)"]
        variables.merge(environment) { _, new in new }
        return ["runuser", "-u", Self.rootlessUser, "--", "env", "-i"]
            + variables.keys.sorted().map { "\($0)=\(variables[$0] ?? "")" } + argv
    }

    /// `podman ARGS` as this engine's user, output captured.
    @discardableResult
    public func podman(_ arguments: [String]) throws -> ProcessResult {
        try TestEngine.run(asEngineUser(["podman"] + arguments), workingDirectory: "/", timeoutSeconds: 120)
    }

    /// `devenv --project PROJECT ARGS` with DEVENV_DOCKER=podman, as this engine's user.
    @discardableResult
    public func devenv(_ arguments: [String], in project: String) throws -> ProcessResult {
        let environment = ["DEVENV_DOCKER": "podman"]
        if mode == .rootful { return try DevenvBinary.run(arguments, in: project, environment: environment) }
        return try TestEngine.run(asEngineUser([DevenvBinary.path, "--project", project] + arguments, environment: environment),
                                  workingDirectory: project, timeoutSeconds: 300)
    }

    /// Removes what devenv made on this engine for a test project (by its `devenv.project` label).
    public func removeEverything(ofProject name: String) {
        TestEngine.removeEverything(ofProject: name, removeContainers: ["rm", "-f", "--time", "0"]) { try podman($0) }
    }

    private static let installedPodman: String? =
        ["/usr/bin/podman", "/usr/local/bin/podman"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The images, then a container started, as the engine's user.
    private func probe() -> String? {
        for image in [TestEngine.busyboxImage, TestEngine.pythonImage] {
            guard (try? podman(["image", "exists", image]).succeeded) == true else {
                return "Podman lacks the test image \(image) (make engine copies it from Docker)"
            }
        }
        guard let started = try? TestEngine.run(asEngineUser(["podman", "run", "--rm", "--network", "none", TestEngine.busyboxImage, "true"]),
                                                workingDirectory: "/", timeoutSeconds: 60), started.succeeded else {
            return mode == .rootful
                ? "a Podman container does not start (see Tests/Scripts/ensure-podman.sh for the ulimits it may need)"
                : "a container does not start as \(Self.rootlessUser) (run Tests/Scripts/ensure-rootless-podman.sh as root)"
        }
        return nil
    }

    private static let rootfulProblem: String? = {
        guard installedPodman != nil else { return "podman is not installed (make engine installs it as root)" }
        guard getuid() == 0 else { return "rootful Podman needs root" }
        return rootful.probe()
    }()

    private static let rootlessProblem: String? = {
        guard installedPodman != nil else { return "podman is not installed (make engine installs it as root)" }
        // Root runs the tests and becomes the test user for each command.
        guard getuid() == 0 else { return "the rootless tests switch to the test user \(rootlessUser), which needs root" }
        guard let id = try? TestEngine.run(["id", "-u", rootlessUser]), id.succeeded,
              id.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == String(rootlessID) else {
            return "no test user \(rootlessUser) with UID \(rootlessID) (Tests/Scripts/ensure-rootless-podman.sh makes it)"
        }
        return rootless.probe()
    }()
}
