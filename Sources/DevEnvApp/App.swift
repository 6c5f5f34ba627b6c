import DevEnvCore
import TerminalUI

/// argv -> command -> environment -> docker calls -> report. `main.swift` calls `run` with the
/// real context and exits with what it returns; tests call it with a scripted one.
public enum App {
    public static func run(_ arguments: [String], context: AppContext) -> Int32 {
        let status = runCommand(arguments, context: context)
        // Output that never arrived (a full disk, stdout closed) is a failure, said on stderr:
        // exit 0 would let a script take a cut-short `config --json` or `status` for the whole.
        guard let loss = context.console.outputLoss else { return status }
        context.console.writeError(ErrorReport.text(ErrorReport.outputLost(loss, "the output is incomplete")))
        return status == 0 ? ExitCode.failure.rawValue : status
    }

    private static func runCommand(_ arguments: [String], context: AppContext) -> Int32 {
        var json = arguments.contains("--json")
        do {
            let parsed = try CommandLineParser.parse(arguments)
            json = parsed.options.json
            // A bad DEVENV_TIMEOUT is exit 2 before anything runs (help and version need none).
            switch parsed.command {
            case .help, .version: break
            default: _ = try QueryTimeout.seconds(environment: context.environment)
            }
            // Until its first call that may change something, a command only reads, computes and
            // asks: a signal meanwhile ends devenv at once (`PlanningPhase`). Not `init` (it
            // writes the project's files itself) nor the dashboard (its actions run on threads).
            var context = context
            switch parsed.command {
            case .initialize, .dashboard: break
            default:
                context.commandOnlyReads(CommandTable.command(parsed.command.name)?.onlyReads == true)
                context.planning = PlanningPhase(mark: context.readingConfiguration)
            }
            defer { context.planning?.end() }
            return try dispatch(parsed.command, options: parsed.options, context: context)
        } catch {
            return report(ErrorReport.devEnvError(error), json: json, context: context)
        }
    }

    private static func report(_ error: DevEnvError, json: Bool, context: AppContext) -> Int32 {
        let status = ErrorReport.status(error, interruption: context.interruption())
        context.console.writeError(ErrorReport.text(error))
        // Not to a standard output closed since devenv started: the object would be lost as well,
        // and that loss said again after the error ("the command was not run", then "the output
        // is incomplete").
        if json, context.console.outputClosed == nil { context.console.write(ErrorReport.json(error, status: status)) }
        return status
    }

