import DevEnvCore
import DevEnvSystem

/// `devenv exec -- CMD...` and `devenv shell`: run in the container as the synced user, in the
/// workspace, with the terminal handed over. The command's exit code is devenv's.
///
/// One docker call when devenv remembers the container's ID (ContainerMemory): `docker exec ID`.
/// docker answers 1 both for a container that is gone or stopped and for a command that exited
/// 1, so only then does devenv look the container up, to tell the two apart. It never runs the
/// command a second time: it cannot know that the first did not run.
struct Exec {
    let environment: Environment
    let session: DockerSession
    let context: AppContext

    /// `service`: in that service's container (`exec --service NAME`), as the user it runs as.
    /// `attaching`: `devenv shell`, whose postAttach runs first (in the container looked up).
    func run(_ command: [String], service: String? = nil, attaching: LifecycleHooks? = nil) throws -> Int32 {
        let console = context.console
        // The command had the terminal: whatever modes it left (insert, no auto-wrap, a scroll
        // region, keypad, cursor keys, a charset, colours) are reset for the shell that gets it
        // back (issue 9 section 5). The dashboard resets them itself on re-entry.
        defer {
            if console.stdinIsTerminal && console.stdoutIsTerminal {
                console.writeVerbatim(TerminalSession.childModeReset, to: .output)
            }
        }
        // One marked exec (`MarkedExec`): the command runs once, whichever container it runs in.
        let exec = MarkedExec(session: session, cli: environment.planner.cli)
        if let service {
            let container = try ServiceContainer(session: session, environment: environment).require(service, running: true)
            let user = container?.labels[DockerPlanner.userLabel]
            let invocation = ServicePlanner(planner: environment.planner)
                .exec(service, command, interactive: true, terminal: console.stdinIsTerminal && console.stdoutIsTerminal,
                      runningAs: user, terminalEnvironment: context.environment, marker: exec.marker)
            return try exec.run(invocation, in: container?.id ?? environment.names.serviceContainer(service), as: user).exitCode
        }
        let lookup = ContainerLookup(session: session, planner: environment.planner)
        if attaching?.hasPostAttach != true, let known = lookup.remembered() {
            let status = try exec.run(invocation(command, container: known.id, user: known.user, marker: exec.marker),
                                      in: known.id, as: environment.planner.execUser(runningAs: known.user)).exitCode
            if status != 1 { return status }
            let current = try RunningContainer(session: session, environment: environment).require()
            if current?.id == known.id { return status }
            // Running, but not the one remembered: replaced behind devenv's back (another
            // user's `up`, an older devenv). docker refused the old ID: say so, run nothing.
            // Again helps only once the record moved on (the lookup just now remembered the new one).
            let stuck = lookup.memory.isStuck(on: known.id)
            throw DevEnvError(.failure, "the \(environment.spec.profile) container was replaced since devenv last saw it (\(known.id.prefix(12)) is gone; it is now \(current.map { String($0.id.prefix(12)) } ?? "?")); the command did not run there",
                              hint: stuck.map { "devenv cannot update its record of the container, \($0) (its state folder takes no writes): "
                                  + "make the folder writable or remove that file, then run the command again" } ?? "run the command again")
        }
        let container = try RunningContainer(session: session, environment: environment).require()
        let user = container?.labels[DockerPlanner.userLabel]
        try attaching?.beforeAttach(runningAs: user)
        return try exec.run(invocation(command, container: container?.id, user: user, marker: exec.marker),
                            in: container?.id ?? environment.names.container, as: environment.planner.execUser(runningAs: user)).exitCode
    }

    /// -t only when both ends are terminals ("the input device is not a TTY"); -i always, so
    /// piped input reaches the command.
    private func invocation(_ command: [String], container: String?, user: String?, marker: ExecMarker?) -> ProcessInvocation {
        let console = context.console
        return environment.planner.exec(command, interactive: true,
                                        terminal: console.stdinIsTerminal && console.stdoutIsTerminal,
                                        runningAs: user, terminalEnvironment: context.environment,
                                        container: container, marker: marker)
    }
}
