import DevEnvCore
import DevEnvSystem
import Dispatch

/// Runs an environment's lifecycle commands (`LifecycleStage`; README, "Lifecycle commands"):
/// `initializeCommand` on the host before `up` does anything, only once the user allowed the
/// file; after `up`/`restart` the create stages once per environment (again for new volumes,
/// `down --volumes`, a changed command or another image) and postStart once per start
/// (remembered in a `LifecycleRecord` in the user's state folder); in `devenv test`'s one-off
/// container the create stages and postStart every time; postAttach before `shell`. Container
/// commands run as the container's user, in the workspace. Output goes through Progress (so
/// to stderr, or to the dashboard's action pane). A failure stops the command with exit 1 and
/// names the stage and its exit code; the stages that did not finish run again on the next
/// `up`.
///
/// waitFor: `up` runs every stage before it returns (nothing attaches to the environment
/// before `up` is done, so there is nobody to let in early); after the waitFor stage it says
/// the environment is ready, and a later stage's failure says that the environment is usable.
struct LifecycleHooks: Sendable {
    let environment: Environment
    let session: DockerSession
    let context: AppContext
    let progress: Progress

    private var spec: EnvironmentSpec { environment.spec }

    /// What the user calls the stage: the devcontainer.json property for a file's stage, the
    /// profile key for devenv's own.
    func name(of stage: LifecycleStage) -> String {
        spec.devcontainerFile != nil || stage.profileKey == nil ? stage.devcontainerProperty : stage.reportKey
    }

    private var configuration: String {
        spec.devcontainerFile.map { RelativePath.display($0, under: spec.projectRoot) } ?? "devenv.toml"
    }

    private var upCommand: String { spec.command("up") }

    // MARK: initializeCommand

    /// `initializeCommand` on the host, in the project folder, before `up` or `restart` looks at
    /// the engine. Refused (exit 2, nothing done) until the user allowed this content of the
    /// file; `allow` (`--allow-initialize`) records the allowance first.
    func initialize(allow: Bool) throws {
        guard let command = spec.lifecycle[.initialize], let file = spec.devcontainerFile else { return }
        if !session.dryRun {
            let content = try context.fileSystem.readFile(file) ?? []
            guard let state = stateFolder else {
                throw DevEnvError(.usage, "\(configuration): initializeCommand needs your consent, and devenv has no folder to remember it in",
                                  hint: "set HOME or XDG_STATE_HOME")
            }
            let record = state + "/" + InitializeAllowance.folder + "/" + InitializeAllowance.fileName(path: file, content: content)
            if !InitializeAllowance.isAllowed(stored: try context.fileSystem.readFile(record), path: file, content: content) {
                guard allow else {
                    throw DevEnvError(.usage,
                                      "\(configuration) has an initializeCommand, which runs on this machine as you (not in the container): \(command)",
                                      hint: "read it; to allow it for this content of the file, run `\(upCommand) --allow-initialize` "
                                          + "(remembered in \(state); a changed file asks again)")
                }
                try context.fileSystem.writeFile(record, InitializeAllowance.record(path: file, content: content), mode: 0o600)
                progress.step("initializeCommand of \(configuration) allowed for this content of the file (remembered in \(state))")
            }
        }
        let steps = command.steps.map { step in
            (name: step.name, invocation: ProcessInvocation(step.argv, workingDirectory: spec.projectRoot, io: .stream))
        }
        try run(.initialize, command, steps, where: "on this machine")
    }

    // MARK: In the container

