import DevEnvCore

/// The resolved configuration kept between runs (issue 14): a command whose inputs have not
/// changed since the last run reads no configuration file and resolves nothing.
///
/// Why: reading and resolving the configuration was about 40% of `status`'s own instructions,
/// and though it runs while the command's one docker call does (`LookupSpeculation`), on two
/// cores every CPU microsecond devenv spends then is wall time the docker CLI waits for.
///
/// Correct by construction, because a stale configuration would make `up` keep a container the
/// user changed:
/// - The inputs are recorded as the reading asks for them (`RecordingFileSystem`): every path
///   read, looked for, listed or resolved, with its `FileStamp` (or its absence) and, where the
///   stamp does not fix it, the answer. No list of files is kept by hand. An entry is used only
///   when every recorded question gets the same answer now (`FileObservation.holds`, through
///   the one staleness rule, `FileStamp.unchanged`).
/// - The environment variables are recorded the same way (`HostEnvironment.Recording`): each
///   variable the reading asked for with its value or absence, and whether all of them fit in
///   what the argument limit left; an entry holds while each answer is the same. The reading
///   sees the environment only through that seam (its context has none), so a shell that `cd`s
///   about (PWD, OLDPWD, `_`, SHLVL) keeps its entries unless the configuration names them.
/// - What is neither is in the key (`Key`): devenv's version and its executable's stamp (a
///   rebuilt devenv resolves afresh), the names of variables whose values are not UTF-8, the
///   CLI, the project folder, the command's profile and kind (`Slot`), the argument limit, and
///   the credentials files are opened with (a stamp does not say who may read the file).
/// - Racy timestamps are distrusted (git's "racy clean"): nothing is kept when an input changed
///   within `FileStamp.racyNanoseconds` of the moment reading began (`FileStamp.isSettled`).
/// - Failures are never kept: a configuration with errors is read, and reported, every time.
/// - Any doubt about the cache file (missing, cut short, a checksum that does not match, not this
///   format, a link, not a regular file, another owner than the state folder's, too large) means
///   a full read, never an error.
///
/// What is kept is what the reading yields before the host user is applied (`Resolution`): the
/// host user is looked up on every run, as before.
struct ConfigurationCache {
    /// Bumped when the meaning of what is stored changes without its types changing.
    static let format = 4
    /// The most a cache file may hold; a resolution larger than this is not kept.
    static let maximumBytes = 1 << 20

    /// Which reading an entry holds: every profile (`status`, `prune`, the dashboard) or one
    /// (`up`, `build`, `exec`, ...), with the profile the command chose.
    enum Slot: Sendable, Hashable {
        case all(chosen: String?)
        case one(String?)

        /// No profile given and `--profile ""` are two slots: the first reads the default
        /// profile, the second is an error (unknown profile) that must be said every time.
        var name: String {
            switch self {
            case .all(let chosen): return "all" + (chosen.map { "\n" + $0 } ?? "")
            case .one(let profile): return "one" + (profile.map { "\n" + $0 } ?? "")
            }
        }
    }

    /// Everything an entry depends on besides the files it read.
    struct Key: Hashable {
        var format = ConfigurationCache.format
        var version = CommandTable.version
        var executable: String
        var executableStamp: FileStamp
        var undecodable: [String]
        var argumentLimit: Int
        /// `AppContext.credentials`: a file read under one group set may be unreadable under another.
        var credentials: [UInt32]
        var cli: String
        var projectDirectory: String
        var slot: String
    }

    /// One environment as the reading resolves it, before the host user is applied.
    struct Resolved: Hashable {
        var spec: EnvironmentSpec
        var warnings: [Diagnostic]
        var profileNames: [String]
        var consideredFiles: [String]
        /// `Environment.expectation` for the host user `Resolution.expectedFor`, worked out from
        /// files recorded as inputs like the configuration's; nil when it could not be.
        var expected: Environment.Expectation? = nil
    }

