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
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
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
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: warning: the test run was cut short; its docker run may have made a container it never started: "
            + "`\(planner.findByRun(Self.run, neverStarted: true).shellQuoted)` shows it, `docker rm --force ID` removes it"), "\(fixture.console.stderr)")
    }

    /// mend27a: the CLI ended with its create request in flight; the engine finished the create
    /// after devenv's look-up, which found nothing (once in 14 under load), and the container
    /// stayed "Created" for good. devenv takes the run's name: while it is in use the create is
    /// under way, and devenv looks again until the container shows; then removes it by ID.
    @Test func aCreateStillUnderWayWhenDevenvLooksIsWaitedOutAndRemoved() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        #expect(invocation.argv.contains(planner.runName(Self.run)))
        let claim = planner.claimRunName(image: "img", run: Self.run)
        #expect(claim.argv.contains(planner.runName(Self.run)) && claim.argv.contains("\(DockerPlanner.runLabel)=\(Self.run)"))
        let inUse = Self.nameInUse(planner)
        fixture.runner
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
            .expect(claim.argv, stderr: inUse, exitCode: 125)
            .expect(planner.findByRun(Self.run).argv)
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
            .expect(claim.argv, stderr: inUse, exitCode: 125)
            .expect(planner.findByRun(Self.run).argv, stdout: Self.id + "\n")
            .expect(planner.findByRun(Self.run, neverStarted: true).argv, stdout: Self.id + "\n")
            .expect(planner.remove(id: Self.id).argv)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("waiting for the engine to finish the test run's container"), "\(fixture.console.stderr)")
    }

    /// When the name is free, no create of the run is under way and none can follow devenv's own:
    /// that one, never started, goes by ID. A run whose container started and ended leaves its
    /// name taken until `--rm` removes it: that one is not devenv's to remove.
    @Test func aFreeNameEndsTheWaitAndAStartedContainerIsLeftToRm() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        let claim = planner.claimRunName(image: "img", run: Self.run)
        let placeholder = String(repeating: "cd", count: 32)
        fixture.runner
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
            .expect(claim.argv, stdout: placeholder + "\n")
            .expect(planner.remove(id: placeholder).argv)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.isEmpty, "\(fixture.console.stderr)")

        let (started, startedRun, _) = try self.testRun()
        started.runner
            .expect(invocation.argv, exitCode: 130, sideEffect: { started.interruption = 2 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
            .expect(claim.argv, stderr: "Error: the container name \"x\" is already in use by \(Self.id)", exitCode: 125)
            .expect(planner.findByRun(Self.run).argv, stdout: Self.id + "\n")
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
        #expect(throws: DevEnvError.interrupted(by: 2)) { try startedRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        started.runner.verifyAllCalled()
        #expect(started.console.stderr.isEmpty, "\(started.console.stderr)")
    }

    /// review27: the create ended between the wait's two look-ups. Asked in the order "never
    /// started" then "all", the second showed the new container and devenv took it for one that
    /// had started (--rm's): it stayed "Created". Asked "all" first, a container that shows only
    /// in the second is a never-started one, and is removed.
    @Test func aCreateThatEndsBetweenTheWaitsLookUpsIsRemoved() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        let claim = planner.claimRunName(image: "img", run: Self.run)
        let inUse = Self.nameInUse(planner)
        fixture.runner
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
            .expect(claim.argv, stderr: inUse, exitCode: 125)
            .expect(planner.findByRun(Self.run).argv)
            .expect(planner.findByRun(Self.run, neverStarted: true).argv, stdout: Self.id + "\n")
            .expect(planner.remove(id: Self.id).argv)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
    }

    /// Docker's answer to a create of the run's name while another holds it.
    static func nameInUse(_ planner: DockerPlanner) -> String {
        "Error response from daemon: Conflict. The container name \"/\(planner.runName(run))\" is already in use by container \"\(id)\"."
    }

    /// A run that ends by itself looks for nothing: `--rm` removed its container.
    @Test func aRunToCompletionThatEndsLooksForNothing() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        fixture.runner.expect(invocation.argv, exitCode: 1)
        #expect(try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil).exitCode == 1)
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
