import DevEnvCore

/// The container lookup started before the configuration is read (issue 14: devenv's own
/// start-up cost hidden behind its one docker call).
///
/// Why: `status`, an unchanged `up` and the dashboard's first frame each wait for one `docker
/// ps` by exact names, and those names come from the decoded configuration (every profile and
/// service). Decoding it (and finding the host user) is most of devenv's own serial cost, and
/// the CLI's start and the engine's answer take longer still: so the lookup this project's
/// command made last time is started at once, from a record, and the configuration is decoded
/// while it runs. When the real lookup is known, the early one is used only if it is the very
/// same call; otherwise it is ended and the real call made.
///
/// `logs` (the app's, without --follow) is started the same way (`beginLogs`): its one call,
/// `docker logs` of the container ID devenv remembers for the environment it read last time.
///
/// The rules:
/// - Only three read-only queries are ever started ahead: `docker ps --all --no-trunc` by
///   names, built by `DockerPlanner.findContainers` from names read back from the record;
///   beside it, when the record says the last answer had an environment with volumes but no
///   container (`Status` then lists the volumes: a second call that waited for the first),
///   `docker volume ls` of the project's volumes (`DockerPlanner.listProjectVolumes`); and
///   `docker logs` (no --follow) of a remembered container ID with this command's flags
///   (`DockerPlanner.logs`), each with the CLI devenv runs now (`AppContext.dockerCLI`). No
///   record holds an argv: a record that is not exactly the form `remember` (`recordHeader`,
///   the CLI, the engine family, the container names and name prefixes one a line, as Docker
///   allows names, then maybe the project whose volumes were listed) or `rememberLogs`
///   (`logsRecordHeader`, the CLI, an absolute project root, a container name) writes is
///   ignored, and the ID comes from `ContainerMemory`'s own record.
/// - The answer is used only if the real call is identical: argv, its environment additions,
///   working folder and deadline (`ProcessInvocation` equality). Both run under the same
///   process environment (DOCKER_HOST, DOCKER_CONTEXT, the docker config file) through the
///   same runner, so an identical call is the same question to the same engine; the engine a
///   record was made for does not matter, and is not kept.
/// - Never in `--dry-run` (its plan shows the lookup) or without the private state folder.
/// - The early child has the query deadline of any docker query (`DEVENV_TIMEOUT`), counted
///   from its start; past it, the lookup fails as any query does ("did not answer ... within").
///   It is tracked like every child, so Ctrl-C or SIGTERM reaches it; the command ends it in
///   every way out (`dropPending` in a `defer`), so none is left running or unreaped.
/// - An answer that is not used is dropped unseen: its errors are never reported.
/// - It stands for the engine's state when it started: it is dropped unused when devenv ran
///   anything that may change that state first (a docker call that is not a query, a host
///   command); `up` starts it only once it holds the project lock.
/// - A wrong guess costs one more docker call (the early one, ended); a right one none.
final class LookupSpeculation: @unchecked Sendable {
    /// Which lookup a command makes, naming its record: `status` and the dashboard ask the
    /// same one (every profile, the chosen profile's containers first), `up` its profile's.
    enum Slot: Sendable, Hashable {
        case everyProfile(chosen: String?)
        case profile(String?)
        /// `logs` of the profile's own container (`beginLogs`).
        case logs(String?)

        fileprivate var key: String {
            switch self {
            case .everyProfile(let chosen): return "status\n" + (chosen ?? "")
            case .profile(let profile): return "up\n" + (profile ?? "")
            case .logs(let profile): return "logs\n" + (profile ?? "")
            }
        }
    }

    /// What a `logs` record names: the environment whose remembered container (`ContainerMemory`,
    /// by its canonical project root and container name) `logs` reads, with the CLI it ran.
    struct LogsTarget: Sendable, Hashable {
        var cli: String
        var projectRoot: String
        var container: String
    }

    /// What the lookup's argv is made from: `DockerPlanner.findContainers(cli:names:prefixes:engine:)`.
    struct Query: Sendable, Hashable {
        var cli: String
        /// Exact container names.
        var names: [String]
        /// Name prefixes (services' containers, configured or not).
        var prefixes: [String] = []
        var engine: EngineKind

        var invocation: ProcessInvocation {
            DockerPlanner.findContainers(cli: cli, names: names, prefixes: prefixes, engine: engine)
        }

        /// The listing of `project`'s volumes that goes with this lookup when the answer lacks
        /// a container (`Status`), as `Status` makes it.
        func volumeListing(of project: String) -> ProcessInvocation {
            DockerPlanner.listProjectVolumes(cli: cli, project: project, engine: engine)
        }
    }

