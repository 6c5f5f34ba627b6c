import DevEnvCore
import Foundation
import Testing
import TestSupport

/// devenv's lifecycle on the engines other than the shared rootful Docker (issue 11), one body
/// per step for every engine (`LifecycleEngine`), on the demo uv project in a folder owned by
/// the user devenv syncs to: rootful Podman (DEVENV_DOCKER=podman, root runs devenv on a folder
/// of 4242:4242), rootless Podman (its test user devenv-rootless, 1500, runs devenv; keep-id
/// with the ids on Podman 4.3) and rootless Docker (its test user devenv-rldocker, 1600, runs
/// devenv; the container runs as 0:0, which is that user on the host). Podman's `ps`/`volume
/// ls` templates, `--format docker` builds that keep HEALTHCHECK and prod's read-only root
/// without `--workdir` are checked on the way. Each engine is skipped with its reason when the
/// machine cannot provide it.
@Suite("Lifecycle on Podman and rootless Docker", .serialized, .podmanImageStoreTurn,
       .enabled(if: LifecycleEngine.anyShouldRun, "needs Podman or rootless Docker (make engine)"))
struct EngineLifecycleTests {
    final class Project {
        let engine: LifecycleEngine
        let files: TemporaryProject
        let name: String
        var path: String { files.path }
        let devPort: Int, debugPort: Int, prodPort: Int

        init(_ engine: LifecycleEngine) throws {
            self.engine = engine
            files = try TestEngine.makeDemoProject(uid: engine.hostUser.uid, gid: engine.hostUser.gid)
            // The whole project is its owner's, as on their machine (a rootless engine's user
            // runs devenv and must be able to write there).
            let owned = try TestEngine.run(["chown", "-R", "\(engine.hostUser.uid):\(engine.hostUser.gid)", files.path])
            try #require(owned.succeeded, "chown -R: \(owned.stderrText)")
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

        /// The dev profile gets `services = NAMES`, and devenv.toml the `[services.NAME]`
        /// tables in `tables`.
        func addServices(_ names: [String], _ tables: String) throws {
            let toml = try String(contentsOfFile: path + "/devenv.toml", encoding: .utf8)
            let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
            try write("devenv.toml", toml.replacingOccurrences(of: "[profiles.dev]\n", with: "[profiles.dev]\nservices = [\(list)]\n")
                      + "\n" + tables)
        }

        @discardableResult
        func devenv(_ arguments: String...) throws -> ProcessResult {
            try engine.devenv(arguments, in: path)
        }

        func statusJSON() throws -> [String: Any] {
            let result = try devenv("status", "--json")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
            return try #require(object, "status --json: \(result.stdoutText)\(result.stderrText)")
        }

        func status() throws -> [String: [String: Any]] {
            let object = try statusJSON()
            let environments = try #require(object["environments"] as? [[String: Any]], "status --json: \(object)")
            return Dictionary(uniqueKeysWithValues: environments.map { ($0["profile"] as? String ?? "", $0) })
        }

        /// `down --images` of each profile, then none of the names devenv gives this project's
        /// images is left on the engine: what a test built goes by devenv's own removal, and a
        /// failure shows as a test failure, not as a leftover the best-effort clean-up (deinit)
        /// could not remove.
        func downImages(profiles: [String]) throws {
            for profile in profiles {
                let down = try devenv("--profile", profile, "down", "--images")
                #expect(down.exitCode == 0, "\(profile): \(down.stdoutText)\(down.stderrText)")
            }
            let listed = try engine.cli(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference=\(DevenvNames.imageRepository(name, in: path)):*"])
            #expect(listed.succeeded && listed.stdoutText.isEmpty, "left on \(engine.mode): \(listed.stdoutText)\(listed.stderrText)")
        }

        deinit { engine.removeEverything(ofProject: name) }
    }

    /// Who owns `path` on the host, as "UID:GID".
    static func hostOwner(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "no \(path) (errno \(errno))" }
        return "\(info.st_uid):\(info.st_gid)"
    }

