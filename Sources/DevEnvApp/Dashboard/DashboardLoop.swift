#if canImport(Glibc)
import Glibc
#endif
import Dashboard
import DevEnvCore
import DevEnvSystem
import TerminalUI

/// `devenv` with no command on a terminal: the live dashboard. The pure model (Dashboard)
/// decides; this loop carries out its effects: docker streams (events, logs, stats) polled on
/// the loop thread, snapshots and actions on background threads through `App.dispatch` (the
/// very code of the subcommands), shell and exec with the terminal handed over.
public enum DashboardLoop {
    public static func run(context given: AppContext, options: GlobalOptions) throws -> Int32 {
        // One cache for the dashboard's lifetime: snapshots reread only files that changed, and
        // the kept configuration is not read from its file again while it holds.
        let context = given.readingOnce().rememberingHostFacts().rememberingConfiguration()
        let colorMode: ColorMode
        do {
            colorMode = try TerminalSession.colorMode(environment: context.environment)
        } catch let refusal as TerminalRefusal {
            context.console.writeError(ErrorReport.note("\(refusal); showing `devenv status` instead"))
            return try App.dispatch(.status, options: options, context: context)
        }
        // The first snapshot's `docker ps` starts now, while the configuration is read and the
        // terminal set up (`LookupSpeculation`); the events stream replays from this moment.
        let loader = EnvironmentLoader(context: context, options: options)
        let lookupStartedAt = WallClock.seconds()
        let speculation = LookupSpeculation.begin(.everyProfile(chosen: options.profile), projectDirectory: loader.projectDirectory,
                                                  context: context, dryRun: false)
        defer { speculation?.dropPending() }
        // Configuration errors are reported before the screen changes.
        let environments = try loader.loadAll()
        ErrorReport.write(environments.first?.warnings ?? [], to: context.console)
        guard let first = environments.first else { throw DevEnvError.usage("the project has no profiles") }

        var state = DashboardState(project: first.names.project, root: first.spec.projectRoot,
                                   environments: DashboardSnapshot.rows(environments: environments, report: nil, ages: [:]),
                                   dockerContext: context.environment["DOCKER_CONTEXT"] ?? context.environment["DOCKER_HOST"])
        state.bound(byQueryTimeout: context.queryTimeout)
        if let profile = options.profile, let index = state.environments.firstIndex(where: { $0.profile == profile }) {
            state.table.selected = index
        }
        if speculation?.isPending == true { state.eventsFrom = lookupStartedAt }
        // SIGINT, SIGTERM, SIGHUP and SIGQUIT take the quit path below, like `q`; crashes restore and die.
        let session = TerminalSession(modes: .init(mouse: true), signalsQuit: true)
        let loop = TerminalEventLoop(program: TimedDashboard(state: state, clock: WallClock.seconds),
                                     session: session, colorMode: colorMode)
        let effects = DashboardEffects(context: context, options: options, environments: environments, inbox: loop.inbox)
        effects.firstLookup = speculation
        defer {
            // The streams end, and so does any docker call of a snapshot still under way:
            // nothing devenv started runs on after it.
            effects.closeAll()
            ChildProcesses.endAll()
        }
        // Edits to the configuration, a Dockerfile, a lock or env file re-check staleness at once,
        // without a key press; so does such a file appearing. Without inotify (no descriptors
        // left) Ctrl-L still re-checks.
        let watcher: (any FileChangeWatching)? = try? InotifyWatcher()
        defer { watcher?.close() }
        if let watcher {
            let fileWatch = DashboardFileWatch(watcher: watcher, fileSystem: context.fileSystem,
                                               watched: DashboardWatchList.files(environments: environments, context: context))
            effects.fileWatch = fileWatch
            let root = first.spec.projectRoot
            loop.watch(fd: fileWatch.descriptor) { _ in
                let changed = fileWatch.changes()
                return changed.isEmpty ? [] : [.filesChanged(changed.map { RelativePath.display($0, under: root) })]
            }
        }
        try loop.run { effect, loop in effects.perform(effect, loop: loop) }
        let signal = loop.terminationSignal
        // Quitting with actions under way (the dialog said so, or a signal): interrupt them and
        // let each clean up (a container an interrupted `up` created is removed), as Ctrl-C would.
        if effects.runningActions.count > 0 {
            context.console.writeError(ErrorReport.note("stopping the actions still running, cleaning up..."))
            // The pane is gone: what they say on their way out (what was removed or left, what
            // they wait for) comes here (break23: it went to the inbox nobody read any more).
            effects.actionOutput.detach(to: context.console, inbox: loop.inbox)
            ChildProcesses.interruptAll(signal ?? SIGINT)
            if !effects.runningActions.wait(seconds: 60) {
                context.console.writeError(ErrorReport.warning("an action did not stop within 60 s; its docker call was killed"))
                ChildProcesses.interruptAll(SIGKILL)
            }
        }
        if let signal {
            context.console.writeError(ErrorReport.note("\(Self.signalName(signal)) received; the dashboard quit"))
            return ExitCode.status(afterSignal: signal)
        }
        return 0
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        default: "signal \(signal)"
        }
    }
}
