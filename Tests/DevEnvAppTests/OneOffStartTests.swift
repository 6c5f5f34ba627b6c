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
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
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
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
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
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expectACreateWaitedOut(planner, run: Self.run, id: Self.id)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("waiting for the engine to finish creating the test container \(planner.runName(Self.run)) (at most 4 s)"),
                "\(fixture.console.stderr)")
        // One pause between the two rounds: not a busy loop of docker calls.
        #expect(fixture.pauses == [Double(OneOffContainers.waitPause.first) / 1000])
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
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
            .expect(claim.argv, stdout: placeholder + "\n")
            .expect(planner.remove(id: placeholder).argv)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.isEmpty, "\(fixture.console.stderr)")

        let (started, startedRun, _) = try self.testRun()
        started.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
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
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
            .expect(claim.argv, stderr: inUse, exitCode: 125)
            .expect(planner.findByRun(Self.run).argv)
            .expect(planner.findByRun(Self.run, neverStarted: true).argv, stdout: Self.id + "\n")
            .expect(planner.remove(id: Self.id).argv)
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
    }

    /// mend28: every one-off `docker run` is marked as its call, by label and by name, so that
    /// `OneOffContainers` can find what a cut-short one made and wait out a create under way.
    @Test func everyOneOffIsMarkedWithItsCallsLabelAndName() throws {
        let (_, _, planner) = try testRun()
        let marks = ["--name", planner.runName(Self.run), "--label", "\(DockerPlanner.runLabel)=\(Self.run)"]
        var service = ServiceSpec(name: "db", origin: .builtIn)
        service.user = .ids(uid: 999, gid: 999)
        service.volumes = [NamedSetting(name: "data", value: "/data", origin: .builtIn)]
        let oneOffs = [planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run), planner.startForTests(image: "img", run: Self.run),
                       try #require(planner.chownVolumes(roles: ["venv"], image: "img", run: Self.run)),
                       try #require(planner.repairVolumeOwners(roles: ["venv"], image: "img", run: Self.run)),
                       planner.cleanCacheAsRoot(image: "img", run: Self.run),
                       try #require(ServicePlanner(planner: planner).chownVolumes(service, volumes: ["data"], image: "postgres", run: Self.run))]
        for oneOff in oneOffs {
            #expect(oneOff.argv.indices.contains { Array(oneOff.argv[$0...].prefix(4)) == marks }, "\(oneOff.argv)")
        }
        // The claim never fetches an image from a registry as a side effect.
        #expect(planner.claimRunName(image: "img", run: Self.run).argv.starts(with: ["docker", "create", "--pull", "never"]))
    }

    /// mend28 (review27): the chown one-off had the look-up but not the test run's claim and
    /// wait: a create still under way at the look-up left a Created chown container holding the
    /// new volumes. Every one-off now gets them from `OneOffContainers`.
    @Test func aChownWhoseCreateIsStillUnderWayIsWaitedOutAndRemoved() throws {
        let (fixture, _, planner) = try testRun()
        let chown = try #require(planner.chownVolumes(roles: ["venv"], image: "img", run: Self.run))
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(chown.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expectACreateWaitedOut(planner, run: Self.run, id: Self.id)
        let session = DockerSession(context: fixture.context, dryRun: false)
        #expect(throws: DevEnvError.interrupted(by: 15)) {
            try OneOffContainers(session: session, planner: planner).run(chown, "giving the volumes", run: Self.run, image: "img", said: .chown(of: "v"))
        }
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("waiting for the engine to finish creating the chown container"), "\(fixture.console.stderr)")
    }

    /// mend28 (review27): the wait for a create asked the engine again at once, round after
    /// round (three calls each), until the deadline. Each round now waits longer than the last,
    /// up to a ceiling, and never past the deadline; then it says what it waited for.
    @Test func theWaitPausesLongerEachRoundAndGivesUpAtTheDeadlineSayingWhy() throws {
        let (fixture, testRun, planner) = try testRun()
        let invocation = planner.runToCompletion(image: "img", command: ["pytest"], run: Self.run)
        let claim = planner.claimRunName(image: "img", run: Self.run)
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(invocation.argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv)
        // Rounds at 0, 0.05, 0.15, 0.35, 0.75, 1.55, 2.55, 3.55 and 4 s (DEVENV_TIMEOUT=4).
        for _ in 0..<9 {
            fixture.runner
                .expect(claim.argv, stderr: Self.nameInUse(planner), exitCode: 125)
                .expect(planner.findByRun(Self.run).argv)
                .expect(planner.findByRun(Self.run, neverStarted: true).argv)
        }
        #expect(throws: DevEnvError.interrupted(by: 15)) { try testRun.runToItsEnd(invocation, run: Self.run, image: "img", planner: planner, onOutput: nil) }
        fixture.runner.verifyAllCalled()
        #expect(fixture.pauses.dropLast() == [0.05, 0.1, 0.2, 0.4, 0.8, 1, 1], "\(fixture.pauses)")
        #expect(abs((fixture.pauses.last ?? 0) - 0.45) < 1e-9 && abs(fixture.elapsed - 4) < 1e-9, "\(fixture.pauses)")
        #expect(fixture.console.stderr.contains("devenv: warning: the test run was cut short; its docker run may have made a container it never started, "
            + "and its container's name is still taken: `\(planner.findByRun(Self.run).shellQuoted)` shows its container, if any, "
            + "`docker rm --force ID` removes it"), "\(fixture.console.stderr)")
    }

    /// mend28: clean-cache's root pass (`docker run --rm` as root on the bind mount) carried no
    /// label of its call: cut short between its create and its start it stayed "Created", and
    /// nothing could tell it from a foreign container. It is a one-off like the others now.
    @Test func aCleanCacheRootPassCutShortLeavesNoContainer() throws {
        let (fixture, _, planner) = try testRun()
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: ps)
            .expect(planner.cleanCache().argv, stdout: "failed\t./src/__pycache__\n1 10\n")
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(planner.cleanCacheAsRoot(image: "img", run: Self.run).argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(Self.run, neverStarted: true).argv, stdout: Self.id + "\n")
            .expect(planner.remove(id: Self.id).argv)
        #expect(fixture.run(["clean-cache"]) == 143)
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
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(invocation.argv, exitCode: 1)
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

extension FakeProcessRunner {
    /// A cut-short one-off of the call `run` (of the image `img`) whose look-up finds nothing:
    /// its name is in use for one round, the next shows its container `id`, never started,
    /// which is removed (`OneOffContainers`' wait for a create).
    @discardableResult
    func expectACreateWaitedOut(_ planner: DockerPlanner, run: String, id: String) -> FakeProcessRunner {
        let claim = planner.claimRunName(image: "img", run: run)
        let inUse = OneOffStartTests.nameInUse(planner)
        return expect(planner.findByRun(run, neverStarted: true).argv)
            .expect(claim.argv, stderr: inUse, exitCode: 125)
            .expect(planner.findByRun(run).argv)
            .expect(planner.findByRun(run, neverStarted: true).argv)
            .expect(claim.argv, stderr: inUse, exitCode: 125)
            .expect(planner.findByRun(run).argv, stdout: id + "\n")
            .expect(planner.findByRun(run, neverStarted: true).argv, stdout: id + "\n")
            .expect(planner.remove(id: id).argv)
    }
}
