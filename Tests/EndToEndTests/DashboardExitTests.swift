import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Every way out of the dashboard (issue 9 section 5) under tmux on the real engine: `q`,
/// SIGTERM, SIGINT, SIGHUP and a crash signal, each while the event, log and stats streams run
/// and (for the signals) a `docker build` is under way. After each: the exit status, `stty -g`
/// as before, every terminal mode back at its default (tmux's own view of the pane), and no
/// process whose command line names the test project.
@Suite("Dashboard exit paths (tmux, real engine)", .serialized)
struct DashboardExitTests {
    /// A project whose dev container (made directly, with devenv's name and labels) prints a
    /// tick a second, and whose dev build sleeps, so that a build is under way when asked.
    final class Fixture {
        let name: String
        let path: String
        let work: String
        let docker: String
        let tmux: String

        init() throws {
            tmux = try TmuxPane.require("DashboardExitTests.Fixture")
            docker = try TestEngine.require(images: [TestEngine.busyboxImage])
            name = "ex" + String(UUID().uuidString.prefix(8)).lowercased()
            // Neither folder names the project: only devenv's own children may.
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-exit-\(UUID().uuidString.prefix(6))")
            try FileManager.default.createDirectory(at: base.appendingPathComponent("project"), withIntermediateDirectories: true)
            path = base.appendingPathComponent("project").resolvingSymlinksInPath().path
            work = base.resolvingSymlinksInPath().path
            try """
                [project]
                name = "\(name)"
                [profiles.dev]
                network = "none"
                ports = []
                [profiles.ci]
                network = "none"
                [profiles.prod]
                network = "none"
                ports = []
                """.write(toFile: path + "/devenv.toml", atomically: true, encoding: .utf8)
            try """
                FROM \(TestEngine.busyboxImage) AS base
                FROM base AS dev
                RUN sleep 300
                FROM base AS ci
                FROM base AS prod
                """.write(toFile: path + "/Dockerfile", atomically: true, encoding: .utf8)
            let created = try TestEngine.docker([
                "run", "--detach", "--name", "\(DevenvNames.container(name, in: path))", "--label", "devenv.project=\(name)",
                "--label", "devenv.profile=dev", "--label", "devenv.root=\(path)", "--network", "none",
                "--mount", "type=bind,source=\(path),target=/app", "--workdir", "/app", TestEngine.busyboxImage,
                "sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 1; done"])
            guard created.succeeded else { throw EndToEndFailure(description: "docker run: \(created.stderrText)") }
        }

        deinit {
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: work)
        }

        /// A pane running `arguments` (none: the dashboard) with DEVENV_DOCKER `docker`, between
        /// two `stty -g` (`TmuxPane.running`).
        func startDevenv(_ arguments: [String] = [], docker: String? = nil) throws -> TmuxPane {
            let words = arguments.map { " '\($0)'" }.joined()
            return try TmuxPane.running("DEVENV_DOCKER='\(docker ?? self.docker)' SWIFT_BACKTRACE=enable=no '\(DevenvBinary.path)' --project '\(path)'\(words)",
                                        in: work, tmux: tmux)
        }

        /// The dashboard, once it follows the dev container and its log.
        func startDashboard() throws -> TmuxPane {
            let pane = try startDevenv()
            try pane.require("the dashboard with dev running and its log", seconds: 60) { screen in
                DashboardEndToEndTests.row("dev", in: screen).contains("running") && screen.contains("tick ")
            }
            return pane
        }

        /// Command lines of the processes that name the project (devenv's docker children).
        func survivors() -> [String] {
            Self.processes().filter { $0.cmdline.contains(name) }.map { "\($0.pid): \($0.cmdline)" }
        }

        /// The devenv process of this test's dashboard.
        func devenvPID() -> pid_t? {
            Self.processes().first { $0.cmdline.hasPrefix(DevenvBinary.path + " ") && $0.cmdline.contains(path) }?.pid
        }

