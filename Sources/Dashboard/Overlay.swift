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
}

/// Which pane Up/Down and the pane keys act on.
public enum Pane: Hashable, Sendable, CaseIterable {
    case environments, logs, action

    /// Enter and Tab go round: environments, logs, action.
    public var next: Pane {
        switch self {
        case .environments: .logs
        case .logs: .action
        case .action: .environments
        }
    }
}
