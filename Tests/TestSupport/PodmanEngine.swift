import DevEnvCore
import Foundation
import Testing

/// Rootful Podman, for the lifecycle tests that run devenv with DEVENV_DOCKER=podman (issue 11).
/// `make engine` prepares it (Tests/Scripts/ensure-podman.sh: the packages, the ulimits this
/// machine needs, the test images copied from Docker). Without it the tests are skipped with
/// the reason, unless DEVENV_REQUIRE_ENGINES names podman (e.g. "docker,podman"): then they fail.
/// Every object a test makes carries its project's label and is removed by it.
public enum PodmanEngine {
    /// DEVENV_REQUIRE_ENGINES=docker,podman: a missing Podman is a failure.
    public static var isRequired: Bool {
        (ProcessInfo.processInfo.environment["DEVENV_REQUIRE_ENGINES"] ?? "")
            .split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "podman" }
    }

    /// Why rootful Podman cannot be used here; nil when it can. Probed once per test process.
    public static let problem: String? = {
        guard let podman = ["/usr/bin/podman", "/usr/local/bin/podman"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return "podman is not installed (make engine installs it as root)"
        }
        guard getuid() == 0 else { return "rootful Podman needs root" }
        for image in [TestEngine.busyboxImage, TestEngine.pythonImage] {
            guard (try? TestEngine.run([podman, "image", "exists", image]).succeeded) == true else {
                return "Podman lacks the test image \(image) (Tests/Scripts/ensure-podman.sh copies it from Docker)"
            }
        }
        guard let started = try? TestEngine.run([podman, "run", "--rm", "--network", "none", TestEngine.busyboxImage, "true"],
                                                timeoutSeconds: 60), started.succeeded else {
            return "a Podman container does not start (see Tests/Scripts/ensure-podman.sh for the ulimits it may need)"
        }
        return nil
    }()

    public static var shouldRun: Bool { problem == nil || isRequired }

    /// The podman CLI; skips (or fails, when required) with the reason when it cannot be used.
    public static func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        guard let problem else { return "podman" }
        if isRequired { throw TestEngine.Unavailable(reason: "rootful Podman: \(problem) (DEVENV_REQUIRE_ENGINES names podman)") }
        let reason = "skipped: rootful Podman: \(problem); set DEVENV_REQUIRE_ENGINES=docker,podman to fail instead"
        print("PodmanEngine: \(reason)")
        try Test.cancel(Comment(rawValue: reason), sourceLocation: sourceLocation)
    }

    @discardableResult
    public static func podman(_ arguments: [String]) throws -> ProcessResult {
        try TestEngine.run(["podman"] + arguments, timeoutSeconds: 120)
    }

    /// Removes what devenv made on Podman for a test project (by its `devenv.project` label).
    public static func removeEverything(ofProject name: String) {
        let label = "label=devenv.project=\(name)"
        func ids(_ arguments: [String]) -> [String] {
            let output = (try? podman(arguments + ["--filter", label]).stdoutText) ?? ""
            return Set(output.split(separator: "\n").map(String.init)).sorted()
        }
        let containers = ids(["ps", "-aq"])
        if !containers.isEmpty { _ = try? podman(["rm", "-f", "--time", "0"] + containers) }
        let volumes = ids(["volume", "ls", "-q"])
        if !volumes.isEmpty { _ = try? podman(["volume", "rm", "-f"] + volumes) }
        let images = ids(["images", "-q"])
        if !images.isEmpty { _ = try? podman(["rmi", "-f"] + images) }
    }
}
