/// devenv's per-user state folder: what devenv remembers about the user's choices and
/// containers between runs (lifecycle records, allowed `initializeCommand`s). Never in the
/// project, which is code from elsewhere: an allowance stored there could be committed.
/// `$XDG_STATE_HOME/devenv` when XDG_STATE_HOME is absolute (the XDG Base Directory spec),
/// else `HOME/.local/state/devenv`.
public enum UserStateFolder {
    /// nil when neither XDG_STATE_HOME nor a home folder is known.
    public static func path(environment: [String: String], home: String?) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return ConfigPath.normalize(state) + "/devenv" }
        if let home = environment["HOME"], home.hasPrefix("/") { return ConfigPath.normalize(home) + "/.local/state/devenv" }
        if let home, home.hasPrefix("/") { return ConfigPath.normalize(home) + "/.local/state/devenv" }
        return nil
    }
}
