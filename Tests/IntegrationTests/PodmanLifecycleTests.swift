import DevEnvCore
import Foundation
import Testing
import TestSupport

/// devenv's lifecycle on Podman (DEVENV_DOCKER=podman), rootful and rootless, the same test
/// bodies on each (issue 11), on the demo uv project in a folder owned by the user who runs
/// devenv: 4242:4242 under rootful Podman (root runs it), the test user devenv-rootless
/// (1500:1500) under rootless Podman (devenv runs as them). It checks the `ps`/`volume ls`
/// templates, keep-id only rootless (`--userns=keep-id:uid=,gid=` on Podman 4.3), `--format
/// docker` builds that keep HEALTHCHECK, prod's read-only root without `--workdir`. Each engine
/// is skipped with the reason when it cannot be had (`PodmanEngine`).
@Suite("Lifecycle on Podman", .serialized, .enabled(if: PodmanEngine.anyShouldRun, "needs Podman (make engine)"))
struct PodmanLifecycleTests {
    final class Project {
        let engine: PodmanEngine
        let files: TemporaryProject
        let name: String
        var path: String { files.path }
        let devPort: Int, debugPort: Int, prodPort: Int

        init(_ engine: PodmanEngine) throws {
            self.engine = engine
            let owner = engine.projectOwner
            files = try TestEngine.makeDemoProject(uid: owner.uid, gid: owner.gid)
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
            try engine.devenv(arguments, in: path)
        }

        func status() throws -> [String: [String: Any]] {
            let result = try devenv("status", "--json")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
            let environments = try #require(object?["environments"] as? [[String: Any]], "status --json: \(result.stdoutText)\(result.stderrText)")
            return Dictionary(uniqueKeysWithValues: environments.map { ($0["profile"] as? String ?? "", $0) })
        }

        deinit { engine.removeEverything(ofProject: name) }
    }

