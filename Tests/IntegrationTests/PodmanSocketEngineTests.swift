import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The docker CLI with DOCKER_HOST on Podman's API socket (a private `podman system service`
/// this test starts and ends, on rootful Podman's store): Docker by name, Podman behind. break28
/// saw `test` end with catatonit's line alone; here (Podman 4.3.1) the CLI's `run --rm` also
/// said 0 whatever the command's status (podman#18889), so failing tests passed, and Debian's
/// 20.10 client forced BuildKit onto an API without it ("failed to dial gRPC").
@Suite("The docker CLI on Podman's socket", .serialized)
struct PodmanSocketEngineTests {
    @Test("test says the tests' status and a missing runner, builds without BuildKit, and leaves no container")
    func testThroughTheDockerCLIOnPodmansSocket() throws {
        try PodmanEngine.rootful.require()
        let docker = try TestEngine.require()
        let name = "podsock" + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-\(name)").path
        let project = parent + "/" + name
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        defer {
            PodmanEngine.rootful.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
        let socket = parent + "/podman.sock"
        let service = Process()
        service.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        service.arguments = ["podman", "system", "service", "--time=0", "unix://" + socket]
        try service.run()
        defer {
            service.terminate()
            service.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: socket) && Date() < deadline && service.isRunning { usleep(50_000) }
        try #require(FileManager.default.fileExists(atPath: socket), "podman system service made no socket at \(socket) within 20 s")
        // Both clients: the one on PATH (no buildx) and Debian's 20.10 (BuildKit built in).
        for cli in Set([docker, "/usr/bin/docker"]).sorted() where FileManager.default.isExecutableFile(atPath: cli) {
            let environment = ["DOCKER_HOST": "unix://" + socket, "DEVENV_DOCKER": cli]
            try BusyboxProject.write(in: project, name: name, devLines: [#"test_command = ["sh", "-c", "echo ran; exit 3"]"#])
            let failing = try DevenvBinary.run(["test"], in: project, environment: environment, timeoutSeconds: 120)
            #expect(failing.exitCode == 3, "\(cli): the tests' own status: \(failing.stdoutText)\(failing.stderrText)")
            #expect(failing.stdoutText.contains("ran"), "\(cli): \(failing.stdoutText)\(failing.stderrText)")
            try BusyboxProject.write(in: project, name: name, devLines: [#"test_command = ["no-such-runner"]"#])
            let missing = try DevenvBinary.run(["test"], in: project, environment: environment, timeoutSeconds: 120)
            #expect(missing.exitCode == 1, "\(cli): \(missing.stderrText)")
            #expect(missing.stderrText.contains("devenv: error: the test runner no-such-runner is not in the dev"), "\(cli): \(missing.stderrText)")
            let left = try PodmanEngine.rootful.podman(["ps", "--all", "--quiet", "--filter", "label=devenv.project=\(name)"])
            #expect(left.stdoutText.isEmpty, "\(cli): no test container left: \(left.stdoutText)")
        }
        // The image Podman lists as docker.io/library/devenv-…: devenv's, removed by down --images.
        let down = try DevenvBinary.run(["down", "--volumes", "--images"], in: project,
                                        environment: ["DOCKER_HOST": "unix://" + socket, "DEVENV_DOCKER": docker], timeoutSeconds: 120)
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect(!down.stdoutText.contains("left image"), "\(down.stdoutText)")
        let images = try PodmanEngine.rootful.podman(["images", "--quiet", "--filter", "label=devenv.project=\(name)"])
        #expect(images.stdoutText.isEmpty, "no image of the project left: \(images.stdoutText)")
    }
}
