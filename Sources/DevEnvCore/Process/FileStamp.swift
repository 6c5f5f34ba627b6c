/// A file's identity and last change as stat(2) reports them. Two reads of a path with equal
/// stamps read the same bytes (an editor's save changes the mtime, an atomic rename the inode).
public struct FileStamp: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Nanoseconds since the epoch.
    public var modified: Int64
    /// Nanoseconds since the epoch (metadata change: also moves on a rename into place).
    public var changed: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }
}

extension FileStamp {
    /// The one staleness rule (DESIGN.md 3.9: "one staleness function"): what was read under
    /// `recorded` may be used again when the path's stamp is `current` (nil: no such file).
    /// The in-process `CachedFileSystem` (each command, and the dashboard for its lifetime),
    /// the dashboard's host facts and the cross-run `ConfigurationCache` all ask this.
    public static func unchanged(_ recorded: FileStamp?, _ current: FileStamp?) -> Bool {
        recorded == current
    }

    /// How long a change may go unseen by a stamp: file systems keep times as coarse as one
    /// second (ext3, and FAT's two), so an edit within that span of the last one can leave
    /// every field of the stamp as it was (same size, same inode).
    public static let racyNanoseconds: Int64 = 2_000_000_000

    /// Git's "racy clean" rule: a stamp taken at `now` (wall clock, nanoseconds since the epoch)
    /// may stand for the bytes read under it across runs only when the file's last change is
    /// clearly older than the stamp; otherwise a same-size edit in the same tick could look
    /// unchanged. A change time in the future (clock skew) is never settled.
    public func isSettled(at now: Int64) -> Bool {
        max(modified, changed) < now - Self.racyNanoseconds
    }
}

