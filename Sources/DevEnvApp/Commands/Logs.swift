#if canImport(Glibc)
import Glibc
#endif
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
        let status = try shown(follow: follow, tail: tail, since: since, raw: raw, service: service)
        // A follow ended as its output stopped taking more is 141, as for a reader that left
        // (`devenv logs -f | head -1`); output lost otherwise (a full disk) is a failure, exit 1
        // (README's exit codes; `App.run` says what was lost).
        return status == 141 && session.context.console.outputLoss != nil ? ExitCode.failure.rawValue : status
    }

    private func shown(follow: Bool, tail: String?, since: String?, raw: Bool, service: String?) throws -> Int32 {
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
            guard status == 1 else { return follow ? try followOn(known.id, status: status, lookup: lookup, raw: raw) : status }
            found = try lookup.find()
            if found?.id == known.id { return follow ? try followOn(known.id, status: status, lookup: lookup, raw: raw, looked: found) : status }
        } else if !session.dryRun {
            found = try lookup.find()
        }
        guard session.dryRun || found != nil else {
            throw DevEnvError(.failure, "there is no \(environment.spec.profile) container (\(environment.names.container))",
                              hint: "start it with `\(environment.spec.command("up"))`")
        }
        let status = try show(environment.planner.logs(follow: follow, tail: tail, since: since, container: found?.id),
                              follow: follow, raw: raw)
        guard follow, let found, !session.dryRun else { return status }
        return try followOn(found.id, status: status, lookup: lookup, raw: raw)
    }

    /// After `logs -f`'s stream of container `id` ended by itself (not Ctrl-C, not a reader that
    /// left): what became of the environment's container, said on stderr, and followed on when
    /// it runs. Why: docker's stream ends silently when its container stops, so a recreate
    /// underneath (`up` stops the old container, starts a new one under the name) or an engine
    /// restart (which stops the containers) left the user at a prompt, exit 0, not knowing why
    /// the output ended or that a new container was writing elsewhere (left23).
    /// - replaced (another ID under the name): says so and follows the new one, all its output;
    /// - gone: says so, exit 0;
    /// - stopped: says so with its exit code, exit 0;
    /// - running the same (the stream broke: an engine that restarted the container, a daemon
    ///   hiccup; or it is dying and the engine does not say so yet): after one engine-timed
    ///   step (`ServicePlanner.waitStep`) looked at again, and when it still runs followed
    ///   again from now, at most `refollowLimit` times in a row (then exit `status`);
    /// - an engine that no longer answers: the lookup's exit 3, naming the engine.
    /// `looked`: the lookup the caller made already after the stream ended.
    private func followOn(_ id: String, status: Int32, lookup: ContainerLookup, raw: Bool,
                          looked: ContainerSnapshot? = nil) throws -> Int32 {
        let console = session.context.console
        let name = environment.names.container
        var (id, status, looked, refollowed) = (id, status, looked, 0)
        // 141: the reader left (`show`, as SIGPIPE would end it); nothing more is wanted.
        var swapSteps = 0
        // Whether the running container whose stream ended was given its step (below).
        var settled = false
        while session.context.interruption() == nil, status != 141 {
            var now = looked
            if looked == nil {
                let found = try lookup.look()
                now = try ContainerLookup.ours(found.container, name: name, names: environment.names, cli: environment.planner.cli)
                // A recreate under way (`ContainerReplacement`): the old container stopped
                // under its temporary name, the new one not yet under the environment's (or
                // under it but not started, below). Waited for in engine-timed steps of a
                // second (`ServicePlanner.waitStep` on that container: it ends at its next
                // health change or death, else after the step), at most `swapWaitSteps`; then
                // it is followed as found.
                if now == nil, swapSteps < Self.swapWaitSteps, let aside = found.previous.ours ?? found.replacement.ours {
                    swapSteps += 1
                    _ = try session.attempt(ServicePlanner(planner: environment.planner).waitStep(id: aside.id))
                    continue
                }
            }
            looked = nil
            // Made and named but not started yet (the swap's last steps): followed once it runs,
            // from its start (a `created` container's stream would end at once).
            if let now, now.state == "created", swapSteps < Self.swapWaitSteps {
                swapSteps += 1
                _ = try session.attempt(ServicePlanner(planner: environment.planner).waitStep(id: now.id))
                continue
            }
            // Being removed (`down` stops, then removes): gone, as far as following goes.
            // Its end is said; a follow docker refused because it was going is no failure.
            guard let now, now.state != "removing" else {
                console.writeError(ErrorReport.note("\(name) is gone (removed: `\(environment.spec.command("down"))` or by hand); logs -f ends"))
                return 0
            }
            if now.id != id {
                console.writeError(ErrorReport.note("\(name) was replaced by a new container (\(now.id.prefix(12)); `\(environment.spec.command("up"))` "
                                   + "recreates it when its configuration changed); following the new one from its start"))
                (id, refollowed, settled) = (now.id, 0, false)
                status = try show(environment.planner.logs(follow: true, tail: nil, since: nil, container: id), follow: true, raw: raw)
                continue
            }
            guard now.hasProcess, refollowed < Self.refollowLimit else {
                let how = now.exitCode.map { "\(now.state), exit code \($0)" } ?? now.state
                console.writeError(ErrorReport.note("\(name) is \(how)\(now.hasProcess ? " but docker's log stream keeps ending" : ""); logs -f ends"))
                return now.hasProcess ? status : 0
            }
            // docker's stream ends as the container's output closes, which may come before the
            // engine says it stopped: `down` during logs -f (its stop) once read as "ended while
            // it runs (the engine restarted it?)", and following again was refused ("can not get
            // logs from container which is dead or marked for removal", exit 1; break24, 1 run
            // in 6 on a private engine). One engine-timed step first (`waitStep`: its death, or
            // one in the last seconds, ends it at once), then it is looked at again.
            if !settled {
                settled = true
                _ = try session.attempt(ServicePlanner(planner: environment.planner).waitStep(id: id))
                continue
            }
            settled = false
            refollowed += 1
            console.writeError(ErrorReport.note("docker's log stream of \(name) ended while it runs (the engine restarted it?); following it again from now"))
            status = try show(environment.planner.logs(follow: true, tail: "0", since: nil, container: id), follow: true, raw: raw)
        }
        return status
    }

    /// How many times in a row `logs -f` follows a running container again after its stream
    /// ended by itself (`followOn`): a stream that keeps ending is a fault to report, not to loop on.
    static let refollowLimit = 3

    /// Steps of about a second `logs -f` waits for a recreate under way to give the new
    /// container the environment's name (`followOn`): a swap takes a few engine calls.
    static let swapWaitSteps = 30

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
        // Ctrl-C, Ctrl-\ (the terminal's quit key, break23) or SIGTERM ends `logs -f`: that is how
        // it is meant to stop, not a failure. Another signal that ends devenv (SIGUSR1) also ends
        // docker's stream with SIGTERM, but is no such stop: 128+N. Judged by the signal devenv
        // got, whatever the CLI's status says of it: Docker's CLI ends 130 or 143 (20.10 dies of
        // the signal), Podman 4.3's `logs -f` exits 1 on SIGINT and 0 on SIGTERM (break28: Ctrl-C
        // was exit 130 on Podman, and SIGUSR1 exit 0).
        let meantStops = [SIGINT, SIGQUIT, SIGTERM]
        if follow, let signal = session.context.interruption() {
            guard meantStops.contains(signal) else { throw DevEnvError.interrupted(by: signal) }
            return 0
        }
        return follow && (status == ExitCode.status(afterSignal: SIGINT) || status == ExitCode.status(afterSignal: SIGTERM)) ? 0 : status
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
