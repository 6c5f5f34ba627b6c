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
            guard let tmux = TmuxPane.locate() else {
                let reason = "tmux is not installed (Debian: apt-get install tmux)"
                if TestEngine.isRequired { throw EndToEndFailure(description: "\(reason) (DEVENV_REQUIRE_ENGINE=1)") }
                try Test.cancel(Comment(rawValue: "skipped: \(reason)"))
            }
            self.tmux = tmux
            engine = try PrivateEngine.require()
            name = "pd" + String(UUID().uuidString.prefix(8)).lowercased()
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-paused-\(UUID().uuidString.prefix(6))")
            try FileManager.default.createDirectory(at: base.appendingPathComponent("project"), withIntermediateDirectories: true)
            path = base.appendingPathComponent("project").resolvingSymlinksInPath().path
            work = base.resolvingSymlinksInPath().path
            try "FROM \(TestEngine.busyboxImage) AS dev\n".write(toFile: path + "/Dockerfile", atomically: true, encoding: .utf8)
            try """
                [project]
                name = "\(name)"

                [profiles.dev]
                network = "none"
                ports = []
                user = "image"
                volumes = {}
                command = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 1; done"]
                """.write(toFile: path + "/devenv.toml", atomically: true, encoding: .utf8)
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
            let script = work + "/pane.sh"
            try """
                stty -g > '\(work)/stty-before'
                DOCKER_HOST='\(engine.host)' DEVENV_TIMEOUT=2 DEVENV_DOCKER='\(TestEngine.availability().docker ?? "docker")' '\(DevenvBinary.path)' --project '\(path)'
                echo "devenv exited with $?"
                stty -g > '\(work)/stty-after'
                exec sleep 3600
                """.write(toFile: script, atomically: true, encoding: .utf8)
            let pane = try TmuxPane(tmux: tmux, width: 100, height: 30, command: "sh '\(script)'")
            try require(pane, pane.waitFor("the dashboard following dev", seconds: 60) { screen in
                DashboardEndToEndTests.row("dev", in: screen).contains("running") && screen.contains("tick ")
            }, "the dashboard with dev running and its log")
            return pane
        }

        func require(_ pane: TmuxPane, _ step: (ok: Bool, screen: String), _ what: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            if !step.ok {
                Issue.record("\(what): not seen\n\(pane.log)", sourceLocation: sourceLocation)
                throw EndToEndFailure(description: what)
            }
        }

        /// q, then: exit 0, `stty -g` as before, tmux's modes at their defaults, no docker
        /// client of this engine left running.
        func quitAndExpectClean(_ pane: TmuxPane, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            try pane.send("q")
            try require(pane, pane.waitFor("devenv exiting with 0", seconds: 30) { $0.contains("devenv exited with 0") },
                        "devenv exiting with 0 after q", sourceLocation: sourceLocation)
            try require(pane, pane.waitFor("stty after", seconds: 10) { _ in
                FileManager.default.fileExists(atPath: work + "/stty-after")
            }, "the pane's stty after devenv", sourceLocation: sourceLocation)
            let before = try String(contentsOfFile: work + "/stty-before", encoding: .utf8)
            let after = try String(contentsOfFile: work + "/stty-after", encoding: .utf8)
            #expect(!before.isEmpty && before == after, "stty -g before \(before) after \(after)", sourceLocation: sourceLocation)
            let modes = (try? pane.run(["display-message", "-p",
                                        "alt=#{alternate_on} insert=#{insert_flag} wrap=#{wrap_flag} keypad=#{keypad_flag} region=#{scroll_region_upper}-#{scroll_region_lower}"])
                .stdoutText)?.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(modes == "alt=0 insert=0 wrap=1 keypad=0 region=0-29", "\(modes ?? "no answer")", sourceLocation: sourceLocation)
            var left = engine.clientsStillRunning()
            let end = Date().addingTimeInterval(20)
            while !left.isEmpty && Date() < end {
                usleep(200_000)
                left = engine.clientsStillRunning()
            }
            #expect(left.isEmpty, "docker clients outlived devenv:\n\(left.joined(separator: "\n"))", sourceLocation: sourceLocation)
        }
    }

    @Test("paused: 'engine not answering', keys still work; resumed: it recovers by itself and the words clear; q exits clean")
    func pausedThenResumed() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try fixture.engine.pause()
        try fixture.require(pane, pane.waitFor("engine not answering", seconds: 60) { $0.contains("engine not answering") },
                            "the dashboard saying the engine does not answer")
        // Still responsive: the help opens and closes.
        try pane.send("?")
        try fixture.require(pane, pane.waitFor("the help", seconds: 10) { $0.contains("this list of keys") }, "the help overlay")
        try pane.send("Escape")
        try fixture.require(pane, pane.waitFor("the help closed", seconds: 10) { !$0.contains("this list of keys") }, "the help closed")
        fixture.engine.resume()
        try fixture.require(pane, pane.waitFor("recovered", seconds: 60) { screen in
            !screen.contains("engine not answering") && !screen.contains("did not answer")
                && DashboardEndToEndTests.row("dev", in: screen).contains("running")
        }, "the dashboard recovered by itself: no stale engine words, dev running")
        try fixture.quitAndExpectClean(pane)
    }

    @Test("q while the engine is still paused: exit 0, terminal whole, no docker child left")
    func quitWhilePaused() throws {
        let fixture = try Fixture()
        let pane = try fixture.startDashboard()
        try fixture.engine.pause()
        defer { fixture.engine.resume() }
        try fixture.require(pane, pane.waitFor("engine not answering", seconds: 60) { $0.contains("engine not answering") },
                            "the dashboard saying the engine does not answer")
        try fixture.quitAndExpectClean(pane)
    }
}
