import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A project that has only a `.devcontainer/devcontainer.json`, on the real engine: built
/// from its Dockerfile (a target and build args), its ports, environment, mounts and lifecycle
/// commands (issue 13). Base images are the local test images; nothing is pulled.
@Suite("devcontainer.json on a real engine", .serialized)
struct DevcontainerEngineTests {
    /// A folder of its own (owned by 4242:4242, a host user who is not root: the tests run as
    /// root and devenv syncs to the folder's owner), its devenv state folder, and everything
    /// devenv made for it removed at the end.
    final class Project {
        let parent: String
        let path: String
        let name: String
        let state: String
        let uid: UInt32 = 4242, gid: UInt32 = 4242

        init() throws {
            name = "dc" + String(UUID().uuidString.prefix(8)).lowercased()
            parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-dc-\(name)").path
            path = parent + "/" + name
            state = parent + "/state"
            try FileManager.default.createDirectory(atPath: path + "/.devcontainer", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            for folder in [parent, path, path + "/.devcontainer"] {
                chmod(folder, 0o755)
                chown(folder, uid, gid)
            }
        }

        func write(_ relative: String, _ text: String) throws {
            let file = path + "/" + relative
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            chown(file, uid, gid)
        }

        func read(_ relative: String) -> String {
            (try? String(contentsOfFile: path + "/" + relative, encoding: .utf8)) ?? ""
        }

        func lines(_ relative: String) -> [String] { read(relative).split(separator: "\n").map(String.init) }

        func owner(_ relative: String) -> String {
            var info = stat()
            guard stat(path + "/" + relative, &info) == 0 else { return "missing" }
            return "\(info.st_uid):\(info.st_gid)"
        }

        /// devenv in the project, remembering in the test's own state folder.
        @discardableResult
        func devenv(_ arguments: String..., input: String? = nil) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: path, environment: ["XDG_STATE_HOME": state], input: input)
        }

        deinit {
            // The folder is devenv's project name, so this is everything devenv made for it.
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
    }

    @Test("devcontainer.json only: build target and args, ports, env, mounts; postCreate once per environment (again after down --volumes), postStart once per start, postAttach on shell, initializeCommand once allowed")
    func devcontainerProjectEndToEnd() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        let port = HostPorts.free(1)[0]
        let container = "\(DevenvNames.container(project.name, in: project.path))"
        let workspace = "/workspaces/\(project.name)"
        try project.write(".devcontainer/Dockerfile", """
            FROM \(TestEngine.pythonImage) AS base
            ARG GREETING=unset
            RUN mkdir -p /srv && echo "$GREETING" > /srv/greeting.txt

            FROM base AS dev
            CMD ["sh", "-c", "exec python3 -m http.server \\"$PORT\\" --bind 0.0.0.0 --directory /srv"]

            # Built only when the target is ignored.
            FROM base AS broken
            RUN exit 1
            """)
        try project.write("data/inside.txt", "mounted\n")
        try project.write(".devcontainer/devcontainer.json", """
            // Written by the test: every property here is one devenv maps.
            {
              "name": "devcontainer engine test",
              "build": {
                "dockerfile": "Dockerfile",
                "context": ".",
                "target": "dev",
                "args": { "GREETING": "hello-${localWorkspaceFolderBasename}", },
              },
              "overrideCommand": false,
              "forwardPorts": [\(port)],
              "portsAttributes": { "\(port)": { "label": "Greeting server" } },
              "containerEnv": { "PORT": "\(port)", "APP_MODE": "devcontainer" },
              "mounts": [
                "source=${localWorkspaceFolder}/data,target=/data,type=bind,readonly",
              ],
              "initializeCommand": "echo initialized >> initialize.log",
              /* Named commands run together. */
              "postCreateCommand": {
                "marker": "echo \\"$(id -u):$(id -g) $HOSTNAME\\" >> postcreate.log",
                "env": ["sh", "-c", "printenv APP_MODE > env.txt"],
              },
              "postStartCommand": ["sh", "-c", "echo start >> poststart.log"],
              "postAttachCommand": "echo attach >> postattach.log",
            }
            """)

        // initializeCommand is code from the repository: nothing happens until it is allowed.
        let refused = try project.devenv("up", "--no-tui")
        #expect(refused.exitCode == 2, "\(refused.stderrText)")
        #expect(refused.stderrText.contains("devenv up --allow-initialize"), "\(refused.stderrText)")
        #expect(project.read("initialize.log").isEmpty)
        #expect(try TestEngine.docker(["ps", "-aq", "--filter", "label=devenv.project=\(project.name)"]).stdoutText.isEmpty)

