/// The port through which the pure core reads (and, for `init`, writes) files. DevEnvSystem
/// implements it on the real file system; tests use an in-memory one.
///
/// A wrapper of another file system (`CachedFileSystem`, `RecordingFileSystem`) forwards every
/// requirement. None has a default: a wrapper that took one would answer for the file system it
/// wraps without asking it (the configuration cache would not record the question), and the
/// compiler cannot see that; without defaults it refuses a conformer that lacks a method, so a
/// requirement added later cannot be forgotten by a wrapper (mend28). Test doubles say their own
/// simple answers (`InMemoryFileSystem`).
public protocol FileSystem: Sendable {
    /// The file's bytes, or nil when there is no such file.
    func readFile(_ path: String) throws -> [UInt8]?
    func fileExists(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// Whether execve(2) could run the file at `path` (links followed): a regular file with
    /// execute permission for this process's user (the effective one, as execve checks). A
    /// folder, or a file without that permission (mode 644), is not (`ProgramSearch`).
    func isExecutable(_ path: String) -> Bool
    /// Names (not paths) of the entries of a directory, sorted; empty when it is not one.
    func listDirectory(_ path: String) -> [String]
    /// The owner of a file or folder, nil when it does not exist.
    func owner(of path: String) -> (uid: UInt32, gid: UInt32)?
    /// Creates parent folders as needed; `mode` is the permission bits of a new file.
    func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws
    /// Removes the file (not a folder); no such file is no error.
    func removeFile(_ path: String) throws
    /// Renames the file `path` to `destination` in one step (rename(2): a writer that has it open
    /// writes on into it under its new name); throws when there is no such file.
    func moveFile(_ path: String, to destination: String) throws
    /// The permission bits (mode & 0o7777), nil when it does not exist (`doctor`: env files
    /// readable by others).
    func permissions(of path: String) -> UInt32?
    /// The path with every symbolic link, `.` and `..` resolved (realpath), nil when it does
    /// not exist: one project, whatever path leads to it.
    func canonicalPath(_ path: String) -> String?
    /// Gives a file to uid:gid (`init` run as root in a user's folder gives them its files).
    func setOwner(_ path: String, uid: UInt32, gid: UInt32) throws
    /// Which file is at `path` and when it last changed (stat's device, inode, size, mtime and
    /// ctime), nil when there is none: equal stamps mean the bytes need not be read again.
    func stamp(of path: String) -> FileStamp?
    /// What the symbolic link at `path` holds (readlink), nil when `path` is no symbolic link.
    /// With `fileExists` false it tells a link that leads nowhere (dangling, or a loop of
    /// links) from no entry at all.
    func symbolicLinkTarget(_ path: String) -> String?
    /// Why the kernel cannot reach `path` (stat(2)) or resolve it (realpath(3)), in the system's
    /// words (strerror: "Permission denied", "File name too long", ...); nil when it resolves,
    /// or when there is simply nothing there (ENOENT, ENOTDIR), which callers say their own way.
    func resolutionFailure(_ path: String) -> String?
    /// Why the folder at `path` cannot be listed (opendir(3), in the system's words: "Permission
    /// denied", "Not a directory"), where `listDirectory` says only "empty"; nil when it can be,
    /// or when nothing is there (ENOENT).
    func listingFailure(_ path: String) -> String?
    /// Checks, as `readFile` does, that `path` is a regular file devenv can open (a FIFO, a device,
    /// a folder, a loop of links: exit 2 naming it), without reading it and whatever its size;
    /// false when there is no such file. For the files another program reads (the docker CLI's
    /// build secrets and CA bundle).
    func checkRegularFile(_ path: String) throws -> Bool
}
