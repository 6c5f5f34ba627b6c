import DevEnvCore
import Foundation
import Testing
import TestSupport

/// devenv's lifecycle on rootful Podman (DEVENV_DOCKER=podman), on the demo uv project in a
/// folder owned by 4242:4242 (issue 11): the `ps`/`volume ls` templates, no keep-id when
/// rootful, `--format docker` builds that keep HEALTHCHECK, prod's read-only root without
/// `--workdir`. Skipped with the reason when Podman cannot be had (`PodmanEngine`).
@Suite("Lifecycle on rootful Podman", .serialized, .enabled(if: PodmanEngine.shouldRun, "needs rootful Podman (make engine)"))
struct PodmanLifecycleTests {
    final class Project {
        let files: TemporaryProject
        let name: String
        var path: String { files.path }
        let devPort: Int, debugPort: Int, prodPort: Int

        init() throws {
            files = try TestEngine.makeDemoProject(uid: 4242, gid: 4242)
            name = "pm" + String(UUID().uuidString.prefix(8)).lowercased()
            (devPort, debugPort, prodPort) = { (p: [Int]) in (p[0], p[1], p[2]) }(HostPorts.free(3))
            try write("devenv.toml", """
                [project]
                name = "\(name)"

                [profiles.dev]
                ports = ["\(devPort):8000", "\(debugPort):5678"]

                [profiles.prod]
                ports = ["\(prodPort):8080"]
                """)
        }

        func write(_ relative: String, _ text: String) throws {
            let file = path + "/" + relative
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            chown(file, files.uid, files.gid)
        }