    /// After `up` or `restart`: the create stages when the environment has not finished them
    /// (`LifecycleRecord`: once per environment, again for new volumes, a changed command or
    /// another image), then postStart once for this start. One `docker inspect` when the
    /// environment has any of them, none otherwise.
    func afterStart() throws {
        let configured = Self.containerStages(spec)
        guard !configured.isEmpty else { return }
        if session.dryRun {
            // The plan of a new container: every stage.
            for stage in configured { try runInContainer(stage, runningAs: nil) }
            return
        }
        let facts = try inspect(container: nil)
        let recordPath = self.recordPath
        if recordPath == nil {
            context.console.writeError(ErrorReport.warning("no state folder (set HOME or XDG_STATE_HOME): the lifecycle commands run as for a new environment"))
        }
        var record = try recordPath.flatMap { try context.fileSystem.readFile($0) }.map(LifecycleRecord.parse) ?? LifecycleRecord()
        let lifecycle = spec.lifecycle
        let pending = record.pending(container: facts.id, image: facts.image, startedAt: facts.startedAt, lifecycle: lifecycle)
        let skipped = LifecycleRecord.createStages.filter { lifecycle[$0] != nil && !pending.contains($0) }
        if record.container != facts.id {
            if !skipped.isEmpty {
                // A new container whose environment already ran them: say once why they do not run.
                progress.step("\(skipped.map(name(of:)).joined(separator: ", ")) not run again: \(skipped.count == 1 ? "it" : "they") ran for this environment "
                              + "(same volumes, image and command\(skipped.count == 1 ? "" : "s")); `\(spec.command("down --volumes"))` or a changed command runs \(skipped.count == 1 ? "it" : "them") again")
            }
            record.container = facts.id
            if pending.isEmpty { try save(record, at: recordPath) }
        }
        guard !pending.isEmpty else { return }
        // What runs must be remembered as run: on a full state folder post_create ran, the
        // record could not be written, `up` failed, and every `up` ran it again (break30). So
        // the record is written first, and where it cannot be, nothing runs.
        if let recordPath {
            do {
                try save(record, at: recordPath)
            } catch {
                let stages = pending.map(name(of:)).joined(separator: ", ")
                throw DevEnvError(.failure, "devenv cannot record which lifecycle commands ran (\(error)): \(stages) not run, "
                                  + "since \(pending.count == 1 ? "it" : "they") would run again at every `\(upCommand)`",
                                  hint: "free space in (or make writable) devenv's state folder \(stateFolder ?? recordPath), then run `\(upCommand)` again")
            }
        }
        try run(pending, in: facts, record: &record, recordPath: recordPath)
    }

    /// After `up` created a volume of the environment (it is new, empty or the image's copy),
    /// or `down --volumes` reset the environment: the create stages must run again, and a run
    /// cut short before they finish must not lose that. No-op without create stages or a
    /// state folder.
    func forgetCreateStages() throws {
        guard LifecycleRecord.createStages.contains(where: { spec.lifecycle[$0] != nil }), !session.dryRun,
              let recordPath, let bytes = try context.fileSystem.readFile(recordPath) else { return }
        let record = LifecycleRecord.parse(bytes)
        guard record.created != nil else { return }
        try save(record.forgettingCreated, at: recordPath)
    }

    /// The configured stages that run in a started container (create stages, then postStart).
    static func containerStages(_ spec: EnvironmentSpec) -> [LifecycleStage] {
        (LifecycleRecord.createStages + [.postStart]).filter { spec.lifecycle[$0] != nil }
    }

    /// Whether `spec` has commands that run in a started container (create stages, postStart).
    static func runsInContainer(_ spec: EnvironmentSpec) -> Bool { !containerStages(spec).isEmpty }

    /// `devenv test`'s one-off container `id`: every configured create stage, then postStart,
    /// as `up` runs them in a new environment (the devcontainers CI action runs `devcontainer
    /// up` before its command), through the same runner; nothing is remembered, since the
    /// container is removed after the tests.
    func inOneOffContainer(_ id: String) throws {
        let configured = Self.containerStages(spec)
        guard !configured.isEmpty else { return }
        if session.dryRun {
            for stage in configured { try runInContainer(stage, runningAs: nil, container: id) }
            return
        }
        var facts = try inspect(container: id)
        // The one-off container carries no devenv.user label: the planner's user applies, as
        // for the container's own command.
        facts.user = nil
        var record = LifecycleRecord()
        try run(configured, in: facts, record: &record, recordPath: nil)
    }

