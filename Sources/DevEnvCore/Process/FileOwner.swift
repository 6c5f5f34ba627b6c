/// Who made a file that devenv leaves in its state folder only while it runs, and that only
/// its maker removes: a build's `--iidfile` (`BuiltImages`), an atomic write's temporary file
/// (`LocalFileSystem.writeFile`). The maker is named `PID.START` (START: when that process
/// started, clock ticks since boot, `ProcessStart.of`), or `PID` where devenv cannot tell; the
/// file of a maker that is gone (a devenv killed by SIGKILL, a crash, a closed machine) is
/// swept by the next devenv. Gone: no process has the PID, or one that started at another time
/// has it (PID reuse: a reused PID keeps nothing); a name with only a PID stays while its PID
/// runs. The one rule for every such file (27dca77 for --iidfiles; mend27a for temporary files).
public enum FileOwner {
    /// `PID.START`, or `PID` when `started` is nil.
    public static func name(_ pid: Int32, started: UInt64?) -> String {
        started.map { "\(pid).\($0)" } ?? "\(pid)"
    }

    /// Whether the maker `owner` (`name`'s form) no longer runs, asked of `started` (a PID's
    /// start, nil when no process has it); nil when `owner` is no such name.
    public static func isGone(_ owner: Substring, started: (Int32) -> UInt64?) -> Bool? {
        let parts = owner.split(separator: ".", omittingEmptySubsequences: false)
        guard let pid = Int32(parts[0]), pid > 0, parts.count <= 2,
              parts.count == 1 || UInt64(parts[1]) != nil else { return nil }
        let running = started(pid)
        return parts.count == 2 ? running.map(String.init) != String(parts[1]) : running == nil
    }

    /// What an atomic write's temporary file adds to the path it is written for.
    public static let temporaryMarker = ".devenv-tmp-"

    /// The temporary file an atomic write of `path` by `owner` (`name`) goes through.
    public static func temporaryFile(for path: String, owner: String) -> String {
        path + temporaryMarker + owner
    }

    /// The maker named in a temporary file's name (`temporaryFile`), nil for any other name.
    public static func temporaryOwner(_ fileName: String) -> Substring? {
        var rest = fileName[...]
        var owner: Substring?
        while let marker = rest.firstRange(of: temporaryMarker) {
            rest = rest[marker.upperBound...]
            owner = rest
        }
        return owner?.isEmpty == false ? owner : nil
    }
}