        @discardableResult
        func devenv(_ arguments: String...) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: path, environment: ["DEVENV_DOCKER": "podman"])
        }

        func status() throws -> [String: [String: Any]] {
            let result = try devenv("status", "--json")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
            let environments = try #require(object?["environments"] as? [[String: Any]], "status --json: \(result.stdoutText)\(result.stderrText)")
            return Dictionary(uniqueKeysWithValues: environments.map { ($0["profile"] as? String ?? "", $0) })
        }

        deinit { PodmanEngine.removeEverything(ofProject: name) }
    }

    @Test("dev: up as the folder's owner (no keep-id), exec, files on the host are theirs, status, stale, recreate, down, down --volumes")
    func devLifecycle() throws {
        _ = try PodmanEngine.require()
        let project = try Project()
        let container = "devenv-\(project.name)-dev"

        let up = try project.devenv("up", "--no-tui", "--verbose")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stdoutText == "dev is up: \(container) started\n")
        // Rootful Podman maps UID n to n: keep-id (rootless-only) would fail here.
        #expect(!up.stderrText.contains("keep-id"), "\(up.stderrText)")
        #expect(up.stderrText.contains("podman build --file") && up.stderrText.contains("--format docker"))

        let ids = try project.devenv("exec", "--", "sh", "-c", "id -u; id -g; touch /app/made-inside")
        #expect(ids.stdoutText == "4242\n4242\n", "\(ids.stderrText)")
        var info = stat()
        #expect(stat(project.path + "/made-inside", &info) == 0)
        #expect(info.st_uid == 4242 && info.st_gid == 4242)

        // Every later command reads Podman's listing (the templates were Docker-only before).
        let again = try project.devenv("up")
        #expect(again.stdoutText == "dev is up to date: \(container) is running\n", "\(again.stderrText)")
        var dev = try #require(try project.status()["dev"])
        #expect(dev["state"] as? String == "running")
        // Who it runs as: rootful Podman maps directly, and no keep-id was added.
        let user = dev["user"] as? [String: Any]
        #expect(user?["container"] as? String == "4242:4242" && user?["mapping"] as? String == "direct"
                && user?["text"] as? String == "4242:4242", "\(dev)")
        #expect(dev["stale"] as? Bool == false)
        #expect((dev["volumes"] as? [[String: Any]])?.compactMap { $0["role"] as? String }.sorted() == ["cache", "venv"])
        #expect(dev["url"] as? String == "http://127.0.0.1:\(project.devPort)/")

        // A changed env file makes it stale; up recreates it and keeps the volumes.
        try project.write(".env.dev", "GREETING=podman\n")
        dev = try #require(try project.status()["dev"])
        #expect(dev["stale"] as? Bool == true)
        #expect(dev["staleInputs"] as? [String] == ["env_file"], "\(dev)")
        let recreate = try project.devenv("up")
        #expect(recreate.stdoutText == "dev is up: \(container) recreated (the env file .env.dev changed)\n", "\(recreate.stderrText)")
        let greeting = try project.devenv("exec", "--", "printenv", "GREETING")
        #expect(greeting.stdoutText == "podman\n", "\(greeting.stderrText)")

        let down = try project.devenv("down")
        #expect(down.exitCode == 0 && down.stdoutText == "removed \(container)\n", "\(down.stderrText)")
        #expect(try PodmanEngine.podman(["container", "exists", container]).exitCode == 1)
        // The volumes outlive down, and status still finds them by label.
        dev = try #require(try project.status()["dev"])
        #expect(dev["state"] as? String == "not created")
        #expect((dev["volumes"] as? [[String: Any]])?.count == 2)
        let volumes = try project.devenv("down", "--volumes")
        #expect(volumes.exitCode == 0, "\(volumes.stderrText)")
        let left = try PodmanEngine.podman(["volume", "ls", "-q", "--filter", "label=devenv.project=\(project.name)"])
        #expect(left.stdoutText.isEmpty, "left: \(left.stdoutText)")
    }

    @Test("a Podman container with devenv's name that devenv did not make: exit 4, left alone")
    func foreignContainerIsAConflict() throws {
        _ = try PodmanEngine.require()
        let project = try Project()
        let container = "devenv-\(project.name)-dev"
        // Labelled with the project (so the test removes it) but not with devenv's root: not ours.
        let made = try PodmanEngine.podman(["create", "--name", container, "--label", "devenv.project=\(project.name)",
                                            TestEngine.busyboxImage, "sleep", "60"])
        #expect(made.exitCode == 0, "\(made.stderrText)")
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 4, "\(up.stdoutText)\(up.stderrText)")
        #expect(up.stderrText.contains("devenv did not create"), "\(up.stderrText)")
        #expect(try project.status()["dev"]?["state"] as? String == "conflict")
        #expect(try project.devenv("down").exitCode == 4)
        #expect(try PodmanEngine.podman(["container", "exists", container]).exitCode == 0)
    }

    @Test("prod: read-only root without --workdir, hardening flags, HEALTHCHECK kept and healthy, serves on its port")
    func prodHealthAndFlags() throws {
        _ = try PodmanEngine.require()
        let project = try Project()
        let container = "devenv-\(project.name)-prod"
        let up = try project.devenv("--profile", "prod", "up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let inspected = try PodmanEngine.podman(["inspect", "--format",
                                                 "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}} {{json .HostConfig.CapDrop}} {{json .Config.Healthcheck.Test}}",
                                                 container])
        #expect(inspected.stdoutText.hasPrefix("true 10001:10001 "), "\(inspected.stdoutText)\(inspected.stderrText)")
        #expect(inspected.stdoutText.contains("python"), "the image's HEALTHCHECK: \(inspected.stdoutText)")
        // Podman runs health checks from systemd timers; without systemd (this sandbox) nothing
        // runs them, so the test runs the container's own check the way the timer would, until
        // status says healthy (bounded).
        var health = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            _ = try PodmanEngine.podman(["healthcheck", "run", container])
            health = try project.status()["prod"]?["health"] as? String ?? ""
            if health == "healthy" { break }
            Thread.sleep(forTimeInterval: 1)
        }
        #expect(health == "healthy", "waited 60 s for status to say prod is healthy")
        let answer = try HostPorts.waitForHTTP(port: project.prodPort, seconds: 30, what: "the demo app in the prod container on Podman")
        #expect(answer == "demoapp 0.1.0: hello, production\n")
        #expect(try project.devenv("--profile", "prod", "down").exitCode == 0)
    }
}
