/// The port through which the pure core reads (and, for `init`, writes) files. DevEnvSystem
/// implements it on the real file system; tests use an in-memory one.
public protocol FileSystem: Sendable {
    /// The file's bytes, or nil when there is no such file.
    func readFile(_ path: String) throws -> [UInt8]?
    func fileExists(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// Names (not paths) of the entries of a directory, sorted; empty when it is not one.
    func listDirectory(_ path: String) -> [String]
    /// The owner of a file or folder, nil when it does not exist.
    func owner(of path: String) -> (uid: UInt32, gid: UInt32)?
    /// Creates parent folders as needed; `mode` is the permission bits of a new file.
    func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws
    /// The permission bits (mode & 0o7777), nil when it does not exist (`doctor`: env files
    /// readable by others).
    func permissions(of path: String) -> UInt32?
    /// The path with every symbolic link, `.` and `..` resolved (realpath), nil when it does
    /// not exist: one project, whatever path leads to it.
    func canonicalPath(_ path: String) -> String?
    /// Gives a file to uid:gid (`init` run as root in a user's folder gives them its files).
    func setOwner(_ path: String, uid: UInt32, gid: UInt32) throws
}

extension FileSystem {
    /// File systems without links (tests' in-memory one) are canonical as they are.
    public func canonicalPath(_ path: String) -> String? { fileExists(path) ? path : nil }
}