    /// A record: this line, the CLI, the engine family, then `name NAME` and `prefix PREFIX`
    /// lines in the query's order, then `volumes PROJECT` when the project's volumes were listed
    /// with it (`rememberVolumeListing`), each line ending with a newline.
    static let recordHeader = "devenv lookup 2"
    /// A `logs` record: this line, the CLI, the project root, the container name.
    static let logsRecordHeader = "devenv logs 1"
    /// Bounds on what a record may hold (a project with hundreds of profiles and services fits).
    static let maximumRecordBytes = 64 * 1024
    static let maximumNames = 1024

    private let context: AppContext
    private let path: String
    /// What the record said (nil: no usable record), so an unchanged lookup is not rewritten.
    private let recalled: Query?
    /// The project whose volumes the record says were listed with the lookup, and what is to be
    /// written from now on (`rememberVolumeListing`; nil: none).
    private let recalledVolumes: String?
    private var volumes: String?
    /// The lookup `remember` kept (nil: none yet), written again when the volumes change.
    private var remembered: Query?
    /// A `logs` speculation's record (`beginLogs`); such a speculation never remembers a lookup.
    private let recalledLogs: LogsTarget?
    private let isLogs: Bool
    private let lock = Lock()
    /// The early children not used or dropped yet: the lookup first, then the volume listing.
    private var pending: [any StartedProcess]

    private init(context: AppContext, path: String, recalled: Query?, recalledVolumes: String? = nil,
                 recalledLogs: LogsTarget? = nil, isLogs: Bool = false, pending: [any StartedProcess]) {
        self.context = context
        self.path = path
        self.recalled = recalled
        self.recalledVolumes = recalledVolumes
        self.volumes = recalledVolumes
        self.recalledLogs = recalledLogs
        self.isLogs = isLogs
        self.pending = pending
    }

    /// Reads the record for `slot` of the project at `projectDirectory` (canonical) and starts
    /// its lookup. Nil in a dry run or without a state folder (then nothing is remembered
    /// either); otherwise a speculation, started or not (no record yet, or one not usable),
    /// that remembers this command's lookup for the next. Never throws: anything wrong only
    /// means no early start.
    static func begin(_ slot: Slot, projectDirectory: String, context: AppContext, dryRun: Bool) -> LookupSpeculation? {
        guard !dryRun, let path = recordPath(slot, projectDirectory: projectDirectory, context: context) else { return nil }
        let recalled = recall(path, context: context)
        var pending: [any StartedProcess] = []
        if let (query, volumes) = recalled, context.interruption() == nil,
           let lookup = try? context.runner.start(DockerSession.prepared(query.invocation, context: context)) {
            pending.append(lookup)
            // Beside it, not after it: both are queries, and neither waits for the other.
            if let volumes, let listing = try? context.runner.start(DockerSession.prepared(query.volumeListing(of: volumes), context: context)) {
                pending.append(listing)
            }
        }
        // `status`'s (and the dashboard's) only: `up` starts its lookup once it holds the project
        // lock, which a start before the Swift runtime could not wait for.
        let repeatable: Bool
        if case .everyProfile = slot { repeatable = true } else { repeatable = false }
        context.earlyCallsStarted(pending.map(\.invocation), path, repeatable)
        return LookupSpeculation(context: context, path: path, recalled: recalled?.query, recalledVolumes: recalled?.volumes,
                                 pending: pending)
    }

    /// `logs` (of the profile's own container, without --follow: a query) started the same way:
    /// the record names the environment `logs` read last time (`LogsTarget`), its remembered
    /// container ID (`ContainerMemory`, the record `logs` itself reads) gives the call, and
    /// `invocation` builds it from that ID exactly as `logs` will (`Logs.invocation`). Used only
    /// when the real call is the very same (`DockerSession.attempt`): same CLI, same ID, same
    /// flags; otherwise ended unseen, its output never shown.
    static func beginLogs(_ profile: String?, projectDirectory: String, context: AppContext, dryRun: Bool,
                          invocation: (_ cli: String, _ id: String) -> ProcessInvocation) -> LookupSpeculation? {
        guard !dryRun, let path = recordPath(.logs(profile), projectDirectory: projectDirectory, context: context) else { return nil }
        let target = recallLogs(path, context: context)
        var pending: [any StartedProcess] = []
        if let target, context.interruption() == nil,
           let known = ContainerMemory.recall(projectRoot: target.projectRoot, container: target.container, context: context),
           let started = try? context.runner.start(DockerSession.prepared(invocation(target.cli, known.id), context: context)) {
            pending.append(started)
        }
        context.earlyCallsStarted(pending.map(\.invocation), path, false)
        return LookupSpeculation(context: context, path: path, recalled: nil, recalledLogs: target, isLogs: true, pending: pending)
    }

