import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 10 item 10 on the real engine: `ssh = true` reaches a real ssh-agent from a build's
/// `RUN --mount=type=ssh` and from the dev container; an unset build secret variable or mount
/// variable stops devenv before anything is built.
@Suite("Private dependencies on a real engine", .serialized)
struct PrivateDependenciesTests {
    /// A project of 4242:4242 with a two-stage Dockerfile on the python test image: the build
    /// proves the agent is reachable (BuildKit fails a `type=ssh` mount without `--ssh`).
    final class Project {
        let root: String
        let path: String
        let name = "ssh" + String(UUID().uuidString.prefix(8)).lowercased()
        let home: String

        init(config: String) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-ssh-\(UUID().uuidString.prefix(8))").path
            path = root + "/app"
            home = root + "/home"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try write("Dockerfile", """
                FROM \(TestEngine.pythonImage) AS dev
                RUN --mount=type=ssh test -S "$SSH_AUTH_SOCK" && echo "agent seen at build" > /ssh-build-ok
                CMD ["sleep", "infinity"]
                """)
            try write("pyproject.toml", "[project]\nname = \"sshdemo\"\nversion = \"0.1.0\"\n")
            try write("devenv.toml", """
                [project]
                name = "\(name)"
                \(config)
                """)
            try "[user]\n\tname = Ada Lovelace\n".write(toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
            for item in [root, path, home] { chmod(item, 0o755) }
            chown(path, 4242, 4242)
        }

        func write(_ relative: String, _ text: String) throws {
            try text.write(toFile: path + "/" + relative, atomically: true, encoding: .utf8)
            chown(path + "/" + relative, 4242, 4242)
        }

        @discardableResult
        func devenv(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
            var env = environment
            env["HOME"] = env["HOME"] ?? home
            return try DevenvBinary.run(arguments, in: path, environment: env)
        }

        deinit {
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    struct AgentFailure: Error { var message: String }

    /// A real ssh-agent running as 4242 (an agent refuses clients of another UID), in the
    /// foreground (`-D`) of a process detached with every other descriptor closed (a daemon
    /// holding the test's pipes would keep it waiting), ended by its PID (`stop`).
    /// Its signal mask is emptied first: a child inherits its spawner's, and the test runner's
    /// threads block SIGTERM, so the agent ignored the `kill` that should end it, and every run
    /// of this suite left one running (left23).
    final class Agent {
        let socket: String
        let pid: String

        init(in folder: String) throws {
            let directory = folder + "/agent"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            chown(directory, 4242, 4242)
            socket = directory + "/agent.sock"
            let spawn = """
                import signal, subprocess, sys
                signal.pthread_sigmask(signal.SIG_SETMASK, [])
                p = subprocess.Popen(["setpriv", "--reuid=4242", "--regid=4242", "--clear-groups", "ssh-agent", "-D", "-a", sys.argv[1]],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     close_fds=True, start_new_session=True)
                print(p.pid)
                """
            let started = try TestEngine.run(["python3", "-c", spawn, socket], timeoutSeconds: 30)
            pid = started.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            guard started.succeeded, !pid.isEmpty else { throw AgentFailure(message: "ssh-agent did not start: \(started.stderrText)") }
            // Waits for the condition "the socket exists", for at most 60 s.
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: socket) {
                guard Date() < deadline else { throw AgentFailure(message: "ssh-agent made no socket at \(socket) within 60 s") }
                usleep(20_000)
            }
        }

        /// Whether the agent still runs (a zombie waiting for init to reap it does not).
        var isRunning: Bool {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            return !status.contains("State:\tZ")
        }

        /// SIGTERM, and waits for the condition "the agent has ended", for at most 10 s; then
        /// SIGKILL. Returns whether SIGTERM ended it.
        @discardableResult
        func stop() -> Bool {
            _ = try? TestEngine.run(["kill", pid], timeoutSeconds: 10)
            let deadline = Date().addingTimeInterval(10)
            while isRunning, Date() < deadline { usleep(20_000) }
            guard isRunning else { return true }
            _ = try? TestEngine.run(["kill", "-KILL", pid], timeoutSeconds: 10)
            return false
        }

        deinit { if isRunning { stop() } }
    }

    /// The processes whose command line names `path` (an ssh-agent on its socket, a docker or
    /// devenv child on the project), as `pgrep -af` prints them; empty when none is left.
    static func processes(naming path: String) throws -> [String] {
        try TestEngine.run(["pgrep", "-af", path]).stdoutText.split(separator: "\n").map(String.init)
            .filter { !$0.contains("pgrep") }
    }

