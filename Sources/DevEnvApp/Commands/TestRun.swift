import DevEnvCore
import TerminalUI

/// `devenv test`: builds the profile's image and runs its test command (the ci profile:
/// pytest) in a fresh container, removed afterwards, with no published ports (the dev
/// container may hold them). A profile with create stages or postStart gets them run in that
/// container first (`LifecycleHooks.inOneOffContainer`), as `up` runs them. The test command's exit code is devenv's, except that a run of
/// zero tests never passes: pytest says so itself (exit 5); for any other runner devenv reads
/// the output and fails on "Ran 0 tests".
struct TestRun {
    let environment: Environment
    let session: DockerSession
    let context: AppContext
    let progress: Progress

    /// The exit code devenv gives a runner's "no tests ran" (pytest's own code for it).
    static let noTestsExitCode: Int32 = 5

    /// `arguments`: added to the profile's test command (`devenv test -k name`).
    /// A profile built from a Dockerfile is always built (below); a ready image is pulled only
    /// when missing.
    func run(arguments: [String] = []) throws -> Int32 {
        let spec = environment.spec
        guard !spec.testCommand.isEmpty else {
            throw DevEnvError.usage("profile \(spec.profile) has no test_command",
                                    hint: "set test_command under [profiles.\(spec.profile)] in devenv.toml, or use --profile ci")
        }
        // Always built: profiles like ci copy the code into the image instead of mounting it,
        // and a test run must see the code as it is now. Docker's layer cache keeps it quick.
        let image = try environment.image(fileSystem: context.fileSystem)
        // A ready image (devcontainer.json `image`) is pulled only when the engine lacks it, as
        // `up` does; that inspect also gives the image's environment (remoteEnv, below).
        var described: ProcessResult?
        if spec.image != nil {
            let inspected = try session.attempt(environment.planner.imageExists(image))
            if inspected.succeeded { described = inspected }
        }
        if described == nil {
            try Build(environment: environment, session: session, context: context, progress: progress)
                .build(image: image, noCache: false)
        }
        // How users map on this engine, as `up` applies it (the engine probe's judgement): on
        // rootless Podman keep-id, on rootless Docker and behind a docker CLI on rootless Podman's
        // API container root as the host user; with none, `--user UID:GID` ran as a subordinate
        // ID there, which could not write the project folder, and the volumes got a chown.
        var environment = self.environment
        if spec.user == .host { _ = try EngineProbe(session: session, context: context).apply(to: &environment.planner) }
        let ensured = try VolumeSet(session: session, environment: environment).ensure(image: image, progress: progress)
        let command = spec.testCommand + arguments
        progress.step("running \(command.joined(separator: " ")) in \(image)")
        let readsCount = !Self.runnerReportsNoTests(command)
        var planner = environment.planner
        planner.adoptedVolumes = ensured.adopted
        // A GPU project's tests get the GPUs too (devcontainer.json hostRequirements.gpu).
        try GPUProbe(session: session, context: context).apply(to: &planner)
        // remoteEnv's ${containerEnv:VAR}, resolved against the image as up does.
        if !spec.environmentResolvedAtCreate.isEmpty {
            let description = try described ?? session.attempt(planner.imageExists(image))
            if description.succeeded {
                planner.imageEnvironment = try environment.containerBaseEnvironment(inspectOutput: description.stdoutText, context: context)
            }
        }
        // With lifecycle commands: a one-off idle container they run in first (through the
        // same runner as up's), then the test command in it; removed afterwards, by ID.
        var oneOff: String?
        defer {
            if let oneOff, (try? session.attempt(planner.remove(id: oneOff), cleanup: true))?.succeeded != true {
                // A warning, not the exit code: the tests' own exit code is what `test` reports.
                context.console.writeError(ErrorReport.warning("the test container (ID \(oneOff.prefix(12))) could not be removed; "
                    + "`\(planner.remove(id: oneOff).shellQuoted)` removes it"))
            }
        }
        var invocation: ProcessInvocation
        var toCompletion: String?
        if LifecycleHooks.runsInContainer(spec) {
            let id = try startOneOff(image: image, planner: planner) { oneOff = $0 }
            environment.planner = planner
            try LifecycleHooks(environment: environment, session: session, context: context, progress: progress).inOneOffContainer(id)
            invocation = planner.exec(command, interactive: false, terminal: false, container: id)
        } else {
            toCompletion = context.randomToken()
            invocation = planner.runToCompletion(image: image, command: command, run: toCompletion)
        }
        // Podman's init (catatonit, for --init) says that it could not start the command on
        // stderr and exits 1, where Docker's (tini) exits 127: the output is read there too, so
        // that a missing runner is said as one, not taken for failed tests (`OutputScan`).
        // Podman's behind a docker CLI too: the engine probe's judgement (`EngineFacts.server`).
        let readsOutput = try readsCount || planner.engine == .podman || probedServer() == .podman
        if readsOutput { invocation.io = .stream }
        // An error about it names this, not the line: that holds every --env value of the profile.
        invocation.step = "\(command.joined(separator: " ")) in a one-off container of \(image)"
        let seen = OutputScan(runner: command[0])
        let console = context.console
        // Each stream decoded across its reads: a character a read cut in two is shown whole.
        let text = StreamText()
        let passThrough: @Sendable (OutputChannel, [UInt8]) -> Void = { channel, bytes in
            seen.add(bytes)
            let decoded = text.decode(channel, bytes)
            if channel == .stdout { console.write(decoded) } else { console.writeError(decoded) }
        }
        let result: ProcessResult
        do {
            result = try runToItsEnd(invocation, run: toCompletion, image: image, planner: planner, onOutput: readsOutput ? passThrough : nil)
        } catch {
            text.finish(console)
            throw error
        }
        text.finish(console)
        // Read output: the runner is missing only when the init (or the runtime) said it could
        // not start it; a 127 of the command's own (a shell's "missing-cmd: not found" in
        // `sh -c`) is the tests' status. Unread (pytest, which never exits 127 itself): 127 is
        // the init's "not found".
        if readsOutput ? seen.runnerNotFound && (result.exitCode == 127 || result.exitCode == 1) : result.exitCode == 127 {
            let place = Self.syncsIntoVolume(spec).map { "venv volume (\(planner.volume(role: "venv")) at \($0))" } ?? "image"
            throw DevEnvError(.failure, "the test runner \(command[0]) is not in the \(spec.profile) \(place) (exit \(result.exitCode): not found)",
                              hint: Self.missingRunnerHint(command, spec: spec))
        }
        if readsCount && result.exitCode == 0 && seen.ranNoTests {
            console.writeError(ErrorReport.text(DevEnvError(.failure, "\(command.joined(separator: " ")) ran no tests: that is not a pass")))
            return Self.noTestsExitCode
        }
        // Only the runner's own module: a test that imports something missing (the project
        // itself in dev before `sync-deps`) was told to add `unittest` to a dependency group.
        if readsCount && result.exitCode != 0 && seen.missingModules.contains(Self.runnerModule(command)) {
            console.writeError(ErrorReport.note(Self.missingRunnerHint(command, spec: spec)))
        }
        return result.exitCode
    }