    /// The record file of `slot` for the project at `projectDirectory`; nil without a state folder.
    private static func recordPath(_ slot: Slot, projectDirectory: String, context: AppContext) -> String? {
        guard let folder = try? context.stateFolder?() else { return nil }
        var digest = Fingerprint()
        digest.add(projectDirectory)
        digest.add(slot.key)
        return "\(folder)/\(digest.hex).lookup"
    }

    /// Whether a lookup was started and is neither used nor dropped yet.
    var isPending: Bool { lock.withLock { !pending.isEmpty } }

    /// What became of the early lookup when the real one was known.
    enum Taken {
        /// None was started (or it was already dropped).
        case none
        /// It is the very call: the caller owns it now and `finish`es it.
        case used(any StartedProcess)
        /// It was another call, and was ended unseen (this one), for `--verbose` to say.
        case ended(ProcessInvocation)
    }

    /// The early lookup when it is exactly `invocation`; otherwise it is ended (an early volume
    /// listing stays for `takeIfSame`, or `dropPending`).
    func take(matching invocation: ProcessInvocation) -> Taken {
        let started = lock.withLock { () -> (any StartedProcess)? in
            isLogs || pending.isEmpty ? nil : pending.removeFirst()
        }
        guard let started else { return .none }
        if started.invocation == invocation { return .used(started) }
        started.cancel()
        return .ended(started.invocation)
    }

    /// For any docker call (`DockerSession.attempt`): `.used` when the early child is exactly
    /// `invocation` (the caller owns it then and `finish`es it). A `logs` speculation's early
    /// child stood for the command's first call, so another call ends it (`.ended`); a lookup's
    /// stays for `take(matching:)`, and this is `.none`.
    func takeIfSame(_ invocation: ProcessInvocation) -> Taken {
        let (same, other) = lock.withLock { () -> ((any StartedProcess)?, (any StartedProcess)?) in
            if let index = pending.firstIndex(where: { $0.invocation == invocation }) {
                return (pending.remove(at: index), nil)
            }
            guard isLogs, !pending.isEmpty else { return (nil, nil) }
            return (nil, pending.removeFirst())
        }
        if let same { return .used(same) }
        guard let other else { return .none }
        other.cancel()
        return .ended(other.invocation)
    }

    /// Ends the early calls started and not used; returns them (none: there were none).
    /// Called when devenv is about to change what they would have seen, and in every way out of
    /// the command.
    @discardableResult
    func dropPending() -> [ProcessInvocation] {
        let started = lock.withLock { () -> [any StartedProcess] in
            defer { pending = [] }
            return pending
        }
        for child in started { child.cancel() }
        return started.map(\.invocation)
    }

    /// Keeps `query` as the lookup to start next time (best effort: a read-only or full disk
    /// only costs the next command its head start), with the volume listing the record had
    /// until `rememberVolumeListing` says otherwise. Written only when it changed.
    func remember(_ query: Query) {
        guard !isLogs else { return }
        let volumes = lock.withLock { () -> String? in
            remembered = query
            return self.volumes
        }
        guard query != recalled || volumes != recalledVolumes else { return }
        write(query, volumes: volumes)
    }

    /// Keeps whether the lookup's answer needed the project's volumes listed as well (`Status`:
    /// an environment with volumes but no container), `project`'s (nil: not needed), so that
    /// next time the listing starts beside the lookup instead of after it. Written only when it
    /// changed; after `remember`.
    func rememberVolumeListing(of project: String?) {
        guard !isLogs, project.map(Self.isContainerName) ?? true else { return }
        let query = lock.withLock { () -> Query? in
            defer { volumes = project }
            return volumes == project ? nil : remembered
        }
        if let query { write(query, volumes: project) }
    }

    private func write(_ query: Query, volumes: String?) {
        guard query.names.count + query.prefixes.count <= Self.maximumNames,
              (query.names + query.prefixes).allSatisfy(Self.isContainerName), Self.isCLI(query.cli) else { return }
        let lines = [Self.recordHeader, query.cli, query.engine.rawValue]
            + query.names.map { "name " + $0 } + query.prefixes.map { "prefix " + $0 } + (volumes.map { ["volumes " + $0] } ?? [])
        let text = lines.map { $0 + "\n" }.joined()
        guard text.utf8.count <= Self.maximumRecordBytes else { return }
        try? context.fileSystem.writeFile(path, Array(text.utf8), mode: 0o600)
    }

