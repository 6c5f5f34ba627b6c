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
