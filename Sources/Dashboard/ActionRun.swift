import DevEnvCore
import TerminalUI

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

    /// Output only: the phase comes as data (`DashboardMessage.actionPhase`), never read from
    /// this text, which the action's containers write too.
    public mutating func append(_ text: String) {
        output.append(bytes: Array(text.utf8))
        output.flush()
    }
}
