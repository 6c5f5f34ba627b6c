import DevEnvCore

/// The ID (and `devenv.user` label) of the container devenv last created or found for one
/// environment, kept in the user's private state folder (`ProjectLock.directory`: 0700, this
/// user's) so `exec` and `logs` reach it in one docker call instead of a lookup and a call
/// (issue 14). Safe because an ID, unlike a name, cannot be taken over by another container:
/// what devenv checked as its own stays its own. A record that is wrong (gone, stopped,
/// replaced by another user's `up`) only costs the lookup the caller falls back to.
///
/// One file per environment, named after the canonical project root and the container name;
/// it holds `ID\nUSER\n`. Anything else in it is ignored as if there were no record.
struct ContainerMemory {
    struct Record: Sendable, Equatable {
        /// The full 64-hex-digit container ID.
        var id: String
        /// The container's `devenv.user` label (the user exec runs as), when it has one.
        var user: String?
    }

    let context: AppContext
    let names: ResourceNames

    /// The record, when there is a well-formed one.
    func recall() -> Record? {
        guard let path = path(), let bytes = try? context.fileSystem.readFile(path), bytes.count < 512 else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, Self.isContainerID(lines[0]) else { return nil }
        let user = String(lines[1])
        guard user.isEmpty || Self.isUser(user) else { return nil }
        return Record(id: String(lines[0]), user: user.isEmpty ? nil : user)
    }

    /// Remembers `container` when it is a well-formed record; best effort (a read-only or full
    /// disk only costs later commands a lookup).
    func remember(_ container: ContainerSnapshot) {
        remember(id: container.id, user: container.labels[DockerPlanner.userLabel])
    }

    /// Remembers a container devenv just created (`user`: the `devenv.user` label it gave it).
    func remember(id: String, user: String?) {
        guard Self.isContainerID(id[...]), let path = path() else { return }
        let user = user.flatMap { Self.isUser($0) ? $0 : nil }
        let record = Record(id: id, user: user)
        if recall() == record { return }
        try? context.fileSystem.writeFile(path, Array("\(id)\n\(user ?? "")\n".utf8), mode: 0o600)
    }

    /// Drops the record (after `down` removed the container).
    func forget() {
        guard let path = path(), context.fileSystem.fileExists(path) else { return }
        try? context.fileSystem.writeFile(path, [], mode: 0o600)
    }

    private func path() -> String? {
        guard let folder = try? context.stateFolder?() else { return nil }
        var digest = Fingerprint()
        digest.add(names.projectRoot)
        digest.add(names.container)
        return "\(folder)/\(digest.hex).container"
    }

    /// `docker create` prints 64 lowercase hex digits.
    static func isContainerID(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// What devenv puts in `devenv.user`: `UID:GID` or a user name, no spaces or controls.
    static func isUser(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }
}
