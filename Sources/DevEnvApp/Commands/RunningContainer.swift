import DevEnvCore

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
                              hint: "start it with `\(environment.spec.command("up"))`")
        }
        return found
    }
}
