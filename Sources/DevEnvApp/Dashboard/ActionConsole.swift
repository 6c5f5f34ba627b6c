import Dashboard
import DevEnvCore
import DevEnvSystem

/// The console of an action the dashboard runs in the background: everything the subcommand
/// writes (its result on stdout, progress and errors on stderr) goes to the action pane. It
/// is no terminal, so Progress prints plain lines and docker gets no -t.
final class ActionConsole: Console, @unchecked Sendable {
    private let inbox: MessageInbox<DashboardMessage>
    private let profile: String

    init(inbox: MessageInbox<DashboardMessage>, profile: String) {
        self.inbox = inbox
        self.profile = profile
    }

    func write(_ text: String) { inbox.send(.actionOutput(profile: profile, text: text)) }
    func writeError(_ text: String) { inbox.send(.actionOutput(profile: profile, text: text)) }
    var stdinIsTerminal: Bool { false }
    var stdoutIsTerminal: Bool { false }
    var stderrIsTerminal: Bool { false }
}
