@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// Issue 9 section 4: every docker query carries a deadline (30 s, DEVENV_TIMEOUT), and an
/// engine that does not answer in time is exit 3 naming the call and the engine. The scripted
/// runner throws as the real one does when the deadline passes (`neverAnswers`); the real
/// runner's ending of the child is in PosixProcessRunnerTests, a paused engine in
/// IntegrationTests/EngineFaultTests.
@Suite struct QueryDeadlineTests {
    @Test(arguments: ["abc", "0", "-5", "", "30s", "1e3", "inf", "nan", "86401", "1.2.3", "\u{1B}]0;x\u{07}"])
    func aBadTimeoutIsAUsageError(_ value: String) {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": value]
        #expect(fixture.run(["status"]) == 2)
        #expect(fixture.console.stderr.contains("DEVENV_TIMEOUT is \(JSONText.quote(value)); it must be a number of seconds"))
        // Nothing was attempted.
        #expect(fixture.runner.invocations.isEmpty)
        // Untrusted text is shown escaped, never raw.
        #expect(!fixture.console.stderr.contains("\u{1B}"))
    }

    @Test func timeoutValues() throws {
        #expect(try QueryTimeout.seconds(environment: [:]) == 30)
        #expect(try QueryTimeout.seconds(environment: ["DEVENV_TIMEOUT": "2"]) == 2)
        #expect(try QueryTimeout.seconds(environment: ["DEVENV_TIMEOUT": "2.5"]) == 2.5)
        #expect(try QueryTimeout.seconds(environment: ["DEVENV_TIMEOUT": " 7 "]) == 7)
        #expect(try QueryTimeout.seconds(environment: ["DEVENV_TIMEOUT": "86400"]) == 86400)
        #expect(QueryTimeout.display(30) == "30 s")
        #expect(QueryTimeout.display(2.5) == "2.5 s")
    }

