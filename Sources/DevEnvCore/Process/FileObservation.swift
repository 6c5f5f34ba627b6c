/// One question a `RecordingFileSystem` was asked: the path's stamp before it (nil: no such
/// file), and the answer where the stamp does not fix it.
public struct FileObservation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case read, exists, directory, executable, listing, owner, permissions, stamp, canonical, link, resolution, listingFailure
    }

    struct Key: Hashable {
        var kind: Kind
        var path: String
    }

    public var kind: Kind
    public var path: String
    public var stamp: FileStamp?
    /// The answer, for every question but a read or a stamp (whose stamp is their answer): a
    /// listing's names, a link's target, realpath's path (links on the way there are not in
    /// the path's own stamp), yes/no.
    public var answer: [String]

    public init(kind: Kind, path: String, stamp: FileStamp?, answer: [String] = []) {
        self.kind = kind
        self.path = path
        self.stamp = stamp
        self.answer = answer
    }

    /// Whether asking `fileSystem` now would give what was recorded: the stamp is
    /// `FileStamp.unchanged`, and the answer is the same when the stamp alone does not fix it.
    public func holds(on fileSystem: any FileSystem) -> Bool {
        guard FileStamp.unchanged(stamp, fileSystem.stamp(of: path)) else { return false }
        switch kind {
        case .read, .stamp: return true
        case .exists: return answer == [fileSystem.fileExists(path) ? "yes" : "no"]
        case .directory: return answer == [fileSystem.isDirectory(path) ? "yes" : "no"]
        case .executable: return answer == [fileSystem.isExecutable(path) ? "yes" : "no"]
        case .listing: return answer == fileSystem.listDirectory(path)
        case .owner: return answer == (fileSystem.owner(of: path).map { ["\($0.uid)", "\($0.gid)"] } ?? [])
        case .permissions: return answer == (fileSystem.permissions(of: path).map { ["\($0)"] } ?? [])
        case .canonical: return answer == (fileSystem.canonicalPath(path).map { [$0] } ?? [])
        case .link: return answer == (fileSystem.symbolicLinkTarget(path).map { [$0] } ?? [])
        case .resolution: return answer == (fileSystem.resolutionFailure(path).map { [$0] } ?? [])
        case .listingFailure: return answer == (fileSystem.listingFailure(path).map { [$0] } ?? [])
        }
    }

    /// Git's racy-clean rule for this input (`FileStamp.isSettled`): an absent path is settled.
    public func isSettled(at now: Int64) -> Bool {
        stamp?.isSettled(at: now) ?? true
    }
}
