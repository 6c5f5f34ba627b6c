import Dashboard
import DevEnvCore

/// The ports and facts a command runs with. `main.swift` builds the real one; tests build one
/// with a FakeProcessRunner, an in-memory file system and a collecting console.
public struct AppContext: Sendable {
    public var environment: [String: String]
    public var currentDirectory: String
    /// Path of the running devenv binary, to find the shipped profiles.
    public var executablePath: String
    public var runner: any ProcessRunning
    public var fileSystem: any FileSystem
    public var console: any Console
    /// Who runs devenv, for a given project folder.
    public var hostFacts: @Sendable (String) -> HostFacts
    /// Seconds on a monotonic clock, for elapsed times.
    public var clock: @Sendable () -> Double
    /// Waits the seconds given (on `clock`): the pause between two rounds of a wait that asks
    /// the engine again (`OneOffContainers`' wait for a create), so it is not a busy loop of
    /// docker calls. Tests: returns at once (`AppFixture` moves its clock on instead).
    public var pause: @Sendable (Double) -> Void = { _ in }
    /// Takes the per-project lock `up` holds; returns a release closure. Nil: no locking.
    public var lockProject: (@Sendable (String, (String) -> Void) throws -> () -> Void)?
    /// The signal that interrupted devenv while a child ran, if any.
    public var interruption: @Sendable () -> Int32?
    /// How many interrupting signals devenv got so far (`ChildProcesses.interruptions`): a call
    /// made after the first that fails when the count grew was cut short by another (it ends the
    /// calls under way), which is no answer of the engine's. Tests: 0, or the fixture's.
    public var interruptionCount: @Sendable () -> Int = { 0 }
    /// How many times devenv was stopped and went on (Ctrl-Z, then `fg`): `Progress` redraws in
    /// place only what it drew since.
    public var continuations: @Sendable () -> Int = { 0 }
    /// Hears which phase the command's progress is in (`Progress.begin`/`step`'s `phase`): the
    /// dashboard's row of an action it runs says "building" or "starting". Nil: nobody listens.
    public var progressPhase: (@Sendable (ActionPhase) -> Void)?
    /// Opens the interactive dashboard; nil where none is built in (tests).
    public var dashboard: (@Sendable (AppContext, GlobalOptions) throws -> Int32)?
    /// Who holds a host port devenv is about to publish (a host process, or something it
    /// cannot name); nil when the port is free. Containers are asked of docker, not here.
    public var portHolder: @Sendable (PortMapping) -> PortConflict.Holder?
    /// The kept configuration readings this process used (`ConfigurationCache.Memory`), for a
    /// devenv that reads its configuration again and again (the dashboard); nil: each reading
    /// asks the state folder's file.
    var configurationMemory: ConfigurationCache.Memory?
    /// The user's private folder for what devenv remembers between commands (ContainerMemory):
    /// `UserStateFolder`, made 0700 and checked (`ProjectLock.directory`); nil: remember
    /// nothing (tests, unless they test that).
    public var stateFolder: (@Sendable () throws -> String)?
    /// The names of the variables in `environment` whose values were not UTF-8 (held there with
    /// U+FFFD in place of their bytes: `SystemEnvironment.verbatim`); a configuration that
    /// refers to one is an error (exit 2) rather than given the changed text.
    public var undecodableEnvironment: Set<String> = []
    /// The kernel's ARG_MAX (`SystemEnvironment.argumentLimit`): what the arguments and
    /// environment of one docker call may take together (`ConfigLimits.checkArgumentTotal`). Tests keep Linux's
    /// usual 2 MiB.
    public var argumentLimit = 2 * 1024 * 1024
    /// Whom the kernel checks file permissions for (`SystemEnvironment.credentials`: the
    /// effective user and group, the supplementary groups, the effective capabilities). Part of
    /// the `ConfigurationCache`'s key: a kept reading records a file it read by its stamp, which
    /// does not say whether another group could read it (`sg`, `newgrp`, a service's own
    /// groups), or root without CAP_DAC_OVERRIDE.
    /// Tests: none.
    public var credentials: [UInt32] = []
    /// Hears the calls `LookupSpeculation` started ahead (none: it started none) and the record
    /// they came from, once per command; `repeatable`: they may be started before the Swift
    /// runtime next time (`status`'s: queries under no lock; `PrestartRecord`). main.swift ends
    /// the calls started before the runtime that were not adopted, and keeps the record.
    /// Nothing in tests.
    public var earlyCallsStarted: @Sendable (_ started: [ProcessInvocation], _ record: String, _ repeatable: Bool) -> Void = { _, _, _ in }
    /// Marks a reading of the configuration (true as it starts, false when done):
    /// `ChildProcesses.readingConfiguration`, so that SIGTERM or Ctrl-C then ends devenv at once.
    /// Nothing in tests.
    public var readingConfiguration: @Sendable (Bool) -> Void = { _ in }
    /// Says whether the command only reads (`CommandSpec.onlyReads`), for what a signal in its
    /// reading says: `ChildProcesses.commandOnlyReads`. Nothing in tests.
    public var commandOnlyReads: @Sendable (Bool) -> Void = { _ in }
    /// The command's span from its start until its first docker call that may change something
    /// (`PlanningPhase`): reading, fingerprints and planning, with queries between. Nil: none
    /// (the dashboard's own commands, `init`).
    var planning: PlanningPhase?
    /// When process PID started (`ProcessStart.of`: clock ticks since boot), nil when none runs:
    /// whether the devenv that left a file in the state folder still runs, PID reuse told apart.
    /// Nil: devenv cannot tell, and leaves such files (tests, unless they test it).
    public var processStart: (@Sendable (Int32) -> UInt64?)?
    /// A fresh random token (32 lowercase hex digits, `SystemEnvironment.randomToken`) that marks
    /// what one call makes, so devenv can find it again however the call ends: the processes an
    /// `exec` or `shell` starts (`ExecMarker`), `test`'s one-off container (`DockerPlanner.runLabel`).
    /// Nil: none (tests that do not test it).
    public var randomToken: @Sendable () -> String? = { nil }
    /// Nanoseconds since the epoch on the wall clock (file times are on it): the racy-timestamp
    /// rule of the `ConfigurationCache`. Nil: no configuration is kept between runs (tests,
    /// unless they test that).
    public var wallClock: (@Sendable () -> Int64)?