    /// Who owns `path` on the host, as "UID:GID".
    static func hostOwner(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "no \(path) (errno \(errno))" }
        return "\(info.st_uid):\(info.st_gid)"
    }

    @Test("dev: up as the folder's owner (keep-id only rootless), exec, files and volumes on the host are theirs, sync-deps, status, stale, recreate, down, down --volumes",
          arguments: PodmanEngine.all)
    func devLifecycle(engine: PodmanEngine) throws {
        try engine.require()
        let project = try Project(engine)
        let container = "devenv-\(project.name)-dev"
        let owner = "\(engine.projectOwner.uid):\(engine.projectOwner.gid)"

        let up = try project.devenv("up", "--no-tui", "--verbose")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stdoutText == "dev is up: \(container) started\n")
        if engine.mode == .rootful {
            // Rootful Podman maps UID n to n: keep-id (rootless-only) would fail here.
            #expect(!up.stderrText.contains("keep-id"), "\(up.stderrText)")
        } else {
            // Podman 4.3 takes the ids: the host user is the synced user inside.
            #expect(up.stderrText.contains("--userns=keep-id:uid=\(engine.projectOwner.uid),gid=\(engine.projectOwner.gid) "), "\(up.stderrText)")
        }
        #expect(up.stderrText.contains("podman build --file") && up.stderrText.contains("--format docker"))

        let ids = try project.devenv("exec", "--", "sh", "-c", "id -u; id -g; touch /app/made-inside; stat -c %u:%g /venv /home/dev/.cache")
        #expect(ids.stdoutText == "\(engine.projectOwner.uid)\n\(engine.projectOwner.gid)\n\(owner)\n\(owner)\n", "\(ids.stderrText)")
        // The file written in /app is the host user's on the host.
        #expect(Self.hostOwner(project.path + "/made-inside") == owner)

        // sync-deps installs the project into the venv volume as the synced user; on the host the
        // volume's files are the host user's too (not a subordinate id).
        let sync = try project.devenv("sync-deps")
        #expect(sync.exitCode == 0, "\(sync.stdoutText)\(sync.stderrText)")
        let imported = try project.devenv("exec", "--", "python", "-c", "import demoapp; print(demoapp.__name__)")
        #expect(imported.stdoutText == "demoapp\n", "\(imported.stderrText)")
        let mountpoint = try engine.podman(["volume", "inspect", "--format", "{{.Mountpoint}}", "devenv-\(project.name)-dev-venv"])
        let venvOnHost = mountpoint.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Self.hostOwner(venvOnHost + "/pyvenv.cfg") == owner, "\(venvOnHost) \(mountpoint.stderrText)")

        // Every later command reads Podman's listing (the templates were Docker-only before).
        let again = try project.devenv("up")
        #expect(again.stdoutText == "dev is up to date: \(container) is running\n", "\(again.stderrText)")
        var dev = try #require(try project.status()["dev"])
        #expect(dev["state"] as? String == "running")
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
        #expect(try engine.podman(["container", "exists", container]).exitCode == 1)
        // The volumes outlive down, and status still finds them by label.
        dev = try #require(try project.status()["dev"])
        #expect(dev["state"] as? String == "not created")
        #expect((dev["volumes"] as? [[String: Any]])?.count == 2)
        let volumes = try project.devenv("down", "--volumes")
        #expect(volumes.exitCode == 0, "\(volumes.stderrText)")
        let left = try engine.podman(["volume", "ls", "-q", "--filter", "label=devenv.project=\(project.name)"])
        #expect(left.stdoutText.isEmpty, "left: \(left.stdoutText)")
    }

    @Test("the Dockerfile devenv init writes builds its ci and prod targets: the uv cache mounts work for the engine's build user",
          arguments: PodmanEngine.all)
    func generatedDockerfileBuilds(engine: PodmanEngine) throws {
        try engine.require()
        let project = try Project(engine)
        for generated in ["Dockerfile", "docker", ".dockerignore", ".env.dev", ".env.dev.template", ".env.prod"] {
            try? FileManager.default.removeItem(atPath: project.path + "/" + generated)
        }
        try FileManager.default.removeItem(atPath: project.path + "/devenv.toml")
        let initialized = try project.devenv("init", "--base-image", TestEngine.pythonImage)
        #expect(initialized.exitCode == 0, "\(initialized.stderrText)")
        // init's devenv.toml (its ci command among others) under the test's project name; the
        // builds and the ci run publish no port.
        let toml = try String(contentsOfFile: project.path + "/devenv.toml", encoding: .utf8)
        try project.write("devenv.toml", toml.replacingOccurrences(of: "name = \"demoapp\"", with: "name = \"\(project.name)\""))
        // Every RUN with `--mount=type=cache` (builder's sync, wheel's build, ci's sync).
        for profile in ["ci", "prod"] {
            let built = try project.devenv("--profile", profile, "build")
            #expect(built.exitCode == 0, "\(profile): \(built.stderrText)")
        }
        let tests = try project.devenv("--profile", "ci", "test")
        #expect(tests.exitCode == 0 && tests.stderrText.contains("Ran 1 test"), "\(tests.stderrText)")
    }

    @Test("a Podman container with devenv's name that devenv did not make: exit 4, left alone", arguments: PodmanEngine.all)
    func foreignContainerIsAConflict(engine: PodmanEngine) throws {
        try engine.require()
        let project = try Project(engine)
        let container = "devenv-\(project.name)-dev"
        // Labelled with the project (so the test removes it) but not with devenv's root: not ours.
        let made = try engine.podman(["create", "--name", container, "--label", "devenv.project=\(project.name)",
                                            TestEngine.busyboxImage, "sleep", "60"])
        #expect(made.exitCode == 0, "\(made.stderrText)")
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 4, "\(up.stdoutText)\(up.stderrText)")
        #expect(up.stderrText.contains("devenv did not create"), "\(up.stderrText)")
        #expect(try project.status()["dev"]?["state"] as? String == "conflict")
        #expect(try project.devenv("down").exitCode == 4)
        #expect(try engine.podman(["container", "exists", container]).exitCode == 0)
    }

    @Test("prod: read-only root without --workdir, hardening flags, HEALTHCHECK kept and healthy, serves on its port",
          arguments: PodmanEngine.all)
    func prodHealthAndFlags(engine: PodmanEngine) throws {
        try engine.require()
        let project = try Project(engine)
        let container = "devenv-\(project.name)-prod"
        let up = try project.devenv("--profile", "prod", "up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let inspected = try engine.podman(["inspect", "--format",
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
            _ = try engine.podman(["healthcheck", "run", container])
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
