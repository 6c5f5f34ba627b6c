@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// mend26a: `docker exec` does not pass a signal on to the command it started (moby/moby#9098,
/// containers/podman#19486): a `devenv exec` ended by SIGTERM or SIGHUP left its command running
/// in the container. The command's processes now carry a marker (`ExecMarker`), and devenv
/// signals them by it on the way out.
@Suite struct ExecSignalTests {
    static let marker = ExecMarker(token: "0123456789abcdef0123456789abcdef")!
    static let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))

    private func fixture() -> AppFixture {
        let fixture = AppFixture()
        fixture.randomToken = Self.marker.token
        return fixture
    }

    @Test(arguments: [(["exec", "--", "sleep", "300"], ["sleep", "300"]), (["shell"], DockerPlanner.shellCommand)] as [([String], [String])],
          [Int32(15), 1])
    func aSignalThatEndsDevenvIsPassedOnToTheMarkedProcesses(_ given: ([String], [String]), signal: Int32) throws {
        let fixture = fixture()
        let planner = try fixture.environment().planner
        let exec = planner.exec(given.1, interactive: true, terminal: false, container: "c1", marker: Self.marker)
        #expect(exec.argv.contains("DEVENV_EXEC=\(Self.marker.token)"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(exec.argv, exitCode: 0, sideEffect: { fixture.interruption = signal })
            .expect(Self.marker.signalCall(cli: "docker", container: "c1", user: planner.userArgument, signal: signal).argv, stdout: "1\n")
        // Docker 20.10's CLI exits 0 on SIGTERM: devenv's status says it was interrupted.
        #expect(fixture.run(given.0) == 128 + signal)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr == "devenv: error: interrupted by signal \(signal); stopped cleanly\n", "\(fixture.console.stderr)")
    }

    @Test func withoutASignalNothingMoreRuns() throws {
        let fixture = fixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(planner.exec(["true"], interactive: true, terminal: false, container: "c1", marker: Self.marker).argv)
        #expect(fixture.run(["exec", "true"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 2)
    }

    /// A pass-on the engine refused: said, with how to see the command. And SIGQUIT (sent with
    /// kill) is passed on as SIGTERM: the command is asked to end, not to dump core.
    @Test func aFailedPassOnIsSaidWithWhereTheCommandMayRun() throws {
        let fixture = fixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(planner.exec(["sleep", "300"], interactive: true, terminal: false, container: "c1", marker: Self.marker).argv,
                    exitCode: 131, sideEffect: { fixture.interruption = 3 })
            .expect(Self.marker.signalCall(cli: "docker", container: "c1", user: planner.userArgument, signal: 15).argv,
                    stderr: "Error response from daemon: Container c1 is restarting, wait until the container is running\n", exitCode: 1)
        #expect(fixture.run(["exec", "sleep", "300"]) == 131)  // 128 + SIGQUIT: what came
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: warning: could not pass signal 15 on to the command in c1 (Error response from daemon: Container c1 is restarting"),
                "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("it may still run there: `docker top c1` shows it"), "\(fixture.console.stderr)")
    }

    /// mend28 (mend27b): a second signal during the pass-on ends the pass-on's own CLI; devenv
    /// said it "could not pass" the signal, though the pass-on may have delivered it. It says
    /// what happened: another signal cut it short, and where to look.
    @Test func aSecondSignalDuringThePassOnIsSaidAsThat() throws {
        let fixture = fixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(planner.exec(["sleep", "300"], interactive: true, terminal: false, container: "c1", marker: Self.marker).argv,
                    exitCode: 0, sideEffect: { fixture.interruption = 15; fixture.interruptionCount = 1 })
            .expect(Self.marker.signalCall(cli: "docker", container: "c1", user: planner.userArgument, signal: 15).argv,
                    exitCode: 143, sideEffect: { fixture.interruptionCount = 2 })
        #expect(fixture.run(["exec", "sleep", "300"]) == 143)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: warning: another signal cut short the pass-on of signal 15 to the command in c1: "
            + "it may have reached it, or the command may still run there: `docker top c1` shows it"), "\(fixture.console.stderr)")
        #expect(!fixture.console.stderr.contains("could not pass"), "\(fixture.console.stderr)")
    }

    /// mend27b: in an image without `sh` (distroless, scratch) the pass-on cannot run (Docker 126,
    /// Podman 127): exec is then a plain `docker exec`, which passes nothing on, and says nothing
    /// more than it would (the interruption).
    @Test(arguments: [(Int32(126), "OCI runtime exec failed: exec failed: unable to start container process: exec: \"sh\": executable file not found in $PATH: unknown\n"),
                      (127, "Error: crun: executable file `sh` not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found\n")])
    func anImageWithoutAShellIsAPlainExec(_ answer: (Int32, String)) throws {
        let fixture = fixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(planner.exec(["sleep", "300"], interactive: true, terminal: false, container: "c1", marker: Self.marker).argv,
                    exitCode: 0, sideEffect: { fixture.interruption = 15 })
            .expect(Self.marker.signalCall(cli: "docker", container: "c1", user: planner.userArgument, signal: 15).argv,
                    stderr: answer.1, exitCode: answer.0)
        #expect(fixture.run(["exec", "sleep", "300"]) == 143)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr == "devenv: error: interrupted by signal 15; stopped cleanly\n", "\(fixture.console.stderr)")
    }

    /// review26: `sync-deps` ran `uv sync` through a `docker exec` without the marker: a SIGTERM
    /// or Ctrl-C (no terminal is handed over: devenv gets it) left `uv sync` writing the venv in
    /// the container beside the next run. It passes the signal on as `exec` does (`MarkedExec`).
    @Test(arguments: [Int32(15), 2, 1])
    func syncDepsPassesASignalOnToUvSync(signal: Int32) throws {
        let fixture = fixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let sync = planner.exec(environment.spec.syncCommand, interactive: false, terminal: false, io: .stream,
                                runningAs: nil, container: "devenv-shop-dev-497e78ff", marker: Self.marker)
        #expect(sync.argv.contains("DEVENV_EXEC=\(Self.marker.token)"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(sync.argv, exitCode: 0, sideEffect: { fixture.interruption = signal })
            .expect(Self.marker.signalCall(cli: "docker", container: "c1", user: planner.execUser(runningAs: nil), signal: signal).argv, stdout: "1\n")
        #expect(fixture.run(["sync-deps"]) == 128 + signal)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("interrupted by signal \(signal)"), "\(fixture.console.stderr)")
    }

    /// mend27b: the marker is made in one place, `MarkedExec`'s initialiser, which `exec`, `shell`,
    /// `sync-deps` and the dashboard's shell and exec keys all go through: its token comes from the
    /// context's random source, and without one there is no marker and no pass-on.
    @Test func aMarkedExecDrawsItsMarkerFromTheRandomSource() throws {
        let fixture = fixture()
        #expect(MarkedExec(session: DockerSession(context: fixture.context, dryRun: false), cli: "docker").marker == Self.marker)
        fixture.randomToken = nil
        #expect(MarkedExec(session: DockerSession(context: fixture.context, dryRun: false), cli: "docker").marker == nil)
        // No marker: a plain `docker exec`, and a signal is not passed on (there is nothing to find the command by).
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(planner.exec(["sleep", "300"], interactive: true, terminal: false, container: "c1").argv,
                    exitCode: 0, sideEffect: { fixture.interruption = 15 })
        #expect(fixture.run(["exec", "sleep", "300"]) == 143)
        fixture.runner.verifyAllCalled()
    }

    /// break27: an interactive shell ignores SIGTERM (and a command may trap it): `devenv shell`
    /// ended by SIGTERM passed it on and left the shell running in the container for good. The
    /// pass-on now ends with SIGKILL what the signal did not end within the grace, and says so.
    @Test func whatTheSignalDidNotEndIsKilledAndSaid() throws {
        let fixture = fixture()
        let planner = try fixture.environment().planner
        let call = Self.marker.signalCall(cli: "docker", container: "c1", user: planner.userArgument, signal: 15)
        #expect(Array(call.argv.suffix(3)) == ["DEVENV_EXEC=\(Self.marker.token)", "15", String(ExecMarker.graceTenths)])
        #expect(call.argv.contains { $0.contains("kill -KILL") })
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(planner.exec(DockerPlanner.shellCommand, interactive: true, terminal: false, container: "c1", marker: Self.marker).argv,
                    exitCode: 0, sideEffect: { fixture.interruption = 15 })
            .expect(call.argv, stdout: "1 1\n")
        #expect(fixture.run(["shell"]) == 143)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: warning: 1 of the command's processes in c1 did not end within 2 s of signal 15: ended with SIGKILL"),
                "\(fixture.console.stderr)")
    }

    /// mend27b: a CLI that passes the signal on itself (Podman with containers/podman#29525
    /// signals the exec session's process group and exits 128+N once the command ended; Podman
    /// 4.3.1 and Docker's CLIs 20.10 and 28 do not: they end at once, 0 or 143, the command runs
    /// on) makes devenv's pass-on a second delivery. It finds nothing left ("0 0"), or a process
    /// still ending that gets the same signal again ("1 0"): either way devenv's status is the
    /// interruption's and it says nothing more than for a single delivery.
    @Test(arguments: ["0 0\n", "1 0\n"])
    func aSignalTheCLIPassedOnItselfIsPassedOnAgainHarmlessly(_ answer: String) throws {
        let fixture = fixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv, stdout: Self.running)
            .expect(planner.exec(["sleep", "300"], interactive: true, terminal: false, container: "c1", marker: Self.marker).argv,
                    stderr: "", exitCode: 143, sideEffect: { fixture.interruption = 15 })
            .expect(Self.marker.signalCall(cli: "docker", container: "c1", user: planner.userArgument, signal: 15).argv, stdout: answer)
        #expect(fixture.run(["exec", "sleep", "300"]) == 143)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr == "devenv: error: interrupted by signal 15; stopped cleanly\n", "\(fixture.console.stderr)")
    }

    @Test func onlyATokenOfHexDigitsMarks() {
        #expect(ExecMarker(token: "0123abcd") != nil)
        #expect(ExecMarker(token: "0123ABCD") == nil)
        #expect(ExecMarker(token: "0123abc") == nil)
        #expect(ExecMarker(token: "0123abc.*") == nil)
        #expect(ExecMarker(token: String(repeating: "a", count: 65)) == nil)
    }
}
