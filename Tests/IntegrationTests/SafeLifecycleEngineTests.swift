import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 9 on the real engine: races, crashes and bad input around `up`, injected with a
/// DEVENV_DOCKER wrapper that acts before delegating to the real docker CLI. The project is a
/// busybox image (no Python needed), so each test costs seconds.
@Suite("Safe lifecycle on a real engine", .serialized)
struct SafeLifecycleEngineTests {
    /// A throwaway project whose dev stage is busybox; everything made for it is removed at
    /// the end, and so are the foreign containers the test made (by name).
    final class Project {
        let parent: String
        let path: String
        let name: String
        var container: String { "\(DevenvNames.container(name, in: path))" }
        var foreign: [String] = []

        init(folder: String = "proj") throws {
            parent = NSTemporaryDirectory() + "devenv-safe-" + UUID().uuidString.prefix(8).lowercased()
            path = parent + "/" + folder
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            name = "sl" + String(UUID().uuidString.prefix(8)).lowercased()
            try write("Dockerfile", "FROM \(TestEngine.busyboxImage) AS dev\n")
            try write(".env.dev", "GREETING=hello\n")
            try config()
        }

        /// devenv.toml with extra lines for [project] and for the dev profile.
        func config(_ extra: String = "", project: String = "") throws {
            try write("devenv.toml", """
                [project]
                name = "\(name)"
                \(project)

                [profiles.dev]
                network = "none"
                ports = []
                volumes = { cache = "/home/dev/.cache" }
                \(extra)
                """)
        }

        func write(_ relative: String, _ text: String) throws {
            try text.write(toFile: path + "/" + relative, atomically: true, encoding: .utf8)
        }

