import DevEnvCore

/// The last lines of a container that failed as it started (the app's within its start watch,
/// a service before it was healthy), for the error's detail (README: "its exit code and last
/// 15 log lines").
enum LastLogLines {
    /// How many lines.
    static let count = 15

    /// `docker logs --tail 15` of container `id` (its stdout, then its stderr) as an error's
    /// detail: "its last lines:" and each line indented, as plain text
    /// (`TerminalSafeText.plainLine`: no escape sequences), or "(no output)". Throws what the
    /// session throws (an interruption, an engine that does not answer).
    static func detail(of id: String, planner: DockerPlanner, session: DockerSession) throws -> String {
        let logs = try session.attempt(planner.lastLogLines(container: id, count: count))
        let lines = (logs.stdoutText + logs.stderrText).split(whereSeparator: \.isNewline).suffix(count)
            .map { "  " + TerminalSafeText.plainLine(Array($0.utf8)) }
        return lines.isEmpty ? "(no output)" : "its last lines:\n" + lines.joined(separator: "\n")
    }
}
