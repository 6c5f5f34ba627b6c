import DevEnvCore

/// The ID (and `devenv.user` label) of the container devenv last created or found for one
/// environment, kept in the user's private state folder (`UserStateFolder`, made 0700 and
/// checked by `ProjectLock.directory`) so `exec` and `logs` reach it in one docker call
/// instead of a lookup and a call (issue 14). Safe because an ID, unlike a name, cannot be taken over by another container:
/// what devenv checked as its own stays its own. A record that is wrong (gone, stopped,
/// replaced by another user's `up`) only costs the lookup the caller falls back to.
///
/// It also keeps the fingerprint of the uv.lock that container's venv was last seen in step
/// with (`syncedLock`), so `status` can say "deps out of date" without a `docker exec cmp` while
/// uv.lock has not changed since (issue 10 without costing issue 14's one call).
///
/// One file per environment, named after the canonical project root and the container name;
/// it holds `ID\nUSER\n[LOCK\n]`. Anything else in it is ignored as if there were no record.
struct ContainerMemory {
    struct Record: Sendable, Equatable {
        /// The full 64-hex-digit container ID.
        var id: String
        /// The container's `devenv.user` label (the user exec runs as), when it has one.
        var user: String?
        /// Fingerprint of the uv.lock this container's venv was last seen not behind (`cmp` said
        /// the same, or that the venv has no stamp devenv could compare).
        var syncedLock: String?
    }

    let context: AppContext
    let names: ResourceNames

    /// The record, when there is a well-formed one.
    func recall() -> Record? {
        Self.recall(projectRoot: names.projectRoot, container: names.container, context: context)
    }

    /// The record of the environment whose canonical project root and container name these
    /// are, read before its configuration is (`LookupSpeculation.beginLogs`).
    static func recall(projectRoot: String, container: String, context: AppContext) -> Record? {
        guard let path = path(projectRoot: projectRoot, container: container, context: context),
              let bytes = try? context.fileSystem.readFile(path), bytes.count < 512 else { return nil }
        // Split as bytes, not Characters (no grapheme walk before `exec` or `logs` starts docker).
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self)[...] }
        guard lines.count >= 2, Self.isContainerID(lines[0]) else { return nil }
        let user = String(lines[1])
        guard user.isEmpty || Self.isUser(user) else { return nil }
        let lock = lines.count > 2 && Self.isFingerprint(lines[2]) ? String(lines[2]) : nil
        return Record(id: String(lines[0]), user: user.isEmpty ? nil : user, syncedLock: lock)
    }

    /// Remembers `container` when it is a well-formed record; best effort (a full disk only
    /// costs later commands a lookup: the record that could not be written is removed).
    func remember(_ container: ContainerSnapshot) {
        remember(container, recalled: recall())
    }

    /// `remember`, with the record as `recall` read it a moment ago (`Up` reads it while docker
    /// answers its lookup, not after: issue 14).
    func remember(_ container: ContainerSnapshot, recalled known: Record?) {
        remember(id: container.id, user: container.labels[DockerPlanner.userLabel], recalled: known)
    }

    /// Remembers a container devenv just created (`user`: the `devenv.user` label it gave it).
    func remember(id: String, user: String?) {
        remember(id: id, user: user, recalled: recall())
    }

    private func remember(id: String, user: String?, recalled known: Record?) {
        guard Self.isContainerID(id[...]) else { return }
        let user = user.flatMap { Self.isUser($0) ? $0 : nil }
        // The same container keeps what was seen of its venv.
        write(Record(id: id, user: user, syncedLock: known?.id == id ? known?.syncedLock : nil), unless: known)
    }

    /// Notes that container `id`'s venv is in step with the uv.lock whose fingerprint is `lock`
    /// (after a sync, or a comparison that found them equal).
    func rememberSynced(id: String, lock: String) {
        guard let known = recall(), known.id == id, Self.isFingerprint(lock[...]) else { return }
        var record = known
        record.syncedLock = lock
        write(record, unless: known)
    }

    /// The fingerprint of the workspace's uv.lock (the file `compareLockStamp` compares, on the
    /// host side of the mount); nil when it cannot be read.
    func currentLock(_ spec: EnvironmentSpec) -> String? {
        Self.lock(spec, fileSystem: context.fileSystem)
    }

    /// `currentLock` read through `fileSystem`.
    static func lock(_ spec: EnvironmentSpec, fileSystem: any FileSystem) -> String? {
        guard let bytes = try? fileSystem.readFile(spec.projectRoot + "/uv.lock") else { return nil }
        var digest = Fingerprint()
        digest.add(bytes)
        return digest.hex
    }

    private func write(_ record: Record, unless known: Record?) {
        guard record != known, let path = path() else { return }
        let text = "\(record.id)\n\(record.user ?? "")\n" + (record.syncedLock.map { "\($0)\n" } ?? "")
        do {
            try context.fileSystem.writeFile(path, Array(text.utf8), mode: 0o600)
        } catch {
            // A record that cannot be brought up to date must not stay: after a recreate on a
            // full disk the old ID sent every `exec` to a container that is gone ("replaced
            // since devenv last saw it ... run the command again", for ever) and every `logs`
            // through docker's "No such container" (break30). Removing takes no space.
            try? context.fileSystem.removeFile(path)
        }
    }

    /// Whether the record still names `id` after the caller found that container gone: devenv
    /// could neither replace nor remove it (a read-only state folder), so the next command
    /// goes the same wrong way. Where the record is kept, for the message.
    func isStuck(on id: String) -> String? {
        guard recall()?.id == id else { return nil }
        return path()
    }

    /// Drops the record (after `down` removed the container).
    func forget() {
        guard let path = path(), context.fileSystem.fileExists(path) else { return }
        try? context.fileSystem.writeFile(path, [], mode: 0o600)
    }

    private func path() -> String? {
        Self.path(projectRoot: names.projectRoot, container: names.container, context: context)
    }

    private static func path(projectRoot: String, container: String, context: AppContext) -> String? {
        guard let folder = try? context.stateFolder?() else { return nil }
        var digest = Fingerprint()
        digest.add(projectRoot)
        digest.add(container)
        return "\(folder)/\(digest.hex).container"
    }

    /// `docker create` prints 64 lowercase hex digits.
    static func isContainerID(_ text: Substring) -> Bool { EngineID.isFull(text) }

    static func isFingerprint(_ text: Substring) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// What devenv puts in `devenv.user`: `UID:GID` or a user name, no spaces or controls.
    static func isUser(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }
}
