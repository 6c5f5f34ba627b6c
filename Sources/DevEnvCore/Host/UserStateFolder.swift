/// The one rule for where devenv keeps per-user state: `$XDG_STATE_HOME/devenv` when
/// XDG_STATE_HOME is absolute, else `HOME/.local/state/devenv` (the XDG Base Directory spec:
/// state that should persist between runs but is not the user's data or configuration, and a
/// relative value is to be ignored). Everything devenv remembers between runs lives there: the
/// project locks (`ProjectLock`), the container IDs it remembers (`ContainerMemory`), the IDs of
/// the images it built (`BuiltImages`), lifecycle records (`LifecycleRecord`) and allowed
/// `initializeCommand`s (`InitializeAllowance`). Never in the project, which is code from elsewhere (an allowance
/// stored there could be committed); not in `$XDG_RUNTIME_DIR`, which a login without
/// systemd, `sudo -u` or cron does not set, so two runs of one user could take two locks.
/// `ProjectLock.directory` (DevEnvSystem) creates it 0700 and refuses one others can write.
///
/// Before this rule the locks and container IDs were in `$XDG_RUNTIME_DIR/devenv` (else
/// `$XDG_CACHE_HOME/devenv`, else `~/.cache/devenv`); that folder is not read: a lock there
/// means nothing once its process ended, and a missing container ID only costs one lookup.
public enum UserStateFolder {
    /// nil when neither XDG_STATE_HOME nor a home folder is known.
    public static func path(environment: [String: String], home: String?) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return ConfigPath.normalize(state) + "/devenv" }
        if let home = environment["HOME"], home.hasPrefix("/") { return ConfigPath.normalize(home) + underHome }
        if let home, home.hasPrefix("/") { return ConfigPath.normalize(home) + underHome }
        return nil
    }

    /// Where under a home folder the folder is (`path`'s second and third rules).
    public static let underHome = "/.local/state/devenv"

    /// The home folder `folder` (what `path` gave) lies in; nil when it came from
    /// XDG_STATE_HOME, which is made where missing as the spec asks, or is not below a home.
    /// `ProjectLock.directory` makes no home folder (break30: HOME=/nonexistent was made).
    public static func home(of folder: String, environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return nil }
        guard folder.hasSuffix(underHome) else { return nil }
        let home = String(folder.dropLast(underHome.count))
        return home.isEmpty ? "/" : home
    }

    /// The hint when `tried` (what `path` gave) cannot be made, e.g. a read-only or missing
    /// HOME: XDG_STATE_HOME moves the folder (the first rule of `path`).
    public static func unwritableHint(tried: String) -> String {
        "devenv keeps its state in \(tried); set XDG_STATE_HOME to a folder you can write "
            + "(devenv then uses $XDG_STATE_HOME/devenv)"
    }
}
