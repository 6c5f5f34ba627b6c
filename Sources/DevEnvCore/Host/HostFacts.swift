/// What the system says about who runs devenv, gathered by DevEnvSystem; `HostIdentity.resolve`
/// decides from it, purely, which user the container runs as.
public struct HostFacts: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    /// From the password database, when the user has an entry.
    public var userName: String?
    public var home: String?
    /// SUDO_UID, SUDO_GID and SUDO_USER, when set.
    public var sudoUID: String?
    public var sudoGID: String?
    public var sudoUser: String?
    /// The project folder's owner.
    public var folderOwner: (uid: UInt32, gid: UInt32)?
    /// Looks a UID up in the password database (for the sudo and folder-owner cases).
    public var accountLookup: @Sendable (UInt32) -> (name: String, home: String)?

    public init(uid: UInt32, gid: UInt32, userName: String?, home: String?, sudoUID: String? = nil,
                sudoGID: String? = nil, sudoUser: String? = nil, folderOwner: (uid: UInt32, gid: UInt32)? = nil,
                accountLookup: @escaping @Sendable (UInt32) -> (name: String, home: String)? = { _ in nil }) {
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.home = home
        self.sudoUID = sudoUID
        self.sudoGID = sudoGID
        self.sudoUser = sudoUser
        self.folderOwner = folderOwner
        self.accountLookup = accountLookup
    }

    public static func == (a: HostFacts, b: HostFacts) -> Bool {
        a.uid == b.uid && a.gid == b.gid && a.userName == b.userName && a.home == b.home
            && a.sudoUID == b.sudoUID && a.sudoGID == b.sudoGID && a.sudoUser == b.sudoUser
            && a.folderOwner?.uid == b.folderOwner?.uid && a.folderOwner?.gid == b.folderOwner?.gid
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(uid)
        hasher.combine(gid)
        hasher.combine(sudoUID)
    }
}

extension HostIdentity {
    /// 4294967295 is `(uid_t)-1`, "no ID" to chown(2) and setuid(2): never a user or group.
    public static func isPossibleID(_ id: UInt32) -> Bool { id != UInt32.max }

    /// SUDO_UID / SUDO_GID that are set but name no possible user or group (not a number,
    /// out of range, 4294967295): a usage error (exit 2) before anything is built.
    public static func impossibleSudoIDs(_ facts: HostFacts) -> DevEnvError? {
        guard facts.uid == 0 else { return nil }
        for (variable, text) in [("SUDO_UID", facts.sudoUID), ("SUDO_GID", facts.sudoGID)] {
            guard let text else { continue }
            guard let id = UInt32(text), isPossibleID(id) else {
                return DevEnvError(.usage, "\(variable)=\(text) is not a possible \(variable == "SUDO_UID" ? "user" : "group") ID (0 to 4294967294)",
                                   hint: "run devenv through sudo as usual, or unset \(variable)")
            }
        }
        return nil
    }

    /// Warnings for every mapping that makes the container's user root, so files it writes on
    /// the bind mount would be root's: `user = "0:0"`, a synced group 0 (SUDO_GID=0), or
    /// `user = "image"` with an image whose USER is root. One text for `up` and doctor: `up`
    /// passes the image's Config.User (`imageUser`, source "the image NAME"), doctor the
    /// Dockerfile stage's USER (source "stage NAME"); nil `imageUser`: not known, no warning.
    /// `rootlessEngine` (`EngineFacts.isRootless`): container root is the host user who runs the
    /// engine (rootless Docker; rootless Podman, whose keep-id devenv adds only for the synced
    /// user), so root's files on the bind mount are that user's and there is nothing to warn
    /// about (DESIGN.md section 4).
    public static func rootMappingWarnings(user: EnvironmentSpec.User, identity: HostIdentity, profile: String,
                                           imageUser: (user: String, source: String)? = nil,
                                           rootlessEngine: Bool) -> [String] {
        if rootlessEngine { return [] }
        switch user {
        case .fixed(let uid, let gid) where uid == 0 || gid == 0:
            return ["profile \(profile) runs its container as \(uid == 0 ? "root" : "group 0") (`user = \"\(uid):\(gid)\"`): files it writes on the bind mount belong to \(uid == 0 ? "root" : "group root")"]
        case .host where identity.gid == 0 && identity.uid != 0:
            return ["the synced user \(identity.userName) \(identity.uid):0 has group 0 (root)\(identity.source == .sudo ? " from SUDO_GID" : ""): files the container writes belong to group root"]
        case .image:
            guard let imageUser, isRootUser(imageUser.user) else { return [] }
            let why = imageUser.user.isEmpty ? "\(imageUser.source) sets no USER" : "\(imageUser.source) has USER \(imageUser.user)"
            return ["profile \(profile) runs its container as root (`user = \"image\"` and \(why)): files it writes on the bind mount belong to root"]
        default:
            return []
        }
    }

    /// Whether a Dockerfile USER or an image's Config.User (NAME, UID, NAME:GROUP or UID:GID;
    /// empty: none set, which is root) is root.
    public static func isRootUser(_ user: String) -> Bool {
        let name = user.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return name.isEmpty || name == "0" || name == "root"
    }

    /// The UID the container never syncs to: files written as root on the bind mount would be
    /// out of the user's reach.
    public static let fallbackUID: UInt32 = 1000

    /// Decides whose UID/GID the container runs with, and says why in `source`:
    /// an ordinary user is themselves; under sudo, the user who ran sudo; as plain root, the
    /// project folder's owner; and never UID 0 (then 1000, with a warning from the caller).
    public static func resolve(_ facts: HostFacts) -> HostIdentity {
        if facts.uid != 0 {
            return HostIdentity(uid: facts.uid, gid: facts.gid, userName: facts.userName ?? "user\(facts.uid)",
                                home: facts.home ?? "/home/user\(facts.uid)", source: .host)
        }
        if let uidText = facts.sudoUID, let uid = UInt32(uidText), uid != 0 {
            let gid = facts.sudoGID.flatMap { UInt32($0) } ?? uid
            let account = facts.accountLookup(uid)
            return HostIdentity(uid: uid, gid: gid, userName: facts.sudoUser ?? account?.name ?? "user\(uid)",
                                home: account?.home ?? "/home/\(facts.sudoUser ?? "user\(uid)")", source: .sudo)
        }
        if let owner = facts.folderOwner, owner.uid != 0 {
            let account = facts.accountLookup(owner.uid)
            return HostIdentity(uid: owner.uid, gid: owner.gid, userName: account?.name ?? "user\(owner.uid)",
                                home: account?.home ?? "/home/user\(owner.uid)", source: .folderOwner)
        }
        let account = facts.accountLookup(fallbackUID)
        return HostIdentity(uid: fallbackUID, gid: fallbackUID, userName: account?.name ?? "dev",
                            home: account?.home ?? "/home/dev", source: .fallback)
    }
}
