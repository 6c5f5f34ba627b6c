#if canImport(Glibc)
import Glibc
#endif
import DevEnvCore

/// `FileChangeWatching` with Linux's inotify: one non-blocking, close-on-exec descriptor,
/// one watch per folder. Editors save by writing in place (IN_CLOSE_WRITE) or by writing a
/// new file and renaming it over the old one (IN_MOVED_TO), so folders are watched, not files.
/// A watch follows the folder's inode: one removed or renamed away is dropped (the kernel's
/// IN_IGNORED, or IN_MOVE_SELF: a renamed folder's events would otherwise carry its old path),
/// and its path reported, so the caller can watch what now stands there.
public final class InotifyWatcher: FileChangeWatching, @unchecked Sendable {
    public private(set) var descriptor: Int32
    private var folders: [Int32: String] = [:]

    public var watchedFolders: Set<String> { Set(folders.values) }

    /// Throws when inotify is not available (no descriptors left, a kernel without it).
    public init() throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            throw DevEnvError.failure("cannot watch files: inotify_init1 failed: \(String(cString: strerror(errno)))")
        }
    }

    static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)

    @discardableResult
    public func watch(folder: String) -> Bool {
        guard descriptor >= 0 else { return false }
        let wd = inotify_add_watch(descriptor, folder, Self.mask | UInt32(IN_ONLYDIR))
        guard wd >= 0 else { return false }
        // The same folder again gives the same number (its mask replaced): one entry each.
        folders[wd] = folder
        return true
    }

    public func unwatch(folder: String) {
        guard descriptor >= 0 else { return }
        for (wd, watched) in folders where watched == folder {
            _ = inotify_rm_watch(descriptor, wd)
            folders[wd] = nil
        }
    }

    public func changes() -> [String] {
        guard descriptor >= 0 else { return [] }
        var changed: [String] = []
        // struct inotify_event: int wd; uint32_t mask, cookie, len; char name[len] (NUL-padded).
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            var offset = 0
            while offset + 16 <= n {
                func word(_ at: Int) -> UInt32 {
                    UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24
                }
                let wd = Int32(bitPattern: word(offset))
                let mask = word(offset + 4)
                let length = Int(word(offset + 12))
                let nameBytes = buffer[(offset + 16)..<min(n, offset + 16 + length)].prefix { $0 != 0 }
                offset += 16 + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    // Events were lost: say every folder changed, and let the caller look again.
                    changed += folders.values.sorted()
                    continue
                }
                if mask & UInt32(IN_IGNORED | IN_MOVE_SELF | IN_DELETE_SELF) != 0 {
                    // The folder itself went (removed, or renamed: its watch would follow it to
                    // the new name). Dropped; IN_IGNORED follows a removal and an inotify_rm_watch.
                    guard let folder = folders[wd] else { continue }
                    if mask & UInt32(IN_MOVE_SELF) != 0 { _ = inotify_rm_watch(descriptor, wd) }
                    folders[wd] = nil
                    changed.append(folder)
                    continue
                }
                guard let folder = folders[wd], !nameBytes.isEmpty else { continue }
                let name = String(decoding: nameBytes, as: UTF8.self)
                changed.append(folder == "/" ? "/" + name : folder + "/" + name)
            }
        }
        return changed
    }

    public func close() {
        guard descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        descriptor = -1
        folders = [:]
    }

    deinit { close() }
}