    private struct ContainerFacts {
        var id: String
        var startedAt: String
        var user: String?
        var image: String
        /// The container to exec in: nil for the environment's (by name, as before).
        var target: String?
    }

    private func inspect(container: String?) throws -> ContainerFacts {
        let shown = container ?? environment.names.container
        let facts = try session.run(environment.planner.lifecycleFacts(container: container), "inspecting \(shown)").stdoutText
        // One line; the newline docker ends it with is not part of the last field.
        var line = Substring(facts)
        while line.last?.isNewline == true { line = line.dropLast() }
        while line.first?.isNewline == true { line = line.dropFirst() }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 2, !fields[0].isEmpty else {
            throw DevEnvError(.failure, "inspecting \(shown): docker printed no container ID",
                              detail: facts.isEmpty ? nil : TerminalSafeText.plainLine(Array(facts.utf8)))
        }
        // Docker prints "<no value>" for a label the container does not have.
        let user = fields.count > 2 && !fields[2].isEmpty && fields[2] != "<no value>" ? fields[2] : nil
        return ContainerFacts(id: fields[0], startedAt: fields[1], user: user,
                              image: fields.count > 3 ? fields[3] : "", target: container)
    }

    /// Runs `pending` in order in the container of `facts`, recording each finished part.
    private func run(_ pending: [LifecycleStage], in facts: ContainerFacts, record: inout LifecycleRecord,
                     recordPath: String?) throws {
        let lastCreate = pending.last { $0 != .postStart }
        var announced = false
        for stage in pending {
            // Only a devcontainer.json has waitFor; devenv's own profiles are ready when up returns,
            // and nobody waits on `devenv test`'s one-off container.
            let afterWaitFor = spec.devcontainerFile != nil && facts.target == nil && stage.isAfter(spec.waitFor)
            if afterWaitFor && !announced {
                ready()
                announced = true
            }
            try runInContainer(stage, runningAs: facts.user, readyAlready: afterWaitFor, container: facts.target)
            if stage == .postStart {
                record.started = "\(facts.id) \(facts.startedAt)"
            } else if stage == lastCreate {
                record.created = LifecycleRecord.createdValue(image: facts.image, lifecycle: spec.lifecycle)
                try save(record, at: recordPath)
            }
        }
        try save(record, at: recordPath)
    }

    private var recordPath: String? {
        stateFolder.map { $0 + "/lifecycle/" + LifecycleRecord.fileName(projectRoot: spec.projectRoot, profile: spec.profile) }
    }

    /// Whether the profile has a postAttach command (`shell` then needs the container looked up).
    var hasPostAttach: Bool { spec.lifecycle[.postAttach] != nil }

    /// Before `shell` attaches: postAttach, as the container's user (`runningAs`).
    func beforeAttach(runningAs: String?) throws {
        guard spec.lifecycle[.postAttach] != nil else { return }
        try runInContainer(.postAttach, runningAs: runningAs)
    }

    private func save(_ record: LifecycleRecord, at path: String?) throws {
        guard let path else { return }
        try context.fileSystem.writeFile(path, Array(record.rendered.utf8), mode: 0o600)
    }

    private func ready() {
        guard spec.devcontainerFile != nil else { return }
        progress.step("\(spec.profile) is ready (waitFor: \(spec.waitFor.devcontainerProperty) finished); the later lifecycle commands run now")
    }

    /// `readyAlready`: the waitFor stage finished before this one, so a failure leaves a usable
    /// environment (the message says so).
    private func runInContainer(_ stage: LifecycleStage, runningAs: String?, readyAlready: Bool = false,
                                container: String? = nil) throws {
        guard let command = spec.lifecycle[stage] else { return }
        let steps = command.steps.map { step in
            (name: step.name, invocation: environment.planner.lifecycleCommand(step.argv, runningAs: runningAs, container: container))
        }
        let place = container.map { "in the test container \(String($0.prefix(12)))" } ?? "in \(environment.names.container)"
        try run(stage, command, steps, where: place, readyAlready: readyAlready, runningAs: runningAs, testContainer: container)
    }

