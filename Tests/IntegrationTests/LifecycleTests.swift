import DevEnvCore
import Foundation
import Testing
import TestSupport

/// devenv's lifecycle against the real engine, on a uv project made by the test in a folder
/// owned by 4242:4242 (a host user who is not root; the tests run as root, so devenv syncs to
/// the folder's owner).
@Suite("Lifecycle on a real engine", .serialized)
struct LifecycleTests {
    /// A demo project with its own devenv name, and everything devenv made for it removed at
    /// the end (containers, volumes, images with its project label).
    final class Project {
        let files: TemporaryProject
        let name: String
        let path: String
        /// This project's host ports for the shipped profiles' published ports: dev's app
        /// (8000) and debugger (5678), prod's app (8080).
        let devPort: Int, debugPort: Int, prodPort: Int

        /// `folder`: another name for the project folder (the demo is moved there).
        init(folder: String? = nil) throws {
            files = try TestEngine.makeDemoProject(uid: 4242, gid: 4242)
            if let folder {
                path = URL(fileURLWithPath: files.path).deletingLastPathComponent().appendingPathComponent(folder).path
                try FileManager.default.moveItem(atPath: files.path, toPath: path)
            } else {
                path = files.path
            }
            name = "it" + String(UUID().uuidString.prefix(8)).lowercased()
            (devPort, debugPort, prodPort) = { (p: [Int]) in (p[0], p[1], p[2]) }(HostPorts.free(3))
            // The shipped profiles as shipped (default network, published ports), on host ports
            // no other test uses.
            try writeConfig()
        }