    @Test("dev: dry run and doctor agree with up, exec as the synced user, files and volumes on the host are theirs, sync-deps, status, stale, recreate, down, down --volumes",
          arguments: LifecycleEngine.all)
    func devLifecycle(_ engine: LifecycleEngine) throws {
        try engine.require()
        let project = try Project(engine)
        let container = "\(DevenvNames.container(project.name, in: project.path))"
        let (uid, gid) = engine.hostUser
        let owner = "\(uid):\(gid)"
        let runsAs = "\(engine.containerIDs.uid):\(engine.containerIDs.gid)"

        // --dry-run asks the engine (one call) and plans what up will do; doctor says the same.
        let plan = try project.devenv("up", "--dry-run")
        #expect(plan.exitCode == 0, "\(plan.stderrText)")
        #expect(plan.stderrText.contains("dry run: planned for \(engine.mode)"), "\(plan.stderrText)")
        #expect(plan.stdoutText.contains(" --user \(runsAs) "), "\(plan.stdoutText)")
        let doctor = try project.devenv("doctor")
        #expect(doctor.stdoutText.contains("ok    engine-mode: \(engine.mode)"), "\(doctor.stdoutText)")
        #expect(doctor.stdoutText.contains("ok    container-user: profile dev runs its container as \(runsAs)"), "\(doctor.stdoutText)")
        let hostUser = doctor.stdoutText.split(separator: "\n").first { $0.hasPrefix("ok    host-user: ") } ?? ""
        #expect(hostUser.contains("the container runs as ") && hostUser.contains(" \(runsAs)"), "\(doctor.stdoutText)")
        #expect(!doctor.stdoutText.contains("user = "), "doctor asks to configure nothing up does: \(doctor.stdoutText)")
        #expect(!doctor.stdoutText.contains("\nFAIL "), "\(doctor.stdoutText)")

        let up = try project.devenv("up", "--no-tui", "--verbose")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stdoutText == "dev is up: \(container) started\n")
        for text in engine.upSays.must { #expect(up.stderrText.contains(text), "\(text): \(up.stderrText)") }
        for text in engine.upSays.mustNot { #expect(!up.stderrText.contains(text), "\(text): \(up.stderrText)") }

        // Who the container runs as, and what it writes on the bind mount belongs to the host user.
        let ids = try project.devenv("exec", "--", "sh", "-c", "id -u; id -g; touch /app/made-inside; stat -c %u:%g /venv /home/dev/.cache")
        let inside = engine.volumeOwnerInside.map { "\($0)\n\($0)\n" }
        #expect(ids.stdoutText.hasPrefix("\(engine.containerIDs.uid)\n\(engine.containerIDs.gid)\n"), "\(ids.stdoutText)\(ids.stderrText)")
        #expect(inside.map { ids.stdoutText.hasSuffix($0) } ?? true, "the volumes' owners inside: \(ids.stdoutText)")
        #expect(Self.hostOwner(project.path + "/made-inside") == owner)

        // Every later command reads the engine's listing.
        let again = try project.devenv("up")
        #expect(again.stdoutText == "dev is up to date: \(container) is running\n", "\(again.stderrText)")

        // sync-deps installs the project into the venv volume as whoever the container runs as;
        // on the host the volume's files are the host user's too (not a subordinate id).
        let sync = try project.devenv("sync-deps")
        #expect(sync.exitCode == 0, "\(sync.stdoutText)\(sync.stderrText)")
        let imported = try project.devenv("exec", "--", "python", "-c", "import demoapp, sys; print(demoapp.greeting('it'), sys.prefix)")
        #expect(imported.stdoutText == "hello, it /venv\n", "\(imported.stderrText)")
        let mountpoint = try engine.cli(["volume", "inspect", "--format", "{{.Mountpoint}}", "\(DevenvNames.container(project.name, in: project.path))-venv"])
        let venvOnHost = mountpoint.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Self.hostOwner(venvOnHost + "/pyvenv.cfg") == owner, "\(venvOnHost) \(mountpoint.stderrText)")

        // doctor reads the volumes' owners as the container sees them (break30: on rootless
        // Podman its one-shot container had no keep-id, and volumes `up` gave the synced user
        // read as 0:0, a failed check telling the user to remove them).
        let checked = try project.devenv("doctor")
        #expect(checked.stdoutText.contains("ok    volumes: "), "\(checked.stdoutText)")
        #expect(!checked.stdoutText.contains("\nFAIL "), "\(checked.stdoutText)")

        let status = try project.statusJSON()
        #expect((status["user"] as? String)?.hasSuffix(" \(owner)") == true,
                "the synced host user: \(status["user"] ?? "none")")
        var dev = try #require(try project.status()["dev"])
        #expect(dev["state"] as? String == "running")
        #expect(dev["stale"] as? Bool == false)
        // status's user: who the container runs as and who that is on the host (issue 11).
        let runAs = "\(engine.containerIDs.uid):\(engine.containerIDs.gid)"
        let expectedUser: (mapping: String, text: String) = switch engine.mode {
        case "rootless Podman": ("keep-id", "\(runAs) (host \(owner), keep-id)")
        case "rootless Docker": ("rootless", "\(runAs) (host \(owner), rootless)")
        default: ("direct", runAs)
        }
        let user = dev["user"] as? [String: Any]
        #expect(user?["container"] as? String == runAs && user?["mapping"] as? String == expectedUser.mapping
                && user?["text"] as? String == expectedUser.text, "\(engine.mode): \(dev["user"] ?? "none")")
        #expect((dev["volumes"] as? [[String: Any]])?.compactMap { $0["role"] as? String }.sorted() == ["cache", "venv"])
        #expect(dev["url"] as? String == "http://127.0.0.1:\(project.devPort)/")

