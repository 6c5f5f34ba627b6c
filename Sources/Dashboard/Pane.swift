/// Which pane Up/Down and the pane keys act on.
public enum Pane: Hashable, Sendable, CaseIterable {
    case environments, details, logs, action

    /// Enter and Tab go round: environments, details, logs, action.
    public var next: Pane {
        switch self {
        case .environments: .details
        case .details: .logs
        case .logs: .action
        case .action: .environments
        }
    }

    /// Shift-Tab: the other way round.
    public var previous: Pane {
        switch self {
        case .environments: .action
        case .details: .environments
        case .logs: .details
        case .action: .logs
        }
    }

    public var title: String {
        switch self {
        case .environments: "environments"
        case .details: "details"
        case .logs: "logs"
        case .action: "action"
        }
    }
}
