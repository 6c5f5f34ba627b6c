
/// A `FileSystem` that reads each file once while it stays the same, and decodes each TOML
/// file once: one command reads devenv.toml, pyproject.toml and every profile file once
/// however many profiles it resolves (issue 14), and the dashboard, which keeps one for its
/// lifetime, reads a file again only when its `FileStamp` changed.
///
/// A file is reused only when the port gives it a stamp that is `FileStamp.unchanged` from the one it had when read;
/// without stamps (or for absent files) every call goes through. Writes go through and forget
/// what was cached for that path.
public final class CachedFileSystem: FileSystem, @unchecked Sendable {
    public let base: any FileSystem
    private let store: Store

    /// What was read and decoded, with the stamps it was read under: shared by a cache and the
    /// one `wrapping` puts over a recording of it.
    private final class Store: @unchecked Sendable {
        let lock = Lock()
        /// The wall clock in nanoseconds since the epoch (file times are on it), for `keeps`;
        /// nil: every stamp is trusted (a test double's file system).
        let clock: (@Sendable () -> Int64)?
        init(clock: (@Sendable () -> Int64)?) { self.clock = clock }
        var bytes: [String: (stamp: FileStamp, bytes: [UInt8])] = [:]
        var documents: [DocumentKey: (stamp: FileStamp, result: Result<TOMLTable, DecodeError>)] = [:]
    }

    private struct DocumentKey: Hashable {
        var path: String
        /// The name locations carry (`devenv.toml`): part of what was decoded.
        var shown: String
    }

    /// `base` itself when it already caches (the dashboard's cache serves the commands it runs).
    /// Over a `RecordingFileSystem` of a cache, a cache that asks through the recording (so
    /// every stamp it compares is recorded) and reuses what that cache holds: a reading the
    /// `ConfigurationCache` records still decodes only the files that changed (the dashboard).
    /// `clock`: the wall clock for git's racy-clean rule (`keeps`), for a new cache.
    public static func wrapping(_ base: any FileSystem, clock: (@Sendable () -> Int64)? = nil) -> CachedFileSystem {
        // The metatype first: a failing `as?` from the protocol to a class makes the runtime
        // look for a bridging conformance of the real type (LocalFileSystem), a scan of every
        // conformance in the binary, about 0.2 M instructions on each command (issue 14).
        if type(of: base) == CachedFileSystem.self, let cached = base as? CachedFileSystem { return cached }
        if type(of: base) == RecordingFileSystem.self, let recording = base as? RecordingFileSystem,
           type(of: recording.base) == CachedFileSystem.self, let cached = recording.base as? CachedFileSystem {
            return CachedFileSystem(recording, store: cached.store)
        }
        return CachedFileSystem(base, clock: clock)
    }

    public convenience init(_ base: any FileSystem, clock: (@Sendable () -> Int64)? = nil) {
        self.init(base, store: Store(clock: clock))
    }

    private init(_ base: any FileSystem, store: Store) {
        self.base = base
        self.store = store
    }

    private var lock: Lock { store.lock }

    /// Whether what was just read under `stamp` may be reused while the stamp stays the same:
    /// git's racy-clean rule (`FileStamp.isSettled`), taken at the read. A file changed within a
    /// stamp's granularity of the read can change again without moving it (a coarse clock, an
    /// in-place save of the same size), and a kept copy would then stand for other bytes for
    /// good: in the dashboard for its lifetime, and through it in a `ConfigurationCache` entry
    /// (which records only the stamp of a file this cache serves) for every later run (review27).
    /// Such a file is read again until a read comes after its last change has settled.
    private func keeps(_ stamp: FileStamp) -> Bool {
        guard let clock = store.clock else { return true }
        return stamp.isSettled(at: clock())
    }

    public func readFile(_ path: String) throws -> [UInt8]? {
        let stamp = base.stamp(of: path)
        if let stamp, let cached = lock.withLock({ store.bytes[path] }), FileStamp.unchanged(cached.stamp, stamp) { return cached.bytes }
        let read = try base.readFile(path)
        // The stamp was taken before reading: a change while reading shows as a new stamp next time.
        if let stamp, let read, keeps(stamp) { lock.withLock { store.bytes[path] = (stamp, read) } }
        return read
    }

    /// The file decoded as TOML with locations naming it `shown`; nil when it is absent.
    /// Throws the decoder's `DecodeError` (remembered like a result) or the read error.
    public func toml(_ path: String, shown: String) throws -> TOMLTable? {
        let key = DocumentKey(path: path, shown: shown)
        let stamp = base.stamp(of: path)
        if let stamp, let cached = lock.withLock({ store.documents[key] }), FileStamp.unchanged(cached.stamp, stamp) {
            return try cached.result.get()
        }
        guard let read = try readFile(path) else { return nil }
        let result = Result { () throws(DecodeError) -> TOMLTable in try TOMLDecoder.decode(read, file: shown) }
        if let stamp, keeps(stamp) { lock.withLock { store.documents[key] = (stamp, result) } }
        return try result.get()
    }

    public func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    public func isDirectory(_ path: String) -> Bool { base.isDirectory(path) }
    public func isExecutable(_ path: String) -> Bool { base.isExecutable(path) }
    public func listDirectory(_ path: String) -> [String] { base.listDirectory(path) }
    public func owner(of path: String) -> (uid: UInt32, gid: UInt32)? { base.owner(of: path) }
    public func permissions(of path: String) -> UInt32? { base.permissions(of: path) }
    public func stamp(of path: String) -> FileStamp? { base.stamp(of: path) }
    public func canonicalPath(_ path: String) -> String? { base.canonicalPath(path) }
    public func symbolicLinkTarget(_ path: String) -> String? { base.symbolicLinkTarget(path) }
    public func resolutionFailure(_ path: String) -> String? { base.resolutionFailure(path) }
    public func listingFailure(_ path: String) -> String? { base.listingFailure(path) }
    /// Not cached: the file is another program's to read, and is checked as it is now.
    public func checkRegularFile(_ path: String) throws -> Bool { try base.checkRegularFile(path) }

    public func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws {
        forget(path)
        defer { forget(path) }
        try base.writeFile(path, bytes, mode: mode)
    }

    public func removeFile(_ path: String) throws {
        forget(path)
        try base.removeFile(path)
    }

    public func moveFile(_ path: String, to destination: String) throws {
        forget(path)
        forget(destination)
        try base.moveFile(path, to: destination)
    }

    public func setOwner(_ path: String, uid: UInt32, gid: UInt32) throws {
        try base.setOwner(path, uid: uid, gid: gid)
    }

    private func forget(_ path: String) {
        lock.withLock {
            store.bytes[path] = nil
            store.documents = store.documents.filter { $0.key.path != path }
        }
    }
}
