import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Services beside the app on the real engine (README, "Services"): a redis built locally from
/// Debian's package (Tests/Scripts/build-test-images.sh), reached by name from the app.
@Suite("Services on a real engine", .serialized)
struct ServicesTests {
    static let redisImage = "devenv-test/redis:latest"

    /// The lifecycle tests' demo project, with a `cache` service the dev profile runs.
    final class Project {
        let base: LifecycleTests.Project
        var name: String { base.name }
        var path: String { base.path }
        var network: String { "\(DevenvNames.container(base.name, in: base.path))" }
        var serviceContainer: String { "\(DevenvNames.container(base.name, in: base.path))-svc-cache" }
        var volume: String { "\(DevenvNames.container(base.name, in: base.path))-svc-cache-data" }

        init(healthcheck: String = #"{ test = ["redis-cli", "ping"], interval = 1, retries = 30 }"#) throws {
            base = try LifecycleTests.Project()
            try base.write("devenv.toml", """
                [project]
                name = "\(base.name)"

                [profiles.dev]
                ports = ["\(base.devPort):8000", "\(base.debugPort):5678"]
                services = ["cache"]

                [services.cache]
                image = "\(ServicesTests.redisImage)"
                volumes = { data = "/data" }
                healthcheck = \(healthcheck)
                """)
        }

        @discardableResult
        func devenv(_ arguments: String...) throws -> ProcessResult { try DevenvBinary.run(arguments, in: base.path) }

        /// One redis command from inside the app container, over TCP to the service by its
        /// name: the first line of the reply.
        func redis(_ command: String) throws -> ProcessResult {
            try devenv("exec", "--", "python3", "-c", """
                import socket, sys
                s = socket.create_connection(("cache", 6379), timeout=10)
                s.sendall(sys.argv[1].encode() + b"\\r\\n")
                print(s.recv(1000).decode().replace("\\r\\n", "|"))
                """, command)
        }

        func exists(_ kind: String, _ name: String) throws -> Bool {
            try TestEngine.docker([kind, "inspect", "--format", "{{.Name}}", name]).succeeded
        }

