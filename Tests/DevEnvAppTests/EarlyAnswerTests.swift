@testable import DevEnvApp
import DevEnvCore
import Glibc
import Testing
import TestSupport

/// review30, of 6ab8b75/38eebe6/2795e59 (issue 14): `status` and an unchanged `up` work on the
/// answer of their lookup started ahead while the docker CLI still ends
/// (`DockerSession.lookup(_:_:interpreting:)`, `StartedProcess.finish(onOutput:whileEnding:)`).
/// What was worked out counts only for the very output of a successful call: a look at part of
/// the answer (whole lines, the pipe drained, more to come) is not the answer; a call that
/// fails after its whole answer was looked at fails as any failed call; stderr written after
/// it changes nothing; a signal while the CLI ends is an interruption (nothing printed). The
/// scripted runner gives the looks (`FakeProcessRunner.Expectation.looks`); the real runner's
/// looks: PosixProcessRunnerTests.
@Suite struct EarlyAnswerTests {
    static let folder = "/run/user/0/devenv"

    private func fixture() throws -> (AppFixture, [String]) {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n")
        fixture.stateFolder = Self.folder
        let lookup = try fixture.statusLookup()
        // One status first, so that the next one's lookup is started ahead (the path with looks).
        fixture.runner.expect(lookup, stdout: LookupSpeculationTests.exited())
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        return (fixture, lookup)
    }

    private static func paused(_ profile: String) -> String {
        AppFixture.psLine(name: "devenv-shop-\(profile)-497e78ff", state: "paused", labels: AppFixture.ownLabels(profile: profile, hash: "x")) + "\n"
    }

    /// `arguments` run; its exit code and what it wrote (stdout, stderr), not what earlier runs did.
    private func run(_ fixture: AppFixture, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let (out, err) = (fixture.console.stdout.count, fixture.console.stderr.count)
        let status = fixture.run(arguments)
        return (status, String(fixture.console.stdout.dropFirst(out)), String(fixture.console.stderr.dropFirst(err)))
    }

    /// The output of `status` for `answer` when docker gave it whole (no early look).
    private func plainStatus(_ answer: String) throws -> String {
        let (fixture, lookup) = try fixture()
        fixture.runner.expect(lookup, stdout: answer)
        let plain = run(fixture, ["status"])
        #expect(plain.status == 0, "\(plain.stderr)")
        return plain.stdout
    }

    @Test func aLookAtPartOfTheAnswerIsNotTheAnswer() throws {
        let (fixture, lookup) = try fixture()
        let answer = Self.paused("dev") + Self.paused("ci") + Self.paused("prod")
        let plain = try plainStatus(answer)
        // The CLI wrote its answer in three writes, each read as it came: three looks.
        fixture.runner.expect(lookup, stdout: answer,
                              looks: [Self.paused("dev"), Self.paused("dev") + Self.paused("ci"), answer])
        let looked = run(fixture, ["status"])
        #expect(looked.status == 0, "\(looked.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(looked.stdout == plain)
        // The last look was a part only (the CLI's last write came after the looks ran out):
        // what was worked out from it is not what is shown.
        fixture.runner.expect(lookup, stdout: answer, looks: [Self.paused("dev"), Self.paused("dev") + Self.paused("ci")])
        let partly = run(fixture, ["status"])
        #expect(partly.status == 0, "\(partly.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(partly.stdout.contains("prod     paused"), "\(partly.stdout)")
        #expect(partly.stdout == plain)
    }