    /// review24 item 7: clean-up after an interruption is bounded by DEVENV_TIMEOUT, but a stop
    /// first waits out the stop timeout devenv gave the container: the bound covers both, and
    /// the note says what the call waits for. A stop cut off at DEVENV_TIMEOUT (4 s here) while
    /// the container had 60 s would end the clean-up with the engine declared gone.
    @Test func cleanUpAfterAnInterruptionWaitsForAStopAsLongAsTheStopTimeoutDevenvGave() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\nrun_args = [\"--stop-timeout\", \"60\"]\n")
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "4"]
        let planner = try fixture.environment().planner
        fixture.runner.expect(planner.stop(id: "abc123").argv).expect(planner.remove(id: "abc123").argv)
        fixture.interruption = 15
        let session = DockerSession(context: fixture.context, dryRun: false)
        #expect(try session.attempt(planner.stop(id: "abc123"), cleanup: true).succeeded)
        #expect(try session.attempt(planner.remove(id: "abc123"), cleanup: true).succeeded)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.map(\.deadline) == [64, 4])
        #expect(fixture.console.stderr == "devenv: note: cleaning up: waiting at most 64 s for `docker stop abc123` (its process gets "
            + "SIGTERM, then SIGKILL if it has not exited within 60 s (run_args' --stop-timeout))\n")
    }

    /// review24 item 2: what devenv waits for after an interruption is said through the
    /// command's console (stderr, or the dashboard's action pane) as a note, from the runner's
    /// beat (an empty chunk); the runner wrote it to fd 2 itself, past the dashboard's screen.
    @Test func theWaitNoticeIsANoteOnTheCommandsConsole() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner.expect(planner.start(id: "abc123").argv, streamed: [(.stderr, ""), (.stderr, "")])
        fixture.interruption = 2
        let session = DockerSession(context: fixture.context, dryRun: false)
        #expect(try session.attempt(planner.start(id: "abc123").toItsEnd, cleanup: true).succeeded)
        fixture.runner.verifyAllCalled()
        // Said once, however many beats come.
        #expect(fixture.console.stderr == "devenv: note: interrupted; waiting (at most 30 s) for `docker start abc123` to finish (the engine "
            + "finishes it even if devenv stops waiting), so that devenv knows what it changed before it cleans up; Ctrl-C again stops "
            + "waiting: what the call changed is then not known, and the next `devenv up` or `devenv down` puts it right\n")
    }

    @Test func everyQueryOfACommandCarriesTheDeadlineAndNothingElseDoes() throws {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "4"]
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, exitCode: 1)
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expect(planner.build(image: image, buildKit: true, noCache: false).argv)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        let roles = environment.spec.volumes.keys.sorted()
        for role in roles { fixture.runner.expect(planner.createVolume(role: role).argv) }
        fixture.runner.expect(planner.imageExists(image).argv, stdout: "sha256:1 null\n")
        fixture.runner.expect(try #require(planner.chownVolumes(roles: roles, image: image)).argv)
        fixture.runner
            .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem), inputs: try fixture.inputs(environment, image: image)).argv,
                    stdout: "new1\n")
            .expect(planner.start(id: "new1").argv)
            .expect(AppFixture.homeGift(planner), unordered: true)
            .expect(planner.compareLockStamp().argv, unordered: true)
        #expect(fixture.run(["up", "--no-tui"]) == 0)
        fixture.runner.verifyAllCalled()
        for invocation in fixture.runner.invocations {
            let words = Array(invocation.argv.dropFirst())
            let isQuery = ["ps", "image", "buildx", "version", "info", "volume ls"].contains { words.joined(separator: " ").hasPrefix($0) }
            // An exec (up's HOME gift and lock-stamp comparison) gets it too, with the question
            // that lets it run on past it while the engine answers (break24: clean-cache's hung).
            // A `run` (the volumes' chown) the same (leftovers25: `test`'s hung).
            let isExec = words.first == "exec" || words.first == "run"
            #expect(invocation.deadline == (isQuery || isExec ? 4 : nil), "\(invocation.shellQuoted)")
            // The build, a long call with no deadline, gets the question too, asked only once
            // devenv is interrupted (break29: a frozen engine held its CLI, and devenv, for ever).
            let isLong = words.first == "build"
            #expect((invocation.answerCheck != nil) == (isExec || isLong), "\(invocation.shellQuoted)")
            #expect((invocation.interruptedAnswerWait != nil) == isLong, "\(invocation.shellQuoted)")
            // The CLI's Go runtime settings go with the deadline: queries only (a container
            // made by `run` or `create` never sees them).
            #expect(invocation.runtimeDefaults == (isQuery ? DockerPlanner.queryRuntimeDefaults : [:]), "\(invocation.shellQuoted)")
        }
    }

    /// leftovers25: `devenv test`'s one-off container (`docker run`, after its build) on an
    /// engine paused meanwhile waited for ever, saying nothing; clean-cache's root pass the
    /// same. A `docker run` now gets what a `docker exec` gets: the query deadline, and the
    /// question asked at it. A run that runs to its end (none yet) keeps its own notice.
    @Test func aOneOffContainerGetsTheDeadlineAndTheQuestionAnExecGets() throws {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "4"]
        let planner = try fixture.environment().planner
        let question = ["docker", "version", "--format", "{{.Server.Version}}"]
        for call in [planner.runToCompletion(image: "img", command: ["pytest"]), planner.startForTests(image: "img"),
                     planner.cleanCacheAsRoot(image: "img"), planner.exec(["true"], interactive: true, terminal: false)] {
            let prepared = DockerSession.prepared(call, context: fixture.context)
            #expect(prepared.deadline == 4, "\(call.shellQuoted)")
            #expect(prepared.answerCheck == question, "\(call.shellQuoted)")
        }
        let toItsEnd = DockerSession.prepared(planner.runToCompletion(image: "img", command: ["pytest"]).toItsEnd, context: fixture.context)
        #expect(toItsEnd.deadline == nil && toItsEnd.answerCheck == nil)
    }

    @Test func thePlannerDeclaresWhichCallsAreQueries() throws {
        let planner = try AppFixture().environment().planner
        let queries = [
            planner.findContainer(), planner.imageExists("img"), planner.engineInfo(),
            DockerPlanner.findContainers(cli: "docker", names: ["devenv-shop-dev-497e78ff", "devenv-shop-ci-497e78ff"]),
            DockerPlanner.listProjectVolumes(cli: "docker", project: "shop"),
            DockerPlanner.listProjectImages(cli: "docker", project: "shop"),
            ProcessInvocation(["docker", "version", "--format", "{{json .}}"]),
            ProcessInvocation(["docker", "events", "--since", "1", "--until", "2"]),
            ProcessInvocation(["docker", "inspect", "c1"]),
            // `logs` without --follow ends by itself: an engine that does not answer must not hang it.
            planner.logs(follow: false, tail: nil, since: nil), planner.logs(follow: false, tail: "5", since: "1h"),
            planner.lastLogLines(container: "c1", count: 15),
        ]
        for query in queries { #expect(DockerPlanner.isQuery(query.argv), "\(query.shellQuoted)") }
        let long = [
            planner.build(image: "img", buildKit: true, noCache: false), planner.create(image: "img", configHash: "h"), planner.start(id: "c1"),
            planner.exec(["sh"], interactive: true, terminal: true), planner.logs(follow: true, tail: nil, since: nil),
            planner.followLogs(tail: 10), ProcessInvocation(["docker", "logs", "-f", "c1"]),
            DockerPlanner.containerEvents(cli: "docker", project: "shop"),
            DockerPlanner.containerStats(cli: "docker", containers: ["c1"]),
            planner.stop(id: "c1"), planner.remove(id: "c1"), planner.rename(id: "c1", to: "n"), planner.createVolume(role: "venv"),
        ]
        for call in long { #expect(!DockerPlanner.isQuery(call.argv), "\(call.shellQuoted)") }
        // Watching a start waits 3 s on purpose: its deadline is that on top of the query's.
        #expect(DockerPlanner.deadline(for: planner.watchStart(container: "c1").argv, queryTimeout: 2)
                == 2 + Double(DockerPlanner.startWatchSeconds))
        #expect(DockerPlanner.deadline(for: planner.findContainer().argv, queryTimeout: 2) == 2)
        #expect(DockerPlanner.deadline(for: planner.build(image: "i", buildKit: true, noCache: false).argv, queryTimeout: 2) == nil)
    }

    /// Long calls that may rightly be quiet past the deadline ask the engine once then: an
    /// exec, and a followed log (break25: `logs -f` by a remembered ID on a paused engine
    /// waited for ever, silent). A log without --follow is a query; a build is neither.
    @Test func execAndFollowedLogsAskTheEngineAtTheDeadline() throws {
        let planner = try AppFixture().environment().planner
        let version = ["docker", "version", "--format", "{{.Server.Version}}"]
        for call in [planner.exec(["sh"], interactive: true, terminal: true), planner.logs(follow: true, tail: nil, since: nil, container: "c1"),
                     ProcessInvocation(["docker", "logs", "-f", "c1"])] {
            #expect(DockerPlanner.answerCheck(for: call.argv) == version, "\(call.shellQuoted)")
        }
        for call in [planner.logs(follow: false, tail: nil, since: nil), planner.build(image: "i", buildKit: true, noCache: false)] {
            #expect(DockerPlanner.answerCheck(for: call.argv) == nil, "\(call.shellQuoted)")
        }
    }

    @Test func aPausedEngineMakesStatusExit3NamingTheCallAndTheEngine() throws {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "2", "DOCKER_HOST": "unix:///tmp/paused.sock"]
        fixture.runner.expect(try fixture.statusLookup(), neverAnswers: true)
        #expect(fixture.run(["status"]) == 3)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains(
            "the Docker engine (unix:///tmp/paused.sock) did not answer `docker ps --all --no-trunc --filter 'name=^/?devenv-shop-dev-497e78ff$' --filter 'name=^/?devenv-shop-dev$' --filter 'name=^/?devenv-shop-ci-497e78ff$' --filter 'name=^/?devenv-shop-ci$' --filter 'name=^/?devenv-shop-prod-497e78ff$' --filter 'name=^/?devenv-shop-prod$' --filter 'name=^/?devenv-shop-dev-497e78ff-svc-' --filter 'name=^/?devenv-shop-dev-svc-' --filter 'name=^/?devenv-shop-ci-497e78ff-svc-' --filter 'name=^/?devenv-shop-ci-svc-' --filter 'name=^/?devenv-shop-prod-497e78ff-svc-' --filter 'name=^/?devenv-shop-prod-svc-' --format …` within 2 s"))
        // The whole call, to run by hand.
        #expect(fixture.console.stderr.contains("$ docker ps --all --no-trunc --filter 'name=^/?devenv-shop-dev-497e78ff$' --filter 'name=^/?devenv-shop-dev$' --filter 'name=^/?devenv-shop-ci-497e78ff$' --filter 'name=^/?devenv-shop-ci$' --filter 'name=^/?devenv-shop-prod-497e78ff$' --filter 'name=^/?devenv-shop-prod$' --filter 'name=^/?devenv-shop-dev-497e78ff-svc-' --filter 'name=^/?devenv-shop-dev-svc-' --filter 'name=^/?devenv-shop-ci-497e78ff-svc-' --filter 'name=^/?devenv-shop-ci-svc-' --filter 'name=^/?devenv-shop-prod-497e78ff-svc-' --filter 'name=^/?devenv-shop-prod-svc-' --format '{\"CreatedAt\":{{json .CreatedAt}}"))
    }

    @Test(arguments: [["up", "--no-tui"], ["down"], ["logs"], ["exec", "--", "true"], ["sync-deps"]])
    func aPausedEngineStopsACommandAtItsFirstQuery(_ arguments: [String]) throws {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "2"]
        fixture.runner.expect(try fixture.environment().planner.findContainer().argv, neverAnswers: true)
        #expect(fixture.run(arguments) == 3)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("the Docker engine (the default context) did not answer `docker ps --all"))
        #expect(fixture.console.stderr.contains("within 2 s"))
    }

    /// leftovers25: devenv stopped across a call's deadline reads on for a while, then gives up
    /// on a call that keeps writing; the error says so, not only that the engine did not answer.
    @Test func aCallGivenUpOnAfterDevenvWasStoppedSaysWhatDevenvWaitedFor() {
        let expired = ProcessDeadlineExceeded(invocation: ProcessInvocation(["docker", "ps", "--all"]), seconds: 2, readPastDeadline: 3.01)
        let error = DockerSession.notAnswering(expired, environment: [:])
        #expect(error.exitCode == .noEngine)
        #expect(error.message == "the Docker engine (the default context) did not answer `docker ps --all` within 2 s (devenv was stopped "
            + "past that time, then read what the call went on writing for 3 s more and stopped waiting: it was still writing)")
        let quiet = DockerSession.notAnswering(ProcessDeadlineExceeded(invocation: expired.invocation, seconds: 2), environment: [:])
        #expect(quiet.message == "the Docker engine (the default context) did not answer `docker ps --all` within 2 s")
    }

    /// path29: the patience of a call that runs to its end follows DEVENV_TIMEOUT, a fraction
    /// too, and the warning said it in whole seconds: "after 0 s" of 0.5, "after 40 s" of 40.5.
    @Test(arguments: [(0.5, "after 0.5 s:"), (40.5, "after 40.5 s:"), (40, "after 40 s:")])
    func theStillWaitingWarningSaysThePatienceAsGiven(patience: Double, said: String) {
        let warning = DockerSession.stillWaiting(ProcessInvocation(["docker", "stop", "abc"]), after: patience)
        #expect(warning.hasPrefix("still waiting for `docker stop abc` \(said) the engine has not finished it"), "\(warning)")
    }

    @Test func doctorReportsAnEngineThatDoesNotAnswerAsAFailedCheck() {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "2", "DOCKER_CONTEXT": "remote"]
        fixture.runner.expect(["docker", "version", "--format", "{{json .}}"], neverAnswers: true)
        _ = fixture.run(["doctor"])
        #expect(fixture.console.stdout.contains("the Docker engine (context remote) did not answer `docker version --format …` within 2 s"))
        #expect(!fixture.console.stdout.contains("was not found"))
    }
}