        func writeBytes(_ relative: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + relative))
        }

        @discardableResult
        func devenv(_ arguments: String..., environment: [String: String] = [:], at folder: String? = nil) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: folder ?? path, environment: environment, timeoutSeconds: 180)
        }

        func docker(_ arguments: String...) throws -> ProcessResult { try TestEngine.docker(arguments) }

        /// `NAME STATE` of every container labelled for this project, sorted.
        func containers() throws -> [String] {
            try docker("ps", "--all", "--filter", "label=devenv.project=\(name)", "--format", "{{.Names}} {{.State}}")
                .stdoutText.split(separator: "\n").map(String.init).sorted()
        }

        /// A DEVENV_DOCKER wrapper: `body` (POSIX sh, sees the docker arguments as "$@") runs
        /// first, then the real docker CLI.
        func wrapper(_ body: String) throws -> [String: String] {
            let script = parent + "/docker-wrapper-\(UUID().uuidString.prefix(6))"
            let docker = TestEngine.availability().docker ?? "docker"
            try "#!/bin/sh\n\(body)\nexec \(docker) \"$@\"\n".write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            return ["DEVENV_DOCKER": script]
        }

        deinit {
            for name in foreign { _ = try? TestEngine.docker(["rm", "--force", name]) }
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdoutText)")
    }

    @Test("a container that takes the name during the build is someone else's: exit 4, it keeps running")
    func raceForTheName() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let taker = project.container
        project.foreign.append(taker)
        let env = try project.wrapper("""
            if [ "$1" = create ]; then
              \(TestEngine.availability().docker ?? "docker") run --detach --name \(taker) --network none \(TestEngine.busyboxImage) sleep 300 >/dev/null
            fi
            """)
        let up = try project.devenv("up", environment: env)
        #expect(up.exitCode == 4, "\(up.stderrText)")
        #expect(up.stderrText.contains("nothing was removed"), "\(up.stderrText)")
        let still = try project.docker("inspect", "--format", "{{.State.Running}} {{.Config.Image}}", taker)
        #expect(still.stdoutText == "true \(TestEngine.busyboxImage)\n", "the foreign container was touched")
        // The same name, taken while a recreate was being prepared: the running one is ours and stays.
    }

    @Test("status, --json and up agree on a foreign container: conflict, with who owns it")
    func conflictIsShownEverywhere() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        project.foreign.append(project.container)
        // devenv labels for another folder: "no devenv labels" would be a lie.
        let made = try project.docker("run", "--detach", "--name", project.container, "--network", "none",
                                      "--label", "devenv.project=\(project.name)", "--label", "devenv.profile=dev",
                                      "--label", "devenv.root=/elsewhere", TestEngine.busyboxImage, "sleep", "300")
        #expect(made.exitCode == 0, "\(made.stderrText)")
        let status = try project.devenv("status")
        #expect(status.stdoutText.contains("conflict"), "\(status.stdoutText)")
        #expect(status.stdoutText.contains("devenv made it for /elsewhere"), "\(status.stdoutText)")
        let json = try Self.json(try project.devenv("status", "--json"))
        let dev = (json["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" }
        #expect(dev?["state"] as? String == "conflict")
        #expect((dev?["owner"] as? String)?.contains("/elsewhere") == true)
        for command in [["up"], ["down"], ["exec", "--", "true"], ["logs"]] {
            let result = try DevenvBinary.run(command, in: project.path)
            #expect(result.exitCode == 4, "\(command): \(result.stderrText)")
            #expect(!result.stderrText.contains("no devenv labels"), "\(result.stderrText)")
        }
        #expect(try project.docker("inspect", "--format", "{{.State.Running}}", project.container).stdoutText == "true\n")
    }

    @Test("a recreate whose new container cannot start leaves the previous one running, and says so")
    func failedRecreateKeepsThePreviousContainer() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        #expect(try project.devenv("up").exitCode == 0)
        let before = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
        // Accepted by `docker create`, refused by the runtime at start: a folder mounted over a file.
        try FileManager.default.createDirectory(atPath: project.path + "/data", withIntermediateDirectories: true)
        try project.config(project: #"mounts = ["data:/bin/busybox"]"#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 1)
        #expect(up.stderrText.contains("the previous container \(project.container) is running again, unchanged"), "\(up.stderrText)")
        #expect(try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText == before)
        #expect(try project.containers() == ["\(project.container) running"])
        try project.config()
        #expect(try project.devenv("up").stdoutText.contains("is up to date"))
    }

    @Test("devenv killed at each step of a recreate: the next up repairs it and ends with one running container")
    func crashDuringRecreateIsRepaired() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        #expect(try project.devenv("up").exitCode == 0)
        // Each case: devenv dies (SIGKILL) just before the docker call that matches.
        let cases = [
            ("stop", #"[ "$1" = stop ]"#),
            ("rename-new", #"[ "$1" = rename ] && [ "$3" = "\#(project.container)" ]"#),
            ("start-new", #"[ "$1" = start ]"#),
            ("remove-old", #"[ "$1" = rm ]"#),
        ]
        for (index, (step, condition)) in cases.enumerated() {
            try project.config("env = { ROUND = \"\(index)\" }")
            let env = try project.wrapper("if \(condition); then kill -KILL $PPID; exit 137; fi")
            let crashed = try project.devenv("up", environment: env)
            #expect(crashed.exitCode != 0, "\(step): devenv was not killed")
            let repaired = try project.devenv("up")
            #expect(repaired.exitCode == 0, "\(step): \(repaired.stderrText)")
            #expect(try project.containers() == ["\(project.container) running"], "\(step)")
            let round = try project.devenv("exec", "--", "sh", "-c", "echo $ROUND")
            #expect(round.stdoutText == "\(index)\n", "\(step): \(round.stderrText)")
        }
    }

    /// Each step's call now runs to its end (break21): one signal is acted on after it; a
    /// second cuts it short, as one did before (`twice`).
    @Test("SIGTERM at each step of a recreate (during the docker call; twice: the call cut short): exit 130, one running container, nothing aside, no process left",
          arguments: [false, true])
    func sigtermDuringRecreateLeavesOneRunningContainer(twice: Bool) throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        // Watched at start (a real command), so the watch is a step too.
        try project.config(#"command = ["sleep", "3600"]"#)
        #expect(try project.devenv("up").exitCode == 0)
        let marker = "devenv-sigterm-\(project.name)"
        // Each case: the matching docker call runs, then devenv gets SIGTERM while the call's
        // process still runs (a process holding `marker`, ended by the signal devenv forwards):
        // the engine did the step, the CLI is cut short. `kept`: the previous container is
        // the one running afterwards (the swap undone) rather than the new one.
        let cases: [(step: String, condition: String, kept: Bool)] = [
            ("create", #"[ "$1" = create ]"#, true),
            ("rename-old", #"[ "$1" = rename ] && [ "$3" != "\#(project.container)" ]"#, true),
            ("stop", #"[ "$1" = stop ]"#, true),
            ("rename-new", #"[ "$1" = rename ] && [ "$3" = "\#(project.container)" ]"#, true),
            ("start-new", #"[ "$1" = start ]"#, true),
            ("watch", #"[ "$1" = events ]"#, false),
            ("remove-old", #"[ "$1" = rm ]"#, false),
        ]
        let docker = TestEngine.availability().docker ?? "docker"
        for (index, (step, condition, kept)) in cases.enumerated() {
            let before = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
            try project.config(#"command = ["sleep", "3600"]"# + "\nenv = { ROUND = \"\(index)\" }")
            // Once: the signal comes while the call runs, which then ends by itself with
            // docker's answer. Twice: a SIGHUP follows (two different signals are never merged
            // into one), and the second ends the process left holding `marker`.
            let env = try project.wrapper(twice ? """
                if \(condition); then "\(docker)" "$@" >/dev/null 2>&1; kill -TERM $PPID; kill -HUP $PPID; exec python3 -c 'import time; time.sleep(120)' \(marker); fi
                """ : """
                if \(condition); then "\(docker)" "$@"; status=$?; kill -TERM $PPID; exit $status; fi
                """)
            let cut = try project.devenv("up", environment: env)
            #expect((twice ? [129, 143] : [143]).contains(cut.exitCode), "\(step): exit \(cut.exitCode)\n\(cut.stderrText)")
            #expect(cut.stderrText.contains(twice ? "interrupted by signal" : "interrupted by signal 15"), "\(step): \(cut.stderrText)")
            #expect(try project.containers() == ["\(project.container) running"], "\(step): \(cut.stderrText)")
            let after = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
            #expect((after == before) == kept, "\(step): \(kept ? "the previous" : "the new") container should run\n\(cut.stderrText)")
            let left = try TestEngine.run(["pgrep", "-f", marker])
            #expect(left.stdoutText.isEmpty, "\(step): left running: \(left.stdoutText)")
            // The next up makes the environment current, whatever the interrupted one left.
            #expect(try project.devenv("up").exitCode == 0, "\(step)")
            #expect(try project.devenv("exec", "--", "sh", "-c", "echo $ROUND").stdoutText == "\(index)\n", "\(step)")
        }
    }

    /// names24: names carry the folder's tag, so a moved folder is a new environment. Its old
    /// objects keep their labels (the old folder) and names: untouched by the moved folder's
    /// `up` and `down`, removed by `down` once the folder is back.
    @Test("a project moved after up: up there makes its own container and never touches the old one; moved back, down removes the old one")
    func aMovedProjectLeavesItsOldContainerAlone() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        #expect(try project.devenv("up").exitCode == 0)
        let oldID = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
        let moved = project.parent + "/moved"
        try FileManager.default.moveItem(atPath: project.path, toPath: moved)
        let newContainer = DevenvNames.container(project.name, in: moved)
        #expect(newContainer != project.container)
        let up = try project.devenv("up", at: moved)
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(try project.containers().sorted() == ["\(newContainer) running", "\(project.container) running"].sorted())
        let down = try project.devenv("down", at: moved)
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(try project.containers() == ["\(project.container) running"])
        #expect(try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText == oldID)
        try FileManager.default.moveItem(atPath: moved, toPath: project.path)
        #expect(try project.devenv("down").exitCode == 0)
        #expect(try project.containers() == [])
    }

    /// break21: SIGTERM during the recreate's `docker stop` of a container that ignores SIGTERM
    /// (the engine stops it after its 10 s grace). The CLI was cut short and devenv undid the
    /// swap at once, saying the previous container ran again; the engine's stop finished
    /// seconds later and left it stopped. Now the stop runs to its end, then the previous
    /// container is started again: it was stopped (FinishedAt is set) and runs when devenv exits.
    @Test("SIGTERM during a recreate's slow docker stop: devenv waits for the stop, then starts the previous container again; it runs afterwards")
    func sigtermDuringASlowStopIsUndoneAfterTheStop() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let ignoresTERM = #"command = ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]"#
        try project.config(ignoresTERM)
        #expect(try project.devenv("up").exitCode == 0)
        let before = try project.docker("inspect", "--format", "{{.Id}} {{.State.FinishedAt}}", project.container).stdoutText
        #expect(before.contains(" 0001-01-01T00:00:00Z"), "never stopped yet: \(before)")
        try project.config(ignoresTERM + "\nenv = { ROUND = \"2\" }")
        let env = try project.wrapper(#"if [ "$1" = stop ]; then kill -TERM $PPID; fi"#)
        let cut = try project.devenv("up", environment: env)
        #expect(cut.exitCode == 143, "exit \(cut.exitCode)\n\(cut.stderrText)")
        #expect(cut.stderrText.contains("devenv: note: interrupted; waiting for `"), "says what it waits for: \(cut.stderrText)")
        #expect(cut.stderrText.contains("interrupted by signal 15 while stopping the previous \(project.container)")
                && cut.stderrText.contains("is running again, unchanged"), "\(cut.stderrText)")
        let after = try project.docker("inspect", "--format", "{{.Id}} {{.State.Running}} {{.State.FinishedAt}}", project.container)
            .stdoutText.split(separator: " ").map(String.init)
        #expect(after.count == 3 && after[0] + " " == String(before.prefix(after[0].count + 1)), "the previous container: \(after) \(before)")
        #expect(after.count == 3 && after[1] == "true", "it runs: \(after)")
        #expect(after.count == 3 && !after[2].hasPrefix("0001-"), "its stop had finished before it was started again: \(after)")
        #expect(try project.containers() == ["\(project.container) running"], "nothing else left")
    }

    @Test("devenv killed between create and start: the created container is repaired, not started")
    func crashBetweenCreateAndStartIsRepaired() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let env = try project.wrapper(#"if [ "$1" = start ]; then kill -KILL $PPID; exit 137; fi"#)
        _ = try project.devenv("up", environment: env)
        #expect(try project.containers() == ["\(project.container) created"])
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stderrText.contains("created but never started"), "\(up.stderrText)")
        #expect(try project.containers() == ["\(project.container) running"])
    }

    @Test("bad env files and a missing mount source: exit 2 with file:line, the running container untouched")
    func badInputNeverCostsTheRunningContainer() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        #expect(try project.devenv("up").exitCode == 0)
        let before = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
        let cases: [(String, [UInt8], String)] = [
            ("export", Array("GREETING=hi\nexport EXP=1\n".utf8), ".env.dev:2:1"),
            ("spaced name", Array("SPACED = x\n".utf8), ".env.dev:1:1"),
            ("NUL byte", Array("GREETING=a".utf8) + [0] + Array("b\n".utf8), ".env.dev:1:11"),
            ("1 MB value", Array(("BIG=" + String(repeating: "x", count: 1 << 20) + "\n").utf8), ".env.dev:1:1"),
            ("invalid UTF-8", Array("GREETING=".utf8) + [0xC3, 0x28, 0x0A], ".env.dev:1:1"),
            ("tab in name", Array("A\tB=1\n".utf8), ".env.dev:1:1"),
        ]
        for (kind, bytes, place) in cases {
            try project.writeBytes(".env.dev", bytes)
            let up = try project.devenv("up")
            #expect(up.exitCode == 2, "\(kind): \(up.stderrText)")
            #expect(up.stderrText.contains("devenv: error: \(place):"), "\(kind): \(up.stderrText)")
            #expect(try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText == before, "\(kind)")
        }
        try project.write(".env.dev", "GREETING=hello\n")
        try project.config(project: #"mounts = ["missing-folder:/data"]"#)
        let mount = try project.devenv("up")
        #expect(mount.exitCode == 2, "\(mount.stderrText)")
        #expect(mount.stderrText.contains("devenv.toml:3:1: the mount source"), "\(mount.stderrText)")
        #expect(mount.stderrText.contains("the mount source \(project.path)/missing-folder does not exist")
                    || mount.stderrText.contains("missing-folder does not exist"), "\(mount.stderrText)")
        #expect(try project.containers() == ["\(project.container) running"])
        // Warnings only: quoted value, inline comment, bare name; up goes on and Docker keeps them literally.
        try project.config()
        try project.write(".env.dev", "GREETING=\"hi\"\nNOTE=a # b\nDEVENV_TEST_UNSET_VARIABLE\n")
        let warned = try project.devenv("up")
        #expect(warned.exitCode == 0, "\(warned.stderrText)")
        #expect(warned.stderrText.contains(".env.dev:1:10: warning: the value of GREETING is quoted"), "\(warned.stderrText)")
        #expect(warned.stderrText.contains(".env.dev:3:1: warning: DEVENV_TEST_UNSET_VARIABLE has no '='"))
        let seen = try project.devenv("exec", "--", "sh", "-c", "echo \"$GREETING|$NOTE\"")
        #expect(seen.stdoutText == "\"hi\"|a # b\n", "\(seen.stderrText)")
    }

    @Test("a symlink to the project and the real path are one project: one container, one lock, no conflict")
    func symlinkAndRealPathAreOneProject() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let link = project.parent + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: project.path)
        let real = try project.devenv("up")
        #expect(real.exitCode == 0, "\(real.stderrText)")
        let viaLink = try project.devenv("up", at: link)
        #expect(viaLink.exitCode == 0, "\(viaLink.stderrText)")
        #expect(viaLink.stdoutText.contains("is up to date"), "\(viaLink.stdoutText)")
        let root = try project.docker("inspect", "--format", "{{index .Config.Labels \"devenv.root\"}}", project.container)
        let canonical = try #require(FileManager.default.destinationOfSymbolicLink(atPath: link) as String?)
        #expect(root.stdoutText == canonical + "\n" || root.stdoutText.hasSuffix("/proj\n"))
        // Two ups at once, one through each path: they take turns on one lock.
        let script = "\"$0\" --project \"$1\" down >/dev/null 2>&1; \"$0\" --project \"$1\" up >/dev/null 2>&1 & a=$!; \"$0\" --project \"$2\" up >/dev/null 2>&1; b=$?; wait $a; echo $? $b"
        let both = try TestEngine.run(["sh", "-c", script, DevenvBinary.path, project.path, link],
                                      environment: ["DEVENV_DOCKER": TestEngine.availability().docker ?? "docker"], timeoutSeconds: 120)
        #expect(both.stdoutText == "0 0\n", "\(both.stderrText)")
        #expect(try project.containers() == ["\(project.container) running"])
    }

    @Test("project folders with a newline, a tab, quotes, a backslash, a leading dash or an escape sequence work")
    func oddFolderNames() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        // The escape sequence: BuildKit's session sent it in an HTTP header and the build failed.
        for folder in ["new\nline", "tab\there", "q'uote\"s", "back\\slash $x", "-dash", "red\u{1B}[31m\u{7F}"] {
            let project = try Project(folder: folder)
            let up = try project.devenv("up")
            #expect(up.exitCode == 0, "\(folder.debugDescription): \(up.stderrText)")
            let seen = try project.devenv("exec", "--", "ls", "/app/devenv.toml")
            #expect(seen.stdoutText == "/app/devenv.toml\n", "\(folder.debugDescription): \(seen.stderrText)")
            #expect(try project.devenv("up").stdoutText.contains("is up to date"), "\(folder.debugDescription)")
            #expect(try project.devenv("down", "--volumes").exitCode == 0, "\(folder.debugDescription)")
        }
    }
}
