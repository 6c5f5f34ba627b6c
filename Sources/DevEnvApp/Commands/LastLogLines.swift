import DevEnvCore

/// The last lines of a container that failed as it started (the app's within its start watch,
/// a service before it was healthy), for the error's detail (README: "its exit code and last
/// 15 log lines").
enum LastLogLines {
    /// How many lines.
    static let count = 15

    /// `docker logs --tail 15` of container `id` (its stdout's lines, then its stderr's) as an
    /// error's detail: "its last lines:" and each line indented, as plain text
    /// (`TerminalSafeText.plainLine`: no escape sequences), or "(no output)". Throws what the
    /// session throws (an interruption, an engine that does not answer).
    static func detail(of id: String, planner: DockerPlanner, session: DockerSession) throws -> String {
        let logs = try session.attempt(planner.lastLogLines(container: id, count: count))
        return detail(stdout: logs.stdoutText, stderr: logs.stderrText)
    }

    /// The detail of `detail(of:)` from the two streams docker gave. Each stream is split into
    /// lines on its own: a last stdout line without a newline (`printf`, a crash mid-line) is a
    /// line of its own, not glued to stderr's first.
    static func detail(stdout: String, stderr: String) -> String {
        let lines = (stdout.split(whereSeparator: \.isNewline) + stderr.split(whereSeparator: \.isNewline)).suffix(count)
            .map { "  " + TerminalSafeText.plainLine(Array($0.utf8)) }
        return lines.isEmpty ? "(no output)" : "its last lines:\n" + lines.joined(separator: "\n")
    }
}
