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
