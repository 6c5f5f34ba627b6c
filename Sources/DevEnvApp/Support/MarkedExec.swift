#if canImport(Glibc)
import Glibc
#endif
import DevEnvCore
import DevEnvSystem

/// A `docker exec` whose command's processes carry an `ExecMarker`, so that a signal that ends
/// devenv while the command runs reaches them too: `docker exec` and `podman exec` end without
/// them (moby/moby#9098, containers/podman#19486), and the command would run on in the
/// container (`exec`, `shell`, `sync-deps`'s `uv sync`, which would go on writing the venv
/// beside the next run). The one place that decides when to pass a signal on and how.
///
/// Every marked `docker exec` starts here: `MarkedExec(session:cli:)` draws the marker, the caller
/// plans its invocation with `marker`, and `run` passes a signal on by that same marker.
///
/// Not covered: SIGKILL of devenv (it cannot be caught). The `docker exec` CLI, devenv's child,
/// is not killed with it and goes on relaying the command until the command ends or the CLI
/// gets the terminal's SIGHUP; after that the command runs on in the container. A later devenv
/// does not end such commands (mend28, left on purpose): the processes carry only the call's
/// random token, so without a record of which devenv made each token (written before every
/// exec, read by every later command of the environment: a write and a removal on exec's path,
/// whose own overhead is issue 14's 1.10 goal, and a state-folder listing on every command) it
/// cannot tell them from another devenv's exec still running in another terminal, which it must
/// not end. `docker top CONTAINER` shows them; the marker (`DEVENV_EXEC=` in their environment)
/// names them.
struct MarkedExec {
    let session: DockerSession
    /// The client devenv runs (`docker`, `podman`): the pass-on call goes through the same one.
    let cli: String
    /// What the command's processes carry (`--env DEVENV_EXEC=TOKEN`): a fresh token for each
    /// command, from the context's random source. Nil when there is none (tests that do not test
    /// it): the command then runs as a plain `docker exec`, with no pass-on.
    let marker: ExecMarker?

    /// The one place a marker is made: pass `marker` to the planner's `exec`, then `run` it.
    init(session: DockerSession, cli: String) {
        self.session = session
        self.cli = cli
        marker = session.context.randomToken().flatMap(ExecMarker.init(token:))
    }

    /// Runs `invocation` (planned with `marker`); when a signal ended devenv meanwhile (any that
    /// devenv sees: Ctrl-C and Ctrl-\ reach a command that has the terminal through it, not
    /// devenv), passes it on to the marked processes in `container` (an ID, or the name devenv
    /// gives it) as `user` (the one the command runs as: nobody else may signal them), then
    /// throws `interrupted`, as any command ends then (128+signal): the CLI's own status says
    /// nothing then (Docker 20.10's exits 0 on SIGTERM). `marker` nil: no pass-on.
    func run(_ invocation: ProcessInvocation, in container: String, as user: String?,
             onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)? = nil) throws -> ProcessResult {
        let result: ProcessResult
        do {
            result = try session.attempt(invocation, onOutput: onOutput)
        } catch {
            if let marker, let signal = session.context.interruption() { passOn(signal, marker: marker, in: container, as: user) }
            throw error
        }
        guard let signal = session.context.interruption() else {
            try checkEngine(after: invocation, result)
            return result
        }
        if let marker { passOn(signal, marker: marker, in: container, as: user) }
        throw DevEnvError.interrupted(by: signal)
    }

    /// 255 is the docker CLI's own status when its connection to the engine broke under it
    /// ("unexpected EOF": the engine died or restarted), and also a command's own (ssh's). The
    /// engine is asked once (`DockerPlanner.answerCheck`, as at a deadline): no engine is exit 3,
    /// as for any call, not the command's status with one line of docker's (break27: `exec`
    /// exit 255, `sync-deps` "failed (docker exit 255)"); an answer leaves 255 the command's.
    private func checkEngine(after invocation: ProcessInvocation, _ result: ProcessResult) throws {
        guard result.exitCode == 255, !session.dryRun, let check = DockerPlanner.answerCheck(for: invocation.argv) else { return }
        let call = ProcessInvocation(check)
        let answer = try session.attempt(call)
        guard !answer.succeeded else { return }
        let failure = DockerFailure.error("asking the engine", invocation: call, result: answer)
        guard failure.exitCode == .noEngine else { return }
        throw DevEnvError(.noEngine, "\(failure.message): the engine went away while `\(invocation.argv.prefix(2).joined(separator: " "))` ran "
                              + "(docker exit 255); what became of the command in the container is not known",
                          hint: failure.hint, detail: failure.detail)
    }

    /// One `docker exec` that signals the marked processes (clean-up: bounded by the deadline after
    /// an interruption). When it fails, devenv says the command may still run there, and where;
    /// but not when the container cannot run it (`ExecMarker.cannotRun`: no `sh`, a distroless or
    /// scratch image): there devenv's exec is a plain `docker exec`, which passes nothing on.
    private func passOn(_ received: Int32, marker: ExecMarker, in container: String, as user: String?) {
        // SIGQUIT asks for a core dump, SIGUSR1 what the command chooses: it is asked to end, as devenv's children are.
        let signal = ChildProcesses.passedOn(received)
        let call = marker.signalCall(cli: cli, container: container, user: user, signal: signal)
        let signalsBefore = session.context.interruptionCount()
        let result: ProcessResult
        do {
            result = try session.attempt(call, cleanup: true)
        } catch {
            return say(ErrorReport.devEnvError(error).message)
        }
        // A second signal ends the pass-on's own CLI (a clean-up call, ended then as every call
        // under way): its failure is not the engine's answer, and the signal may have reached
        // the command already. Said as that, not as "could not pass" (mend28).
        if !result.succeeded, session.context.interruptionCount() > signalsBefore {
            let shown = EngineID.shown(container)
            return session.context.console.writeError(ErrorReport.warning("another signal cut short the pass-on of signal \(signal) "
                + "to the command in \(shown): it may have reached it, or the command may still run there: `\(cli) top \(shown)` shows it"))
        }
        if !result.succeeded && !ExecMarker.cannotRun(result.exitCode) {
            let said = result.stderrText.split(whereSeparator: \.isNewline).last.map(String.init)
            say(said.map { "\($0), exit \(result.exitCode)" } ?? "exit \(result.exitCode)")
        }
        // Those the signal did not end (a shell ignores SIGTERM) got SIGKILL: said, as they lost their clean-up.
        if let killed = ExecMarker.killedCount(result.stdoutText), killed > 0 {
            session.context.console.writeError(ErrorReport.warning("\(killed) of the command's processes in \(EngineID.shown(container)) "
                + "did not end within \(ExecMarker.graceText) of signal \(signal): ended with SIGKILL"))
        }

        func say(_ why: String) {
            let shown = EngineID.shown(container)
            session.context.console.writeError(ErrorReport.warning("could not pass signal \(signal) on to the command in \(shown) (\(why)); "
                + "it may still run there: `\(cli) top \(shown)` shows it"))
        }
    }
}
