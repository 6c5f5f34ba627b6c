#if canImport(Glibc)
import Glibc
#endif
import Dashboard
import DevEnvCore
import DevEnvSystem
import TerminalUI

/// Carries out the dashboard's effects. Lives on the loop thread; background work talks back
/// only through the inbox.
final class DashboardEffects {
    let context: AppContext
    let options: GlobalOptions
    let environments: [Environment]
    let inbox: MessageInbox<DashboardMessage>
    /// Actions on their background threads, so quitting can wait for their clean-up.
    let runningActions = RunningCount()
    /// Where the actions write: the action pane, devenv's stderr once the dashboard quit.
    let actionOutput = ActionOutputRoute()
    private var events: BackgroundProcess?
    private var logs: BackgroundProcess?
    private var stats: BackgroundProcess?
    /// The first snapshot uses the configuration `run` just read: reading it again would only
    /// delay the first real frame (an edit since then is a file event, which refreshes again).
    private var configurationJustRead = true
    /// The first snapshot's lookup, started before the configuration was read; only the first
    /// snapshot may use it (later ones would get an old answer).
    var firstLookup: LookupSpeculation?
    /// The states' half of the last snapshot, kept for its details (`.fillDetails`).
    private let detailsDue = DetailsDue()
    /// The watch on the configuration's files, given each configuration a reload reads.
    var fileWatch: DashboardFileWatch?
    /// Each stale container's staleness, for the snapshots to come.
    private let stalenessMemo = StalenessMemo()

    init(context: AppContext, options: GlobalOptions, environments: [Environment], inbox: MessageInbox<DashboardMessage>) {
        self.context = context
        self.options = options
        self.environments = environments
        self.inbox = inbox
        configuration = DashboardConfiguration(environments)
    }

    /// The configuration the last reload read (at first, the one `run` read), as snapshots use
    /// it: the rows while an edit leaves it broken.
    private let configuration: DashboardConfiguration

    /// The engine description, once probed (`.describeEngine`): written on a background
    /// thread, read on the loop's.
    let probed = ProbedEngine()

    private var cli: String { environments.first?.planner.cli ?? context.dockerCLI }
    /// The family the streams are asked in: the probe's answer, else what the CLI is.
    private var engine: EngineKind { probed.facts?.kind ?? environments.first?.planner.engine ?? context.engineKind }
    private var project: String { environments.first?.names.project ?? "" }

    /// Streams being ended off the loop thread (`stop`): quitting ends and reaps them.
    private let endingStreams = EndingStreams()

    /// Ends the streams, together, with those still being ended, at once (SIGKILL: a stream
    /// only reads, and docker 28's `stats` ignores SIGTERM, so quitting waited a second for
    /// it, dash30), and reaps every one.
    func closeAll() {
        for stream in [events, logs, stats] { stream?.closeAside(counting: endingStreams) }
        events = nil; logs = nil; stats = nil
        endingStreams.endNow()
        _ = endingStreams.wait(seconds: 5)
    }

    func perform(_ effect: DashboardEffect, loop: TerminalEventLoop<TimedDashboard>) {
        switch effect {
        case .refresh:
            let inbox = self.inbox, probed = self.probed
            let context = quietContext, options = self.options, configuration = self.configuration
            let readAgain = !configurationJustRead
            configurationJustRead = false
            let speculation = firstLookup
            firstLookup = nil
            let detailsDue = self.detailsDue
            let fileWatch = self.fileWatch, stalenessMemo = self.stalenessMemo
            BackgroundThread.start {
                let current = configuration.refreshed(readAgain: readAgain, context: context, options: options,
                                                      engine: probed.facts?.kind) { inbox.send(.configurationRead(error: $0)) }
                // What it now names is watched from here on (a Dockerfile path that changed).
                if current.changed {
                    fileWatch?.follow(DashboardWatchList.files(environments: current.environments, context: context))
                }
                // States as soon as `docker ps` answers; image ages and start times once they
                // are drawn (`.fillDetails`), so no other docker CLI competes with this one.
                var snapshot = DashboardSnapshot(environments: current.environments, context: context, concurrent: true)
                snapshot.speculation = speculation
                snapshot.stalenessMemo = stalenessMemo
                let answer = snapshot.statesMessage()
                // Kept before the message is sent: the update asks for the details on reading it.
                if let states = answer.states { detailsDue.keep(snapshot, states) }
                inbox.send(answer.message)
            }
        case .fillDetails:
            guard let due = detailsDue.take() else { return }
            let inbox = self.inbox
            BackgroundThread.start { inbox.send(due.snapshot.detailsMessage(after: due.states)) }
        case .describeEngine:
            let inbox = self.inbox, probed = self.probed
            let context = quietContext
            let hostUser = environments.first.map { "\($0.identity.uid):\($0.identity.gid)" } ?? ""
            BackgroundThread.start {
                let session = DockerSession(context: context, dryRun: false)
                guard let facts = try? EngineProbe(session: session, context: context).facts() else {
                    inbox.send(.engineDescribed(nil))
                    return
                }
                probed.facts = facts
                inbox.send(.engineDescribed(facts.summary(location: EngineProbe.location(facts, context: context), hostUser: hostUser)))
            }
        case .startEvents(let since):
            stop(&events, loop)
            let invocation = DockerPlanner.containerEvents(cli: cli, project: project, since: since, engine: engine)
            events = follow(invocation, loop) { splitter, bytes in
                splitter.lines(bytes).compactMap { ContainerEvent.parse($0).map { DashboardMessage.containerEvent($0) } }
            } ended: { rest, status in
                [.eventsEnded(rest.isEmpty ? "the stream ended (exit \(status))" : rest)]
            }
        case .followLogs(let container, let profile):
            stop(&logs, loop)
            guard let container, let environment = environments.first(where: { $0.spec.profile == profile }) else { return }
            logs = follow(environment.planner.followLogs(tail: 500, container: container), loop) { _, bytes in
                [.logOutput(container: container, bytes: bytes)]
            } ended: { rest, _ in
                (rest.isEmpty ? [] : [.logOutput(container: container, bytes: Array((rest + "\n").utf8))]) + [.logEnded(container: container)]
            }
        case .watchStats(let containers):
            stop(&stats, loop)
            guard !containers.isEmpty else { return }
            stats = follow(DockerPlanner.containerStats(cli: cli, containers: containers, engine: engine), loop) { splitter, bytes in
                // docker separates rounds with cursor escapes: every object is on its own line anyway.
                splitter.lines(bytes).compactMap { ContainerStats.parse($0).map { DashboardMessage.stats($0) } }
            } ended: { _, _ in [] }
        case .run(let action, let profile):
            runInBackground(action, profile: profile)
        case .handOver(let action, let profile):
            var options = self.options
            options.profile = profile
            let context = self.context
            var failure: String?
            let status = (try? loop.runOutside { () -> Int32 in
                let status: Int32
                do {
                    status = try App.dispatch(Self.command(action), options: options, context: context)
                } catch let error as DevEnvError {
                    failure = ErrorReport.text(error)
                    status = ErrorReport.status(error, interruption: context.interruption())
                } catch {
                    failure = "\(error)"
                    status = 1
                }
                // A typed command's output would vanish under the repaint: keep it on screen
                // until the user has read it. (A shell's user chose to leave it.)
                if case .exec = action {
                    TerminalPrompt.waitForEnter("\n[exit \(status)] press Enter to return to the dashboard ")
                }
                return status
            }) ?? 1
            // SIGTERM or SIGHUP while the child had the terminal: the child got it too; now quit.
            if let signal = ChildProcesses.interruption {
                loop.requestQuit(signal: signal)
                return
            }
            loop.deliver(.handOverFinished(action, profile: profile, status: status, error: failure))
        }
    }

