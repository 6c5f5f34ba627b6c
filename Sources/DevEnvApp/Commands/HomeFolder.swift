import DevEnvCore

/// The synced user's HOME in a started container (`DockerPlanner.giveHome`): made and given
/// to them when the image lacks it. Not being able to is a warning, not a failure of `up`: the
/// environment runs, only files under HOME cannot be written (a read-only container, an image
/// without `sh`).
struct HomeFolder {
    let session: DockerSession
    let planner: DockerPlanner
    let progress: Progress
    let console: any Console

    /// Throws only what stops devenv anyway (an interruption, no engine).
    func ensure() throws {
        guard !session.dryRun, let invocation = planner.giveHome() else { return }
        let user = planner.userArgument ?? "the user"
        let result = try session.attempt(invocation)
        let home = result.stdoutText.trimmingWhitespace
        if result.succeeded {
            if !home.isEmpty { progress.step("made \(TerminalSafeText.escaping(home, keepingLineBreaks: false)) the home of \(user) (the image lacks it)") }
            return
        }
        let why = (result.stderrText + result.stdoutText).split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit \(result.exitCode)"
        console.writeError(ErrorReport.warning("could not make the home folder of \(user) in \(planner.names.container): \(TerminalSafeText.escaping(why, keepingLineBreaks: false))"))
    }
}
