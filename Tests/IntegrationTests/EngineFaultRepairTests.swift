import DevEnvCore
import Foundation
import Testing
import TestSupport

/// More faults on the private engine (issue 9 section 4): the engine killed while `up` starts
/// the container, and the engine frozen while `logs` (a query) reads.
extension EngineFaultTests {
    /// devenv against the private engine through a DEVENV_DOCKER wrapper whose `body` (POSIX
    /// sh, the docker arguments in "$@") runs first; `deadline` the query deadline (nil: the
    /// default, 30 s: runs that need an answer may get it later than 2 s on a loaded machine;
    /// a killed engine ends its calls at once anyway); a hang is exit 124.
    fileprivate func devenvThrough(_ body: String?, _ arguments: [String], _ project: Project,
                                   _ engine: PrivateEngine, deadline: String? = nil) throws -> ProcessResult {
        var environment = engine.environment
        environment["DEVENV_TIMEOUT"] = deadline
        if let body {
            let script = project.path + "/docker-wrapper"
            let docker = TestEngine.availability().docker ?? "docker"
            try "#!/bin/sh\n\(body)\nexec \(docker) \"$@\"\n".write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            environment["DEVENV_DOCKER"] = script
        }
        return try DevenvBinary.run(arguments, in: project.path, environment: environment, timeoutSeconds: 120)
    }

    /// `NAME STATE` of the project's containers on the private engine.
    fileprivate func containers(_ project: Project, _ engine: PrivateEngine) throws -> [String] {
        try engine.docker(["ps", "--all", "--filter", "label=devenv.project=\(project.name)", "--format", "{{.Names}} {{.State}}"])
            .stdoutText.split(separator: "\n").map(String.init).sorted()
    }

