/// A `FileSystem` that writes down every question asked of it, with the path's `FileStamp` taken
/// before the question: the inputs of a computation (the configuration reading), recorded as
/// it reads them rather than listed by hand, so that `FileObservation.holds` can later tell
/// whether the same computation would read the same things (`ConfigurationCache`).
///
/// Writes are not expected while recording: any write, a read that fails, or a path whose stamp
/// changes between two questions makes the recording `untrusted` (then nothing is kept).
public final class RecordingFileSystem: FileSystem, @unchecked Sendable {
    public let base: any FileSystem
    private let lock = Lock()
    private var observed: [FileObservation] = []
    private var seen: [FileObservation.Key: FileStamp?] = [:]
    private var doubt: String?

    public init(_ base: any FileSystem) {
        self.base = base
    }

    /// What was asked, first question of each kind and path first.
    public var observations: [FileObservation] { lock.withLock { observed } }

    /// Why the recording cannot stand for its inputs, nil when it can.
    public var untrusted: String? { lock.withLock { doubt } }

    private func note(_ kind: FileObservation.Kind, _ path: String, _ stamp: FileStamp?, answer: [String] = []) {
        lock.withLock {
            let key = FileObservation.Key(kind: kind, path: path)
            for other in FileObservation.Kind.allCases {
                if let earlier = seen[.init(kind: other, path: path)], !FileStamp.unchanged(earlier, stamp) {
                    doubt = doubt ?? "\(path) changed while it was read"
                }
            }
            guard seen[key] == nil else { return }
            seen[key] = stamp
            observed.append(FileObservation(kind: kind, path: path, stamp: stamp, answer: answer))
        }
    }

    private func distrust(_ reason: String) { lock.withLock { doubt = doubt ?? reason } }

    public func readFile(_ path: String) throws -> [UInt8]? {
        let stamp = base.stamp(of: path)
        do {
            let bytes = try base.readFile(path)
            // A file read without a stamp cannot be checked again (a port that cannot tell).
            if bytes != nil && stamp == nil { distrust("\(path) has no stamp") }
            if bytes == nil && stamp != nil { distrust("\(path) vanished while it was read") }
            note(.read, path, stamp)
            return bytes
        } catch {
            distrust("\(path) could not be read")
            throw error
        }
    }

    public func fileExists(_ path: String) -> Bool {
        let stamp = base.stamp(of: path)
        let exists = base.fileExists(path)
        note(.exists, path, stamp, answer: [exists ? "yes" : "no"])
        return exists
    }

    public func isDirectory(_ path: String) -> Bool {
        let stamp = base.stamp(of: path)
        let answer = base.isDirectory(path)
        note(.directory, path, stamp, answer: [answer ? "yes" : "no"])
        return answer
    }

    public func isExecutable(_ path: String) -> Bool {
        let stamp = base.stamp(of: path)
        let answer = base.isExecutable(path)
        note(.executable, path, stamp, answer: [answer ? "yes" : "no"])
        return answer
    }

    public func listDirectory(_ path: String) -> [String] {
        let stamp = base.stamp(of: path)
        let names = base.listDirectory(path)
        note(.listing, path, stamp, answer: names)
        return names
    }

    public func owner(of path: String) -> (uid: UInt32, gid: UInt32)? {
        let stamp = base.stamp(of: path)
        let owner = base.owner(of: path)
        note(.owner, path, stamp, answer: owner.map { ["\($0.uid)", "\($0.gid)"] } ?? [])
        return owner
    }

    public func permissions(of path: String) -> UInt32? {
        let stamp = base.stamp(of: path)
        let bits = base.permissions(of: path)
        note(.permissions, path, stamp, answer: bits.map { ["\($0)"] } ?? [])
        return bits
    }

    public func stamp(of path: String) -> FileStamp? {
        let stamp = base.stamp(of: path)
        note(.stamp, path, stamp)
        return stamp
    }

    public func canonicalPath(_ path: String) -> String? {
        let stamp = base.stamp(of: path)
        let resolved = base.canonicalPath(path)
        note(.canonical, path, stamp, answer: resolved.map { [$0] } ?? [])
        return resolved
    }

    public func symbolicLinkTarget(_ path: String) -> String? {
        let stamp = base.stamp(of: path)
        let target = base.symbolicLinkTarget(path)
        note(.link, path, stamp, answer: target.map { [$0] } ?? [])
        return target
    }

    public func resolutionFailure(_ path: String) -> String? {
        let stamp = base.stamp(of: path)
        let failure = base.resolutionFailure(path)
        note(.resolution, path, stamp, answer: failure.map { [$0] } ?? [])
        return failure
    }

    public func listingFailure(_ path: String) -> String? {
        let stamp = base.stamp(of: path)
        let failure = base.listingFailure(path)
        note(.listingFailure, path, stamp, answer: failure.map { [$0] } ?? [])
        return failure
    }

    /// Recorded as a read is (its stamp; a failure is never trusted).
    public func checkRegularFile(_ path: String) throws -> Bool {
        let stamp = base.stamp(of: path)
        do {
            let regular = try base.checkRegularFile(path)
            if regular && stamp == nil { distrust("\(path) has no stamp") }
            note(.read, path, stamp)
            return regular
        } catch {
            distrust("\(path) could not be read")
            throw error
        }
    }

    public func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws {
        distrust("\(path) was written")
        try base.writeFile(path, bytes, mode: mode)
    }

    public func removeFile(_ path: String) throws {
        distrust("\(path) was removed")
        try base.removeFile(path)
    }

    public func moveFile(_ path: String, to destination: String) throws {
        distrust("\(path) was moved")
        try base.moveFile(path, to: destination)
    }

    public func setOwner(_ path: String, uid: UInt32, gid: UInt32) throws {
        distrust("\(path) was given away")
        try base.setOwner(path, uid: uid, gid: gid)
    }
}