        // A changed env file makes it stale; up recreates it and keeps the volumes.
        try project.write(".env.dev", "GREETING=recreated\n")
        dev = try #require(try project.status()["dev"])
        #expect(dev["stale"] as? Bool == true)
        #expect(dev["staleInputs"] as? [String] == ["env_file"], "\(dev)")
        let recreate = try project.devenv("up")
        #expect(recreate.stdoutText == "dev is up: \(container) recreated (the env file .env.dev changed)\n", "\(recreate.stderrText)")
        let greeting = try project.devenv("exec", "--", "printenv", "GREETING")
        #expect(greeting.stdoutText == "recreated\n", "\(greeting.stderrText)")
        #expect(try project.devenv("exec", "--", "python", "-c", "import demoapp").exitCode == 0,
                "the venv volume survived the recreation")

        let down = try project.devenv("down")
        #expect(down.exitCode == 0 && down.stdoutText == "removed \(container)\n", "\(down.stderrText)")
        #expect(try !engine.containerExists(container))
        // The volumes outlive down, and status still finds them by label.
        dev = try #require(try project.status()["dev"])
        #expect(dev["state"] as? String == "not created")
        #expect((dev["volumes"] as? [[String: Any]])?.count == 2)
        let volumes = try project.devenv("down", "--volumes")
        #expect(volumes.exitCode == 0, "\(volumes.stderrText)")
        let left = try engine.cli(["volume", "ls", "-q", "--filter", "label=devenv.project=\(project.name)"])
        #expect(left.succeeded && left.stdoutText.isEmpty, "left: \(left.stdoutText)\(left.stderrText)")
    }

    @Test("the Dockerfile devenv init writes builds its ci and prod targets: the uv cache mounts work for the engine's build user",
          arguments: LifecycleEngine.all)
    func generatedDockerfileBuilds(_ engine: LifecycleEngine) throws {
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
        try project.downImages(profiles: ["ci", "prod"])
    }

    @Test("a container with devenv's name that devenv did not make: exit 4, left alone", arguments: LifecycleEngine.all)
    func foreignContainerIsAConflict(_ engine: LifecycleEngine) throws {
        try engine.require()
        let project = try Project(engine)
        let container = "\(DevenvNames.container(project.name, in: project.path))"
        // Labelled with the project (so the test removes it) but not with devenv's root: not ours.
        let made = try engine.cli(["create", "--name", container, "--label", "devenv.project=\(project.name)",
                                   TestEngine.busyboxImage, "sleep", "60"])
        #expect(made.exitCode == 0, "\(made.stderrText)")
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 4, "\(up.stdoutText)\(up.stderrText)")
        #expect(up.stderrText.contains("devenv did not create"), "\(up.stderrText)")
        #expect(try project.status()["dev"]?["state"] as? String == "conflict")
        #expect(try project.devenv("down").exitCode == 4)
        #expect(try project.devenv("down", "--volumes").exitCode == 4)
        #expect(try engine.containerExists(container))
    }

    @Test("a service run as the synced user (no health check): up waits for it running, its volume's files are the host user's",
          arguments: LifecycleEngine.all)
    func serviceAsTheSyncedUser(_ engine: LifecycleEngine) throws {
        try engine.require()
        let project = try Project(engine)
        try project.addServices(["box"], """
            [services.box]
            image = "\(TestEngine.busyboxImage)"
            command = ["sh", "-c", "touch /data/by-service && exec sleep 3600"]
            volumes = { data = "/data" }
            user = "host"
            """)
        let up = try project.devenv("up", "--no-tui", "--verbose")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        // Made with the mapping the engine probe found (before the services, not only the app).
        let created = up.stderrText.split(separator: "\n").first { $0.contains("create --name \(DevenvNames.container(project.name, in: project.path))-svc-box") } ?? ""
        let (must, mustNot) = engine.upSays
        for text in must where text.hasPrefix("--userns") { #expect(created.contains(text), "\(created)") }
        for text in mustNot { #expect(!created.contains(text), "\(created)") }
        let mountpoint = try engine.cli(["volume", "inspect", "--format", "{{.Mountpoint}}", "\(DevenvNames.container(project.name, in: project.path))-svc-box-data"])
        let data = mountpoint.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Self.hostOwner(data + "/by-service") == "\(engine.hostUser.uid):\(engine.hostUser.gid)", "\(data) \(mountpoint.stderrText)")
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
    }

    @Test("a service with a health check that passes only after a while: up waits until the engine says healthy (devenv runs Podman's checks itself)",
          arguments: LifecycleEngine.all)
    func serviceTurnsHealthy(_ engine: LifecycleEngine) throws {
        try engine.require()
        let project = try Project(engine)
        // Each check fails until the service has touched /tmp/ready (a few failed checks first,
        // fewer than its retries); nothing in this test runs the check. `box` has devenv.toml's
        // check, `built` its image's HEALTHCHECK (kept by Podman's `--format docker` build).
        try FileManager.default.createDirectory(atPath: project.path + "/built", withIntermediateDirectories: true)
        try project.write("built/Dockerfile", """
            FROM \(TestEngine.busyboxImage)
            HEALTHCHECK --interval=1s --retries=30 CMD test -f /tmp/ready
            CMD ["sh", "-c", "sleep 2 && touch /tmp/ready && exec sleep 3600"]
            """)
        try project.addServices(["box", "built"], """
            [services.box]
            image = "\(TestEngine.busyboxImage)"
            command = ["sh", "-c", "sleep 2 && touch /tmp/ready && exec sleep 3600"]
            healthcheck = { test = "test -f /tmp/ready", interval = 1, retries = 30 }

            [services.built]
            build = { context = "built" }
            """)
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let services = try project.status()["dev"]?["services"] as? [[String: Any]] ?? []
        for service in ["box", "built"] {
            #expect(up.stderrText.contains("service \(service) is healthy"), "\(up.stderrText)")
            // Podman's timers need systemd, which this machine lacks: devenv said it ran the check.
            let drove = up.stderrText.contains("running the health check of service \(service) every 1 s")
            if case .podman = engine { #expect(drove, "\(up.stderrText)") } else { #expect(!drove, "\(up.stderrText)") }
            let health = services.first { $0["name"] as? String == service }?["health"] as? String
            #expect(health == "healthy", "status --json: \(services)")
        }
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
    }

    @Test("a service whose check always fails: up stops at unhealthy after its retries (Podman counting the checks devenv runs), not at the deadline",
          arguments: LifecycleEngine.all)
    func serviceTurnsUnhealthy(_ engine: LifecycleEngine) throws {
        try engine.require()
        let project = try Project(engine)
        try project.addServices(["box"], """
            [services.box]
            image = "\(TestEngine.busyboxImage)"
            command = ["sleep", "3600"]
            healthcheck = { test = "test -f /tmp/never", interval = 1, retries = 2 }
            """)
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 1, "\(up.stderrText)")
        #expect(up.stderrText.contains("service box is unhealthy"), "\(up.stderrText)")
        #expect(try project.status()["dev"]?["state"] as? String == "not created", "the app was not started")
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
    }

    @Test("prod: read-only root, hardening flags, HEALTHCHECK kept and healthy, serves on its port", arguments: LifecycleEngine.all)
    func prodHealthAndFlags(_ engine: LifecycleEngine) throws {
        try engine.require()
        let project = try Project(engine)
        let container = "\(DevenvNames.container(project.name, in: project.path, profile: "prod"))"
        let up = try project.devenv("--profile", "prod", "up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let inspected = try engine.cli(["inspect", "--format",
                                        "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}} {{json .HostConfig.CapDrop}} {{json .HostConfig.SecurityOpt}} {{json .Config.Healthcheck.Test}}",
                                        container])
        #expect(inspected.stdoutText.hasPrefix("true 10001:10001 "), "\(inspected.stdoutText)\(inspected.stderrText)")
        #expect(inspected.stdoutText.contains("no-new-privileges"), "\(inspected.stdoutText)")
        #expect(inspected.stdoutText.contains("python"), "the image's HEALTHCHECK: \(inspected.stdoutText)")
        // What the process gets, whatever form the engine's inspect gives the flags in (Podman
        // lists every dropped capability, Docker says ALL): only NET_BIND_SERVICE (bit 10) in
        // the bounding set, and no new privileges.
        let process = try engine.cli(["exec", container, "cat", "/proc/1/status"])
        let fields = Dictionary(process.stdoutText.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }, uniquingKeysWith: { first, _ in first })
        #expect(fields["CapBnd"] == "0000000000000400", "\(process.stdoutText)\(process.stderrText)")
        #expect(fields["NoNewPrivs"] == "1", "\(process.stdoutText)\(process.stderrText)")
        // Bounded wait for status to say healthy (the engine, or the test standing in for
        // Podman's systemd timer, runs the image's check).
        var health = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            try engine.runHealthCheck(container)
            health = try project.status()["prod"]?["health"] as? String ?? ""
            if health == "healthy" || health == "unhealthy" { break }
            Thread.sleep(forTimeInterval: 1)
        }
        #expect(health == "healthy", "waited 60 s for status to say prod is healthy on \(engine.testDescription)")
        let answer = try HostPorts.waitForHTTP(port: project.prodPort, seconds: 60,
                                               what: "the demo app in the prod container on \(engine.testDescription)")
        #expect(answer == "demoapp 0.1.0: hello, production\n")
        // devenv removes what it built, checked here rather than left to the best-effort clean-up.
        try project.downImages(profiles: ["prod"])
    }
}