        static func processes() -> [(pid: pid_t, cmdline: String)] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry in
                guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                      !data.isEmpty else { return nil }
                return (pid, String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self))
            }
        }

        /// After devenv exited: the status it printed, then the terminal and the processes.
        func expectClean(_ pane: TmuxPane, exitStatus: Int32, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            try pane.requireExit(exitStatus, seconds: 90, sourceLocation: sourceLocation)
            try pane.expectTerminalSettingsRestored(sourceLocation: sourceLocation)
            pane.expectDefaultModes(sourceLocation: sourceLocation)
            pane.expectNoneLeft("processes naming the project", sourceLocation: sourceLocation) { survivors() }
        }

        /// Types `command` at the shell prompt in `pane` (a shell in the dev container), waits
        /// until it runs there, sends devenv `signal`, then expects devenv to end with 128+N, the
        /// terminal whole, and `command` gone from the container (mend27b: `MarkedExec`).
        func signalWhileRunning(_ command: String, in pane: TmuxPane, signal: Int32) throws {
            try pane.type(command)
            try pane.send("Enter")
            let container = DevenvNames.container(name, in: path)
            func running() -> [String] {
                let top = (try? TestEngine.docker(["top", container, "-o", "pid,args"]).stdoutText) ?? ""
                return top.split(separator: "\n").map(String.init).filter { $0.hasSuffix(command) }
            }
            try pane.require("`\(command)` running in the container", seconds: 60) { _ in !running().isEmpty }
            guard let pid = devenvPID() else { throw EndToEndFailure(description: "no devenv process found") }
            kill(pid, signal)
            try expectClean(pane, exitStatus: 128 + signal)
            pane.expectNoneLeft("`\(command)` in the container", seconds: 30) { running() }
        }

        /// `b`, then waits until the docker build runs.
        func startBuild(_ pane: TmuxPane) throws {
            try pane.send("b")
            try pane.require("the build running (RUN sleep 300)", seconds: 60) { screen in
                screen.contains("RUN sleep 300") && Self.processes().contains { $0.cmdline.contains(" build ") && $0.cmdline.contains(name) }
            }
        }
    }

    @Test("q: exit 0, terminal and modes as before, no docker stream left")
    func quitKey() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try pane.send("q")
        try fixture.expectClean(pane, exitStatus: 0)
    }

    @Test("SIGTERM, SIGINT, SIGHUP during a build: the quit path (build cancelled, streams ended), exit 128+N",
          arguments: [SIGTERM, SIGINT, SIGHUP])
    func quitSignal(signal: Int32) throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try fixture.startBuild(pane)
        guard let pid = fixture.devenvPID() else { throw EndToEndFailure(description: "no devenv process found") }
        kill(pid, signal)
        try fixture.expectClean(pane, exitStatus: 128 + signal)
        #expect(pane.capture().contains("stopping the actions still running"), "\(pane.log)")
        // What the interrupted build said on its way out reaches the terminal (break23: it went
        // to the action pane's inbox, which nobody read once the dashboard had quit).
        #expect(pane.capture().contains("devenv: error: interrupted by signal \(signal)"), "\(pane.log)")
    }

    @Test("q and y while a build runs: exit 0, and the build's own last words (interrupted, stopped cleanly) are on the terminal")
    func quitKeyWhileABuildRuns() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try fixture.startBuild(pane)
        try pane.send("q")
        try pane.require("the quit question", seconds: 30) { $0.contains("y quit") }
        try pane.send("y")
        try fixture.expectClean(pane, exitStatus: 0)
        let screen = pane.capture()
        #expect(screen.contains("stopping the actions still running"), "\(pane.log)")
        #expect(screen.contains("devenv: error: interrupted by signal 2; stopped cleanly"), "\(pane.log)")
    }

    @Test("a crash signal (SIGSEGV) during a build: restore and die, and the docker children end with it")
    func crashSignal() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try fixture.startBuild(pane)
        guard let pid = fixture.devenvPID() else { throw EndToEndFailure(description: "no devenv process found") }
        kill(pid, SIGSEGV)
        try fixture.expectClean(pane, exitStatus: 128 + SIGSEGV)
    }

    /// regress26: a signal whose default action ends the process but that is neither a quit
    /// signal nor a crash (`kill -USR1`, an alarm) ended devenv with the terminal still raw, on
    /// the alternate screen with the cursor hidden, and its docker streams running on.
    @Test("SIGUSR1, SIGALRM while the streams run: restore and die, and the docker children end with it",
          arguments: [SIGUSR1, SIGALRM])
    func otherEndingSignal(signal: Int32) throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        guard let pid = fixture.devenvPID() else { throw EndToEndFailure(description: "no devenv process found") }
        kill(pid, signal)
        try fixture.expectClean(pane, exitStatus: 128 + signal)
    }

    @Test("a shell (s) that leaves insert mode, auto-wrap off, a scroll region, keypad and cursor-key modes set: the dashboard resets them, and so does q")
    func shellLeavesModes() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try pane.send("s")
        try pane.require("the shell prompt", seconds: 60) { $0.contains("/app $") }
        // It returns once the test saw those modes (a file in /app, the project folder): a
        // fixed sleep was a window the polls below could miss on a loaded machine.
        try pane.type(#"printf '\033[4h\033[?7l\033[5;10r\033=\033[?1h\033[?6h'; while [ ! -e .modes-seen ]; do sleep 0.1; done; exit"#)
        try pane.send("Enter")
        // The probe works: tmux sees the modes the shell set.
        try pane.require("insert on, wrap off, keypad and cursor keys on, region from row 5", seconds: 30) { _ in
            (try? pane.run(["display-message", "-p", "#{insert_flag}#{wrap_flag}#{keypad_flag}#{keypad_cursor_flag}#{scroll_region_upper}"]).stdoutText)?
                .hasPrefix("10114") == true
        }
        _ = FileManager.default.createFile(atPath: fixture.path + "/.modes-seen", contents: nil)
        try pane.require("the dashboard repainted after the shell", seconds: 60) { screen in
            screen.contains("PROFILE") && screen.contains("the command ended with exit 0")
        }
        pane.expectDefaultModes(alternate: "1", cursor: "0")
        #expect(pane.capture().split(separator: "\n").first?.hasPrefix(" devenv") == true, "the top line\n\(pane.capture())")
        try pane.send("q")
        try fixture.expectClean(pane, exitStatus: 0)
    }

    /// mend27b: the dashboard's shell (`s`) runs through the same marked `docker exec` as `devenv
    /// shell` (`MarkedExec`): when devenv ends while the shell has the terminal (SIGHUP of a closed
    /// terminal, SIGTERM), what the shell started in the container ends too (`docker exec`
    /// passes no signal on: moby/moby#9098), and the terminal is given back whole.
    @Test("SIGTERM, SIGHUP while the dashboard's shell runs a command: it ends in the container too, terminal restored",
          arguments: [SIGTERM, SIGHUP])
    func signalWhileTheShellRuns(signal: Int32) throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try pane.send("s")
        try pane.require("the shell prompt", seconds: 60) { $0.contains("/app $") }
        try fixture.signalWhileRunning("sleep 97\(signal)3", in: pane, signal: signal)
    }

    @Test("Ctrl-Z under `bash -c 'devenv; echo after'` in a job-control shell: the whole job stops, fg brings the dashboard back")
    func ctrlZStopsTheJob() throws {
        let fixture = try Fixture()
        let pane = try TmuxPane(tmux: fixture.tmux, width: 100, height: 30, command: "sh -i")
        let devenv = "DEVENV_DOCKER='\(fixture.docker)' '\(DevenvBinary.path)' --project '\(fixture.path)'"
        try pane.type("bash -c \"\(devenv); echo after \\$?\"")
        try pane.send("Enter")
        try pane.require("the dashboard", seconds: 60) { $0.contains("tick ") }
        try pane.send("C-z")
        try pane.require("the shell reporting the job stopped", seconds: 60) { $0.contains("Stopped") }
        pane.expectDefaultModes()
        try pane.type("fg")
        try pane.send("Enter")
        try pane.require("the dashboard redrawn after fg", seconds: 60) { $0.contains("PROFILE") && $0.contains("tick ") }
        try pane.send("q")
        try pane.require("the parent going on after devenv", seconds: 60) { $0.contains("after 0") }
        pane.expectDefaultModes()
    }
}

