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
            // No bridge on the test engine: every profile runs and builds with --network none.
            try write("devenv.toml", """
                [project]
                name = "\(name)"

                [profiles.dev]
                network = "none"
                ports = []

                [profiles.ci]
                network = "none"
                test_command = ["python", "-m", "unittest", "discover", "-s", "tests"]

                [profiles.prod]
                network = "none"
                ports = []
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
        let container = "devenv-\(project.name)-dev"

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
        let volumes = (dev["volumes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
        #expect(volumes == ["devenv-\(project.name)-dev-cache", "devenv-\(project.name)-dev-venv"])

        // A configuration change makes the container stale; up recreates it, keeping the venv.
        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"

            [profiles.dev]
            network = "none"
            ports = []
            env = { FEATURE = "on" }
            """)
        let stale = try Self.json(try project.devenv("status", "--json"))
        let staleDev = try #require((stale["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" })
        #expect(staleDev["stale"] as? Bool == true)
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
        let name = "devenv-\(project.name)-dev"
        let foreign = try project.docker("run", "-d", "--name", name, "--network", "none", TestEngine.busyboxImage,
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

    @Test("prod runs read-only, without capabilities, without new privileges, with its tmpfs, and turns healthy")
    func prodSecurityFlags() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        let up = try project.devenv("--profile", "prod", "up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let container = "devenv-\(project.name)-prod"
        let inspect = try project.docker("inspect", "--format",
                                         "{{.HostConfig.ReadonlyRootfs}}|{{json .HostConfig.CapDrop}}|{{json .HostConfig.CapAdd}}|{{json .HostConfig.SecurityOpt}}|{{json .HostConfig.Tmpfs}}|{{.HostConfig.RestartPolicy.Name}}|{{.Config.User}}",
                                         container)
        #expect(inspect.stdoutText == #"true|["ALL"]|["NET_BIND_SERVICE"]|["no-new-privileges:true"]|{"/tmp":"rw,noexec,nosuid,size=100m"}|unless-stopped|10001:10001"# + "\n",
                "\(inspect.stderrText)")
        // The HEALTHCHECK runs every few seconds; wait (bounded) for healthy in status.
        var health = ""
        for _ in 0..<40 {
            let status = try Self.json(try project.devenv("status", "--json"))
            let prod = (status["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "prod" }
            health = prod?["health"] as? String ?? ""
            if health == "healthy" || health == "unhealthy" { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(health == "healthy")
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
