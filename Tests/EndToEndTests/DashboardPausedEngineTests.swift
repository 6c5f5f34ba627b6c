import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The dashboard on a private engine that really stops answering (dockerd under SIGSTOP;
/// issue 9 section 4), under tmux: it says "engine not answering", keeps answering keys,
/// recovers by itself once the engine goes on (the stale words clear, the row is "running"
/// again), and `q` leaves the terminal as it was with no docker child behind, also while the
/// engine is still frozen.
@Suite("Dashboard on a paused engine (tmux, private engine)", .serialized, .privateEngine)
struct DashboardPausedEngineTests {
    final class Fixture {
        let engine: PrivateEngine
        let name: String
        let path: String
        let work: String
        let tmux: String

        init() throws {
            tmux = try TmuxPane.require("DashboardPausedEngineTests")
            engine = try PrivateEngine.require()
            name = "pd" + String(UUID().uuidString.prefix(8)).lowercased()
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-paused-\(UUID().uuidString.prefix(6))")
            try FileManager.default.createDirectory(at: base.appendingPathComponent("project"), withIntermediateDirectories: true)
            path = base.appendingPathComponent("project").resolvingSymlinksInPath().path
            work = base.resolvingSymlinksInPath().path
            try BusyboxProject.write(in: path, name: name, devLines: [
                #"user = "image""#, "volumes = {}",
                #"command = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 1; done"]"#,
            ])
            let up = try DevenvBinary.run(["up", "--no-tui"], in: path, environment: engine.environment, timeoutSeconds: 120)
            guard up.succeeded else { throw EndToEndFailure(description: "up on the private engine: \(up.stderrText)") }
        }

        deinit {
            engine.resume()
            _ = try? DevenvBinary.run(["down"], in: path, environment: engine.environment, timeoutSeconds: 60)
            try? FileManager.default.removeItem(atPath: work)
        }

        /// The dashboard on the private engine (query deadline 2 s), between two `stty -g`.
        func startDashboard() throws -> TmuxPane {
            let pane = try TmuxPane.running(
                "DOCKER_HOST='\(engine.host)' DEVENV_TIMEOUT=2 DEVENV_DOCKER='\(TestEngine.availability().docker ?? "docker")' '\(DevenvBinary.path)' --project '\(path)'",
                in: work, tmux: tmux)
            try pane.require("the dashboard with dev running and its log", seconds: 60) { screen in
                DashboardEndToEndTests.row("dev", in: screen).contains("running") && screen.contains("tick ")
            }
            return pane
        }

        /// q, then: exit 0, `stty -g` as before, tmux's modes at their defaults, no docker
        /// client of this engine left running.
        func quitAndExpectClean(_ pane: TmuxPane, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            try pane.quit(sourceLocation: sourceLocation)
            try pane.expectTerminalSettingsRestored(sourceLocation: sourceLocation)
            pane.expectDefaultModes(sourceLocation: sourceLocation)
            pane.expectNoneLeft("docker clients of the private engine", sourceLocation: sourceLocation) { engine.clientsStillRunning() }
        }
    }

    @Test("paused: 'engine not answering', keys still work; resumed: it recovers by itself and the words clear; q exits clean")
    func pausedThenResumed() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try fixture.engine.pause()
        try pane.require("the dashboard saying the engine does not answer", seconds: 60) { $0.contains("engine not answering") }
        // Still responsive: the help opens and closes.
        try pane.send("?")
        try pane.require("the help overlay", seconds: 10) { $0.contains("this list of keys") }
        try pane.send("Escape")
        try pane.require("the help closed", seconds: 10) { !$0.contains("this list of keys") }
        fixture.engine.resume()
        try pane.require("the dashboard recovered by itself: no stale engine words, dev running", seconds: 60) { screen in
            !screen.contains("engine not answering") && !screen.contains("did not answer")
                && DashboardEndToEndTests.row("dev", in: screen).contains("running")
        }
        try fixture.quitAndExpectClean(pane)
    }

    /// mend28: with DEVENV_TIMEOUT=3 the dashboard said "engine not answering" only after
    /// 10-17 s when nothing of the project ran (no log or events traffic to notice it by): its
    /// quiet-engine check came every 15 s whatever the deadline. Its waits now keep the query
    /// deadline (`DashboardState.bound(byQueryTimeout:)`): said within about twice it.
    @Test("nothing running, paused with DEVENV_TIMEOUT=3: 'engine not answering' within twice the deadline, not after the 15 s heartbeat")
    func pausedIsSaidWithinTheDeadline() throws {
        let fixture = try Fixture()
        let down = try DevenvBinary.run(["down"], in: fixture.path, environment: fixture.engine.environment, timeoutSeconds: 60)
        try #require(down.exitCode == 0, "\(down.stderrText)")
        let pane = try TmuxPane.running(
            "DOCKER_HOST='\(fixture.engine.host)' DEVENV_TIMEOUT=3 DEVENV_DOCKER='\(TestEngine.availability().docker ?? "docker")' '\(DevenvBinary.path)' --project '\(fixture.path)'",
            in: fixture.work, tmux: fixture.tmux)
        try pane.require("the dashboard with dev not created", seconds: 60) { DashboardEndToEndTests.row("dev", in: $0).contains("not created") }
        try fixture.engine.pause()
        defer { fixture.engine.resume() }
        // Waits for: the words, at most twice the deadline and two seconds for the frame (measured:
        // 16.9 s before, 4.9 s after).
        try pane.require("the dashboard saying the engine does not answer within 8 s of the pause", seconds: 8) { $0.contains("engine not answering") }
        fixture.engine.resume()
        try fixture.quitAndExpectClean(pane)
    }

    @Test("q while the engine is still paused: exit 0, terminal whole, no docker child left")
    func quitWhilePaused() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try fixture.engine.pause()
        defer { fixture.engine.resume() }
        try pane.require("the dashboard saying the engine does not answer", seconds: 60) { $0.contains("engine not answering") }
        try fixture.quitAndExpectClean(pane)
    }
}