    // MARK: Running

    /// Runs one stage: a single command in the foreground, or an object's named commands
    /// together, each on its own thread, their lines prefixed with their names. All must
    /// succeed; the first failure (by name) is reported with its exit code.
    private func run(_ stage: LifecycleStage, _ command: LifecycleCommand,
                     _ steps: [(name: String, invocation: ProcessInvocation)], where place: String,
                     readyAlready: Bool = false, runningAs: String? = nil, testContainer: String? = nil) throws {
        let forTests = testContainer != nil
        let label = name(of: stage)
        let onHost = stage == .initialize
        progress.begin("\(label) \(place)", waitingFor: "\(label) (\(Self.oneLine(command.description)))")
        let output = LockedOutput(progress: progress, named: steps.count > 1)
        var results: [ProcessResult?] = Array(repeating: nil, count: steps.count)
        var thrown: Error?
        if steps.count == 1 || session.dryRun {
            for (index, step) in steps.enumerated() {
                do {
                    results[index] = try attempt(step.invocation, onHost: onHost) { _, bytes in output.add(bytes, from: step.name) }
                } catch {
                    thrown = error
                    break
                }
            }
        } else {
            let group = DispatchGroup()
            let box = ResultBox(count: steps.count)
            for (index, step) in steps.enumerated() {
                group.enter()
                let hooks = self
                BackgroundThread.start {
                    defer { group.leave() }
                    do {
                        let result = try hooks.attempt(step.invocation, onHost: onHost) { _, bytes in output.add(bytes, from: step.name) }
                        box.set(index, .success(result))
                    } catch {
                        box.set(index, .failure(error))
                    }
                }
            }
            group.wait()
            for (index, outcome) in box.outcomes.enumerated() {
                switch outcome {
                case .success(let result): results[index] = result
                case .failure(let error): thrown = thrown ?? error
                case nil: break
                }
            }
        }
        output.finish(steps.map(\.name))
        let failed = steps.indices.first { results[$0].map { !$0.succeeded } ?? true }
        let interrupted = context.interruption() != nil
        // A stage cut short by Ctrl-C did not finish, whatever docker exec returned.
        progress.end(succeeded: thrown == nil && failed == nil && !interrupted)
        if interrupted && !onHost && !session.dryRun {
            // Docker leaves an exec's processes running when its client ends: stop them, so the
            // container is left as it was and the next `up` runs the stage alone.
            let stop = environment.planner.stopLifecycleCommands(runningAs: runningAs, container: testContainer)
            if (try? session.attempt(stop, cleanup: true))?.succeeded != true {
                context.console.writeError(ErrorReport.warning("the interrupted stage's processes in the container may still run: "
                    + "devenv could not end them (`\(stop.summary)` failed); `devenv down` or a restart of the container ends them"))
            }
        }
        if let thrown { throw thrown }
        try session.checkInterruption()
        guard let failed, let result = results[failed] else { return }
        let which = steps[failed].name.isEmpty ? label : "\(label) \"\(steps[failed].name)\""
        let code = result.exitCode
        let meaning = code == 127 ? " (command not found)" : code == 126 ? " (cannot be run)" : ""
        let state: String
        switch stage {
        case _ where forTests: state = "the tests did not run"
        case .initialize: state = "nothing was built or started"
        case .postAttach: state = "the shell was not opened"
        default: state = readyAlready ? "\(spec.profile) is running and ready (waitFor finished)" : "the container is running"
        }
        let tail = (result.stderrText).split(whereSeparator: \.isNewline).suffix(5).map { "  " + TerminalSafeText.plainLine(Array($0.utf8)) }
        throw DevEnvError(.failure, "\(which) failed with exit code \(code)\(meaning) \(place); \(state)",
                          hint: forTests ? "fix it in \(configuration), then run `devenv test` again"
                              : "fix it in \(configuration), then run `\(stage == .postAttach ? spec.command("shell") : upCommand)` again"
                              + (stage == .postAttach || stage == .initialize ? "" : " (it runs the lifecycle commands that did not finish)"),
                          detail: "$ \(steps[failed].invocation.shellQuoted)" + (tail.isEmpty ? "" : "\n" + tail.joined(separator: "\n")))
    }

