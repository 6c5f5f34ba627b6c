import Dashboard
import DevEnvCore
import DevEnvSystem

/// The console of an action the dashboard runs in the background: everything the subcommand
/// writes (its result on stdout, progress and errors on stderr) goes to the action pane. It
/// is no terminal, so Progress prints plain lines and docker gets no -t.
///
/// Once the dashboard has quit with the action still running (`ActionOutputRoute.detach`),
/// what it writes goes to devenv's own stderr instead: the pane is gone, and what an
/// interrupted action says on its way out (what it removed, what it left and how to finish,
/// what it still waits for) is what the user must read.
final class ActionConsole: Console, @unchecked Sendable {
    private let inbox: MessageInbox<DashboardMessage>
    private let profile: String
    private let route: ActionOutputRoute?

    /// `route`: nil for output nobody reads after the dashboard (its own snapshots).
    init(inbox: MessageInbox<DashboardMessage>, profile: String, route: ActionOutputRoute? = nil) {
        self.inbox = inbox
        self.profile = profile
        self.route = route
    }

    func write(_ text: String) { send(.actionOutput(profile: profile, text: text)) }
    /// The action's progress entered `phase` (`AppContext.progressPhase`).
    func phase(_ phase: ActionPhase) { send(.actionPhase(profile: profile, phase: phase)) }
    func writeError(_ text: String) { send(.actionOutput(profile: profile, text: text)) }
    var stdinIsTerminal: Bool { false }
    var stdoutIsTerminal: Bool { false }
    var stderrIsTerminal: Bool { false }

    /// The action ended: its status and error to the pane, or its error to stderr after the
    /// dashboard has quit.
    func finished(status: Int32, error: String?) {
        send(.actionFinished(profile: profile, status: status, error: error))
    }

    private func send(_ message: DashboardMessage) {
        guard let route else { return inbox.send(message) }
        route.deliver(message, inbox: inbox)
    }
}

/// Where the actions' output goes: the dashboard's inbox while it runs, devenv's stderr once
/// it has quit (`detach`). One lock orders the two, so nothing is lost or reordered at the
/// switch: output sent before it and not yet taken by the loop is written first.
final class ActionOutputRoute: @unchecked Sendable {
    private let lock = Lock()
    private var console: (any Console)?

    func deliver(_ message: DashboardMessage, inbox: MessageInbox<DashboardMessage>) {
        lock.withLock {
            guard let console else { return inbox.send(message) }
            Self.write(message, to: console)
        }
    }

    /// From now on the actions write to `console`; what they sent that the loop did not take
    /// is written there first. Called once the screen is restored.
    func detach(to console: any Console, inbox: MessageInbox<DashboardMessage>) {
        lock.withLock {
            for message in inbox.takeAll() { Self.write(message, to: console) }
            self.console = console
        }
    }

    private static func write(_ message: DashboardMessage, to console: any Console) {
        switch message {
        case .actionOutput(_, let text):
            console.writeError(text)
        case .actionFinished(_, _, let error?):
            console.writeError(error.hasSuffix("\n") ? error : error + "\n")
        default:
            break
        }
    }
}