/// The dashboard and an engine that is away, silent, and back (issue 9 section 4), under tmux.
/// DEVENV_DOCKER is a wrapper around the real docker CLI: while `down` exists it talks to a
/// socket where nothing listens (a real "cannot connect"); while `hang` exists `docker ps`
/// waits before it runs, as against a paused engine.
@Suite("Dashboard engine state (tmux, real engine)", .serialized)
struct DashboardEngineEndToEndTests {
    @Test("no engine at start: `no engine`, never `not created`; back: rows and no stale message; silent: `engine not answering`, keys still work; answering again: recovers")
    func awaySilentBack() throws {
        let fixture = try DashboardExitTests.Fixture()
        let wrapper = fixture.work + "/docker"
        try """
            #!/bin/sh
            if [ -e '\(fixture.work)/down' ]; then DOCKER_HOST=unix://\(fixture.work)/nothing.sock; export DOCKER_HOST; fi
            if [ "$1" = ps ]; then while [ -e '\(fixture.work)/hang' ]; do sleep 0.2; done; fi
            exec '\(fixture.docker)' "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        _ = FileManager.default.createFile(atPath: fixture.work + "/down", contents: nil)
        let pane = try fixture.startDevenv(docker: wrapper)

        try pane.require("every row and the bottom line saying there is no engine", seconds: 60) { screen in
            DashboardEndToEndTests.row("dev", in: screen).contains("no engine") && screen.contains("no engine: no Docker engine answers")
        }
        #expect(!pane.capture().contains("not created"), "\(pane.log)")

        try FileManager.default.removeItem(atPath: fixture.work + "/down")
        try pane.require("the rows from the engine, the message gone, the log followed", seconds: 60) { screen in
            DashboardEndToEndTests.row("dev", in: screen).contains("running") && !screen.contains("no engine")
                && screen.contains("tick ")
        }

        _ = FileManager.default.createFile(atPath: fixture.work + "/hang", contents: nil)
        try pane.send("j") // any refresh will do: `j` moves the selection, an event asks for one (`p` opens the picker)
        _ = try TestEngine.docker(["restart", "--time", "0", "\(DevenvNames.container(fixture.name, in: fixture.path))"])
        try pane.require("the dashboard saying the engine does not answer", seconds: 90) { screen in
            screen.contains("engine not answering")
        }
        try pane.send("?")
        try pane.require("the help overlay while the engine is silent", seconds: 10) { $0.contains("┌ keys") }
        try pane.send("Escape")

        try FileManager.default.removeItem(atPath: fixture.work + "/hang")
        try pane.require("the message gone once the engine answers again", seconds: 60) { screen in
            !screen.contains("engine not answering") && DashboardEndToEndTests.row("dev", in: screen).contains("running")
        }
        try pane.send("q")
        try fixture.expectClean(pane, exitStatus: 0)
    }
}