    /// What one reading yields: its environments (the chosen one first), the engine family of
    /// the CLI, and the project folder the host user is looked up for.
    struct Resolution: Hashable {
        var environments: [Resolved]
        var engine: EngineKind
        var projectDirectory: String
        /// The host user the expectations were worked out for (they hold its UID and GID); nil:
        /// none were.
        var expectedFor: HostIdentity? = nil
    }

    struct Entry: Hashable {
        var key: Key
        var inputs: [FileObservation]
        var variables: [HostEnvironment.Question]
        var resolution: Resolution
    }

    let context: AppContext
    let slot: Slot
    let projectDirectory: String

    /// The resolution for this command: the kept one when its key and every input still hold,
    /// else `read` through a recording file system, kept when it can be trusted.
    func resolution(_ read: (any FileSystem, HostEnvironment) throws -> Resolution) throws -> Resolution {
        guard let path = path(), let key = key(), let now = context.wallClock?() else {
            return try read(context.fileSystem, HostEnvironment(context.environment))
        }
        let memory = context.configurationMemory
        if let entry = memory?.entry(at: path), holds(entry, key: key) { return entry.resolution }
        if let entry = recall(path), holds(entry, key: key) {
            memory?.keep(entry, at: path)
            return entry.resolution
        }
        let recording = RecordingFileSystem(context.fileSystem)
        let variables = HostEnvironment.Recording()
        let resolution = try read(recording, HostEnvironment(context.environment, recording: variables))
        if recording.untrusted == nil {
            let inputs = recording.observations
            if inputs.allSatisfy({ $0.isSettled(at: now) }) {
                let entry = Entry(key: key, inputs: inputs, variables: variables.questions, resolution: resolution)
                save(entry, to: path)
                memory?.keep(entry, at: path)
            }
        }
        return resolution
    }

    /// Whether `entry` may stand for a reading now: its key is this command's, and every
    /// variable and file it asked about answers as it did.
    private func holds(_ entry: Entry, key: Key) -> Bool {
        entry.key == key && entry.variables.allSatisfy({ $0.holds(in: context.environment) })
            && entry.inputs.allSatisfy({ $0.holds(on: context.fileSystem) })
    }

    /// The entries a long-running devenv used last, by cache file (`AppContext.configurationMemory`):
    /// the dashboard reads its configuration again on every container event, and each time read
    /// the cache file, checked its checksum and decoded every environment's spec (dash30). An
    /// entry here is asked the very questions one from the file is (`holds`), and replaced
    /// by whatever the next reading uses; only what was saved or recalled is kept.
    final class Memory: @unchecked Sendable {
        private let lock = Lock()
        private var entries: [String: Entry] = [:]

        init() {}

        func entry(at path: String) -> Entry? { lock.withLock { entries[path] } }
        func keep(_ entry: Entry, at path: String) { lock.withLock { entries[path] = entry } }
    }

    /// The cache file of this project and slot; nil without a state folder.
    private func path() -> String? {
        guard let folder = try? context.stateFolder?() else { return nil }
        var digest = Fingerprint()
        digest.add(projectDirectory)
        digest.add(slot.name)
        return "\(folder)/\(digest.hex).config"
    }

    /// Nil when devenv cannot tell which build it is (no stamp for its executable).
    private func key() -> Key? {
        guard let executableStamp = context.fileSystem.stamp(of: context.executablePath) else { return nil }
        return Key(executable: context.executablePath, executableStamp: executableStamp,
                   undecodable: context.undecodableEnvironment.sorted(), argumentLimit: context.argumentLimit,
                   credentials: context.credentials, cli: context.dockerCLI, projectDirectory: projectDirectory, slot: slot.name)
    }

