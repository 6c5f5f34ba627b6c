import DevEnvCore
import DevEnvSystem

/// The first seconds of a started container (DockerPlanner.startWatchSeconds): one that exited
/// or restarted in them makes `up` fail with its exit code and last log lines. The container
/// is stopped (a restart policy would loop on) and kept, for `devenv logs`.
struct StartWatch {
    let session: DockerSession
    let planner: DockerPlanner
    let progress: Progress

    /// `afterwards`: what became of the container when it failed, for the message.
    func check(container id: String, name: String, afterwards: String = "it is stopped and kept") throws {
        guard planner.watchesStart, !session.dryRun else { return }
        progress.step("watching \(name) for \(DockerPlanner.startWatchSeconds)s (a command that fails at start exits now)")
        let watched = try session.attempt(planner.watchStart(container: id, now: WallClock.seconds()))
        try session.checkInterruption()
        let verdict = try session.run(planner.startVerdict(container: id), "inspecting \(name)").stdoutText
        let fields = verdict.split(whereSeparator: { $0 == " " || $0.isNewline }).map(String.init)
        guard fields.count == 3 else { return }
        // A container its restart policy has started again reports ExitCode 0 while it runs:
        // the code it died with is in the last `die` event the watch saw.
        let lastDeath = watched.stdoutText.split(whereSeparator: \.isNewline)
            .compactMap { ContainerEvent.parse($0)?.exitCode }.last
        let (status, restarts) = (fields[0], Int(fields[2]) ?? 0)
        let exitCode = lastDeath.map(String.init) ?? fields[1]
        guard status == "exited" || status == "dead" || status == "restarting" || restarts > 0 else { return }
        let detail = try LastLogLines.detail(of: id, planner: planner, session: session)
        var afterwards = afterwards
        if status != "exited" && status != "dead", (try? session.attempt(planner.stop(id: id)))?.succeeded != true {
            afterwards += "; devenv could not stop it (a restart policy may keep starting it): `\(planner.stop(id: id).shellQuoted)` stops it"
        }
        let restarted = restarts > 0 ? " and was restarted \(restarts) time\(restarts == 1 ? "" : "s")" : ""
        throw DevEnvError(.failure,
                          "\(name) exited with code \(exitCode) within \(DockerPlanner.startWatchSeconds)s of starting\(restarted); \(afterwards)",
                          hint: "fix the command it runs (the Dockerfile's CMD or `command` in devenv.toml), then run up again; `\(planner.spec.command("logs"))` shows all its output",
                          detail: detail)
    }
}
