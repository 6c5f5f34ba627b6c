import DevEnvCore

/// The configuration the dashboard's snapshots are taken with: what the last reading gave,
/// with the probed engine family applied. Written by a refresh's background thread, read by
/// the next one's.
///
/// What depends only on the configuration and the engine is worked out once per change of
/// either, not once per snapshot (dash29): the dashboard refreshes on every container event,
/// and setting the engine on every planner, as it once did, dropped each environment's
/// `Environment.expected` (the image tag and container fingerprint the reading worked out and
/// `ConfigurationCache` keeps with the files it read), so every snapshot read and hashed each
/// Dockerfile, uv.lock, pyproject.toml and env file again. Now the family is set only on a
/// planner that has another one, its expectation worked out again there and then, and a
/// reading that gives the same environments as the last (same spec, host user, files and
/// expectation: `sameAs`) keeps what was worked out for them.
final class DashboardConfiguration: @unchecked Sendable {
    private let lock = Lock()
    /// As the last successful reading gave them.
    private var read: [Environment]
    /// `read` with the family in `engine` applied, their expectations worked out for it.
    private var prepared: [Environment]
    /// The family `prepared` was made for; nil: the one each reading gave.
    private var engine: EngineKind?

    init(_ environments: [Environment]) {
        read = environments
        prepared = environments
    }

    /// The environments the last reading left, as snapshots use them.
    var environments: [Environment] { lock.withLock { prepared } }

    /// The environments a snapshot is taken with. The configuration is read again when
    /// `readAgain` (a few ms, and none of its files read while none changed: the reading is
    /// kept, `ConfigurationCache`), so an edited devenv.toml shows as stale at once, as `devenv
    /// status` would say; `said` gets the reading's verdict: nil, or the error (FILE:LINE:COL).
    /// While it is broken the rows keep the configuration last read; an action shows the error
    /// in full.
    func refreshed(readAgain: Bool, context: AppContext, options: GlobalOptions, engine: EngineKind?,
                   said: (String?) -> Void) -> (environments: [Environment], changed: Bool) {
        var reloaded: [Environment]?
        if readAgain {
            do {
                reloaded = try Self.sameProject(EnvironmentLoader(context: context, options: pinned(options)).loadAll(),
                                                as: lock.withLock { read })
                said(nil)
            } catch {
                said(ErrorReport.text(ErrorReport.devEnvError(error)))
            }
        }
        return current(reloaded: reloaded, engine: engine, fileSystem: context.fileSystem)
    }

    /// `options` with the project folder the dashboard opened on: read again, the folder is
    /// not searched for afresh. While `rm -rf` took the project apart, the search from a
    /// folder without devenv.toml or pyproject.toml fell back on it as a bare folder, and the
    /// rows became another project's (named after the folder, every container "not created"),
    /// under the header of the first (dash30).
    private func pinned(_ options: GlobalOptions) -> GlobalOptions {
        var pinned = options
        if let root = lock.withLock({ read.first?.spec.projectRoot }) { pinned.projectDirectory = root }
        return pinned
    }

    /// `reloaded`, when it is a reading of the project the dashboard shows (its name and
    /// folder); else exit 2 saying what it names now, and the rows keep the last reading.
    static func sameProject(_ reloaded: [Environment], as last: [Environment]) throws -> [Environment] {
        guard let before = last.first, let now = reloaded.first,
              now.names.project != before.names.project || now.spec.projectRoot != before.spec.projectRoot else { return reloaded }
        throw DevEnvError.usage("the configuration in \(before.spec.projectRoot) now names project \(now.names.project) in \(now.spec.projectRoot), "
                                + "not \(before.names.project): the rows show \(before.names.project) as last read",
                                hint: "quit and open devenv again to show \(now.names.project)")
    }

    /// The environments a snapshot is taken with, after `reloaded` (a new reading; nil: none
    /// was made, or it failed and the rows keep the last one) and with the engine family the
    /// probe found (nil: not probed yet). `changed` says whether they differ from the last
    /// ones in anything the dashboard derives from them (its watch list). `fileSystem` is
    /// the one expectations are worked out through when the family changed them.
    func current(reloaded: [Environment]?, engine: EngineKind?, fileSystem: any FileSystem) -> (environments: [Environment], changed: Bool) {
        lock.withLock {
            let newReading = reloaded.map { !Self.same($0, read) } ?? false
            if let reloaded, newReading { read = reloaded }
            guard newReading || engine != self.engine else { return (prepared, false) }
            self.engine = engine
            prepared = read.map { environment in
                // The probe's family wins over the CLI's name (a docker that turned out to be
                // Podman); what a container is compared with may differ between them.
                guard let engine, environment.planner.engine != engine else { return environment }
                var applied = environment
                applied.planner.engine = engine
                applied.expected = try? applied.expectation(fileSystem: fileSystem)
                return applied
            }
            return (prepared, newReading)
        }
    }

    /// Whether two readings gave the same environments: each one's spec, host user, CLI and
    /// family, the files it considered, the profiles it knows and the expectation worked out
    /// with it. An expectation that could not be worked out (no Dockerfile) never counts as
    /// the same: it is tried again with the next reading, as `status` would.
    static func same(_ a: [Environment], _ b: [Environment]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { a, b in
            a.expected != nil && a.expected == b.expected && a.spec == b.spec && a.identity == b.identity
                && a.planner.cli == b.planner.cli && a.planner.engine == b.planner.engine
                && a.consideredFiles == b.consideredFiles && a.profileNames == b.profileNames && a.warnings == b.warnings
        }
    }
}