    /// Keeps `target` as the environment whose `logs` to start next time (a `logs` speculation
    /// only; best effort). Written only when it changed.
    func rememberLogs(_ target: LogsTarget) {
        guard isLogs, target != recalledLogs, Self.isCLI(target.cli), Self.isContainerName(target.container),
              Self.isRoot(target.projectRoot) else { return }
        let text = [Self.logsRecordHeader, target.cli, target.projectRoot, target.container].map { $0 + "\n" }.joined()
        try? context.fileSystem.writeFile(path, Array(text.utf8), mode: 0o600)
    }

    /// A `logs` record's target when it is exactly what `rememberLogs` writes, for the CLI
    /// devenv runs now.
    private static func recallLogs(_ path: String, context: AppContext) -> LogsTarget? {
        guard let bytes = try? context.fileSystem.readFile(path), bytes.count <= maximumRecordBytes,
              String(validating: bytes, as: UTF8.self) != nil else { return nil }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard lines.count == 5, lines[4].isEmpty, lines[0] == logsRecordHeader, lines[1] == context.dockerCLI,
              isRoot(lines[2]), isContainerName(lines[3]) else { return nil }
        return LogsTarget(cli: lines[1], projectRoot: lines[2], container: lines[3])
    }

    /// A canonical project root as a record line: absolute, printable, no newline.
    private static func isRoot(_ root: String) -> Bool {
        root.hasPrefix("/") && root.utf8.count <= 4096 && root.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7f }
    }

    /// The record's query, and the project whose volumes go with it, when it is well formed and
    /// for the CLI devenv runs now.
    private static func recall(_ path: String, context: AppContext) -> (query: Query, volumes: String?)? {
        let fileSystem = context.fileSystem
        if let size = fileSystem.stamp(of: path)?.size, size > Int64(maximumRecordBytes) { return nil }
        guard let bytes = try? fileSystem.readFile(path), bytes.count <= maximumRecordBytes else { return nil }
        // Read as bytes, each line compared or checked as it stands (a newline is one byte in
        // UTF-8, and a "\r\n" leaves a "\r" that no line allows); every line must be exactly
        // one of the expected ones, which are UTF-8, so a record that is not UTF-8 is no record.
        // Splitting the String went Character by Character, and a String for each line and
        // another for its name cost 0.1 M instructions, before `status` could start its docker
        // call (issue 14).
        return bytes.withUnsafeBufferPointer { record -> (query: Query, volumes: String?)? in
            var lines: [Range<Int>] = []
            var start = 0
            for index in 0..<record.count where record[index] == 0x0A {
                lines.append(start..<index)
                start = index + 1
            }
            func line(_ number: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: record[lines[number]]) }
            func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
            // Every line ends with a newline: a record cut short by a full disk is not one.
            guard start == record.count, lines.count >= 4, lines.count - 3 <= maximumNames,
                  line(0).elementsEqual(recordHeader.utf8), line(1).elementsEqual(context.dockerCLI.utf8),
                  let engine = EngineKind(rawValue: text(line(2))) else { return nil }
            var query = Query(cli: context.dockerCLI, names: [], engine: engine)
            var volumes: String?
            // Names first, then prefixes, then the volumes' project, as `remember` writes them.
            for number in 3..<lines.count {
                let entry = line(number)
                if volumes != nil { return nil }
                if entry.starts(with: "volumes ".utf8) {
                    let project = UnsafeBufferPointer(rebasing: entry[(entry.startIndex + 8)...])
                    guard isContainerName(project) else { return nil }
                    volumes = text(project)
                } else if entry.starts(with: "name ".utf8), query.prefixes.isEmpty {
                    let name = UnsafeBufferPointer(rebasing: entry[(entry.startIndex + 5)...])
                    guard isContainerName(name) else { return nil }
                    query.names.append(text(name))
                } else if entry.starts(with: "prefix ".utf8) {
                    let prefix = UnsafeBufferPointer(rebasing: entry[(entry.startIndex + 7)...])
                    guard isContainerName(prefix) else { return nil }
                    query.prefixes.append(text(prefix))
                } else {
                    return nil
                }
            }
            return query.names.isEmpty ? nil : (query, volumes)
        }
    }

    /// Docker's rule for container names, `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, at most 253 bytes.
    static func isContainerName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8(isContainerName)
    }

    /// `isContainerName` of a name's UTF-8 bytes.
    static func isContainerName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func alphanumeric(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
        }
        guard let first = bytes.first, alphanumeric(first), bytes.count <= 253 else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == 0x5f || $0 == 0x2e || $0 == 0x2d }
    }

    /// A CLI as a record line: printable, no newline.
    private static func isCLI(_ cli: String) -> Bool {
        !cli.isEmpty && cli.utf8.count <= 4096 && cli.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7f }
    }
}
