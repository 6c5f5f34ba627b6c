import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The docker CLI with DOCKER_HOST on Podman's API socket (a private `podman system service`
/// each test starts as the engine's user and ends, on rootful or rootless Podman's store):
/// Docker by name, Podman behind. break28 saw `test` end with catatonit's line alone; here
/// (Podman 4.3.1) the CLI's `run --rm` says 0 whatever the command's status (podman#18889), so
/// failing tests passed, and Debian's 20.10 client forced BuildKit onto an API without it
/// ("failed to dial gRPC"). engine30: what the engine probe judges (`EngineFacts.podmanAPI`) is
/// what every command reads: every one-off's status (the volumes' chown too), and on rootless
/// Podman the user mapping (container root is the host user: keep-id cannot pass the docker CLI).
@Suite("The docker CLI on Podman's socket", .serialized)
struct PodmanSocketEngineTests {
    /// A private `podman system service` on a socket of its own, as `engine`'s user; ended (by
    /// its process) when the test ends.
    final class Service {
        let socket: String
        private let process = Process()

        init(engine: PodmanEngine, folder: String) throws {
            let owner = engine.projectOwner
            if engine.mode == .rootless { chown(folder, owner.uid, owner.gid) }
            socket = folder + "/podman.sock"
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = engine.asEngineUser(["podman", "system", "service", "--time=0", "unix://" + socket])
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while !FileManager.default.fileExists(atPath: socket) && Date() < deadline && process.isRunning { usleep(50_000) }
            try #require(FileManager.default.fileExists(atPath: socket), "podman system service made no socket at \(socket) within 20 s")
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// A project folder owned by the engine's project owner, with a temporary parent.
    static func project(_ engine: PodmanEngine, prefix: String) throws -> (parent: String, path: String, name: String) {
        let name = prefix + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-en30-\(name)").path
        let path = parent + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let owner = engine.projectOwner
        chown(parent, owner.uid, owner.gid)
        chown(path, owner.uid, owner.gid)
        return (parent, path, name)
    }

    /// devenv as the engine's project owner (rootless: the engine's user), the docker CLI `cli`
    /// on the service's socket.
    static func devenv(_ arguments: [String], engine: PodmanEngine, project: String, socket: String, cli: String) throws -> ProcessResult {
        let environment = ["DOCKER_HOST": "unix://" + socket, "DEVENV_DOCKER": cli]
        if engine.mode == .rootful { return try DevenvBinary.run(arguments, in: project, environment: environment, timeoutSeconds: 180) }
        return try TestEngine.run(engine.asEngineUser([DevenvBinary.path, "--project", project] + arguments, environment: environment),
                                  workingDirectory: project, timeoutSeconds: 180)
    }

    static func write(_ text: String, to path: String, owner: (uid: UInt32, gid: UInt32)) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chown(path, owner.uid, owner.gid)
    }

