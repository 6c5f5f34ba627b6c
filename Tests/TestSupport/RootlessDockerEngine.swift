import DevEnvCore
import Foundation
import Testing

/// Rootless Docker, for the lifecycle tests that run devenv as its test user (issue 11).
///
/// `make engine` prepares it (Tests/Scripts/ensure-rootless-docker.sh, which says what it chose
/// and why): the user devenv-rldocker (1600:1600) with subordinate ID ranges, and a rootless
/// dockerd of theirs (rootlesskit, slirp4netns) on unix:///run/user/1600/docker.sock holding
/// the test images copied from the shared engine. Like the shared engine it is left running:
/// the tests only check that it answers and never stop it (`ensure-rootless-docker.sh stop`
/// does). Without it the tests are skipped with the reason, unless DEVENV_REQUIRE_ENGINES names
/// docker-rootless: then they fail. Every object a test makes carries its project's label and
/// is removed by it.
public enum RootlessDockerEngine {
    public static let userName = "devenv-rldocker"
    public static let uid: UInt32 = 1600
    public static let gid: UInt32 = 1600
    public static let home = "/home/devenv-rldocker"
    public static let runtimeDirectory = "/run/user/1600"
    /// DOCKER_HOST of the engine.
    public static let host = "unix:///run/user/1600/docker.sock"
    /// Debian's client (BuildKit built in), as for the shared engine.
    public static let docker = "/usr/bin/docker"

    /// DEVENV_REQUIRE_ENGINES names docker-rootless: a missing engine is a failure.
    public static var isRequired: Bool {
        (ProcessInfo.processInfo.environment["DEVENV_REQUIRE_ENGINES"] ?? "")
            .split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "docker-rootless" }
    }

    /// Why rootless Docker cannot be used here; nil when it can. Probed once per test process.
    public static let problem: String? = {
        guard getuid() == 0 else { return "the tests switch to the test user \(userName), which needs root" }
        guard FileManager.default.isExecutableFile(atPath: docker) else { return "no \(docker) (docker.io)" }
        guard let account = getpwnam(userName), account.pointee.pw_uid == uid else {
            return "no test user \(userName) with uid \(uid) (Tests/Scripts/ensure-rootless-docker.sh makes it as root)"
        }
        guard let info = try? cli(["info", "--format", "{{json .SecurityOptions}}"], timeoutSeconds: 15), info.succeeded else {
            return "no rootless engine answers on \(host) (Tests/Scripts/ensure-rootless-docker.sh starts it; its log says why it could not)"
        }
        guard info.stdoutText.contains("name=rootless") else { return "the engine on \(host) is not rootless" }
        for image in [TestEngine.busyboxImage, TestEngine.pythonImage] {
            guard (try? cli(["image", "inspect", "--format", "{{.Id}}", image]).succeeded) == true else {
                return "the rootless engine lacks the test image \(image) (Tests/Scripts/ensure-rootless-docker.sh copies it from the shared engine)"
            }
        }
        return nil
    }()

    public static var shouldRun: Bool { problem == nil || isRequired }

    /// Call first in a rootless Docker test: skips (or fails, when required) with the reason
    /// when the engine cannot be used.
    public static func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        guard let problem else { return }
        if isRequired { throw TestEngine.Unavailable(reason: "rootless Docker: \(problem) (DEVENV_REQUIRE_ENGINES names docker-rootless)") }
        let reason = "skipped: rootless Docker: \(problem); set DEVENV_REQUIRE_ENGINES=docker-rootless to fail instead"
        print("RootlessDockerEngine: \(reason)")
        try Test.cancel(Comment(rawValue: reason), sourceLocation: sourceLocation)
    }

    /// The environment of the test user's login, and nothing of the test process's: what
    /// devenv and docker see when that user runs them.
    public static var userEnvironment: [String: String] {
        ["HOME": home, "USER": userName, "LOGNAME": userName, "XDG_RUNTIME_DIR": runtimeDirectory,
         "PATH": "/usr/local/bin:/usr/bin:/bin", "DOCKER_HOST": host, "LANG": "C.UTF-8"]
    }

    /// argv run as the test user (setpriv: its uid, gid and groups), in `userEnvironment` plus
    /// `environment`.
    public static func asUser(_ argv: [String], environment: [String: String] = [:]) -> [String] {
        let variables = userEnvironment.merging(environment) { _, new in new }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ["setpriv", "--reuid", String(uid), "--regid", String(gid), "--init-groups", "env", "-i"] + variables + argv
    }

    /// Runs `docker ARGS` against the rootless engine (as root: its socket is the test user's,
    /// root reaches it all the same).
    @discardableResult
    public static func cli(_ arguments: [String], timeoutSeconds: Int = 120) throws -> ProcessResult {
        try TestEngine.run([docker] + arguments, environment: ["DOCKER_HOST": host], timeoutSeconds: timeoutSeconds)
    }

    /// Removes what devenv made on the rootless engine for a test project (by its
    /// `devenv.project` label).
    public static func removeEverything(ofProject name: String) {
        TestEngine.removeEverything(ofProject: name) { try cli($0) }
    }
}