    static func dispatch(_ command: Command, options: GlobalOptions, context given: AppContext) throws -> Int32 {
        // Each file is read (and each TOML file decoded) once per command; the dashboard passes
        // its own cache, which rereads a file only when it changed.
        let context = given.readingOnce()
        let console = context.console
        // Output nobody can read: not run (`CommandSpec.outputIsThePoint`; `>/dev/null` discards it on purpose).
        if let closed = console.outputClosed, CommandTable.command(command.name)?.outputIsThePoint == true {
            throw ErrorReport.outputLost(closed, "the command was not run (`>/dev/null` discards its output)")
        }
        let loader = EnvironmentLoader(context: context, options: options)
        let session = DockerSession(context: context, dryRun: options.dryRun, echo: options.verbosity == .verbose)
        // A dry run shows only the command lines: progress would claim steps that never ran.
        let progress = Progress(console: console, clock: context.clock,
                                quiet: options.verbosity == .quiet || options.dryRun, plain: options.json,
                                continuations: context.continuations, phase: context.progressPhase)

        /// Reads and computation only: a signal meanwhile ends devenv at once (`AppContext.readingConfiguration`).
        func reading<T>(_ body: () throws -> T) rethrows -> T {
            context.readingConfiguration(true)
            defer { context.readingConfiguration(false) }
            return try body()
        }
        func environment() throws -> Environment {
            let environment = try reading { try loader.load() }
            ErrorReport.write(environment.warnings, to: console)
            return environment
        }
        /// Every profile's environment; the warnings are the configuration's, said once.
        func allEnvironments() throws -> [Environment] {
            let environments = try reading { try loader.loadAll() }
            ErrorReport.write(environments.first?.warnings ?? [], to: console)
            return environments
        }
        let output = CommandOutput(console: console, json: options.json, quiet: options.verbosity == .quiet)
        /// Mutating commands hold the project's lock: two `up`s at once would race.
        func locked<T>(_ environment: Environment, _ body: () throws -> T) throws -> T {
            try locked(root: environment.spec.projectRoot, body)
        }
        func locked<T>(root: String, _ body: () throws -> T) throws -> T {
            guard !options.dryRun, let lock = context.lockProject else { return try body() }
            let release = try lock(root) { holder in
                progress.step("waiting for another devenv on this project (\(holder))")
            }
            defer { release() }
            return try body()
        }
        /// The command's container lookup started now, before the configuration is read
        /// (`LookupSpeculation`); ended in every way out of the command unless used.
        func speculate(_ slot: LookupSpeculation.Slot) -> LookupSpeculation? {
            let speculation = LookupSpeculation.begin(slot, projectDirectory: loader.projectDirectory, context: context,
                                                      dryRun: options.dryRun)
            session.speculation = speculation
            return speculation
        }

        /// What `up` and `restart` print (`Up.text`, `Up.fields`).
        func report(_ result: Up.Result, of environment: Environment) -> Int32 {
            if options.dryRun { return 0 }
            output.print(Up.text(result, profile: environment.spec.profile), Up.fields(result),
                         command: command.name, profile: environment.spec.profile)
            return 0
        }

        switch command {
        case .help(let topic):
            console.write(HelpText.text(for: topic))
            return 0
        case .version:
            console.write("devenv \(HelpText.version)\n")
            return 0
        case .completion(let shell):
            console.write(CompletionScript.script(for: shell))
            return 0
        case .completeNames(let kind):
            // Completion must never print an error into the user's command line: no names then.
            guard let config = try? loader.config(profile: options.profile) else { return 0 }
            let names = kind == "services" ? config.services(for: config.profile).map(\.name) : config.profileNames
            console.write(names.map { $0 + "\n" }.joined())
            return 0
        case .dashboard:
            let terminal = console.stdinIsTerminal && console.stdoutIsTerminal
            if !options.noTUI && !options.json && !options.dryRun && terminal, let dashboard = context.dashboard {
                return try dashboard(context, options)
            }
            return try dispatch(.status, options: options, context: context)
        case .config:
            let config = try reading { try loader.config(profile: options.profile) }
            // The report lists them (text and JSON): on a terminal once is enough; into a file
            // or pipe, stderr still tells the person at the terminal.
            if !(console.stdoutIsTerminal && console.stderrIsTerminal) {
                ErrorReport.write(config.diagnostics, to: console)
            }
            console.write(reading { options.json ? ConfigReport.json(config) + "\n" : ConfigReport.text(config, width: DisplayWidth.of) })
            return 0
        case .status:
            let speculation = speculate(.everyProfile(chosen: options.profile))
            defer { speculation?.dropPending() }
            let environments = try allEnvironments()
            // Rendered by Status, while docker ends when the answer allows (`Status.run(rendering:)`).
            let json = options.json
            let render = { (report: Status.Report) -> String in json ? Status.json(report).rendered + "\n" : Status.text(report) }
            let status = try Status(environments: environments, session: session, context: context)
                .run(rendering: options.dryRun ? nil : render)
            if options.dryRun { return 0 }
            console.write(status.rendered ?? render(status.report))
            return 0
        case .up(let ports):
            // The lock first, then the lookup started ahead and the configuration read while it
            // runs: what the early lookup sees cannot be changed by another devenv's `up` before
            // this one holds the lock. The root is `locked(environment)`'s (canonical, normal).
            let root = ConfigPath.normalize(loader.projectDirectory)
            let (result, environment) = try locked(root: root) { () throws -> (Up.Result, Environment) in
                let speculation = speculate(.profile(options.profile))
                defer { speculation?.dropPending() }
                var environment = try environment()
                guard environment.spec.projectRoot == root else {
                    throw DevEnvError.failure("internal error: the project lock was taken for \(root), not \(environment.spec.projectRoot)")
                }
                let hooks = LifecycleHooks(environment: environment, session: session, context: context, progress: progress)
                try hooks.initialize(allow: options.allowInitialize)
                if !ports.isEmpty {
                    try environment.spec.override(ports: ports)
                    environment.planner.spec = environment.spec
                }
                let result = try Up(environment: environment, session: session, context: context, progress: progress).run()
                try StartedInterruption(container: result.container, spec: environment.spec, session: session)
                    .guarding("running the lifecycle commands") { try hooks.afterStart() }
                return (result, environment)
            }
            return report(result, of: environment)
        case .restart:
            let environment = try environment()
            let result = try locked(environment) {
                let hooks = LifecycleHooks(environment: environment, session: session, context: context, progress: progress)
                try hooks.initialize(allow: options.allowInitialize)
                let result = try Restart(environment: environment, session: session, context: context, progress: progress).run()
                try hooks.afterStart()
                return result
            }
            return report(result, of: environment)
        case .down(let volumes, let images):
            let environment = try environment()
            let result = try locked(environment) {
                try Down(environment: environment, session: session, progress: progress).run(volumes: volumes, images: images)
            }
            if options.dryRun { return 0 }
            output.print(Down.text(result, profile: environment.spec.profile, images: images), Down.fields(result, images: images),
                         command: "down", profile: environment.spec.profile)
            return 0
        case .prune:
            let environments = try allEnvironments()
            guard let first = environments.first else { return 0 }
            let result = try locked(first) {
                try Prune(environments: environments, session: session, context: context, progress: progress,
                          printsCommands: !options.json).run()
            }
            let profiles = environments.map(\.spec.profile)
            if options.json {
                output.print("", Prune.fields(result, dryRun: options.dryRun), command: "prune", profile: nil)
            } else {
                console.write(Prune.text(result, dryRun: options.dryRun, profiles: profiles))
            }
            return 0
        case .build(let noCache):
            let environment = try environment()
            let image = try locked(environment) {
                try Build(environment: environment, session: session, context: context, progress: progress).run(noCache: noCache)
            }
            if options.dryRun { return 0 }
            output.print(Build.text(image: image), Build.fields(image: image), command: "build", profile: environment.spec.profile)
            return 0
        case .shell, .exec:
            let environment = try environment()
            let words: [String]
            var service: String?
            if case .exec(let given, let named) = command { (words, service) = (given, named) } else { words = DockerPlanner.shellCommand }
            let status = try Exec(environment: environment, session: session, context: context)
                .run(words, service: service,
                     attaching: command == .shell ? LifecycleHooks(environment: environment, session: session, context: context, progress: progress) : nil)
            if options.json {
                console.write(ErrorReport.exitResult(command: command.name, profile: environment.spec.profile,
                                                     ran: command == .shell ? ["shell"] : words, status: status))
            }
            return status
        case .logs(let follow, let tail, let since, let raw, let service):
            // The app's logs without --follow (a query) start before the configuration is read,
            // from the container ID remembered for the environment `logs` read last time
            // (`LookupSpeculation.beginLogs`); used only if it is the very call `Logs` makes.
            var speculation: LookupSpeculation?
            if !follow && service == nil {
                speculation = LookupSpeculation.beginLogs(options.profile, projectDirectory: loader.projectDirectory, context: context,
                                                          dryRun: options.dryRun) { cli, id in
                    Logs.streamed(DockerPlanner.logs(cli: cli, follow: false, tail: tail, since: since, container: id))
                }
                session.speculation = speculation
            }
            defer { speculation?.dropPending() }
            let environment = try environment()
            speculation?.rememberLogs(.init(cli: environment.planner.cli, projectRoot: environment.names.projectRoot,
                                            container: environment.names.container))
            return try Logs(environment: environment, session: session)
                .run(follow: follow, tail: tail, since: since, raw: raw, service: service)
        case .syncDeps:
            let environment = try environment()
            try SyncDeps(environment: environment, session: session, progress: progress).run()
            if options.dryRun { return 0 }
            output.print(SyncDeps.text(command: environment.spec.syncCommand), [], command: "sync-deps", profile: environment.spec.profile)
            return 0
        case .cleanCache:
            let environment = try environment()
            let result = try CleanCache(environment: environment, session: session).run()
            if options.dryRun { return 0 }
            output.print(CleanCache.text(result), CleanCache.fields(result), command: "clean-cache", profile: environment.spec.profile)
            return 0
        case .initialize(let baseImage, let python, let force, let with):
            let result = try Init(context: context, directory: loader.projectDirectory, baseImage: baseImage, python: python,
                                  force: force, dryRun: options.dryRun, with: with).run()
            if options.json {
                console.write(Init.json(result, dryRun: options.dryRun).rendered + "\n")
            } else {
                if options.verbosity != .quiet || options.dryRun { console.write(Init.text(result, dryRun: options.dryRun)) }
                // Warnings are diagnostics: stderr, through the one formatter, shown under --quiet too.
                for warning in result.warnings { console.writeError(ErrorReport.warning(warning)) }
            }
            return 0
        case .doctor:
            let report = try Doctor(context: context, loader: loader, session: session).run()
            if options.json {
                console.write(Doctor.json(report).rendered + "\n")
            } else {
                console.write(Doctor.text(report))
            }
            return report.passed ? 0 : 1
        case .test(let arguments):
            let environment = try environment()
            let status = try TestRun(environment: environment, session: session, context: context, progress: progress)
                .run(arguments: arguments)
            if options.json {
                console.write(ErrorReport.exitResult(command: "test", profile: environment.spec.profile,
                                                     ran: environment.spec.testCommand + arguments, status: status))
            }
            return status
        }
    }
}
