@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// mend26a: `devenv test`'s idle one-off container (`docker run --detach`, for a profile with
/// lifecycle commands) ended at its deadline or by a signal left a labelled container devenv
/// had no ID for (`sleep infinity`, running for ever). The start now carries a label of its own
/// call (`DockerPlanner.runLabel`): without an ID, devenv finds what it made by it and removes it by ID.
@Suite struct OneOffStartTests {
    static let run = "fedcba9876543210fedcba9876543210"
    static let id = String(repeating: "ab", count: 32)

    private func testRun() throws -> (AppFixture, TestRun, DockerPlanner) {
        let fixture = AppFixture()
        fixture.randomToken = Self.run
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "4"]
        let context = fixture.context
        let environment = try fixture.environment()
        let session = DockerSession(context: context, dryRun: false)
        let progress = Progress(console: context.console, clock: context.clock, quiet: true, plain: true,
                                continuations: context.continuations, phase: nil)
        return (fixture, TestRun(environment: environment, session: session, context: context, progress: progress), environment.planner)
    }

    @Test func theStartIsLabelledWithItsCall() throws {
        let (_, _, planner) = try testRun()
        let argv = planner.startForTests(image: "img", run: Self.run).argv
        #expect(argv.contains("\(DockerPlanner.runLabel)=\(Self.run)"))
        let listing = planner.findByRun(Self.run).argv
        #expect(listing.contains("label=devenv.run=\(Self.run)") && listing.contains("label=devenv.project=shop")
            && listing.contains("label=devenv.root=\(AppFixture.root)"), "\(listing)")
    }

    @Test func aStartEndedAtItsDeadlineHasWhatItMadeFoundByLabelAndRemovedByID() throws {
        let (fixture, testRun, planner) = try testRun()
        fixture.runner
            .expect(planner.startForTests(image: "img", run: Self.run).argv, neverAnswers: true)
            .expect(planner.findByRun(Self.run).argv, stdout: Self.id + "\n")
            .expect(planner.remove(id: Self.id).argv)
        #expect(throws: DevEnvError.self) { try testRun.startOneOff(image: "img", planner: planner) { _ in Issue.record("no ID was printed") } }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.isEmpty, "\(fixture.console.stderr)")
    }

    @Test func aStartASignalEndedIsLookedForToo() throws {
        let (fixture, testRun, planner) = try testRun()
        fixture.runner
            .expect(planner.startForTests(image: "img", run: Self.run).argv, exitCode: 130, sideEffect: { fixture.interruption = 2 })
            .expect(planner.findByRun(Self.run).argv, stdout: Self.id + "\n")
            .expect(planner.remove(id: Self.id).argv)
        #expect(throws: DevEnvError.interrupted(by: 2)) { try testRun.startOneOff(image: "img", planner: planner) { _ in } }
        fixture.runner.verifyAllCalled()
    }

    @Test func anEngineThatStillDoesNotAnswerIsSaidWithTheCommandsThatFindAndRemoveIt() throws {
        let (fixture, testRun, planner) = try testRun()
        fixture.runner
            .expect(planner.startForTests(image: "img", run: Self.run).argv, neverAnswers: true)
            .expect(planner.findByRun(Self.run).argv, neverAnswers: true)
        #expect(throws: DevEnvError.self) { try testRun.startOneOff(image: "img", planner: planner) { _ in } }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: warning: the test container's start did not finish; one may have been made: "
            + "`\(planner.findByRun(Self.run).shellQuoted)` shows it, `docker rm --force ID` removes it"), "\(fixture.console.stderr)")
    }

    /// break26: SIGTERM as `docker run --rm` began (created, not yet started) left a "Created"
    /// container for good: `--rm` removes only one that ran. The run is labelled with its call;
    /// ended by a signal, what it made and never started is found and removed by ID.
    @Test func aRunToCompletionASignalEndedHasWhatItCreatedAndNeverStartedRemoved() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        #expect(invocation.argv.contains("\(DockerPlanner.runLabel)=\(Self.run)"))
        #expect(planner.findByRun(Self.run, neverStarted: true).argv.suffix(2) == ["--filter", "status=created"])
        fixture.runner
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv, stdout: Self.id + "\n")
            .expect(planner.remove(id: Self.id).argv)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
    }

    /// review26: the run's own look-up that gets no answer says the run was cut short, not that
    /// a start did not finish (there was none of devenv's: the idle container's start says that).
    @Test func aRunToCompletionWhoseLookupGetsNoAnswerSaysTheRunWasCutShort() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        fixture.runner
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv, neverAnswers: true)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: warning: the test run was cut short; its docker run may have made a container it never started: "
            + "`\(planner.findByRun(Self.run, neverStarted: true).shellQuoted)` shows it, `docker rm --force ID` removes it"), "\(fixture.console.stderr)")
    }

    /// A run that ends by itself looks for nothing: `--rm` removed its container.
    @Test func aRunToCompletionThatEndsLooksForNothing() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        fixture.runner.expect(invocation.argv, exitCode: 1)
        #expect(try testRun.runToItsEnd(invocation, run: Self.run, planner: planner, onOutput: nil).exitCode == 1)
        fixture.runner.verifyAllCalled()
    }

    @Test func aStartedContainerIsHandedOverByItsIDAndNothingIsLookedFor() throws {
        let (fixture, testRun, planner) = try testRun()
        fixture.runner.expect(planner.startForTests(image: "img", run: Self.run).argv, stdout: Self.id + "\n")
        var made: String?
        #expect(try testRun.startOneOff(image: "img", planner: planner) { made = $0 } == Self.id)
        #expect(made == Self.id)
        fixture.runner.verifyAllCalled()
    }
}
