import TerminalUI

/// What a running action is doing now, read from its progress lines.
public enum ActionPhase: Hashable, Sendable { case building, starting, other }

/// One action (up, build, sync-deps...) on one environment: its output as it streams, its
/// elapsed time, and its exit status once it ended. The last lines stay after it ends.
public struct ActionRun: Sendable {
    public var action: DashboardAction
    public var profile: String
    public var startedAt: Double
    public var finishedAt: Double?
    /// nil while running.
    public var status: Int32?
    public var phase: ActionPhase = .other
    public var output = LogBuffer(capacity: 2000)
    public var view = LogViewState()

    public init(action: DashboardAction, profile: String, startedAt: Double) {
        self.action = action
        self.profile = profile
        self.startedAt = startedAt
    }

    public var isRunning: Bool { status == nil }

    public mutating func append(_ text: String) {
        output.append(bytes: Array(text.utf8))
        output.flush()
        // Progress lines of the subcommand ("devenv: building IMAGE", "devenv: starting NAME").
        for line in text.split(separator: "\n") where line.hasPrefix("devenv: ") {
            if line.hasPrefix("devenv: building") { phase = .building }
            if line.hasPrefix("devenv: starting") || line.hasPrefix("devenv: recreating") || line.hasPrefix("devenv: creating volume") {
                phase = .starting
            }
            if line.contains(": done in") { phase = .other }
        }
    }
}
