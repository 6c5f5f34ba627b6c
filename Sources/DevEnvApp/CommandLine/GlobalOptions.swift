/// The options every command takes (`CommandTable.globalOptions`), as parsed from argv:
/// `--project`, `--profile`, `--no-tui`, `--json`, `--dry-run`, `--quiet`/`--verbose`.
public struct GlobalOptions: Sendable, Hashable {
    public enum Verbosity: Sendable, Hashable { case quiet, normal, verbose }
    public var projectDirectory: String?
    public var profile: String?
    public var noTUI = false
    public var json = false
    public var dryRun = false
    public var verbosity: Verbosity = .normal
    /// `up`/`restart --allow-initialize`: allow this devcontainer.json's initializeCommand (`LifecycleHooks`).
    public var allowInitialize = false
    public init() {}
}