    /// Snapshots write nothing: warnings were shown once at start.
    private var quietContext: AppContext {
        var quiet = context
        quiet.console = ActionConsole(inbox: inbox, profile: "")
        return quiet
    }

    static func command(_ action: DashboardAction) -> Command {
        switch action {
        case .up: .up(ports: [])
        case .restart: .restart
        case .build: .build(noCache: false)
        case .syncDeps: .syncDeps
        case .cleanCache: .cleanCache
        case .down(let volumes, let images): .down(volumes: volumes, images: images)
        case .shell: .shell
        case .exec(let line): .exec(["sh", "-c", line])
        }
    }

    /// The subcommand on its own thread, with a console that feeds the action pane.
    private func runInBackground(_ action: DashboardAction, profile: String) {
        var actionOptions = self.options
        actionOptions.profile = profile
        actionOptions.verbosity = .normal
        var actionContext = self.context
        let console = ActionConsole(inbox: inbox, profile: profile, route: actionOutput)
        actionContext.console = console
        actionContext.progressPhase = { console.phase($0) }
        let options = actionOptions, context = actionContext
        let command = Self.command(action)
        let running = runningActions
        running.increment()
        BackgroundThread.start {
            defer { running.decrement() }
            console.write("$ devenv \(action.title) --profile \(profile)\n")
            do {
                let status = try App.dispatch(command, options: options, context: context)
                console.finished(status: status, error: nil)
            } catch {
                let failure = ErrorReport.devEnvError(error)
                console.finished(status: ErrorReport.status(failure, interruption: context.interruption()), error: ErrorReport.text(failure))
            }
        }
    }

    private func stop(_ process: inout BackgroundProcess?, _ loop: TerminalEventLoop<TimedDashboard>) {
        guard let running = process else { return }
        // A stream that ended by itself closed its pipe already, and the number may now be
        // another stream's: unwatching it would silence that one.
        if !running.closed { loop.unwatch(fd: running.outputFD) }
        // Not waited for here: keys and frames go on while it ends (`closeAside`).
        running.closeAside(counting: endingStreams)
        process = nil
    }

    /// Spawns a stream and watches its pipe from the loop; `decode` turns chunks into messages,
    /// `ended` says what its end means.
    private func follow(_ invocation: ProcessInvocation, _ loop: TerminalEventLoop<TimedDashboard>,
                        decode: @escaping (inout LineSplitter, [UInt8]) -> [DashboardMessage],
                        ended: @escaping (String, Int32) -> [DashboardMessage]) -> BackgroundProcess? {
        let process: BackgroundProcess
        do {
            process = try BackgroundProcess(invocation, baseEnvironment: context.environment)
        } catch let error as DevEnvError {
            loop.deliver(.snapshotFailed(ErrorReport.text(error)))
            return nil
        } catch {
            return nil
        }
        var splitter = LineSplitter()
        loop.watch(fd: process.outputFD) { [weak process] fd in
            guard let process else { return [] }
            var messages: [DashboardMessage] = []
            // Drain what is there, a bounded amount per wakeup so keys stay responsive.
            for _ in 0..<16 {
                switch process.read() {
                case .bytes(let bytes): messages += decode(&splitter, bytes)
                case .wouldBlock: return messages
                case .end:
                    loop.unwatch(fd: fd)
                    let status = process.finish()
                    return messages + ended(splitter.rest(), status)
                }
            }
            return messages
        }
        return process
    }
}