        deinit {
            // The project's containers and volumes go with `base`; its network is removed here
            // (by label: only what devenv made for this test project).
            let listed = (try? TestEngine.docker(["network", "ls", "-q", "--filter", "label=devenv.project=\(base.name)"]).stdoutText) ?? ""
            let ids = listed.split(separator: "\n").map(String.init)
            let containers = (try? TestEngine.docker(["ps", "-aq", "--filter", "label=devenv.project=\(base.name)"]).stdoutText) ?? ""
            let running = containers.split(separator: "\n").map(String.init)
            if !running.isEmpty { _ = try? TestEngine.docker(["rm", "-f"] + running) }
            if !ids.isEmpty { _ = try? TestEngine.docker(["network", "rm"] + ids) }
        }
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdoutText)")
    }

    @Test("up waits for the service, the app reaches it by name, data survives down and up, down --volumes removes it")
    func serviceLifecycle() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, Self.redisImage])
        let project = try Project()

        let up = try project.devenv("up", "--json")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let result = try Self.json(up)
        let services = try #require(result["services"] as? [[String: Any]], "\(up.stdoutText)")
        #expect(services.count == 1)
        #expect(services.first?["name"] as? String == "cache")
        #expect(services.first?["result"] as? String == "started")
        #expect(services.first?["health"] as? String == "healthy")
        // up waited for the health check: docker says so too, before the app was started.
        let health = try TestEngine.docker(["inspect", "--format", "{{.State.Health.Status}}", project.serviceContainer])
        #expect(health.stdoutText == "healthy\n")
        // Said whether or not it was still starting once the app's container was made (the
        // order is checked in appStartsAfterServiceIsHealthy).
        #expect(up.stderrText.contains("service cache is healthy"), "\(up.stderrText)")

        // The app reaches the service by its name on the project network.
        let pong = try project.redis("PING")
        #expect(pong.stdoutText == "+PONG|\n", "\(pong.stderrText)")
        #expect(try project.redis("SET devenv-key kept").stdoutText == "+OK|\n")

        // Unchanged: nothing is restarted.
        let again = try Self.json(try project.devenv("up", "--json"))
        #expect((again["services"] as? [[String: Any]])?.first?["result"] as? String == "up-to-date")

        // status lists the service under its profile, in text and JSON.
        let status = try project.devenv("status")
        #expect(status.stdoutText.contains("dev/cache  running"), "\(status.stdoutText)")
        let statusJSON = try Self.json(try project.devenv("status", "--json"))
        let environments = try #require(statusJSON["environments"] as? [[String: Any]])
        let dev = try #require(environments.first { $0["profile"] as? String == "dev" })
        let listed = try #require(dev["services"] as? [[String: Any]])
        #expect(listed.first?["name"] as? String == "cache" && listed.first?["health"] as? String == "healthy"
                && listed.first?["stale"] as? Bool == false, "\(listed)")

        // logs SERVICE and exec --service reach the service's own container.
        let logs = try project.devenv("logs", "cache", "--tail", "50")
        #expect(logs.exitCode == 0 && (logs.stdoutText + logs.stderrText).contains("Ready to accept connections"), "\(logs.stderrText)")
        let cli = try project.devenv("exec", "--service", "cache", "--", "redis-cli", "GET", "devenv-key")
        #expect(cli.stdoutText == "kept\n", "\(cli.stderrText)")

        // A changed [services.cache] makes it stale; up recreates it, keeping its volume.
        let config = try String(contentsOfFile: project.base.path + "/devenv.toml", encoding: .utf8)
        try project.base.write("devenv.toml", config + "\nenv = { CHANGED = \"1\" }\n")
        let stale = try Self.json(try project.devenv("status", "--json"))
        let staleDev = (stale["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        #expect((staleDev?["services"] as? [[String: Any]])?.first?["stale"] as? Bool == true, "\(stale)")
        let recreated = try Self.json(try project.devenv("up", "--json"))
        #expect((recreated["services"] as? [[String: Any]])?.first?["result"] as? String == "recreated", "\(recreated)")
        #expect(try project.redis("GET devenv-key").stdoutText == "$4|kept|\n")

        // down removes the service and the network; the data stays in its volume.
        let down = try project.devenv("down")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(down.stdoutText.contains("removed \(project.serviceContainer)\n"), "\(down.stdoutText)")
        #expect(try !project.exists("container", project.serviceContainer))
        #expect(try !project.exists("network", project.network))
        #expect(try project.exists("volume", project.volume))

        let upAgain = try project.devenv("up")
        #expect(upAgain.exitCode == 0, "\(upAgain.stderrText)")
        #expect(try project.redis("GET devenv-key").stdoutText == "$4|kept|\n")

        // down --volumes removes the service's volume too.
        let wipe = try project.devenv("down", "--volumes")
        #expect(wipe.exitCode == 0, "\(wipe.stderrText)")
        #expect(try !project.exists("volume", project.volume))
        #expect(try !project.exists("network", project.network))
    }

    @Test("a service built from the project's Dockerfile (target, build arg): up builds it, waits for health; a changed arg rebuilds it")
    func builtService() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, Self.redisImage])
        let project = try Project()
        try project.base.write("cache.Dockerfile", """
            FROM \(Self.redisImage) AS unused
            RUN false
            FROM \(Self.redisImage) AS svc
            ARG GREETING
            RUN echo "$GREETING" > /greeting
            """)
        func configure(_ greeting: String) throws {
            let text = try String(contentsOfFile: project.base.path + "/devenv.toml", encoding: .utf8)
            let head = text.components(separatedBy: "[services.cache]")[0]
            try project.base.write("devenv.toml", head + """
                [services.cache]
                build = { dockerfile = "cache.Dockerfile", target = "svc", args = { GREETING = "\(greeting)" } }
                healthcheck = { test = ["redis-cli", "ping"], interval = 1, retries = 30 }
                """)
        }
        try configure("hello")
        let up = try project.devenv("up", "--json")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect((try Self.json(up)["services"] as? [[String: Any]])?.first?["health"] as? String == "healthy", "\(up.stdoutText)")
        #expect(try project.redis("PING").stdoutText == "+PONG|\n")
        let greeting = try project.devenv("exec", "--service", "cache", "--", "cat", "/greeting")
        #expect(greeting.stdoutText == "hello\n", "\(greeting.stderrText)")
        // The image devenv built carries the project's labels: it is devenv's to remove.
        let image = try TestEngine.docker(["inspect", "--format", "{{.Config.Image}}", project.serviceContainer]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let labels = try TestEngine.docker(["image", "inspect", "--format", "{{index .Config.Labels \"devenv.project\"}}", image]).stdoutText
        #expect(labels == "\(project.name)\n", "image \(image) labels: \(labels)")

        try configure("changed")
        let stale = try Self.json(try project.devenv("status", "--json"))
        let dev = (stale["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        #expect((dev?["services"] as? [[String: Any]])?.first?["stale"] as? Bool == true, "\(stale)")
        let again = try project.devenv("up")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(try project.devenv("exec", "--service", "cache", "--", "cat", "/greeting").stdoutText == "changed\n")
        // Both images go with the project (`LifecycleTests.Project` removes by label).
    }

    @Test("a foreign container or network named like the service's is exit 4 and survives; nothing is made")
    func foreignNamesAreConflicts() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage, Self.redisImage])
        let project = try Project()
        let foreign = try TestEngine.docker(["create", "--name", project.serviceContainer, TestEngine.busyboxImage, "sleep", "600"])
        #expect(foreign.succeeded, "\(foreign.stderrText)")
        let foreignID = foreign.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? TestEngine.docker(["rm", "-f", foreignID]) }

        let up = try project.devenv("up")
        #expect(up.exitCode == 4, "\(up.stderrText)")
        #expect(up.stderrText.contains("a container named \(project.serviceContainer)"), "\(up.stderrText)")
        // It is still there, untouched; devenv made nothing (no network, no app container).
        let still = try TestEngine.docker(["inspect", "--format", "{{.Id}} {{.State.Status}}", project.serviceContainer])
        #expect(still.stdoutText == "\(foreignID) created\n")
        #expect(try !project.exists("network", project.network))
        #expect(try !project.exists("container", "\(DevenvNames.container(project.name, in: project.path))"))
        // down refuses too, and leaves it.
        #expect(try project.devenv("down").exitCode == 4)
        #expect(try project.exists("container", foreignID))

        // A foreign network with the project network's name: the same.
        _ = try TestEngine.docker(["rm", "-f", foreignID])
        let network = try TestEngine.docker(["network", "create", project.network])
        #expect(network.succeeded, "\(network.stderrText)")
        let networkID = network.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? TestEngine.docker(["network", "rm", networkID]) }
        let blocked = try project.devenv("up")
        #expect(blocked.exitCode == 4, "\(blocked.stderrText)")
        #expect(blocked.stderrText.contains("a network named \(project.network)"), "\(blocked.stderrText)")
        #expect(try project.exists("network", networkID))
        #expect(try !project.exists("container", project.serviceContainer))
    }

    @Test("a service taken out of the profile: up says so once and leaves it, status lists it as orphaned, down removes it and the network; others' containers named like services survive")
    func orphanedService() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, TestEngine.busyboxImage, Self.redisImage])
        let project = try Project()
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let cacheID = try TestEngine.docker(["inspect", "--format", "{{.Id}}", project.serviceContainer]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // Named like services of this environment but not devenv's for it: a user's own, and
        // one whose labels name another folder. Neither is ever touched.
        let prefix = "\(DevenvNames.container(project.name, in: project.path))-svc-"
        let others = try TestEngine.serviceLookalikes(project: project.name, in: project.base.path)
        defer { _ = try? TestEngine.docker(["rm", "-f"] + others) }

        // The profile no longer runs the service ([services.cache] stays declared).
        let config = try String(contentsOfFile: project.base.path + "/devenv.toml", encoding: .utf8)
        try project.base.write("devenv.toml", config.replacingOccurrences(of: #"services = ["cache"]"#, with: "services = []"))
        let again = try project.devenv("up")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(again.stderrText.components(separatedBy: "no longer runs").count == 2, "said once: \(again.stderrText)")
        #expect(again.stderrText.contains("\(project.serviceContainer) (service cache, running)"), "\(again.stderrText)")
        #expect(!again.stderrText.contains(prefix + "mine") && !again.stderrText.contains(prefix + "web"), "\(again.stderrText)")
        let left = try TestEngine.docker(["inspect", "--format", "{{.Id}} {{.State.Status}}", project.serviceContainer])
        #expect(left.stdoutText == "\(cacheID) running\n", "up leaves it")

        let status = try project.devenv("status")
        #expect(status.stdoutText.contains("dev/cache  running, orphaned"), "\(status.stdoutText)")
        #expect(status.stdoutText.contains("dev/cache is orphaned"), "\(status.stdoutText)")
        #expect(!status.stdoutText.contains(prefix + "mine") && !status.stdoutText.contains(prefix + "web"), "\(status.stdoutText)")
        let statusJSON = try Self.json(try project.devenv("status", "--json"))
        let dev = (statusJSON["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        let listed = try #require(dev?["services"] as? [[String: Any]], "\(statusJSON)")
        #expect(listed.count == 1 && listed.first?["name"] as? String == "cache" && listed.first?["orphaned"] as? Bool == true
                && listed.first?["state"] as? String == "running", "\(listed)")

        let down = try project.devenv("down", "--json")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect((try Self.json(down)["removedServices"] as? [String]) == [project.serviceContainer], "\(down.stdoutText)")
        #expect(try !project.exists("container", cacheID))
        #expect(try !project.exists("network", project.network))
        // Its volume stays (down without --volumes); the others' containers are untouched.
        #expect(try project.exists("volume", project.volume))
        for id in others { #expect(try project.exists("container", id), "\(id) survives") }
    }

    @Test("a profile that dropped its services: down removes the network an earlier up left, by ID, once no container is on it; networks devenv did not make for it survive")
    func leftNetwork() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, TestEngine.busyboxImage])
        let project = try Project()
        // devenv killed (SIGKILL, a crash: nothing takes back what it made) right after it made
        // the network; no container is left. (A failed or interrupted up removes it itself.)
        try project.base.write("broken.Dockerfile", "FROM \(TestEngine.busyboxImage)\nRUN exit 3\n")
        let docker = TestEngine.availability().docker ?? "docker"
        let wrapper = project.base.path + "/../docker-kill-after-network"
        try """
            #!/bin/sh
            if [ "$1 $2" = "network create" ]; then \(docker) "$@"; kill -KILL $PPID; exit 137; fi
            exec \(docker) "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        defer { try? FileManager.default.removeItem(atPath: wrapper) }
        let withService = """
            [project]
            name = "\(project.name)"

            [profiles.dev]
            ports = ["\(project.base.devPort):8000"]
            services = ["broken"]

            [services.broken]
            build = { dockerfile = "broken.Dockerfile" }
            """
        try project.base.write("devenv.toml", withService)
        let up = try DevenvBinary.run(["up"], in: project.base.path, environment: ["DEVENV_DOCKER": wrapper])
        #expect(up.exitCode != 0, "devenv was killed: \(up.stderrText)")
        let ours = try TestEngine.docker(["network", "inspect", "--format", "{{.Id}}", project.network]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(!ours.isEmpty, "up made the project network: \(up.stderrText)")

        // Beside it: a network with a similar name and exactly this environment's labels (devenv
        // never made it: it only makes the one name), and a user's container on ours.
        let labels = ["--label", "devenv.project=\(project.name)", "--label", "devenv.profile=dev",
                      "--label", "devenv.root=\(project.base.path)"]
        let similar = try TestEngine.docker(["network", "create"] + labels + [project.network + "-x"])
        #expect(similar.succeeded, "\(similar.stderrText)")
        let similarID = similar.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? TestEngine.docker(["network", "rm", similarID]) }
        let user = try TestEngine.docker(["create", "--name", TestEngine.uniqueName("netuser"), "--network", project.network,
                                          TestEngine.busyboxImage, "sleep", "600"])
        #expect(user.succeeded, "\(user.stderrText)")
        let userID = user.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? TestEngine.docker(["rm", "-f", userID]) }

        // The profile drops its services.
        try project.base.write("devenv.toml", withService.replacingOccurrences(of: #"services = ["broken"]"#, with: "services = []"))
        let kept = try project.devenv("down")
        #expect(kept.exitCode == 0, "\(kept.stderrText)")
        #expect(kept.stderrText.contains("keeping network \(project.network): still used by"), "\(kept.stderrText)")
        #expect(try project.exists("network", ours), "kept while the user's (created, not running) container is on it")
        #expect(try project.exists("container", userID))

        _ = try TestEngine.docker(["rm", "-f", userID])
        let down = try project.devenv("down")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(down.stderrText.contains("removing network \(project.network)"), "\(down.stderrText)")
        #expect(try !project.exists("network", ours))
        #expect(try project.exists("network", similarID), "the similarly named network survives")

        // A network with the project network's name and near-identical labels (another folder's
        // root) that devenv did not make for this folder: down leaves it and says nothing of it.
        let foreign = try TestEngine.docker(["network", "create", "--label", "devenv.project=\(project.name)",
                                             "--label", "devenv.profile=dev", "--label", "devenv.root=/elsewhere/\(project.name)",
                                             project.network])
        #expect(foreign.succeeded, "\(foreign.stderrText)")
        let foreignID = foreign.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? TestEngine.docker(["network", "rm", foreignID]) }
        let left = try project.devenv("down")
        #expect(left.exitCode == 0, "\(left.stderrText)")
        #expect(!left.stderrText.contains("network"), "\(left.stderrText)")
        #expect(try project.exists("network", foreignID))
        #expect(try project.exists("network", similarID))
    }

    /// `devenv up` started in the background; its stderr read as it comes, on another thread
    /// (read only at the end, more than a pipe holds, a first build's output, would leave up
    /// blocked on its write, and the test waiting for it).
    static func startUp(_ project: Project, _ arguments: [String] = []) throws -> (Process, Said) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DevenvBinary.path)
        process.arguments = ["--project", project.base.path, "up"] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let docker = TestEngine.availability().docker { environment["DEVENV_DOCKER"] = docker }
        process.environment = environment
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, Said(reading: stderr))
    }

    /// What a background `up` wrote to stderr, read to its end on another thread.
    final class Said: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(reading pipe: Pipe) {
            DispatchQueue.global().async { [self] in
                let all = pipe.fileHandleForReading.readDataToEndOfFile()
                lock.withLock { data = all }
                done.signal()
            }
        }

        /// The text, once `process` ended (at most 300 s from now; then it is killed and the
        /// failure recorded): a bound on a hang, which would otherwise stop the whole run.
        func text(after process: Process, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
            let deadline = Date().addingTimeInterval(300)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning {
                Issue.record("devenv up did not end within 300 s", sourceLocation: sourceLocation)
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            _ = done.wait(timeout: .now() + 60)
            return lock.withLock { String(decoding: data, as: UTF8.self) }
        }
    }

    /// Waits (deadline 60 s, or until `process` ends) until `container`'s state is `state`.
    static func waitForState(_ container: String, _ state: String, while process: Process) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            let seen = try? TestEngine.docker(["inspect", "--format", "{{.State.Status}}", container])
            if seen?.stdoutText == state + "\n" { return true }
            usleep(100_000)
        }
        return false
    }

    @Test("Ctrl-C while up waits for a service, the app's container made meanwhile: both containers that run created go, exit 130")
    func interruptedWaitCleansUp() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, Self.redisImage])
        // Never healthy within the test: up waits (its deadline is minutes away).
        let project = try Project(healthcheck: #"{ test = "exit 1", interval = 5, retries = 60 }"#)
        let (process, stderr) = try Self.startUp(project)
        // Waits for: the app's container to be made (created, not started): up made it while
        // the service's check runs, and is now waiting for the service's health.
        let app = "\(DevenvNames.container(project.name, in: project.path))"
        #expect(Self.waitForState(app, "created", while: process), "the app's container was not made within 60 s")
        #expect(try TestEngine.docker(["inspect", "--format", "{{.State.Status}}", project.serviceContainer]).stdoutText == "running\n")
        kill(process.processIdentifier, SIGINT)
        let said = stderr.text(after: process)
        #expect(process.terminationStatus == 130, "\(said)")
        #expect(try !project.exists("container", project.serviceContainer), "\(said)")
        #expect(try !project.exists("container", app), "\(said)")
    }

    /// break21: a service is recreated by removing its previous container first (its host
    /// ports and alias cannot be held twice); Ctrl-C before the new one was healthy removed
    /// the new one too and said only "stopped cleanly": the service no longer ran.
    @Test("Ctrl-C while up waits for a recreated service: exit 130 says the service does not run and that up makes it again")
    func interruptedRecreateOfAServiceSaysItDoesNotRun() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, Self.redisImage])
        let project = try Project()
        let first = try project.devenv("up")
        try #require(first.exitCode == 0, "\(first.stderrText)")
        let before = try TestEngine.docker(["inspect", "--format", "{{.Id}}", project.serviceContainer]).stdoutText
        // A changed health check (never healthy within the test) makes the service stale.
        let config = try String(contentsOfFile: project.base.path + "/devenv.toml", encoding: .utf8)
        try project.base.write("devenv.toml", config.replacingOccurrences(
            of: #"healthcheck = { test = ["redis-cli", "ping"], interval = 1, retries = 30 }"#,
            with: #"healthcheck = { test = "exit 1", interval = 5, retries = 60 }"#))
        let (process, stderr) = try Self.startUp(project)
        // Waits for: the new service container running (another ID) while up waits for its health.
        let deadline = Date().addingTimeInterval(60)
        var replaced = false
        while !replaced, process.isRunning, Date() < deadline {
            let now = try TestEngine.docker(["inspect", "--format", "{{.Id}} {{.State.Status}}", project.serviceContainer]).stdoutText
            replaced = now.hasSuffix(" running\n") && !now.hasPrefix(before.trimmingCharacters(in: .whitespacesAndNewlines))
            if !replaced { usleep(100_000) }
        }
        #expect(replaced, "the new service container was not running within 60 s")
        kill(process.processIdentifier, SIGINT)
        let said = stderr.text(after: process)
        #expect(process.terminationStatus == 130, "\(said)")
        #expect(said.contains("service cache was being recreated: its previous container had been removed and the new one was removed before it was healthy, so it does not run"), "\(said)")
        #expect(try !project.exists("container", project.serviceContainer), "\(said)")
    }

    /// break21: the recreate's `docker stop` of the previous service container, cut short by
    /// the signal, was finished by the engine after devenv had exited with "stopped cleanly"
    /// (the service still ran then, and stopped seconds later). Now it runs to its end and the
    /// message says the service is stopped. The service ignores SIGTERM: its stop takes the
    /// engine's 10 s grace, so the signal comes while it is under way.
    @Test("SIGTERM during the stop of a recreated service: the stop ends before devenv does, and the message says the service is stopped")
    func interruptedStopOfARecreatedServiceIsSaid() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, Self.redisImage])
        let project = try Project()
        let config = try String(contentsOfFile: project.base.path + "/devenv.toml", encoding: .utf8)
        let ignoring = config + "\ncommand = [\"sh\", \"-c\", \"trap '' TERM; redis-server --protected-mode no & while :; do sleep 1; done\"]\n"
        try project.base.write("devenv.toml", ignoring)
        let first = try project.devenv("up")
        try #require(first.exitCode == 0, "\(first.stderrText)")
        try project.base.write("devenv.toml", ignoring.replacingOccurrences(of: "retries = 30", with: "retries = 31"))
        let docker = TestEngine.availability().docker ?? "docker"
        let wrapper = project.base.path + "/../docker-stop-signals"
        try "#!/bin/sh\nif [ \"$1\" = stop ]; then kill -TERM $PPID; fi\nexec \(docker) \"$@\"\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        defer { try? FileManager.default.removeItem(atPath: wrapper) }
        let cut = try DevenvBinary.run(["up"], in: project.base.path, environment: ["DEVENV_DOCKER": wrapper])
        #expect(cut.exitCode == 143, "\(cut.stderrText)")
        #expect(cut.stderrText.contains("service cache was being recreated: its previous container is stopped, so it does not run"), "\(cut.stderrText)")
        let state = try TestEngine.docker(["inspect", "--format", "{{.State.Status}}", project.serviceContainer]).stdoutText
        #expect(state == "exited\n", "stopped by the time devenv exits: \(state)")
    }

    @Test("the app's container is made while the service's check runs, and started only once the engine says the service is healthy")
    func appStartsAfterServiceIsHealthy() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, Self.redisImage])
        // Healthy only once the test says so (a file in the service), so the order is the
        // test's, whatever the machine's speed.
        let project = try Project(healthcheck: #"{ test = "redis-cli ping && test -f /data/ready", interval = 1, retries = 600 }"#)
        let since = try TestEngine.docker(["info", "--format", "{{.SystemTime}}"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let (process, stderr) = try Self.startUp(project, ["--json"])
        let app = "\(DevenvNames.container(project.name, in: project.path))"
        #expect(Self.waitForState(app, "created", while: process), "the app's container was not made within 60 s")
        let health = try TestEngine.docker(["inspect", "--format", "{{.State.Health.Status}}", project.serviceContainer])
        #expect(health.stdoutText == "starting\n", "the service is not healthy yet: \(health.stdoutText)")
        #expect(process.isRunning, "up waits for the service")
        let touched = try TestEngine.docker(["exec", project.serviceContainer, "touch", "/data/ready"])
        #expect(touched.succeeded, "\(touched.stderrText)")
        let said = stderr.text(after: process)
        #expect(process.terminationStatus == 0, "\(said)")
        // The engine's own order of events: the service turned healthy before the app started.
        let until = try TestEngine.docker(["info", "--format", "{{.SystemTime}}"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let events = try TestEngine.docker(["events", "--since", since, "--until", until, "--filter", "type=container",
                                            "--filter", "label=devenv.project=\(project.name)",
                                            "--format", "{{.Action}} {{.Actor.Attributes.name}}"])
        let lines = events.stdoutText.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("exec_") }
        let healthy = lines.firstIndex(of: "health_status: healthy \(project.serviceContainer)")
        let created = lines.firstIndex(of: "create \(app)")
        let started = lines.firstIndex(of: "start \(app)")
        #expect(healthy != nil && created != nil && started != nil, "\(lines)")
        if let healthy, let created, let started {
            #expect(created < healthy && healthy < started, "made during the wait, started after it: \(lines)")
        }
    }

    @Test("a service that never becomes healthy stops up with its last lines; it is kept stopped, the app not started")
    func unhealthyServiceStopsUp() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, Self.redisImage])
        let project = try Project(healthcheck: #"{ test = "echo checking; exit 1", interval = 1, retries = 2 }"#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 1, "\(up.stderrText)")
        #expect(up.stderrText.contains("service cache is unhealthy"), "\(up.stderrText)")
        // The app's container, made while the check ran, went again (by its ID).
        #expect(up.stderrText.contains("the app was not started; the container \(DevenvNames.container(project.name, in: project.path)) made for the app was removed"),
                "\(up.stderrText)")
        #expect(up.stderrText.contains("Ready to accept connections"), "its last lines: \(up.stderrText)")
        let state = try TestEngine.docker(["inspect", "--format", "{{.State.Status}}", project.serviceContainer])
        #expect(state.stdoutText == "exited\n")
        #expect(try !project.exists("container", "\(DevenvNames.container(project.name, in: project.path))"))
    }
}