    /// Starts the idle one-off container (`DockerPlanner.startForTests`) and hands its ID to
    /// `made` as soon as docker prints it (the caller removes it by that ID however the run
    /// ends). A start that ends without an ID (its deadline passed on an engine that stopped
    /// answering, a signal ended the CLI) may still have made the container, or make it yet:
    /// `OneOffContainers` finds it by the call's label, waits out a create still under way, and
    /// removes it by ID; what cannot be found or removed is said, with the commands that do it.
    func startOneOff(image: String, planner: DockerPlanner, made: (String) -> Void) throws -> String {
        let run = context.randomToken()
        let oneOff = OneOffContainers(session: session, planner: planner)
        let invocation = planner.startForTests(image: image, run: run)
        let started = try oneOff.attempt(invocation, run: run, image: image, said: Self.startCutShort, neverStarted: false)
        let id = session.dryRun ? "TEST-CONTAINER" : started.stdoutText.split(whereSeparator: \.isWhitespace).last.map(String.init) ?? ""
        if started.succeeded, !id.isEmpty {
            made(id)
        } else {
            oneOff.removeUnseen(run, neverStarted: false, said: Self.startCutShort)
        }
        guard started.succeeded else {
            throw DockerFailure.error("starting a test container of \(image)", invocation: invocation, result: started)
        }
        guard !id.isEmpty else {
            throw DevEnvError(.failure, "starting a test container of \(image): docker printed no container ID")
        }
        return id
    }