    /// The entry in `path` when the file is one devenv wrote: a regular file (not a link) owned
    /// as the state folder is, within the size bound, that decodes.
    private func recall(_ path: String) -> Entry? {
        let fileSystem = context.fileSystem
        guard let stamp = fileSystem.stamp(of: path), stamp.size <= Int64(Self.maximumBytes),
              fileSystem.symbolicLinkTarget(path) == nil,
              let owner = fileSystem.owner(of: path), let folder = path.lastIndex(of: "/").map({ String(path[..<$0]) }),
              let folderOwner = fileSystem.owner(of: folder), owner == folderOwner,
              let bytes = try? fileSystem.readFile(path), bytes.count <= Self.maximumBytes else { return nil }
        // A checksum first: a file changed by a bit (a disk, a hand) is no entry, where a
        // changed byte inside a stored text would still decode, to another configuration.
        guard bytes.count >= 8 else { return nil }
        let stored = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let payload = Array(bytes[8...])
        var checksum = Fingerprint()
        checksum.add(payload)
        guard checksum.value == stored else { return nil }
        var reader = CacheReader(payload)
        guard let entry = try? reader.get(Entry.self), reader.isAtEnd else { return nil }
        return entry
    }

    /// Best effort, written aside and renamed into place (`FileSystem.writeFile`): a full disk or
    /// a read-only folder only costs the next command a full read.
    private func save(_ entry: Entry, to path: String) {
        var writer = CacheWriter()
        writer.put(entry)
        var checksum = Fingerprint()
        checksum.add(writer.bytes)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: checksum.value >> (8 * UInt64($0))) } + writer.bytes
        guard bytes.count <= Self.maximumBytes else { return }
        try? context.fileSystem.writeFile(path, bytes, mode: 0o600)
    }
}

// The stored form (`CacheCoding`): every stored property in declaration order; the round-trip
// test sets each one.

extension ConfigurationCache.Key: CacheCoding {
    func write(to writer: inout CacheWriter) {
        writer.put(format)
        writer.put(version)
        writer.put(executable)
        writer.put(executableStamp)
        writer.put(undecodable)
        writer.put(argumentLimit)
        writer.put(credentials)
        writer.put(cli)
        writer.put(projectDirectory)
        writer.put(slot)
    }

    init(from reader: inout CacheReader) throws {
        format = try reader.get()
        version = try reader.get()
        executable = try reader.get()
        executableStamp = try reader.get()
        undecodable = try reader.get()
        argumentLimit = try reader.get()
        credentials = try reader.get()
        cli = try reader.get()
        projectDirectory = try reader.get()
        slot = try reader.get()
    }
}

extension ConfigurationCache.Resolved: CacheCoding {
    func write(to writer: inout CacheWriter) {
        writer.put(spec)
        writer.put(warnings)
        writer.put(profileNames)
        writer.put(consideredFiles)
        writer.put(expected)
    }

    init(from reader: inout CacheReader) throws {
        spec = try reader.get()
        warnings = try reader.get()
        profileNames = try reader.get()
        consideredFiles = try reader.get()
        expected = try reader.get()
    }
}

extension ConfigurationCache.Resolution: CacheCoding {
    func write(to writer: inout CacheWriter) {
        writer.put(environments)
        writer.put(engine)
        writer.put(projectDirectory)
        writer.put(expectedFor)
    }

    init(from reader: inout CacheReader) throws {
        environments = try reader.get()
        engine = try reader.get()
        projectDirectory = try reader.get()
        expectedFor = try reader.get()
    }
}

extension Environment.Expectation: CacheCoding {
    func write(to writer: inout CacheWriter) {
        writer.put(image)
        writer.put(fingerprint)
        writer.put(lock)
        writer.put(services)
    }

    init(from reader: inout CacheReader) throws {
        image = try reader.get()
        fingerprint = try reader.get()
        lock = try reader.get()
        services = try reader.get()
    }
}

extension ConfigurationCache.Entry: CacheCoding {
    func write(to writer: inout CacheWriter) {
        writer.put(key)
        writer.put(inputs)
        writer.put(variables)
        writer.put(resolution)
    }

    init(from reader: inout CacheReader) throws {
        key = try reader.get()
        inputs = try reader.get()
        variables = try reader.get()
        resolution = try reader.get()
    }
}
