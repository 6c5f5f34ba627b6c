import DevEnvCore

/// `devenv exec -- CMD...` and `devenv shell`: run in the container as the synced user, in the
/// workspace, with the terminal handed over. The command's exit code is devenv's.
struct Exec {
    let environment: Environment
    let session: DockerSession
    let context: AppContext

    /// `service`: in that service's container (`exec --service NAME`), as the user it runs as.
    /// `attaching`: `devenv shell`, whose postAttach runs first.
    func run(_ command: [String], service: String? = nil, attaching: LifecycleHooks? = nil) throws -> Int32 {
        let console = context.console
        if let service {
            let container = try ServiceContainer(session: session, environment: environment).require(service, running: true)
            let invocation = ServicePlanner(planner: environment.planner)
                .exec(service, command, interactive: true, terminal: console.stdinIsTerminal && console.stdoutIsTerminal,
                      runningAs: container?.labels[DockerPlanner.userLabel], terminalEnvironment: context.environment)
            return try session.attempt(invocation).exitCode
        }
        let container = try RunningContainer(session: session, environment: environment).require()
        try attaching?.beforeAttach(runningAs: container?.labels[DockerPlanner.userLabel])
        // -t only when both ends are terminals ("the input device is not a TTY"); -i always, so
        // piped input reaches the command.
        let invocation = environment.planner.exec(command, interactive: true,
                                                  terminal: console.stdinIsTerminal && console.stdoutIsTerminal,
                                                  runningAs: container?.labels[DockerPlanner.userLabel],
                                                  terminalEnvironment: context.environment)
        return try session.attempt(invocation).exitCode
    }
}

/// Commands that work inside the container need it running: say so plainly before docker does.
struct RunningContainer {
    let session: DockerSession
    let environment: Environment

    /// The running container (nil only in a dry run).
    @discardableResult
    func require() throws -> ContainerSnapshot? {
        if session.dryRun { return nil }
        let found = try ContainerLookup(session: session, planner: environment.planner).find()
        guard let found, found.state == "running" else {
            let state = found.map { "is \($0.state)" } ?? "does not exist"
            throw DevEnvError(.failure, "the \(environment.spec.profile) container \(environment.names.container) \(state)",
                              hint: "start it with `devenv up\(environment.spec.profile == "dev" ? "" : " --profile \(environment.spec.profile)")`")
        }
        return found
    }
}
