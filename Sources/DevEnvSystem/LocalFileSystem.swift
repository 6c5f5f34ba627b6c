import DevEnvCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system behind the core's `FileSystem` port, on plain POSIX calls.
public struct LocalFileSystem: FileSystem {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var operation: String
        public var code: Int32
        public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    public init() {}

    /// The most devenv reads of any one file (configuration, env files, Dockerfiles, uv.lock):
    /// 16 MiB. Configuration has its own, smaller limit (`ConfigLimits`).
    public static let maximumFileSize = 16 << 20

    /// Reads only regular files: a FIFO, a device (/dev/zero), a socket or a folder is refused
    /// with exit 2 naming it, before a byte is read (opened O_NONBLOCK, so that even a FIFO with
    /// no writer cannot block the open). A file larger than `maximumFileSize` is refused too.
    public func readFile(_ path: String) throws -> [UInt8]? {
        guard let (fd, info) = try openRegularFile(path) else { return nil }
        defer { close(fd) }
        guard Int(info.st_size) <= Self.maximumFileSize else {
            throw DevEnvError(.usage, "\(path) is \(Int(info.st_size) >> 20) MiB; devenv reads files of at most \(Self.maximumFileSize >> 20) MiB")
        }
        // A regular file is never "not ready": back to blocking reads.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        // Read straight into uninitialised capacity of the size fstat gave (plus a byte, so that
        // the end of file shows in the same read): filling a 64 KiB chunk with zeros before each
        // read was most of the cost of reading a command's few small files.
        let expected = Int(info.st_size) + 1
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            while count < buffer.count {
                let n = read(fd, base + count, buffer.count - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                count += n
            }
        }
        if failure != 0 { throw Failure(path: path, operation: "cannot read", code: failure) }
        // Full: the file grew since fstat. Read the rest in chunks, up to the limit.
        if bytes.count == expected {
            if bytes.count > Self.maximumFileSize {
                throw DevEnvError(.usage, "\(path) grew past \(Self.maximumFileSize >> 20) MiB while devenv read it")
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(path: path, operation: "cannot read", code: errno)
                }
                if n == 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
                // A file that grows while being read stops at the limit all the same.
                if bytes.count > Self.maximumFileSize {
                    throw DevEnvError(.usage, "\(path) grew past \(Self.maximumFileSize >> 20) MiB while devenv read it")
                }
            }
        }
        return bytes
    }

    /// As `readFile` checks a file, without reading it: for files the docker CLI reads (build
    /// secrets, the CA bundle), whatever their size.
    public func checkRegularFile(_ path: String) throws -> Bool {
        guard let (fd, _) = try openRegularFile(path) else { return false }
        close(fd)
        return true
    }

    /// Opens `path` for reading and checks it is a regular file (the rule of `readFile`): nil
    /// when there is none; the open descriptor and its fstat otherwise (the caller closes it).
    private func openRegularFile(_ path: String) throws -> (Int32, stat)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            // A link that goes round in a loop is a bad file, as a FIFO is: exit 2, not 1.
            if errno == ELOOP {
                throw DevEnvError(.usage, "\(path) is a symbolic link that goes round in a loop; devenv reads only regular files",
                                  hint: "point the link at a file, or replace it with a plain file")
            }
            throw Failure(path: path, operation: "cannot open", code: errno)
        }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let code = errno
            close(fd)
            throw Failure(path: path, operation: "cannot inspect", code: code)
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(fd)
            throw DevEnvError(.usage, "\(path) is \(Self.describe(kind)), not a regular file; devenv reads only regular files",
                              hint: "replace it with a plain file")
        }
        return (fd, info)
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a folder"
        default: return "not a plain file"
        }
    }

    public func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(validatingCString: resolved)
    }

    public func resolutionFailure(_ path: String) -> String? {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? nil : String(cString: strerror(code))
        }
        guard let resolved = realpath(path, nil) else { return String(cString: strerror(errno)) }
        free(resolved)
        return nil
    }

    public func listingFailure(_ path: String) -> String? {
        guard let dir = opendir(path) else { return errno == ENOENT ? nil : String(cString: strerror(errno)) }
        closedir(dir)
        return nil
    }

    public func symbolicLinkTarget(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress.map { base in base.withMemoryRebound(to: CChar.self, capacity: pointer.count) { readlink(path, $0, pointer.count - 1) } } ?? -1
        }
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }

    public func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// access(2)'s answer first, as the effective user (AT_EACCESS: execve checks that one, and
    /// a missing file, the usual answer on a PATH walk, costs that one call); then stat(2) for
    /// the kind, since a folder passes the access check but execve refuses it (EACCES).
    public func isExecutable(_ path: String) -> Bool {
        guard faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0 else { return false }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    public func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func owner(of path: String) -> (uid: UInt32, gid: UInt32)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_gid)
    }

    public func permissions(of path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o7777
    }

    public func stamp(of path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                         changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }

    public func setOwner(_ path: String, uid: UInt32, gid: UInt32) throws {
        if chown(path, uid, gid) != 0 { throw Failure(path: path, operation: "cannot change the owner of", code: errno) }
    }

    /// Writes through a temporary file in the same folder and renames it into place, so that a
    /// reader never sees half a file. The temporary file names this process (`FileOwner`), so
    /// that one a killed devenv left is swept by the next (`BuiltImages.recorded`).
    public func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws {
        try makeDirectories(parent(of: path))
        let temporary = FileOwner.temporaryFile(for: path, owner: Self.writer)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        if fd < 0 { throw Failure(path: path, operation: "cannot write", code: errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + written }, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw Failure(path: path, operation: "cannot write", code: code)
            }
            written += n
        }
        if close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "cannot write", code: code)
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "cannot replace", code: code)
        }
    }

    /// This process as the maker of its temporary files (`FileOwner.name`), worked out once.
    private static let writer = FileOwner.name(getpid(), started: ProcessStart.of(getpid()))

    public func removeFile(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw Failure(path: path, operation: "cannot remove", code: errno) }
    }

    public func moveFile(_ path: String, to destination: String) throws {
        if rename(path, destination) != 0 { throw Failure(path: path, operation: "cannot rename", code: errno) }
    }

    private func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private func makeDirectories(_ path: String) throws {
        if path.isEmpty || isDirectory(path) { return }
        try makeDirectories(parent(of: path))
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw Failure(path: path, operation: "cannot create folder", code: errno)
        }
    }
}