        /// devenv.toml: the project's name, its own host ports, and `dev` lines added to
        /// [profiles.dev].
        func writeConfig(dev: String = "") throws {
            try write("devenv.toml", """
                [project]
                name = "\(name)"

                [profiles.dev]
                ports = ["\(devPort):8000", "\(debugPort):5678"]
                \(dev)

                [profiles.ci]
                test_command = ["python", "-m", "unittest", "discover", "-s", "tests"]

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
        func devenv(_ arguments: String..., input: String? = nil) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: path, input: input)
        }

        func docker(_ arguments: String...) throws -> ProcessResult { try TestEngine.docker(arguments) }

        deinit {
            TestEngine.removeEverything(ofProject: name)
        }
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdoutText)")
    }

    @Test("dev: up as the folder's owner, sync-deps, import, clean-cache, status, stale, down")
    func devEnvironmentEndToEnd() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        let container = "\(DevenvNames.container(project.name, in: project.path))"

        let up = try project.devenv("up", "--no-tui", "--verbose")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stdoutText == "dev is up: \(container) started\n")
        // The image declares its volume paths as the user's: no chown container.
        #expect(!up.stderrText.contains("--entrypoint chown"), "\(up.stderrText)")

        // The container runs as the folder's owner, and what it writes on the bind mount is theirs.
        let ids = try project.devenv("exec", "--", "sh", "-c", "id -u; id -g; touch /app/made-inside")
        #expect(ids.stdoutText == "4242\n4242\n", "\(ids.stderrText)")
        var info = stat()
        #expect(stat(project.path + "/made-inside", &info) == 0)
        #expect(info.st_uid == 4242 && info.st_gid == 4242)

        // A second up on the unchanged, running environment starts nothing.
        let again = try project.devenv("up")
        #expect(again.stdoutText == "dev is up to date: \(container) is running\n")

        // sync-deps fills the venv volume; the project imports from it.
        let sync = try project.devenv("sync-deps")
        #expect(sync.exitCode == 0, "\(sync.stderrText)")
        let imported = try project.devenv("exec", "--", "python", "-c", "import demoapp, sys; print(demoapp.greeting('it'), sys.prefix)")
        #expect(imported.stdoutText == "hello, it /venv\n", "\(imported.stderrText)")
        // The image declares both volume paths as the user's (devenv.volume-owner): no chown
        // container ran, and docker gave the new volumes the image's owner.
        let owner = try project.devenv("exec", "--", "stat", "-c", "%u:%g", "/venv", "/venv/bin/python", "/home/dev/.cache")
        #expect(owner.stdoutText == "4242:4242\n4242:4242\n4242:4242\n", "\(owner.stderrText)")

        // exec passes the exit code through, and stdin.
        #expect(try project.devenv("exec", "--", "sh", "-c", "exit 7").exitCode == 7)
        // On a terminal (script(1) gives it one) the container gets the host's TERM and COLORTERM.
        let onTerminal = ProcessInvocation([DevenvBinary.path, "--project", project.path, "exec", "printenv", "TERM", "COLORTERM"])
        var env = ["TERM": "xterm-256color", "COLORTERM": "truecolor"]
        if let docker = TestEngine.availability().docker { env["DEVENV_DOCKER"] = docker }
        let term = try TestEngine.run(["script", "-q", "-e", "-c", onTerminal.shellQuoted, "/dev/null"], environment: env,
                                      timeoutSeconds: 120)
        // (script also echoes what its closed stdin sent, "^@" or "^D", around the output.)
        let printed = term.stdoutText.replacingOccurrences(of: "\r", with: "")
        #expect(printed.contains("xterm-256color\ntruecolor\n"), "\(printed) \(term.stderrText)")
        // As docker exec: the command needs no `--` (issue 10 item 7).
        let plain = try project.devenv("exec", "--profile", "dev", "id", "-u")
        #expect(plain.stdoutText == "4242\n", "\(plain.stderrText)")
        #expect(try project.devenv("exec", "--", "python", "-", input: "print(6 * 7)\n").stdoutText == "42\n")

        // clean-cache removes planted caches and nothing else.
        let fm = FileManager.default
        let package = project.path + "/src/demoapp"
        try fm.createDirectory(atPath: package + "/__pycache__", withIntermediateDirectories: true)
        try "12345".write(toFile: package + "/__pycache__/x.cpython-311.pyc", atomically: true, encoding: .utf8)
        try "123".write(toFile: project.path + "/stray.pyc", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: project.path + "/.pytest_cache", withIntermediateDirectories: true)
        try "1".write(toFile: project.path + "/.pytest_cache/v", atomically: true, encoding: .utf8)
        try "keep".write(toFile: project.path + "/keep.py", atomically: true, encoding: .utf8)
        // The host user's own files, as they would be.
        #expect(try TestEngine.run(["chown", "-R", "4242:4242", project.path]).exitCode == 0)
        let clean = try project.devenv("clean-cache", "--json")
        #expect(clean.exitCode == 0, "\(clean.stderrText)")
        let cleaned = try Self.json(clean)
        #expect(cleaned["files"] as? Int == 3)
        #expect(cleaned["bytes"] as? Int == 9)
        #expect(!fm.fileExists(atPath: package + "/__pycache__"))
        #expect(!fm.fileExists(atPath: project.path + "/stray.pyc"))
        #expect(!fm.fileExists(atPath: project.path + "/.pytest_cache"))
        #expect(fm.fileExists(atPath: project.path + "/keep.py"))
        #expect(fm.fileExists(atPath: package + "/__init__.py"))

        // status --json: state, volumes, health.
        let status = try Self.json(try project.devenv("status", "--json"))
        let environments = try #require(status["environments"] as? [[String: Any]])
        let dev = try #require(environments.first { $0["profile"] as? String == "dev" })
        #expect(dev["state"] as? String == "running")
        #expect(dev["health"] as? String == "none")
        #expect(dev["stale"] as? Bool == false)
        // Who it runs as, as the container says (rootful Docker: the same IDs on the host).
        let user = dev["user"] as? [String: Any]
        #expect(user?["container"] as? String == "4242:4242" && user?["mapping"] as? String == "direct"
                && user?["text"] as? String == "4242:4242", "\(dev)")
        let volumes = (dev["volumes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
        #expect(volumes == ["\(DevenvNames.container(project.name, in: project.path))-cache", "\(DevenvNames.container(project.name, in: project.path))-venv"])

        // The app serves HTTP on dev's published port: curl from the host answers.
        let serve = try project.devenv("exec", "--", "sh", "-c",
                                       "DEMOAPP_INTERVAL=60 python -m demoapp >/tmp/demoapp.log 2>&1 </dev/null &")
        #expect(serve.exitCode == 0, "\(serve.stderrText)")
        let answer = try HostPorts.waitForHTTP(port: project.devPort, seconds: 60, what: "the demo app in the dev container")
        #expect(answer == "demoapp 0.1.0: hello, developer\n")

        // A configuration change makes the container stale; up recreates it, keeping the venv.
        try project.writeConfig(dev: #"env = { FEATURE = "on" }"#)
        let stale = try Self.json(try project.devenv("status", "--json"))
        let staleDev = try #require((stale["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" })
        #expect(staleDev["stale"] as? Bool == true)
        // Named from the container's devenv.inputs label, with the command for the profile.
        #expect(staleDev["staleInputs"] as? [String] == ["devenv.toml.env"], "\(staleDev)")
        #expect(staleDev["staleReason"] as? String == "devenv.toml key env changed: `devenv up` recreates the container", "\(staleDev)")
        let recreated = try project.devenv("up")
        #expect(recreated.stdoutText.contains("recreated"), "\(recreated.stdoutText)\(recreated.stderrText)")
        #expect(try project.devenv("exec", "--", "sh", "-c", "echo $FEATURE").stdoutText == "on\n")
        #expect(try project.devenv("exec", "--", "python", "-c", "import demoapp").exitCode == 0,
                "the venv volume survived the recreation")

        // down keeps the volumes; down --volumes removes them.
        #expect(try project.devenv("down").exitCode == 0)
        #expect(try project.docker("ps", "-aq", "--filter", "name=^/\(container)$").stdoutText.isEmpty)
        let kept = try project.docker("volume", "ls", "-q", "--filter", "label=devenv.project=\(project.name)")
        #expect(kept.stdoutText.split(separator: "\n").count == 2)
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
        let gone = try project.docker("volume", "ls", "-q", "--filter", "label=devenv.project=\(project.name)")
        #expect(gone.stdoutText.isEmpty)
    }

    @Test("a port another project, a host process or a foreign container holds: exit 4 before anything is removed; --port moves it")
    func portConflictsLoseNothing() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, TestEngine.busyboxImage])
        let first = try Project()
        let second = try Project()
        #expect(try first.devenv("up").exitCode == 0)
        #expect(try second.devenv("up").exitCode == 0)
        let firstContainer = "\(DevenvNames.container(first.name, in: first.path))", secondContainer = "\(DevenvNames.container(second.name, in: second.path))"
        func id(_ container: String) throws -> String {
            try first.docker("inspect", "--format", "{{.Id}} {{.State.Running}}", container).stdoutText
        }
        let (firstID, secondID) = (try id(firstContainer), try id(secondContainer))
        try second.write("mine.txt", "kept")
        #expect(try second.devenv("exec", "--", "sh", "-c", "echo kept > /venv/mark").exitCode == 0)

        // The second project now wants the first one's app port: stale, but nothing is removed.
        try second.write("devenv.toml", """
            [project]
            name = "\(second.name)"

            [profiles.dev]
            ports = ["\(first.devPort):8000", "\(second.debugPort):5678"]
            """)
        let taken = try second.devenv("up")
        #expect(taken.exitCode == 4, "\(taken.stderrText)")
        #expect(taken.stderrText.contains("host port \(first.devPort) (127.0.0.1:\(first.devPort) for container port 8000) is in use by devenv project \(first.name) (profile dev, \(first.path); container \(firstContainer))"),
                "\(taken.stderrText)")
        #expect(taken.stderrText.contains("devenv up --port 8000="), "\(taken.stderrText)")
        #expect(try id(firstContainer) == firstID && firstID.hasSuffix(" true\n"), "the first project's container is untouched")
        #expect(try id(secondContainer) == secondID && secondID.hasSuffix(" true\n"), "the second project's container was not removed")
        #expect(try second.devenv("exec", "--", "cat", "/venv/mark").stdoutText == "kept\n")

        // A host process (this test) holding the port: named with its pid.
        let listener = try HostPorts.Listener(port: HostPorts.free(1)[0])
        defer { listener.close() }
        try second.write("devenv.toml", """
            [project]
            name = "\(second.name)"

            [profiles.dev]
            ports = ["\(listener.port):8000", "\(second.debugPort):5678"]
            """)
        let held = try second.devenv("up")
        #expect(held.exitCode == 4, "\(held.stderrText)")
        #expect(held.stderrText.contains("is in use by the host process") && held.stderrText.contains("(pid \(getpid()))"), "\(held.stderrText)")
        #expect(try id(secondContainer) == secondID)

        // A foreign container publishing the port the debugger wants: named, and nothing changes.
        let foreign = TestEngine.uniqueName("port-holder")
        defer { _ = try? second.docker("rm", "-f", foreign) }
        let foreignPort = HostPorts.free(1)[0]
        let holder = try second.docker("run", "-d", "--name", foreign, "-p", "127.0.0.1:\(foreignPort):5678",
                                       TestEngine.busyboxImage, "sleep", "300")
        #expect(holder.exitCode == 0, "\(holder.stderrText)")
        try second.write("devenv.toml", """
            [project]
            name = "\(second.name)"

            [profiles.dev]
            ports = ["\(second.devPort):8000", "\(foreignPort):5678"]
            """)
        let free = HostPorts.free(1)[0]
        let blocked = try second.devenv("up", "--port", "8000=\(free)")
        #expect(blocked.exitCode == 4, "\(blocked.stderrText)")
        #expect(blocked.stderrText.contains("host port \(foreignPort) (127.0.0.1:\(foreignPort) for container port 5678) is in use by the container \(foreign)"),
                "\(blocked.stderrText)")
        #expect(try id(secondContainer) == secondID)
        #expect(try second.docker("rm", "-f", foreign).exitCode == 0)

        // --port moves the app for this up: the container is recreated there and answers.
        let again = try second.devenv("up", "--port", "8000=\(free)")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(try second.devenv("exec", "--", "cat", "/venv/mark").stdoutText == "kept\n", "the venv volume survived")
        _ = try second.devenv("exec", "--", "sh", "-c",
                              "PYTHONPATH=/app/src DEMOAPP_INTERVAL=60 python3 -m demoapp >/tmp/demoapp.log 2>&1 </dev/null &")
        #expect(try HostPorts.waitForHTTP(port: free, seconds: 60, what: "the second project's app on its --port") == "demoapp 0.1.0: hello, developer\n")
        let status = try Self.json(try second.devenv("status", "--json"))
        let dev = (status["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        #expect(dev?["url"] as? String == "http://127.0.0.1:\(free)/")
        let text = try second.devenv("status").stdoutText
        #expect(text.contains("dev: the app at http://127.0.0.1:\(free)/"), "\(text)")
        #expect(try id(firstContainer) == firstID)
    }

    @Test("a project folder whose path holds ':', ',' and '=' works: bind mount, labels, idempotent up")
    func awkwardProjectPath() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project(folder: "my app:v2,k=v")
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(try project.devenv("exec", "--", "ls", "/app/pyproject.toml").stdoutText == "/app/pyproject.toml\n")
        let again = try project.devenv("up")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(again.stdoutText.contains("is up to date"), "\(again.stdoutText)")
        let status = try Self.json(try project.devenv("status", "--json"))
        let dev = (status["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        #expect(dev?["state"] as? String == "running")
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
    }

    @Test("a foreign container with devenv's name is left untouched, with exit 4")
    func foreignContainerIsAConflict() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage, TestEngine.busyboxImage])
        let project = try Project()
        let name = "\(DevenvNames.container(project.name, in: project.path))"
        let foreign = try project.docker("run", "-d", "--name", name, TestEngine.busyboxImage,
                                         "sleep", "300")
        #expect(foreign.exitCode == 0, "\(foreign.stderrText)")
        defer { _ = try? project.docker("rm", "-f", name) }
        let up = try project.devenv("up")
        #expect(up.exitCode == 4, "\(up.stderrText)")
        #expect(up.stderrText.contains("devenv did not create"))
        let down = try project.devenv("down", "--volumes")
        #expect(down.exitCode == 4)
        let still = try project.docker("inspect", "--format", "{{.State.Running}} {{.Config.Image}}", name)
        #expect(still.stdoutText == "true \(TestEngine.busyboxImage)\n")
    }

    @Test("a foreign container, service container and volume whose label value spells devenv's labels after commas are foreign: down --volumes leaves them")
    func labelValueSpellingDevenvLabelsIsForeign() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        // Docker's `ps` and `volume ls` join labels with commas: this one label reads there as
        // devenv's project, profile and root (and service, role) for this very project.
        let forged = "x=a,devenv.project=\(project.name),devenv.profile=dev,devenv.root=\(project.path)"
        let app = "\(DevenvNames.container(project.name, in: project.path))", service = "\(DevenvNames.container(project.name, in: project.path))-svc-db"
        let volume = "\(DevenvNames.container(project.name, in: project.path))-venv"
        defer {
            _ = try? project.docker("rm", "-f", app, service)
            _ = try? project.docker("volume", "rm", volume)
        }
        func expectUntouched() throws {
            for name in [app, service] where try project.docker("inspect", name).exitCode == 0 {
                let still = try project.docker("inspect", "--format", "{{.State.Running}}", name)
                #expect(still.stdoutText == "true\n", "\(name) was touched: \(still.stderrText)")
            }
            #expect(try project.docker("inspect", service).exitCode == 0, "the forged service container was removed")
            #expect(try project.docker("volume", "inspect", volume).exitCode == 0, "the forged volume was removed")
        }
        // A "service no longer configured" and a "venv volume": neither is devenv's.
        let made = try project.docker("run", "-d", "--name", service, "--label", forged + ",devenv.service=db",
                                      TestEngine.busyboxImage, "sleep", "300")
        #expect(made.exitCode == 0, "\(made.stderrText)")
        let volumeMade = try project.docker("volume", "create", "--label", forged + ",devenv.role=venv", volume)
        #expect(volumeMade.exitCode == 0, "\(volumeMade.stderrText)")
        let status = try Self.json(try project.devenv("status", "--json"))
        let dev = (status["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        #expect((dev?["services"] as? [Any])?.isEmpty == true, "no orphaned service: \(String(describing: dev?["services"]))")
        let down = try project.devenv("down", "--volumes")
        #expect(down.exitCode == 4, "\(down.stdoutText)\(down.stderrText)")
        #expect(down.stderrText.contains("the volume \(volume) was not created by devenv"), "\(down.stderrText)")
        try expectUntouched()
        // The app container's name, with the same label: a conflict, left alone.
        let appMade = try project.docker("run", "-d", "--name", app, "--label", forged, TestEngine.busyboxImage, "sleep", "300")
        #expect(appMade.exitCode == 0, "\(appMade.stderrText)")
        let conflict = try Self.json(try project.devenv("status", "--json"))
        let conflicted = (conflict["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        #expect(conflicted?["owner"] as? String != nil, "the forged container is someone else's: \(String(describing: conflicted))")
        let downAgain = try project.devenv("down", "--volumes")
        #expect(downAgain.exitCode == 4, "\(downAgain.stdoutText)\(downAgain.stderrText)")
        try expectUntouched()
    }

    @Test("prod runs read-only, without capabilities, without new privileges, with its tmpfs, turns healthy and serves on its port")
    func prodSecurityFlags() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        let up = try project.devenv("--profile", "prod", "up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let container = "\(DevenvNames.container(project.name, in: project.path, profile: "prod"))"
        let inspect = try project.docker("inspect", "--format",
                                         "{{.HostConfig.ReadonlyRootfs}}|{{json .HostConfig.CapDrop}}|{{json .HostConfig.CapAdd}}|{{json .HostConfig.SecurityOpt}}|{{json .HostConfig.Tmpfs}}|{{.HostConfig.RestartPolicy.Name}}|{{.Config.User}}",
                                         container)
        #expect(inspect.stdoutText == #"true|["ALL"]|["NET_BIND_SERVICE"]|["no-new-privileges:true"]|{"/tmp":"rw,noexec,nosuid,size=100m"}|unless-stopped|10001:10001"# + "\n",
                "\(inspect.stderrText)")
        // The HEALTHCHECK runs every 10 s; wait for a verdict in status (the deadline, as in
        // `TestEngine.waitForHealth`, only bounds a failure: 40 polls were about 25 s).
        var health = ""
        let deadline = Date().addingTimeInterval(180)
        repeat {
            let status = try Self.json(try project.devenv("status", "--json"))
            let prod = (status["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "prod" }
            health = prod?["health"] as? String ?? ""
            if health == "healthy" || health == "unhealthy" { break }
            Thread.sleep(forTimeInterval: 0.5)
        } while Date() < deadline
        #expect(health == "healthy")
        let answer = try HostPorts.waitForHTTP(port: project.prodPort, seconds: 60, what: "the demo app in the prod container")
        #expect(answer == "demoapp 0.1.0: hello, production\n")
    }

    @Test("ci: the test command runs in a fresh container and its exit code is devenv's")
    func ciTestRun() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        let passing = try project.devenv("--profile", "ci", "test")
        #expect(passing.exitCode == 0, "\(passing.stderrText)")
        try project.write("tests/test_fails.py", "import unittest\nclass T(unittest.TestCase):\n    def test_no(self):\n        self.fail('on purpose')\n")
        let failing = try project.devenv("--profile", "ci", "test")
        #expect(failing.exitCode == 1)
        #expect(failing.stderrText.contains("on purpose"))
        // Arguments after `test` (or after `--`) reach the test command: -k picks the passing test.
        for arguments in [["test", "-k", "greeting"], ["test", "--", "-k", "greeting"]] {
            let picked = try DevenvBinary.run(["--profile", "ci"] + arguments, in: project.path)
            #expect(picked.exitCode == 0, "\(arguments): \(picked.stderrText)")
            #expect(picked.stderrText.contains("Ran 1 test"), "\(arguments): \(picked.stderrText)")
        }
    }

    @Test("two `up`s at once on one project: one creates, the other waits for the lock and finds it up")
    func concurrentUpsTakeTurns() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        let script = "\"$0\" --project \"$1\" up >\"$2/a.out\" 2>&1 & a=$!; \"$0\" --project \"$1\" up >\"$2/b.out\" 2>&1; b=$?; wait $a; echo $? $b"
        let scratch = NSTemporaryDirectory() + "devenv-lock-" + project.name
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let result = try TestEngine.run(["sh", "-c", script, DevenvBinary.path, project.path, scratch],
                                        environment: ["DEVENV_DOCKER": TestEngine.availability().docker ?? "docker"],
                                        timeoutSeconds: 240)
        #expect(result.stdoutText == "0 0\n", "\(result.stderrText)")
        let outputs = [try String(contentsOfFile: scratch + "/a.out", encoding: .utf8),
                       try String(contentsOfFile: scratch + "/b.out", encoding: .utf8)]
        #expect(outputs.filter { $0.contains("started") }.count == 1, "\(outputs)")
        #expect(outputs.filter { $0.contains("is up to date") }.count == 1, "\(outputs)")
        let containers = try project.docker("ps", "-aq", "--filter", "label=devenv.project=\(project.name)")
        #expect(containers.stdoutText.split(separator: "\n").count == 1)
    }

    @Test("new volumes at paths the image does not declare as the user's: one chown container gives them all")
    func undeclaredVolumePathsAreChownedInOneContainer() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"

            [profiles.dev]
            network = "none"
            ports = []
            volumes = { venv = "/venv", data = "/data", more = "/srv/more" }
            """)
        let up = try project.devenv("up", "--verbose")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let chowns = up.stderrText.split(separator: "\n").filter { $0.contains("--entrypoint chown") }
        #expect(chowns.count == 1, "\(up.stderrText)")
        // /venv is declared by the image (devenv.volume-owner): only the other two are chowned.
        #expect(chowns.first?.contains("/volumes/data") == true && chowns.first?.contains("/volumes/more") == true)
        #expect(chowns.first?.contains("/volumes/venv") == false)
        let owners = try project.devenv("exec", "--", "stat", "-c", "%u:%g", "/venv", "/data", "/srv/more")
        #expect(owners.stdoutText == "4242:4242\n4242:4242\n4242:4242\n", "\(owners.stderrText)")
    }