    /// Runs the test command (`invocation`) to its end. When a signal or the deadline ends it, a
    /// `docker run` (`run`: its token, `DockerPlanner.runToCompletion`) may have created its
    /// container and not started it, which `--rm` never removes (break26: SIGTERM as the run
    /// began left a "Created" container for good): `OneOffContainers` finds it, or waits out its
    /// create, and removes it by ID. One that ran goes by `--rm`.
    func runToItsEnd(_ invocation: ProcessInvocation, run: String?, image: String, planner: DockerPlanner,
                     onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult {
        try OneOffContainers(session: session, planner: planner).attempt(invocation, run: run, image: image, said: Self.runCutShort, onOutput: onOutput)
    }

    /// What a cut-short test run (`runToItsEnd`) is said as.
    static let runCutShort = OneOffContainers.Wording.run("test run", container: "the test container")

    /// The engine family behind the CLI, as the engine probe judged it (asked once a command);
    /// under a dry run, with no answer, the CLI's.
    private func probedServer() throws -> EngineKind {
        guard !session.dryRun else { return environment.planner.engine }
        return try EngineProbe(session: session, context: context).facts().server
    }

    /// What a cut-short start of the idle test container (`startOneOff`) is said as.
    static let startCutShort = OneOffContainers.Wording(
        cutShort: "the test container's start did not finish; one may have been made",
        container: "the test container", made: "that a start cut short made")

    /// pytest (also as `python -m pytest`) exits 5 when it collects no tests.
    static func runnerReportsNoTests(_ command: [String]) -> Bool {
        let words = command.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        return words.first == "pytest" || words.first == "py.test"
            || (words.count >= 3 && words[0].hasPrefix("python") && words[1] == "-m" && words[2] == "pytest")
    }

    /// The module that runs the tests: M of `python -m M`, else the program's own name.
    static func runnerModule(_ command: [String]) -> String {
        let words = command.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        if words.count >= 3, words[0].hasPrefix("python"), words[1] == "-m" { return words[2] }
        return words.first ?? ""
    }

    /// Where the venv volume is mounted when the profile keeps its venv in one and syncs the
    /// dependencies into it (`sync_command`, `devenv sync-deps`: dev); nil otherwise (ci and prod
    /// have the venv in the image). A volume keeps what it held when the image changed, so a
    /// runner added since (`uv add --dev pytest`) is in the new image but not in the volume.
    static func syncsIntoVolume(_ spec: EnvironmentSpec) -> String? {
        guard !spec.syncCommand.isEmpty else { return nil }
        return spec.volumes["venv"]
    }

    /// What to do about a test runner the container does not have: first `devenv sync-deps` where
    /// the venv is a volume the profile syncs (dev before its first sync, or after `uv add`), then
    /// adding it to a dependency group, or another test_command.
    static func missingRunnerHint(_ command: [String], spec: EnvironmentSpec) -> String {
        let runner = runnerModule(command)
        let add = "add it to a dependency group (`uv add --group tests \(runner)`; `devenv init --force` then makes the ci stage install that group), or set test_command under [profiles.\(spec.profile)] in devenv.toml"
        guard syncsIntoVolume(spec) != nil else { return add }
        return "run `\(spec.command("sync-deps"))` (with the container up) to install the locked dependencies into the venv volume, then test again; "
            + "if \(runner) is not among them, \(add)"
    }
}

/// The test run's two streams as text, each decoded across its reads (`UTF8StreamDecoder`).
final class StreamText: @unchecked Sendable {
    private let lock = Lock()
    private var output = UTF8StreamDecoder()
    private var error = UTF8StreamDecoder()