    @Test("ssh = true: the build's RUN --mount=type=ssh and the dev container reach the agent; ~/.gitconfig is read-only inside")
    func sshReachesTheAgent() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project(config: """
            [profiles.dev]
            ssh = true
            ports = []
            """)
        let agent = try Agent(in: project.root)
        defer { agent.stop() }
        let environment = ["SSH_AUTH_SOCK": agent.socket]
        let up = try project.devenv("up", "--no-tui", environment: environment)
        #expect(up.exitCode == 0, "\(up.stdoutText)\(up.stderrText)")
        // The build ran the ssh mount (it fails without --ssh default) and left no socket behind.
        let built = try project.devenv("exec", "cat", "/ssh-build-ok", environment: environment)
        #expect(built.stdoutText == "agent seen at build\n", "\(built.stderrText)")
        // A real round trip with the agent inside: SSH2_AGENTC_REQUEST_IDENTITIES (11) is answered
        // with SSH2_AGENT_IDENTITIES_ANSWER (12).
        let script = """
            import os, socket, struct
            s = socket.socket(socket.AF_UNIX); s.connect(os.environ["SSH_AUTH_SOCK"])
            s.sendall(struct.pack(">IB", 1, 11)); reply = s.recv(5)
            print(os.environ["SSH_AUTH_SOCK"], reply[4])
            """
        let asked = try project.devenv("exec", "python3", "-c", script, environment: environment)
        #expect(asked.exitCode == 0, "\(asked.stderrText)")
        #expect(asked.stdoutText == "\(SSHForwarding.agentTarget) 12\n")
        let gitconfig = try project.devenv("exec", "sh", "-c", "cat \"$HOME/.gitconfig\"; echo x >> \"$HOME/.gitconfig\" || echo read-only",
                                           environment: environment)
        #expect(gitconfig.stdoutText.contains("name = Ada Lovelace"), "\(gitconfig.stdoutText)\(gitconfig.stderrText)")
        #expect(gitconfig.stdoutText.hasSuffix("read-only\n"), "\(gitconfig.stdoutText)")

        // Without an agent the build refuses before it starts (exit 2), naming the fix.
        let noAgent = try project.devenv("build", environment: ["SSH_AUTH_SOCK": ""])
        #expect(noAgent.exitCode == 2, "\(noAgent.stderrText)")
        #expect(noAgent.stderrText.contains("ssh = true") && noAgent.stderrText.contains("ssh-agent"), "\(noAgent.stderrText)")
        #expect(!noAgent.stderrText.contains("building"), "\(noAgent.stderrText)")

        // Nothing is left running: devenv leaves no child on the project, and the agent the
        // test started ends on its SIGTERM.
        #expect(try Self.processes(naming: project.path) == [], "left running on the project")
        #expect(agent.stop(), "the ssh-agent (pid \(agent.pid)) ignored SIGTERM")
        #expect(try Self.processes(naming: project.root) == [], "left running after the test")
    }

    @Test("an unset build secret variable and an unset mount variable are errors with their place, before any build")
    func unsetVariablesAreErrors() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project(config: """

            [project.build_secrets]
            token = { env = "DEVENV_TEST_UNSET_TOKEN" }

            [profiles.dev]
            ports = []
            """)
        let build = try project.devenv("up", "--no-tui")
        #expect(build.exitCode == 2)
        #expect(build.stderrText.contains("devenv.toml:5:1: build secret \"token\" reads the environment variable DEVENV_TEST_UNSET_TOKEN, which is not set"),
                "\(build.stderrText)")
        let images = try TestEngine.docker(["images", "-q", "--filter", "label=devenv.project=\(project.name)"])
        #expect(images.stdoutText.isEmpty, "an image was built: \(images.stdoutText)")

        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"
            mounts = ["${DEVENV_TEST_UNSET_SOCK}:/ssh"]
            """)
        let mount = try project.devenv("up", "--no-tui")
        #expect(mount.exitCode == 2)
        #expect(mount.stderrText.contains("devenv.toml:3:12: bad mount spec \"${DEVENV_TEST_UNSET_SOCK}:/ssh\": the environment variable DEVENV_TEST_UNSET_SOCK is not set"),
                "\(mount.stderrText)")
        let containers = try TestEngine.docker(["ps", "-aq", "--filter", "label=devenv.project=\(project.name)"])
        #expect(containers.stdoutText.isEmpty)
    }
}
