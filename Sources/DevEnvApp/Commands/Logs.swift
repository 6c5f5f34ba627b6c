import DevEnvCore
import TerminalUI

/// `devenv logs [-f] [--tail N] [--since T] [--raw]`: docker's own log output; with -f until
/// interrupted. On a terminal it is filtered as the dashboard's logs pane filters it (a
/// container's OSC 52 must not write the user's clipboard, nor its title or alternate-screen
/// sequences reach the terminal); colours stay. `--raw`, or a pipe or file, gets docker's bytes
/// unchanged: there no terminal obeys them, and tools may want them as they were.
///
/// One docker call when devenv remembers the container's ID (ContainerMemory). Reading logs
/// changes nothing, so when docker refuses that ID (gone, replaced) devenv looks the container
/// up and asks again.
struct Logs {
    let environment: Environment
    let session: DockerSession

    /// `service`: that service's output (`devenv logs SERVICE`) instead of the app's.
    func run(follow: Bool, tail: String?, since: String?, raw: Bool = false, service: String? = nil) throws -> Int32 {
        if let service {
            try ServiceContainer(session: session, environment: environment).require(service, running: false)
            return try show(ServicePlanner(planner: environment.planner).logs(service, follow: follow, tail: tail, since: since),
                            follow: follow, raw: raw)
        }
        let lookup = ContainerLookup(session: session, planner: environment.planner)
        var found: ContainerSnapshot?
        if let known = lookup.remembered() {
            let status = try show(environment.planner.logs(follow: follow, tail: tail, since: since, container: known.id),
                                  follow: follow, raw: raw)
            guard status == 1 else { return status }
            found = try lookup.find()
            if found?.id == known.id { return status }
        } else if !session.dryRun {
            found = try lookup.find()
        }
        guard session.dryRun || found != nil else {
            throw DevEnvError(.failure, "there is no \(environment.spec.profile) container (\(environment.names.container))",
                              hint: "start it with `\(environment.spec.command("up"))`")
        }
        return try show(environment.planner.logs(follow: follow, tail: tail, since: since, container: found?.id),
                        follow: follow, raw: raw)
    }

    /// The `docker logs` call as `logs` makes it: through devenv, so that the query deadline
    /// (`logs` without -f) ends with the first byte: a frozen engine is exit 3, a slow reader
    /// (`devenv logs | less`) is not. The call started before the configuration is read is
    /// made here too, so that it is the very same call.
    static func streamed(_ planned: ProcessInvocation) -> ProcessInvocation {
        var invocation = planned
        invocation.io = .stream
        invocation.deadlineEndsWithOutput = true
        // `devenv logs -f | head -1`: ends when head does (exit 141), not with the container.
        invocation.endsWhenOutputCloses = true
        return invocation
    }

    private func show(_ invocation: ProcessInvocation, follow: Bool, raw: Bool) throws -> Int32 {
        let invocation = Self.streamed(invocation)
        let console = session.context.console
        let status: Int32
        if raw || !(console.stdoutIsTerminal || console.stderrIsTerminal) {
            status = try session.attempt(invocation) { channel, bytes in
                console.writeBytes(bytes, to: channel == .stdout ? .output : .error)
            }.exitCode
        } else {
            // The container's stdout and stderr come on docker's stdout and stderr: each its own
            // filter, so a line is never mixed from both.
            let filters = LogFilters(console: console)
            status = try session.attempt(invocation) { channel, bytes in filters.feed(channel, bytes) }.exitCode
            filters.finish()
        }
        // Ctrl-C (or SIGTERM) ends `logs -f`: that is how it is meant to stop, not a failure.
        return follow && (status == 130 || status == 143) ? 0 : status
    }
}

/// The two filters, fed from the runner's reading loop (one thread at a time). A stream whose
/// end is no terminal gets its bytes unchanged, as without a terminal at all.
private final class LogFilters: @unchecked Sendable {
    private let console: any Console
    private var output = TerminalLogFilter()
    private var error = TerminalLogFilter()

    init(console: any Console) { self.console = console }

    func feed(_ channel: OutputChannel, _ bytes: [UInt8]) {
        switch channel {
        case .stdout:
            if console.stdoutIsTerminal { console.writeVerbatim(output.feed(bytes), to: .output) } else { console.writeBytes(bytes, to: .output) }
        case .stderr:
            if console.stderrIsTerminal { console.writeVerbatim(error.feed(bytes), to: .error) } else { console.writeBytes(bytes, to: .error) }
        }
    }

    func finish() {
        if console.stdoutIsTerminal { console.writeVerbatim(output.finish(), to: .output) }
        if console.stderrIsTerminal { console.writeVerbatim(error.finish(), to: .error) }
    }
}