        let up = try project.devenv("up", "--no-tui", "--allow-initialize")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stdoutText == "dev is up: \(container) started\n", "\(up.stderrText)")
        #expect(up.stderrText.contains("devenv: postCreateCommand in \(container)"), "\(up.stderrText)")
        #expect(up.stderrText.contains("devenv: postStartCommand in \(container)"), "\(up.stderrText)")
        #expect(project.lines("initialize.log") == ["initialized"])

        // postCreate ran once, as the synced user, in the workspace; its files are the user's.
        let created = project.lines("postcreate.log")
        #expect(created.count == 1 && created.first?.hasPrefix("4242:4242 ") == true, "\(created)")
        #expect(project.owner("postcreate.log") == "4242:4242")
        #expect(project.read("env.txt") == "devcontainer\n")
        #expect(project.lines("poststart.log") == ["start"])

        // exec: the container's environment, workspace and mounts as the file says.
        let inside = try project.devenv("exec", "--", "sh", "-c", "pwd; printenv APP_MODE; cat /data/inside.txt; id -u")
        #expect(inside.stdoutText == "\(workspace)\ndevcontainer\nmounted\n4242\n", "\(inside.stderrText)")
        // The forwarded port answers on 127.0.0.1, with the build arg the file gave.
        let greeting = try HostPorts.waitForHTTP(port: port, path: "/greeting.txt", seconds: 60,
                                                 what: "the container's python http.server")
        #expect(greeting == "hello-\(project.name)\n")

        // status names the port's label.
        let status = try project.devenv("status", "--json")
        #expect(status.stdoutText.contains(#""label":"Greeting server""#), "\(status.stdoutText)")
        let statusText = try project.devenv("status")
        #expect(statusText.stdoutText.contains("Greeting server"), "\(statusText.stdoutText)")

        // shell: postAttach first.
        let shell = try project.devenv("shell", input: "exit 0\n")
        #expect(shell.exitCode == 0, "\(shell.stderrText)")
        #expect(project.lines("postattach.log") == ["attach"])

        // up on the running environment: initialize again (the spec's every start), no other stage.
        let again = try project.devenv("up", "--no-tui")
        #expect(again.stdoutText == "dev is up to date: \(container) is running\n", "\(again.stderrText)")
        #expect(project.lines("initialize.log").count == 2)
        #expect(project.lines("postcreate.log").count == 1)
        #expect(project.lines("poststart.log").count == 1)

        // The issue's sequence: up, exec, down, up again: postCreate ran once (its marker in the
        // bind-mounted project survives, owned by the host user), postStart twice, the port
        // answers on 127.0.0.1 from the new container.
        let down = try project.devenv("down")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        let second = try project.devenv("up", "--no-tui")
        #expect(second.exitCode == 0, "\(second.stderrText)")
        #expect(second.stderrText.contains("postCreateCommand not run again: it ran for this environment"), "\(second.stderrText)")
        #expect(project.lines("postcreate.log").count == 1, "\(project.lines("postcreate.log"))")
        #expect(project.owner("postcreate.log") == "4242:4242")
        #expect(project.lines("poststart.log") == ["start", "start"])
        _ = try HostPorts.waitForHTTP(port: port, path: "/greeting.txt", seconds: 60, what: "the new container's http.server")

        // restart: the same container, started again: postStart only.
        let restart = try project.devenv("restart", "--no-tui")
        #expect(restart.exitCode == 0, "\(restart.stderrText)")
        #expect(project.lines("postcreate.log").count == 1)
        #expect(project.lines("poststart.log").count == 3)

        // down --volumes resets the environment: postCreate runs again in the next container.
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
        let third = try project.devenv("up", "--no-tui")
        #expect(third.exitCode == 0, "\(third.stderrText)")
        let createdTwice = project.lines("postcreate.log")
        #expect(createdTwice.count == 2, "\(createdTwice)")
        #expect(Set(createdTwice).count == 2, "each line names its own container: \(createdTwice)")
        #expect(project.lines("poststart.log").count == 4)
        _ = try HostPorts.waitForHTTP(port: port, path: "/greeting.txt", seconds: 60, what: "the third container's http.server")
    }

    @Test("remoteEnv's ${containerEnv:VAR} is resolved from the image's environment at up: exec and lifecycle commands see it")
    func remoteEnvFromTheImage() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.write(".devcontainer/Dockerfile", """
            FROM \(TestEngine.busyboxImage)
            ENV TOOL_HOME=/opt/tool
            """)
        try project.write(".devcontainer/devcontainer.json", """
            {
              "build": { "dockerfile": "Dockerfile" },
              "containerEnv": { "MODE": "dc" },
              "remoteEnv": {
                "PATH": "${containerEnv:PATH}:/opt/tool/bin",
                "X": "${containerEnv:TOOL_HOME}/x",
                "D": "${containerEnv:NOT_SET:fallback}-${containerEnv:MODE}",
                "F": "${containerEnv:FROM_FILE}-f",
              },
              "postCreateCommand": "echo $X > x.txt",
            }
            """)
        // The env file is part of the container's environment too.
        try project.write("devenv.toml", "devcontainer = \".devcontainer/devcontainer.json\"\n[profiles.dev]\nenv_file = \".env.dev\"\n")
        try project.write(".env.dev", "FROM_FILE=envfile\n")
        let config = try project.devenv("config")
        #expect(config.stdoutText.contains(#""${containerEnv:PATH}:/opt/tool/bin" (resolved at up from the image)"#), "\(config.stdoutText)")
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(!up.stderrText.contains("warning"), "\(up.stderrText)")
        let image = try TestEngine.docker(["inspect", "--format", "{{.Config.Image}}", "\(DevenvNames.container(project.name, in: project.path))"]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let imagePath = try TestEngine.docker(["image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", image])
            .stdoutText.split(separator: "\n").first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) }
        let path = try #require(imagePath, "the built image has a PATH")
        let exec = try project.devenv("exec", "--", "sh", "-c", "echo $PATH; echo $X; echo $D; echo $F")
        #expect(exec.exitCode == 0, "\(exec.stderrText)")
        #expect(exec.stdoutText == "\(path):/opt/tool/bin\n/opt/tool/x\nfallback-dc\nenvfile-f\n", "\(exec.stdoutText)")
        // The lifecycle commands run with it too.
        #expect(project.read("x.txt") == "/opt/tool/x\n")
    }

    /// Issue 13's shortfall: `${localEnv:X}` was inserted raw into a string command run with
    /// `sh -c`. A host variable holding a space, quotes, `;`, `$(...)`, backquotes and a newline
    /// reaches the command as one word of data, unquoted and in double quotes, and runs nothing.
    @Test("a hostile ${localEnv:X} in a string postCreateCommand is one word of data in the container (also in \"$(...)\", $'...', a comment); nothing it holds runs")
    func hostileLocalEnvIsData() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.write(".devcontainer/devcontainer.json", #"""
            {
              "image": "\#(TestEngine.busyboxImage)",
              "postCreateCommand": "printf '%s' ${localEnv:DEVENV_TEST_HOSTILE} > plain.txt; printf '%s' \"${localEnv:DEVENV_TEST_HOSTILE}\" > quoted.txt; printf '%s' \"$(printf '%s' ${localEnv:DEVENV_TEST_HOSTILE})\" > substituted.txt; printf '%s' $'${localEnv:DEVENV_TEST_HOSTILE}' > ansi.txt # ${localEnv:DEVENV_TEST_HOSTILE}"
            }
            """#)
        let hostile = "a b; touch pwned1 $(touch pwned2) `touch pwned3` 'q' \"dq\" \\\nline2 && touch pwned4"
        let up = try DevenvBinary.run(["up", "--no-tui"], in: project.path,
                                      environment: ["XDG_STATE_HOME": project.state, "DEVENV_TEST_HOSTILE": hostile])
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(project.read("plain.txt") == hostile)
        #expect(project.read("quoted.txt") == hostile)
        // Inside a command substitution in double quotes, busybox ash's $'...' and a comment.
        #expect(project.read("substituted.txt") == hostile)
        #expect(project.read("ansi.txt") == hostile)
        let made = try FileManager.default.contentsOfDirectory(atPath: project.path).filter { $0.hasPrefix("pwned") }
        #expect(made.isEmpty, "the value ran: \(made)")
        let inContainer = try TestEngine.docker(["exec", "\(DevenvNames.container(project.name, in: project.path))", "sh", "-c", "ls / /tmp | grep pwned; true"])
        #expect(inContainer.stdoutText.isEmpty, "\(inContainer.stdoutText)")
    }

    @Test("devenv test runs the create stages and postStart in its one-off container first, every time, and removes it")
    func testRunsLifecycleCommands() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.write(".devcontainer.json", """
            {
              "image": "\(TestEngine.busyboxImage)",
              "onCreateCommand": "echo oncreate >> created.log",
              "postCreateCommand": ["sh", "-c", "echo \\"postcreate $(id -u)\\" >> created.log"],
              "postStartCommand": "echo start >> started.log",
            }
            """)
        try project.write("devenv.toml", """
            devcontainer = ".devcontainer.json"
            [profiles.dev]
            test_command = ["sh", "-c", "cat created.log; test \\"$(wc -l < started.log)\\" -ge 1 && exit ${EXIT:-0}"]
            """)
        func leftContainers() throws -> String {
            try TestEngine.docker(["ps", "-aq", "--filter", "label=devenv.project=\(project.name)"]).stdoutText
        }
        let run = try project.devenv("test")
        #expect(run.exitCode == 0, "\(run.stderrText)")
        #expect(run.stdoutText == "oncreate\npostcreate 4242\n", "\(run.stdoutText)")
        #expect(run.stderrText.contains("devenv: postCreateCommand in the test container"), "\(run.stderrText)")
        #expect(project.lines("started.log") == ["start"])
        #expect(try leftContainers().isEmpty, "the one-off container is removed")
        // Every run is a fresh container: the stages run again (as the CI action's `devcontainer up`).
        #expect(try project.devenv("test").exitCode == 0)
        #expect(project.lines("created.log") == ["oncreate", "postcreate 4242", "oncreate", "postcreate 4242"])
        #expect(project.lines("started.log").count == 2)
        #expect(try leftContainers().isEmpty)

        // A failing create stage stops the run before the tests, with its exit code named.
        try project.write(".devcontainer.json", """
            { "image": "\(TestEngine.busyboxImage)", "postCreateCommand": "exit 7" }
            """)
        let failed = try project.devenv("test")
        #expect(failed.exitCode == 1, "\(failed.stderrText)")
        #expect(failed.stderrText.contains("postCreateCommand failed with exit code 7 in the test container"), "\(failed.stderrText)")
        #expect(failed.stderrText.contains("the tests did not run"), "\(failed.stderrText)")
        #expect(try leftContainers().isEmpty, "removed after a failure too")
    }

    @Test("Ctrl-C during a hanging postCreateCommand: exit 130, the command's processes in the container are ended (Docker leaves an exec's running), the next up runs it alone")
    func interruptedLifecycleCommandLeavesNothingRunning() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        // The first run marks that it started and hangs; the next one finishes at once.
        try project.write(".devcontainer.json", """
            {
              "image": "\(TestEngine.busyboxImage)",
              "postCreateCommand": "if [ -e started ]; then echo again >> runs.log; exit 0; fi; touch started; sleep 1000; echo finished >> runs.log",
            }
            """)
        // As Ctrl-C would: SIGINT to devenv once the command is running in the container (the
        // file `started` in the mounted workspace; waited for at most 120 s).
        let docker = TestEngine.availability().docker ?? "docker"
        let wrapper = project.parent + "/docker-wrapper"
        try """
            #!/bin/sh
            case " $* " in *" --env \(DockerPlanner.lifecycleMark) "*)
              d=$PPID
              ( i=0; while [ ! -e '\(project.path)/started' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done; kill -INT $d ) & ;;
            esac
            exec \(docker) "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let interrupted = try DevenvBinary.run(["up", "--no-tui"], in: project.path,
                                               environment: ["XDG_STATE_HOME": project.state, "DEVENV_DOCKER": wrapper])
        #expect(interrupted.exitCode == 130, "\(interrupted.stderrText)")
        #expect(project.owner("started") != "missing", "the command never started: \(interrupted.stderrText)")
        #expect(interrupted.stderrText.contains("postCreateCommand in \(DevenvNames.container(project.name, in: project.path)): failed"), "\(interrupted.stderrText)")
        let processes = try TestEngine.docker(["exec", "\(DevenvNames.container(project.name, in: project.path))", "ps", "-o", "args"]).stdoutText
        #expect(!processes.contains("sleep 1000"), "the interrupted command still runs in the container:\n\(processes)")

        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(project.lines("runs.log") == ["again"], "the interrupted run went on beside the new one")
    }

    @Test("a failing postStartCommand stops up with its exit code, the container kept; it runs again at the next up")
    func failingLifecycleCommand() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.write(".devcontainer.json", """
            {
              "image": "\(TestEngine.busyboxImage)",
              "postStartCommand": "echo trying >> tries.log; echo 'not today' >&2; exit 3",
            }
            """)
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 1, "\(up.stderrText)")
        #expect(up.stderrText.contains("postStartCommand failed with exit code 3 in \(DevenvNames.container(project.name, in: project.path)); dev is running and ready (waitFor finished)"),
                "\(up.stderrText)")
        #expect(up.stderrText.contains("not today"))
        let state = try TestEngine.docker(["inspect", "--format", "{{.State.Status}}", "\(DevenvNames.container(project.name, in: project.path))"])
        #expect(state.stdoutText == "running\n")
        #expect(try project.devenv("up", "--no-tui").exitCode == 1)
        #expect(project.lines("tries.log") == ["trying", "trying"])
    }

    /// One way of asking for GPUs: the devcontainer.json entry, devenv.toml's profile lines (nil:
    /// no devenv.toml) and the one warning `up` gives (nil: none).
    struct GPURequestCase: Sendable, CustomTestStringConvertible {
        var json: String
        var toml: String?
        var warning: String?
        var testDescription: String { json + (toml.map { " + \($0)" } ?? "") }

        static let all = [
            GPURequestCase(json: #""hostRequirements": { "gpu": true }"#, toml: nil,
                           warning: "warning: hostRequirements.gpu: this engine has no GPU runtime"),
            GPURequestCase(json: #""hostRequirements": { "gpu": "optional" }"#, toml: nil, warning: nil),
            GPURequestCase(json: #""runArgs": ["--gpus", "all", "--shm-size", "64m"]"#, toml: nil,
                           warning: "warning: runArgs: --gpus all left out: this engine has no GPU runtime"),
            GPURequestCase(json: #""hostRequirements": { "gpu": "optional" }"#, toml: #"run_args = ["--gpus=all"]"#,
                           warning: "warning: run_args: --gpus=all left out: this engine has no GPU runtime"),
            // Both ask (issue 13's shortfall: --gpus all twice on a GPU engine): one rule, one warning naming both.
            GPURequestCase(json: #""hostRequirements": { "gpu": true }, "runArgs": ["--gpus", "all"]"#, toml: nil,
                           warning: "warning: hostRequirements.gpu and runArgs (--gpus all): this engine has no GPU runtime"),
        ]
    }

    @Test("GPUs on an engine without a GPU runtime: hostRequirements.gpu true warns, optional is silent; runArgs/run_args --gpus are left out with one warning naming the key; the container starts without GPUs",
          arguments: GPURequestCase.all)
    func gpuWithoutAGPURuntime(_ request: GPURequestCase) throws {
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        var facts = EngineFacts()
        facts.readInfo(stdout: try TestEngine.docker(["info", "--format", "{{json .}}"]).stdoutText)
        #expect(facts.runtimes.contains("runc"), "the engine description lists the runtimes: \(facts.runtimes)")
        if facts.hasGPURuntime {
            print("skipped: this engine has an nvidia runtime (\(docker)); the test is for one without")
            return
        }
        let project = try Project()
        try project.write(".devcontainer.json", """
            { "image": "\(TestEngine.busyboxImage)", \(request.json) }
            """)
        if let toml = request.toml { try project.write("devenv.toml", "devcontainer = \".devcontainer.json\"\n[profiles.dev]\n\(toml)\n") }
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 0, "\(request.testDescription): \(up.stderrText)")
        let warnings = up.stderrText.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == (request.warning == nil ? 0 : 1), "\(up.stderrText)")
        if let warning = request.warning { #expect(up.stderrText.contains(warning), "\(up.stderrText)") }
        let container = "\(DevenvNames.container(project.name, in: project.path))"
        let state = try TestEngine.docker(["inspect", "--format", "{{.State.Status}} {{json .HostConfig.DeviceRequests}}", container])
        #expect(state.stdoutText == "running null\n", "\(request.json): \(state.stdoutText)")
        // A second up on the unchanged environment: up to date (the engine's answer is not configuration).
        let again = try project.devenv("up", "--no-tui")
        #expect(again.stdoutText == "dev is up to date: \(container) is running\n", "\(again.stderrText)")
    }
}