    @Test func aCallThatFailsAfterItsWholeAnswerWasLookedAtFails() throws {
        let (fixture, lookup) = try fixture()
        let answer = Self.paused("dev") + Self.paused("ci") + Self.paused("prod")
        fixture.runner.expect(lookup, stdout: answer, stderr: "Error response from daemon: gone away\n", exitCode: 1, looks: [answer])
        let failed = run(fixture, ["status"])
        fixture.runner.verifyAllCalled()
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stdout.isEmpty, "a report was shown from a failed call: \(failed.stdout)")
        #expect(failed.stderr.contains("gone away"), "\(failed.stderr)")
    }

    @Test func stderrAfterTheAnswerChangesNothing() throws {
        let (fixture, lookup) = try fixture()
        let answer = Self.paused("dev") + LookupSpeculationTests.exited(["ci", "prod"])
        fixture.runner.expect(lookup, stdout: answer, stderr: "WARNING: a late word of the CLI\n", looks: [answer])
        let looked = run(fixture, ["status"])
        #expect(looked.status == 0, "\(looked.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(looked.stdout == (try plainStatus(answer)))
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalWhileTheCLIEndsIsAnInterruption(_ signal: Int32) throws {
        let (fixture, lookup) = try fixture()
        let answer = Self.paused("dev") + LookupSpeculationTests.exited(["ci", "prod"])
        // The answer is whole and looked at; then the signal, before the CLI ended.
        fixture.runner.expect(lookup, stdout: answer, sideEffect: { fixture.interruption = signal }, looks: [answer])
        let interrupted = run(fixture, ["status"])
        fixture.runner.verifyAllCalled()
        #expect(interrupted.status == ExitCode.status(afterSignal: signal), "\(interrupted.stderr)")
        #expect(interrupted.stdout.isEmpty, "\(interrupted.stdout)")
        #expect(interrupted.stderr.contains("interrupted"), "\(interrupted.stderr)")
    }

    /// The `up` side (38eebe6): a look without the orphaned service's container that came in
    /// the last write is not the answer; the note on it is said.
    @Test func anUnchangedUpTakesTheWholeAnswer() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n")
        fixture.stateFolder = Self.folder
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: String(repeating: "c", count: 64),
                                        labels: AppFixture.ownLabels(hash: hash), mounts: AppFixture.ownVolumeNames) + "\n"
        let orphan = AppFixture.psLine(name: "devenv-shop-dev-497e78ff-svc-cache", id: String(repeating: "d", count: 64),
                                       labels: OrphanedServicesTests.serviceLabels("cache")) + "\n"
        let lookup = environment.planner.findContainer().argv
        fixture.runner.expect(lookup, stdout: running)
        #expect(fixture.run(["up"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.expect(lookup, stdout: running + orphan, looks: [running])
        let up = run(fixture, ["up"])
        #expect(up.status == 0, "\(up.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.startedAhead.map(\.argv) == [lookup])
        #expect(up.stderr.contains("devenv-shop-dev-497e78ff-svc-cache (service cache"), "the answer's last line was not seen: \(up.stderr)")
    }

    /// 2795e59: the volume listing started beside the lookup is ended, never left running and
    /// never shown, however the command ends before it is used: the lookup fails, or a signal.
    @Test(arguments: [false, true])
    func theVolumeListingStartedAheadEndsWithTheCommand(_ interrupted: Bool) throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n")
        fixture.stateFolder = Self.folder
        let lookup = try fixture.statusLookup()
        let listing = DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv
        let volume = #"{"Name":"devenv-shop-dev-497e78ff-venv","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=venv"}"#
        fixture.runner.expect(lookup).expect(listing, stdout: volume)
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        // Both started ahead now; the lookup fails, or devenv is interrupted as it ends.
        if interrupted {
            fixture.runner.expect(lookup, sideEffect: { fixture.interruption = 2 }, looks: [])
        } else {
            fixture.runner.expect(lookup, stderr: "Error: boom\n", exitCode: 1)
        }
        fixture.runner.expect(listing, stderr: "never to be shown\n", exitCode: 1)
        let ended = run(fixture, ["status"])
        #expect(ended.status == (interrupted ? 130 : 1), "\(ended.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.startedAhead.map(\.argv) == [lookup, listing])
        #expect(fixture.runner.cancelled.map(\.argv) == [listing])
        #expect(!ended.stderr.contains("never to be shown"))
        #expect(ended.stdout.isEmpty)
    }
}