    func decode(_ channel: OutputChannel, _ bytes: [UInt8]) -> String {
        lock.withLock { channel == .stdout ? output.decode(bytes) : error.decode(bytes) }
    }

    /// Writes what is left of a character the streams ended inside (U+FFFD).
    func finish(_ console: any Console) {
        let (out, err) = lock.withLock { (output.finish(), error.finish()) }
        if !out.isEmpty { console.write(out) }
        if !err.isEmpty { console.writeError(err) }
    }
}

/// What a test runner printed, as far as devenv cares: whether it said it ran no tests, which
/// modules Python said were missing, and whether the container's init could not start the
/// runner. Lines are read as they arrive; only the last partial line is kept.
final class OutputScan: @unchecked Sendable {
    /// The test command's program (`test_command`'s first word), as the init names it.
    let runner: String
    private var partial: [UInt8] = []

    init(runner: String = "") { self.runner = runner }
    private(set) var ranNoTests = false
    /// X of "No module named 'X'" (Python 3) or "No module named X" (the `-m` runner's own
    /// message), its top-level package: `pytest` of 'pytest.main'.
    private(set) var missingModules: Set<String> = []

    func add(_ bytes: [UInt8]) {
        partial += bytes
        while let newline = partial.firstIndex(of: 0x0A) {
            see(String(decoding: partial[..<newline], as: UTF8.self))
            partial.removeSubrange(...newline)
        }
        if partial.count > 4096 { partial.removeAll() }
    }

    /// The container's init (or runtime) said it could not start the runner for want of the
    /// file: Docker's tini "[FATAL tini (PID)] exec RUNNER failed: No such file or directory"
    /// (exit 127); Podman's catatonit "ERROR (catatonit:PID): failed to exec pid1: No such file
    /// or directory" (exit 1); runc's `exec: "RUNNER": executable file not found in $PATH` and
    /// crun's "executable file `RUNNER` not found in $PATH" (exit 127, an engine without init).
    private(set) var runnerNotFound = false

    private func see(_ line: String) {
        if Self.saysNotFound(line, runner: runner) { runnerNotFound = true }
        // unittest (before 3.12) and nose2: "Ran 0 tests in 0.000s"; 3.12+: "NO TESTS RAN".
        if line.hasPrefix("Ran 0 tests") || line.contains("NO TESTS RAN") { ranNoTests = true }
        if let said = line.firstRange(of: "No module named ") {
            let name = line[said.upperBound...].drop { $0 == "'" }.prefix { $0 != "'" && $0 != "." && $0 != " " }
            if !name.isEmpty { missingModules.insert(String(name)) }
        }
    }

    /// Whether `line` is an init's or runtime's word that it found no file to run as `runner`.
    static func saysNotFound(_ line: String, runner: String) -> Bool {
        if line.hasPrefix("ERROR (catatonit:"), line.hasSuffix("): failed to exec pid1: No such file or directory") { return true }
        guard !runner.isEmpty else { return false }
        return (line.hasPrefix("[FATAL tini (") && line.hasSuffix("] exec \(runner) failed: No such file or directory"))
            || line.contains("exec: \"\(runner)\": executable file not found in $PATH")
            || line.contains("executable file `\(runner)` not found in $PATH")
    }
}
