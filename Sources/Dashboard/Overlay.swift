/// What covers the panes and takes the keys first.
public enum Overlay: Hashable, Sendable {
    case help
    /// `d`: y confirms.
    case confirmDown(profile: String)
    /// `D`: the profile name typed in full confirms (volumes hold the virtualenv and caches).
    case confirmDownVolumes(profile: String, typed: String)
    /// `e`: the command line being typed.
    case execPrompt(profile: String, text: String)
    /// `/` in the logs pane.
    case search(text: String)
    /// `q` while an action still runs.
    case confirmQuit
    /// `p`: every profile with its state; `highlighted` is the row the arrows are on (an
    /// index into `DashboardState.pickerRows`).
    case pickProfile(highlighted: Int)
}

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
