/// One finding of `devenv doctor`: ok, warn or fail, one line of why and one of how to fix.
public struct DoctorCheck: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Comparable {
        case ok, warn, fail

        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .ok ? 0 : self == .warn ? 1 : 2 }
    }

    /// Stable identifier (scripts read `--json`): docker-cli, engine, versions, buildkit,
    /// engine-mode, host-user, image-users, volumes, env-files, secrets, prod-profile, stages,
    /// build-context,
    /// disk, config.
    public var id: String
    public var status: Status
    /// One line: what was found and why it matters.
    public var summary: String
    /// One line: how to fix it; nil when there is nothing to do.
    public var fix: String?

    public init(_ id: String, _ status: Status, _ summary: String, fix: String? = nil) {
        self.id = id
        self.status = status
        self.summary = summary
        self.fix = fix
    }
}