    public init(environment: [String: String], currentDirectory: String, executablePath: String,
                runner: any ProcessRunning, fileSystem: any FileSystem, console: any Console,
                hostFacts: @escaping @Sendable (String) -> HostFacts, clock: @escaping @Sendable () -> Double,
                lockProject: (@Sendable (String, (String) -> Void) throws -> () -> Void)? = nil,
                interruption: @escaping @Sendable () -> Int32? = { nil },
                dashboard: (@Sendable (AppContext, GlobalOptions) throws -> Int32)? = nil,
                portHolder: @escaping @Sendable (PortMapping) -> PortConflict.Holder? = { _ in nil },
                stateFolder: (@Sendable () throws -> String)? = nil) {
        // A relative profiles folder means one place for every reader (`ProfileSearch.resolvingFolderVariable`).
        self.environment = ProfileSearch.resolvingFolderVariable(environment, currentDirectory: currentDirectory)
        self.currentDirectory = currentDirectory
        self.executablePath = executablePath
        self.runner = runner
        self.fileSystem = fileSystem
        self.console = console
        self.hostFacts = hostFacts
        self.clock = clock
        self.lockProject = lockProject
        self.interruption = interruption
        self.dashboard = dashboard
        self.portHolder = portHolder
        self.stateFolder = stateFolder
    }

    /// Seconds a docker query may take (`QueryTimeout`: DEVENV_TIMEOUT, else 30); `App.run`
    /// rejects a bad value before any command runs.
    public var queryTimeout: Double {
        (try? QueryTimeout.seconds(environment: environment)) ?? QueryTimeout.defaultSeconds
    }

    /// Where the docker CLI sends its calls (DOCKER_CONTEXT, DOCKER_HOST, config.json's
    /// currentContext), read as the CLI reads it.
    func engineEndpoint() -> EngineEndpoint {
        let config = EngineEndpoint.configPath(environment: environment).flatMap { try? fileSystem.readFile($0) }
        return EngineEndpoint.resolve(environment: environment, configFile: config ?? nil)
    }

    /// DEVENV_DOCKER names another docker-compatible CLI (podman); else `docker` from PATH.
    public var dockerCLI: String {
        if let cli = environment["DEVENV_DOCKER"], !cli.isEmpty { return cli }
        return "docker"
    }

    /// The engine family of `dockerCLI` before any call: its name, or what the file is
    /// (Podman's docker shim is Podman; `EngineKind.of`).
    public var engineKind: EngineKind {
        EngineKind.of(cli: dockerCLI, searchPath: environment["PATH"], fileSystem: fileSystem)
    }

    /// This context with its file system behind a `CachedFileSystem` (itself when it has one).
    func readingOnce() -> AppContext {
        var cached = self
        cached.fileSystem = CachedFileSystem.wrapping(fileSystem, clock: wallClock)
        return cached
    }

    /// This context keeping the configuration readings it uses in memory: the dashboard reads
    /// its configuration again on every container event.
    func rememberingConfiguration() -> AppContext {
        var remembering = self
        remembering.configurationMemory = ConfigurationCache.Memory()
        return remembering
    }

    /// This context asking `hostFacts` again only when /etc/passwd or the project folder
    /// changed (the dashboard takes a snapshot on every container event).
    func rememberingHostFacts() -> AppContext {
        var remembering = self
        let ask = hostFacts, fileSystem = self.fileSystem
        let memo = HostFactsMemo()
        remembering.hostFacts = { directory in
            let key = [fileSystem.stamp(of: "/etc/passwd"), fileSystem.stamp(of: directory)]
            return memo.facts(directory: directory, key: key) { ask(directory) }
        }
        return remembering
    }
}

/// The last host facts per project folder with the stamps they were read under.
private final class HostFactsMemo: @unchecked Sendable {
    private let lock = Lock()
    private var remembered: [String: (key: [FileStamp?], facts: HostFacts)] = [:]

    func facts(directory: String, key: [FileStamp?], read: () -> HostFacts) -> HostFacts {
        if let known = lock.withLock({ remembered[directory] }), known.key.count == key.count,
           zip(known.key, key).allSatisfy(FileStamp.unchanged) { return known.facts }
        let facts = read()
        lock.withLock { remembered[directory] = (key, facts) }
        return facts
    }
}