/// Long operations have no deadline, but on a terminal a quiet one says what it waits for.
@Suite struct QuietProgressTests {
    final class Clock: @unchecked Sendable {
        var now = 100.0
    }

    @Test func aQuietStepOnATerminalSaysWhatItWaitsFor() {
        let console = CollectingConsole(terminal: true)
        let clock = Clock()
        let progress = Progress(console: console, clock: { clock.now }, quiet: false, plain: false)
        progress.begin("building img:1", waitingFor: "`docker build`")
        clock.now += 3
        progress.output([]) // the runner's heartbeat
        // Each redraw is drawn with auto-wrap off and ends by turning it back on.
        #expect(console.stderr.hasSuffix("devenv: building img:1 (3.0s)\n\u{1B}[?7h"))
        clock.now += 9
        progress.output([])
        #expect(console.stderr.hasSuffix("devenv: building img:1 (12.0s, no output for 12s: waiting for `docker build`)\n\u{1B}[?7h"))
        progress.output(Array("step 2\n".utf8))
        #expect(console.stderr.hasSuffix("devenv: building img:1 (12.0s)\n  step 2\n\u{1B}[?7h"))
    }

    /// Lines wider than the terminal must not leave stale "building ... (Ns)" lines: each
    /// redraw is drawn with auto-wrap off (one row a line), and moves up exactly the rows drawn.
    @Test func redrawsMoveUpExactlyTheRowsTheyDrew() {
        let console = CollectingConsole(terminal: true)
        let clock = Clock()
        let progress = Progress(console: console, clock: { clock.now }, quiet: false, plain: false)
        progress.begin("building devenv-a-very-long-project-name:dev-0123456789abcdef (target dev)")
        for step in 1...12 {
            clock.now += 0.2
            progress.output(Array("#\(step) \(String(repeating: "x", count: 150))\n".utf8))
        }
        progress.end(succeeded: true)
        let text = console.stderr
        var rows = 0
        var autowrap = true
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("\u{1B}[?7l") { autowrap = false; index = text.index(index, offsetBy: 5); continue }
            if rest.hasPrefix("\u{1B}[?7h") { autowrap = true; index = text.index(index, offsetBy: 5); continue }
            if rest.hasPrefix("\u{1B}["), let f = rest.firstIndex(of: "F") {
                let count = Int(rest[rest.index(index, offsetBy: 2)..<f]) ?? -1
                #expect(count == rows, "moved up \(count) rows after drawing \(rows)")
                rows = 0
                index = text.index(after: f)
                if text[index...].hasPrefix("\u{1B}[J") { index = text.index(index, offsetBy: 3) }
                continue
            }
            if text[index] == "\n" {
                rows += 1
                #expect(!autowrap || text[..<index].hasSuffix("in 2.4s"), "a line drawn with auto-wrap on")
            }
            index = text.index(after: index)
        }
        #expect(autowrap, "auto-wrap is back on at the end")
        #expect(text.hasSuffix("devenv: building devenv-a-very-long-project-name:dev-0123456789abcdef (target dev): done in 2.4s\n"))
    }

    @Test func withoutATerminalHeartbeatsPrintNothing() {
        let console = CollectingConsole(terminal: false)
        let clock = Clock()
        let progress = Progress(console: console, clock: { clock.now }, quiet: false, plain: false)
        progress.begin("building img:1")
        clock.now += 30
        progress.output([])
        #expect(console.stderr == "devenv: building img:1\n")
    }

    /// break27: the engine killed while `exec` or `sync-deps` ran: docker's exec ends 255
    /// ("unexpected EOF"), which devenv passed on as the command's status (`sync-deps`: "failed
    /// (docker exit 255)", exit 1). The engine is asked once: no engine is exit 3; an engine that
    /// answers leaves 255 the command's own.
    @Test(arguments: [true, false])
    func aDockerExecWhoseEngineWentAwayIsExit3(syncDeps: Bool) throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))
        let exec = syncDeps
            ? planner.exec(environment.spec.syncCommand, interactive: false, terminal: false, io: .stream, container: "devenv-shop-dev-497e78ff")
            : planner.exec(["sleep", "300"], interactive: true, terminal: false, container: "c1")
        let check = try #require(DockerPlanner.answerCheck(for: exec.argv))
        for engineAnswers in [false, true] {
            let fixture = AppFixture()
            fixture.runner
                .expect(planner.findContainer().argv, stdout: running)
                .expect(exec.argv, stderr: "unexpected EOF\n", exitCode: 255)
                .expect(check, stdout: engineAnswers ? "20.10.24\n" : "",
                        stderr: engineAnswers ? "" : "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
                        exitCode: engineAnswers ? 0 : 1)
            let status = fixture.run(syncDeps ? ["sync-deps"] : ["exec", "sleep", "300"])
            fixture.runner.verifyAllCalled()
            if engineAnswers {
                #expect(status == (syncDeps ? 1 : 255), "\(fixture.console.stderr)")
            } else {
                #expect(status == 3, "\(fixture.console.stderr)")
                #expect(fixture.console.stderr.contains("no Docker engine answers: the engine went away while `docker exec` ran (docker exit 255); "
                                                        + "what became of the command in the container is not known"), "\(fixture.console.stderr)")
            }
        }
        _ = fixture
    }
}
