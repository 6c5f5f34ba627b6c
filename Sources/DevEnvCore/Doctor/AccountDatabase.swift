/// An image's /etc/passwd and /etc/group, as a one-shot container printed them.
public struct AccountDatabase: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var id: UInt32
        /// passwd: the primary GID; group: nil.
        public var groupID: UInt32?
        public var home: String?
    }

    public var users: [Entry]
    public var groups: [Entry]

    public init(users: [Entry], groups: [Entry]) {
        self.users = users
        self.groups = groups
    }

    public static func parse(passwd: String, group: String) -> AccountDatabase {
        let users = passwd.split(whereSeparator: \.isNewline).compactMap { line -> Entry? in
            let f = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 6, let uid = UInt32(f[2]) else { return nil }
            return Entry(name: f[0], id: uid, groupID: UInt32(f[3]), home: f[5])
        }
        let groups = group.split(whereSeparator: \.isNewline).compactMap { line -> Entry? in
            let f = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3, let gid = UInt32(f[2]) else { return nil }
            return Entry(name: f[0], id: gid, groupID: nil, home: nil)
        }
        return AccountDatabase(users: users, groups: groups)
    }

    public func user(uid: UInt32) -> Entry? { users.first { $0.id == uid } }
    public func group(gid: UInt32) -> Entry? { groups.first { $0.id == gid } }
}
