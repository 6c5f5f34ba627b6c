/// The user the container runs as, so that files written on the bind mount belong to them.
/// Detection (getuid, SUDO_UID, the folder's owner) lives in DevEnvSystem; this is the value.
public struct HostIdentity: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable {
        /// The invoking user (getuid/getgid).
        case host
        /// SUDO_UID/SUDO_GID: devenv runs under sudo for this user.
        case sudo
        /// Plain root: the owner of the project folder.
        case folderOwner = "folder-owner"
        /// Plain root and a root-owned folder: never sync to UID 0, use 1000.
        case fallback
    }

    public var uid: UInt32
    public var gid: UInt32
    public var userName: String
    public var home: String
    public var source: Source

    public init(uid: UInt32, gid: UInt32, userName: String, home: String, source: Source) {
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.home = home
        self.source = source
    }
}