    @Test("test says the tests' status, a missing runner and a shell's own 127, writes as the host user, builds without BuildKit, and leaves no container",
          arguments: PodmanEngine.all)
    func testThroughTheDockerCLIOnPodmansSocket(engine: PodmanEngine) throws {
        try engine.require()
        let docker = try TestEngine.require()
        let (parent, project, name) = try Self.project(engine, prefix: "podsock")
        defer {
            engine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
        let service = try Service(engine: engine, folder: parent)
        let owner = engine.projectOwner
        // Both clients: the one on PATH (no buildx) and Debian's 20.10 (BuildKit built in).
        for cli in Set([docker, "/usr/bin/docker"]).sorted() where FileManager.default.isExecutableFile(atPath: cli) {
            func run(_ testCommand: String) throws -> ProcessResult {
                try BusyboxProject.write(in: project, name: name, devLines: ["test_command = \(testCommand)"])
                for file in ["Dockerfile", "devenv.toml"] { chown(project + "/" + file, owner.uid, owner.gid) }
                return try Self.devenv(["test"], engine: engine, project: project, socket: service.socket, cli: cli)
            }
            let failing = try run(#"["sh", "-c", "echo ran; touch written; exit 3"]"#)
            #expect(failing.exitCode == 3, "\(engine), \(cli): the tests' own status: \(failing.stdoutText)\(failing.stderrText)")
            #expect(failing.stdoutText.contains("ran"), "\(engine), \(cli): \(failing.stdoutText)\(failing.stderrText)")
            // Written on the bind mount as the host user who ran devenv (rootless Podman: not a
            // subordinate ID, which the project folder would refuse).
            let written = try? FileManager.default.attributesOfItem(atPath: project + "/written")
            #expect((written?[.ownerAccountID] as? NSNumber)?.uint32Value == owner.uid, "\(engine), \(cli): \(String(describing: written)) \(failing.stderrText)")
            try? FileManager.default.removeItem(atPath: project + "/written")
            let missing = try run(#"["no-such-runner"]"#)
            #expect(missing.exitCode == 1, "\(engine), \(cli): \(missing.stderrText)")
            #expect(missing.stderrText.contains("devenv: error: the test runner no-such-runner is not in the dev"), "\(engine), \(cli): \(missing.stderrText)")
            let shell = try run(#"["sh", "-c", "missing-cmd-en30"]"#)
            #expect(shell.exitCode == 127, "\(engine), \(cli): \(shell.stderrText)")
            #expect(!shell.stderrText.contains("the test runner"), "\(engine), \(cli): \(shell.stderrText)")
            let left = try engine.podman(["ps", "--all", "--quiet", "--filter", "label=devenv.project=\(name)"])
            #expect(left.stdoutText.isEmpty, "\(engine), \(cli): no test container left: \(left.stdoutText)")
        }
        // The image Podman lists as docker.io/library/devenv-…: devenv's, removed by down --images.
        let down = try Self.devenv(["down", "--volumes", "--images"], engine: engine, project: project, socket: service.socket, cli: docker)
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect(!down.stdoutText.contains("left image"), "\(down.stdoutText)")
        let images = try engine.podman(["images", "--quiet", "--filter", "label=devenv.project=\(name)"])
        #expect(images.stdoutText.isEmpty, "no image of the project left: \(images.stdoutText)")
    }

    /// The chown of new volumes is a one-off `run --rm` like the test run, and through Podman's
    /// API said 0 whatever it did: a chown that failed left the volumes root's and `test` went
    /// on (exit 0). Now it fails as the chown, takes its volumes back, and leaves no container.
    @Test("a chown of new volumes that fails is said as failing, its volumes taken back")
    func aFailingChownIsSaid() throws {
        let engine = PodmanEngine.rootful
        try engine.require()
        let docker = try TestEngine.require()
        let (parent, project, name) = try Self.project(engine, prefix: "podchown")
        defer {
            engine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
        let service = try Service(engine: engine, folder: parent)
        try BusyboxProject.write(in: project, name: name, devLines: [#"test_command = ["true"]"#])
        // A chown that runs and fails (one missing fails at the start, which the CLI reports).
        try "FROM \(TestEngine.busyboxImage) AS dev\nRUN rm /bin/chown && printf '#!/bin/sh\\necho cannot chown >&2\\nexit 1\\n' > /bin/chown && chmod 755 /bin/chown\n"
            .write(toFile: project + "/Dockerfile", atomically: true, encoding: .utf8)
        let test = try Self.devenv(["test"], engine: engine, project: project, socket: service.socket, cli: docker)
        #expect(test.exitCode == 1, "exit \(test.exitCode): \(test.stderrText)")
        #expect(test.stderrText.contains("devenv: error: giving devenv-\(name)-dev-"), "\(test.stderrText)")
        #expect(test.stderrText.contains("cannot chown"), "\(test.stderrText)")
        let volumes = try engine.podman(["volume", "ls", "--quiet", "--filter", "label=devenv.project=\(name)"])
        #expect(volumes.stdoutText.isEmpty, "the new volumes taken back: \(volumes.stdoutText)")
        let left = try engine.podman(["ps", "--all", "--quiet", "--filter", "label=devenv.project=\(name)"])
        #expect(left.stdoutText.isEmpty, "no chown container left: \(left.stdoutText)")
    }
}
