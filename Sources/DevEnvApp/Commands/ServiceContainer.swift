import DevEnvCore

/// `logs SERVICE` and `exec --service NAME` need a service the profile runs, and its container
/// (running, for exec): said plainly before docker does. Exit 4 when the name is someone
/// else's container.
struct ServiceContainer {
    let session: DockerSession
    let environment: Environment

    /// The service's container (nil only in a dry run).
    @discardableResult
    func require(_ service: String, running: Bool) throws -> ContainerSnapshot? {
        let known = environment.spec.services.map(\.name)
        guard known.contains(service) else {
            var message = "profile \(environment.spec.profile) runs no service \"\(service)\""
            message += known.isEmpty ? " (it runs none)" : " (its services: \(known.joined(separator: ", ")))"
            throw DevEnvError.usage(message, hint: "declare it under [services.\(service)] and name it in the profile's `services`")
        }
        if session.dryRun { return nil }
        let found = try ContainerLookup(session: session, planner: environment.planner).services()[service]
        guard let found, !running || found.state == "running" else {
            let state = found.map { "is \($0.state)" } ?? "does not exist"
            throw DevEnvError(.failure, "the container of service \(service) (\(environment.names.serviceContainer(service))) \(state)",
                              hint: "start it with `\(environment.spec.command("up"))`")
        }
        return found
    }
}