    @Test("a missing env file names the template to copy; exit 2 and nothing created")
    func missingEnvFile() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        try FileManager.default.removeItem(atPath: project.path + "/.env.dev")
        let up = try project.devenv("up")
        #expect(up.exitCode == 2)
        #expect(up.stderrText.contains("cp .env.dev.template .env.dev"))
        #expect(try project.docker("ps", "-aq", "--filter", "label=devenv.project=\(project.name)").stdoutText.isEmpty)
    }

    @Test("Ctrl-C during the build leaves no container behind")
    func interruptedUpLeavesNothingHalfMade() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        // A build step that takes long enough to be interrupted (and that no earlier run cached).
        let dockerfile = try String(contentsOfFile: project.path + "/Dockerfile", encoding: .utf8)
        try project.write("Dockerfile", dockerfile.replacingOccurrences(of: "FROM base AS dev\n",
                                                                         with: "FROM base AS dev\nRUN echo \(project.name) && sleep 30\n"))
        let result = try TestEngine.run(["sh", "-c", "\"$0\" --project \"$1\" up & pid=$!; sleep 3; kill -INT $pid; wait $pid",
                                         DevenvBinary.path, project.path],
                                        environment: ["DEVENV_DOCKER": TestEngine.availability().docker ?? "docker"],
                                        timeoutSeconds: 120)
        #expect(result.exitCode == 130, "\(result.stderrText)")
        #expect(try project.docker("ps", "-aq", "--filter", "label=devenv.project=\(project.name)").stdoutText.isEmpty)
    }
}