    /// `up` through the wrapper `body` on another thread until `body` has frozen the engine and
    /// written `marker`; then the engine is killed, `up` must end (not 0) within 120 s, and the
    /// engine is started again. `what` names the case in the messages.
    fileprivate func upKillingTheEngine(through body: String, frozenAt marker: String, _ project: Project,
                                        _ engine: PrivateEngine, _ what: String) throws {
        let outcome = Outcome()
        // Read only (its path) on the other thread, and kept alive by this one.
        nonisolated(unsafe) let running = project
        Thread.detachNewThread { [self] in
            outcome.finish(try? devenvThrough(body, ["up", "--no-tui"], running, engine))
        }
        let end = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: marker) && Date() < end { usleep(20_000) }
        #expect(FileManager.default.fileExists(atPath: marker), "\(what): up never froze the engine within 60 s")
        try engine.kill()
        let crashed = outcome.wait(seconds: 120)
        #expect(crashed != nil, "\(what): up did not end within 120 s of its engine being killed")
        #expect(crashed?.exitCode != 0, "\(what): up succeeded with its engine killed")
        try engine.restart()
    }

    /// The engine is frozen (SIGSTOP) as `docker start` is sent ("during start": the start
    /// never happens) or just after it answered ("after start"), then killed (SIGKILL) while
    /// devenv waits on it, and started again: the next `up` repairs whatever was left (a
    /// container created but never started is removed by ID and made again) and succeeds.
    @Test(arguments: ["during start", "after start"])
    func anEngineKilledWhileUpStartsTheContainerIsRepairedByTheNextUp(_ moment: String) throws {
        let engine = try PrivateEngine.require()
        let project = try Project()
        let pidFile = engine.root + "/dockerd.pid"
        let marker = project.path + "/engine-frozen"
        let docker = TestEngine.availability().docker ?? "docker"
        let freeze = #"kill -STOP "$(cat '\#(pidFile)')"; : > '\#(marker)'"#
        let body = moment == "during start"
            ? #"if [ "$1" = start ]; then \#(freeze); fi"#
            : #"if [ "$1" = start ]; then \#(docker) "$@"; rc=$?; \#(freeze); exit $rc; fi"#
        try upKillingTheEngine(through: body, frozenAt: marker, project, engine, moment)
        let left = try containers(project, engine)
        #expect(left.count == 1, "\(moment): the killed engine left \(left)")
        let up = try devenvThrough(nil, ["up", "--no-tui"], project, engine)
        #expect(up.exitCode == 0, "\(moment) (left \(left)): \(up.stderrText)")
        if moment == "during start" {
            #expect(left == ["\(DevenvNames.container(project.name, in: project.path)) created"], "\(left)")
            #expect(up.stderrText.contains("created but never started"), "\(up.stderrText)")
        }
        #expect(try containers(project, engine) == ["\(DevenvNames.container(project.name, in: project.path)) running"], "\(moment)")
        #expect(try devenvThrough(nil, ["exec", "--", "true"], project, engine).exitCode == 0)
        #expect(try devenvThrough(nil, ["down"], project, engine).exitCode == 0)
        #expect(engine.clientsStillRunning() == [])
    }

    /// break30: `up` recreating the container (its configuration changed) with the engine frozen
    /// as the Nth call of the swap is sent (create the replacement, rename the old one aside,
    /// stop it, rename the new one into place, start it, remove the old one), then killed while
    /// devenv waits on it, and started again: `up` ends (not 0), and the next `up` leaves the
    /// one container of the environment running with the new configuration, nothing aside.
    @Test(arguments: 1...6)
    func anEngineKilledDuringARecreateIsRepairedByTheNextUp(_ step: Int) throws {
        let engine = try PrivateEngine.require()
        let project = try Project()
        let first = try devenvThrough(nil, ["up", "--no-tui"], project, engine)
        #expect(first.exitCode == 0, "\(first.stderrText)")
        try BusyboxProject.write(in: project.path, name: project.name,
                                 devLines: [#"user = "image""#, "volumes = {}", #"command = ["sleep", "3600"]"#, #"env = { ROUND = "2" }"#])
        let pidFile = engine.root + "/dockerd.pid"
        let marker = project.path + "/engine-frozen"
        let count = project.path + "/swap-calls"
        let body = #"case "$1" in create|rename|stop|start|rm) n=$(( $(cat '\#(count)' 2>/dev/null || echo 0) + 1 )); "#
            + #"echo $n > '\#(count)'; if [ $n = \#(step) ]; then kill -STOP "$(cat '\#(pidFile)')"; : > '\#(marker)'; fi;; esac"#
        try upKillingTheEngine(through: body, frozenAt: marker, project, engine, "step \(step)")
        let left = try containers(project, engine)
        let up = try devenvThrough(nil, ["up", "--no-tui"], project, engine)
        #expect(up.exitCode == 0, "step \(step) (left \(left)): \(up.stderrText)")
        let name = "\(DevenvNames.container(project.name, in: project.path))"
        #expect(try containers(project, engine) == ["\(name) running"], "step \(step) (left \(left)): \(up.stderrText)")
        let round = try devenvThrough(nil, ["exec", "--", "sh", "-c", "echo \"$ROUND\""], project, engine)
        #expect(round.stdoutText == "2\n", "step \(step): \(round.stdoutText)\(round.stderrText)")
        #expect(try devenvThrough(nil, ["down"], project, engine).exitCode == 0)
        #expect(try containers(project, engine) == [], "step \(step)")
        #expect(engine.clientsStillRunning() == [])
    }

    /// The result of a devenv run on another thread.
    final class Outcome: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: ProcessResult?
        private var done = false

        func finish(_ result: ProcessResult?) {
            condition.lock()
            self.result = result
            done = true
            condition.broadcast()
            condition.unlock()
        }

        /// The result, or nil when the run had not ended after `seconds`.
        func wait(seconds: Double) -> ProcessResult? {
            condition.lock()
            defer { condition.unlock() }
            let end = Date().addingTimeInterval(seconds)
            while !done && condition.wait(until: end) {}
            return result
        }
    }

    /// The lookup answers; the engine freezes as `docker logs` is sent: exit 3 at the deadline,
    /// naming the call and the engine, no docker child left; resumed, logs answers again.
    @Test func logsWithoutFollowIsAQueryWithTheDeadline() throws {
        let engine = try PrivateEngine.require()
        let project = try Project()
        let up = try devenvThrough(nil, ["up", "--no-tui"], project, engine)
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let pidFile = engine.root + "/dockerd.pid"
        defer { engine.resume() }
        for arguments in [["logs"], ["logs", "--tail", "5"]] {
            let frozen = try devenvThrough(#"if [ "$1" = logs ]; then kill -STOP "$(cat '\#(pidFile)')"; fi"#,
                                           arguments, project, engine, deadline: "2")
            #expect(frozen.exitCode == 3, "\(arguments): exit \(frozen.exitCode)\n\(frozen.stderrText)")
            #expect(frozen.stderrText.contains("the Docker engine (\(engine.host)) did not answer `"), "\(frozen.stderrText)")
            #expect(frozen.stderrText.contains(" logs "), "\(frozen.stderrText)")
            #expect(frozen.stderrText.contains("within 2 s"), "\(frozen.stderrText)")
            #expect(engine.clientsStillRunning() == [], "docker children outlived devenv")
            engine.resume()
        }
        let answered = try devenvThrough(nil, ["logs"], project, engine)
        #expect(answered.exitCode == 0, "\(answered.stderrText)")
        #expect(try devenvThrough(nil, ["down"], project, engine).exitCode == 0)
    }
}
