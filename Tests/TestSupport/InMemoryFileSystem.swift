import DevEnvCore
import Foundation

/// A `FileSystem` in memory for unit tests: files by absolute path; folders exist implicitly
/// as the parents of files, or explicitly through `addDirectory`.
public final class InMemoryFileSystem: FileSystem, @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: (bytes: [UInt8], mode: UInt32, owner: (uid: UInt32, gid: UInt32))] = [:]
    private var directories: Set<String> = ["/"]
    /// Paths whose reading fails (to test error reporting).
    public var unreadable: Set<String> = []
    /// Folders in which writing a file fails (a full disk, a read-only folder or file system).
    public var unwritableFolders: Set<String> = []
    /// Folders in which removing a file fails too (a read-only file system; on a full disk
    /// unlink still works). Writing fails there as in `unwritableFolders`.
    public var readOnlyFolders: Set<String> = []
    /// Successful reads by path (tests assert that configuration is read once).
    private var reads: [String: Int] = [:]
    /// Bumped on every change: a file's stamp carries the generation of its last change.
    private var generation: Int64 = 0
    private var changedAt: [String: Int64] = [:]

    public struct ReadFailure: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "permission denied: \(path)" }
    }

    public init(_ files: [String: String] = [:]) {
        for (path, text) in files { addFile(path, text) }
    }

    /// `mode`: the permission bits (0o755 for a program `ProgramSearch` may find).
    public func addFile(_ path: String, _ text: String, owner: (uid: UInt32, gid: UInt32) = (1000, 1000), mode: UInt32 = 0o644) {
        lock.withLock {
            files[path] = (Array(text.utf8), mode, owner)
            touch(path)
            addParents(of: path)
        }
    }

    public func remove(_ path: String) {
        _ = lock.withLock { files.removeValue(forKey: path) }
    }

    public func removeFile(_ path: String) throws {
        if let slash = path.lastIndex(of: "/"), readOnlyFolders.contains(String(path[..<slash])) { throw ReadFailure(path: path) }
        remove(path)
    }

    public func moveFile(_ path: String, to destination: String) throws {
        try lock.withLock {
            guard let file = files.removeValue(forKey: path) else { throw ReadFailure(path: path) }
            files[destination] = file
            touch(destination)
        }
    }

    /// How many times `path` was read (successfully) so far.
    public func readCount(_ path: String) -> Int { lock.withLock { reads[path] ?? 0 } }

    /// Every path read so far, with its count.
    public func readCounts() -> [String: Int] { lock.withLock { reads } }

    /// Every path read more than once, with its count.
    public func repeatedReads() -> [String: Int] { lock.withLock { reads.filter { $0.value > 1 } } }

    public func stamp(of path: String) -> FileStamp? {
        lock.withLock {
            guard let file = files[path], let changed = changedAt[path] else { return nil }
            return FileStamp(device: 1, inode: UInt64(bitPattern: Int64(path.hashValue)), size: Int64(file.bytes.count),
                             modified: changed, changed: changed)
        }
    }

    private func touch(_ path: String) {
        generation += 1
        changedAt[path] = generation
    }

    public func addDirectory(_ path: String) {
        lock.withLock {
            directories.insert(path)
            addParents(of: path)
        }
    }

    private func addParents(of path: String) {
        var current = path
        while let slash = current.lastIndex(of: "/"), slash != current.startIndex {
            current = String(current[..<slash])
            directories.insert(current)
        }
    }

    public func text(_ path: String) -> String? {
        lock.withLock { files[path].map { String(decoding: $0.bytes, as: UTF8.self) } }
    }

    public func mode(_ path: String) -> UInt32? { lock.withLock { files[path]?.mode } }

    public func readFile(_ path: String) throws -> [UInt8]? {
        try lock.withLock {
            if unreadable.contains(path) { throw ReadFailure(path: path) }
            guard let bytes = files[path]?.bytes else { return nil }
            reads[path, default: 0] += 1
            return bytes
        }
    }

    public func fileExists(_ path: String) -> Bool {
        lock.withLock { files[path] != nil || directories.contains(path) }
    }

    public func isDirectory(_ path: String) -> Bool { lock.withLock { directories.contains(path) } }

    /// A file (not a folder) with any execute bit: in memory the user may run what anyone may.
    public func isExecutable(_ path: String) -> Bool { lock.withLock { (files[path]?.mode ?? 0) & 0o111 != 0 } }

    public func listDirectory(_ path: String) -> [String] {
        lock.withLock {
            if unreadable.contains(path) { return [] }
            let prefix = path == "/" ? "/" : path + "/"
            var names = Set<String>()
            for candidate in Array(files.keys) + Array(directories) where candidate.hasPrefix(prefix) && candidate != path {
                if let name = candidate.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(name)) }
            }
            return names.sorted()
        }
    }

    /// No symbolic links in memory: none.
    public func symbolicLinkTarget(_ path: String) -> String? { nil }

    /// No permissions or path limits in memory: none.
    public func resolutionFailure(_ path: String) -> String? { nil }

    /// No links in memory: a path is canonical as it is.
    public func canonicalPath(_ path: String) -> String? { fileExists(path) ? path : nil }

    /// No file kinds or size limit in memory: as `readFile` finds it.
    public func checkRegularFile(_ path: String) throws -> Bool { try readFile(path) != nil }

    public func listingFailure(_ path: String) -> String? {
        lock.withLock { unreadable.contains(path) && directories.contains(path) ? "permission denied" : nil }
    }

    public func owner(of path: String) -> (uid: UInt32, gid: UInt32)? {
        lock.withLock {
            if let file = files[path] { return file.owner }
            return directories.contains(path) ? (1000, 1000) : nil
        }
    }

    public func permissions(of path: String) -> UInt32? {
        lock.withLock {
            if let file = files[path] { return file.mode }
            return directories.contains(path) ? 0o755 : nil
        }
    }

    /// Sets a file's permission bits (e.g. an env file readable by others).
    /// Like chmod(2), it moves the file's change time (its stamp).
    public func setPermissions(_ path: String, _ mode: UInt32) {
        lock.withLock {
            files[path]?.mode = mode
            touch(path)
        }
    }

    public func setOwner(_ path: String, uid: UInt32, gid: UInt32) throws {
        lock.withLock {
            files[path]?.owner = (uid, gid)
            touch(path)
        }
    }

    /// Sets the time in the file's stamp (nanoseconds, both mtime and ctime), as a coarse file
    /// system or a clock can leave it: a later edit within the same tick keeps the stamp's time.
    public func setChangeTime(_ path: String, _ nanoseconds: Int64) {
        lock.withLock { changedAt[path] = nanoseconds }
    }

    /// Replaces the file's bytes without moving its stamp's time (an edit within the same tick
    /// of a coarse clock); the size is part of the stamp as on a real file system.
    public func overwriteKeepingTime(_ path: String, _ text: String) {
        lock.withLock { files[path]?.bytes = Array(text.utf8) }
    }

    public func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws {
        if let slash = path.lastIndex(of: "/"), unwritableFolders.contains(String(path[..<slash]))
            || readOnlyFolders.contains(String(path[..<slash])) {
            throw ReadFailure(path: path)
        }
        lock.withLock {
            files[path] = (bytes, mode, (1000, 1000))
            touch(path)
            addParents(of: path)
        }
    }
}
