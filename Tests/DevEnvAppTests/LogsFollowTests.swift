#if canImport(Glibc)
import Glibc
#endif
@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// What `logs -f` does once docker's stream ended by itself (`Logs.followOn`), on the scripted
/// runner. The real engine: IntegrationTests/LogsEngineTests.
@Suite struct LogsFollowTests {
    static let id = String(repeating: "c", count: 64)

    /// The dev environment's lookup (`docker ps` by its names), its dev container in `state`.
    private static func lookup(_ planner: DockerPlanner, state: String, status: String) -> (argv: [String], answer: String) {
        let argv = DockerPlanner.findContainers(cli: "docker", names: planner.lookupNames, prefixes: planner.lookupPrefixes).argv
        return (argv, AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: id, state: state, status: status,
                                        labels: AppFixture.ownLabels()) + "\n")
    }

    /// break24: `down` during `logs -f`. docker's stream ends as the container's output closes,
    /// which may come before the engine says it stopped: the lookup still said running, devenv
    /// said "ended while it runs (the engine restarted it?); following it again", and docker
    /// refused the new follow ("can not get logs from container which is dead or marked for
    /// removal"): its error on the terminal and exit 1 (seen 1 run in 6 on a private engine).
    /// Now a running container whose stream ended gets one engine-timed step (its death ends
    /// it) before devenv looks again; stopped then, it is said so, exit 0.
    @Test func aContainerStillSaidRunningAsItsStreamEndsIsGivenAStepBeforeItIsFollowedAgain() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let running = Self.lookup(planner, state: "running", status: "Up 5 seconds")
        let exited = Self.lookup(planner, state: "exited", status: "Exited (137) 1 second ago")
        fixture.runner
            .expect(running.argv, stdout: running.answer)
            .expect(planner.logs(follow: true, tail: nil, since: nil, container: Self.id).argv, streamed: [(.stdout, "tick 1\n")])
            .expect(running.argv, stdout: running.answer)
            .expect(ServicePlanner(planner: planner).waitStep(id: Self.id).argv,
                    stdout: #"{"status":"die","id":"\#(Self.id)","Action":"die"}"# + "\n")
            .expect(exited.argv, stdout: exited.answer)
        #expect(fixture.run(["logs", "-f"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "tick 1\n")
        #expect(fixture.console.stderr.contains("devenv: note: devenv-shop-dev-497e78ff is exited, exit code 137; logs -f ends"), "\(fixture.console.stderr)")
        #expect(!fixture.console.stderr.contains("ended while it runs"), "\(fixture.console.stderr)")
    }

    /// Still running after its step: the stream broke (an engine hiccup), and it is followed
    /// again from now; docker refusing that follow because the container went meanwhile is its
    /// end, said, exit 0 (it was docker's exit 1).
    @Test func aContainerThatStillRunsAfterItsStepIsFollowedAgainAndARefusalAsItGoesIsItsEnd() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let running = Self.lookup(planner, state: "running", status: "Up 5 seconds")
        let removing = Self.lookup(planner, state: "removing", status: "Removal In Progress")
        fixture.runner
            .expect(running.argv, stdout: running.answer)
            .expect(planner.logs(follow: true, tail: nil, since: nil, container: Self.id).argv, streamed: [(.stdout, "tick 1\n")])
            .expect(running.argv, stdout: running.answer)
            .expect(ServicePlanner(planner: planner).waitStep(id: Self.id).argv)
            .expect(running.argv, stdout: running.answer)
            .expect(planner.logs(follow: true, tail: "0", since: nil, container: Self.id).argv, exitCode: 1,
                    streamed: [(.stderr, "Error response from daemon: can not get logs from container which is dead or marked for removal\n")])
            .expect(removing.argv, stdout: removing.answer)
        #expect(fixture.run(["logs", "-f"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("ended while it runs (the engine restarted it?); following it again from now"), "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("devenv: note: devenv-shop-dev-497e78ff is gone (removed: `devenv down` or by hand); logs -f ends"), "\(fixture.console.stderr)")
    }

    /// break28: what ends `logs -f` is the signal devenv got, not the CLI's status. Podman 4.3.1's
    /// `logs -f` exits 1 on SIGINT and 0 on SIGTERM (Docker's CLI: 130 and 143, or dies of it),
    /// so on Podman Ctrl-C said "interrupted by signal 2" (exit 130) and SIGUSR1 (passed on as
    /// SIGTERM) exited 0. Ctrl-C, Ctrl-\ and SIGTERM are how it is meant to stop (0); another
    /// signal is 128+N; the same whatever the CLI's status.
    /// A closed terminal's SIGHUP is no such stop either: 129 (the signals by name, from Glibc).
    @Test(arguments: [(Int32(1), SIGINT, Int32(0)), (0, SIGTERM, 0), (0, SIGQUIT, 0), (0, SIGUSR1, 138), (1, SIGUSR1, 138),
                      (130, SIGINT, 0), (143, SIGTERM, 0), (143, SIGUSR1, 138), (0, SIGHUP, 129), (129, SIGHUP, 129)])
    func theSignalNotTheCLIsStatusSaysHowLogsFollowEnds(cliStatus: Int32, signal: Int32, expected: Int32) throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let running = Self.lookup(planner, state: "running", status: "Up 5 seconds")
        fixture.runner
            .expect(running.argv, stdout: running.answer)
            .expect(planner.logs(follow: true, tail: nil, since: nil, container: Self.id).argv, exitCode: cliStatus,
                    streamed: [(.stdout, "tick 1\n")], sideEffect: { fixture.interruption = signal })
        #expect(fixture.run(["logs", "-f"]) == expected, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "tick 1\n")
        #expect(expected != 0 || fixture.console.stderr.isEmpty, "\(fixture.console.stderr)")
    }
}