    /// Runs one command: a docker call through the session; a host command (initializeCommand,
    /// not docker) directly, so that no docker query deadline applies to it whatever its words,
    /// printed instead in a dry run.
    private func attempt(_ invocation: ProcessInvocation, onHost: Bool,
                         onOutput: @escaping @Sendable (OutputChannel, [UInt8]) -> Void) throws -> ProcessResult {
        guard onHost else { return try session.attempt(invocation, onOutput: onOutput) }
        if session.dryRun {
            context.console.write(invocation.shellQuoted + "\n")
            return ProcessResult(exitCode: 0)
        }
        try session.checkInterruption()
        // A host command may change the engine's state: a lookup started ahead no longer shows it.
        session.speculation?.dropPending()
        return try context.runner.run(invocation, onOutput: onOutput)
    }

    private static func oneLine(_ text: String) -> String {
        let flat = text.map { $0.isNewline ? " " : $0 }
        return flat.count > 80 ? String(flat.prefix(79)) + "…" : String(flat)
    }

    private var stateFolder: String? {
        UserStateFolder.path(environment: context.environment, home: context.hostFacts(spec.projectRoot).home)
    }
}

extension LifecycleStage {
    /// Whether the stage comes after `other` in the spec's order.
    func isAfter(_ other: LifecycleStage) -> Bool {
        let order = LifecycleStage.allCases
        return (order.firstIndex(of: self) ?? 0) > (order.firstIndex(of: other) ?? 0)
    }
}

/// The outcomes of parallel commands, filled from their threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = Lock()
    private var values: [Result<ProcessResult, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<ProcessResult, Error>) { lock.withLock { values[index] = value } }
    var outcomes: [Result<ProcessResult, Error>?] { lock.withLock { values } }
}

/// The output of one stage's commands into Progress, whole lines only, from any thread: the
/// named commands of an object run together, so each line gets its command's name.
private final class LockedOutput: @unchecked Sendable {
    private let lock = Lock()
    private let progress: Progress
    private let named: Bool
    private var partial: [String: [UInt8]] = [:]

    init(progress: Progress, named: Bool) {
        self.progress = progress
        self.named = named
    }

    func add(_ bytes: [UInt8], from name: String) {
        lock.withLock {
            guard named else { progress.output(bytes); return }
            // Linear in the output (the buffer taken out, not copied; only new bytes searched;
            // lines taken off once), and a line over Progress.longestLine shown in pieces, each
            // with the name: a named command printing 10 MB on one line took 45 s before.
            var buffer = partial.removeValue(forKey: name) ?? []
            var from = buffer.count
            var start = 0
            buffer += bytes
            while true {
                let newline = buffer[from...].firstIndex(of: 0x0A)
                let piece = buffer.count - start >= Progress.longestLine ? start + Progress.longestLine : nil
                guard let end = newline ?? piece else { break }
                progress.output(Array("\(name): ".utf8) + buffer[start..<end] + [0x0A])
                start = newline == nil ? end : end + 1
                from = start
            }
            if start > 0 { buffer.removeSubrange(..<start) }
            partial[name] = buffer
        }
    }

    /// The unfinished last lines.
    func finish(_ names: [String]) {
        lock.withLock {
            for name in names where !(partial[name] ?? []).isEmpty {
                progress.output(Array((named ? "\(name): " : "").utf8) + (partial[name] ?? []) + [0x0A])
                partial[name] = []
            }
        }
    }
}
