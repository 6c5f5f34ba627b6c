import DevEnvCore

/// Before `up` removes or creates anything: every host port the environment publishes is free,
/// else exit 4 naming the port, its holder and how to choose another. One `docker ps` for the
/// containers that publish ports, then a trial bind per port no container holds.
struct PortCheck {
    let session: DockerSession
    let environment: Environment
    let context: AppContext

    /// `wanted`, `own` and `service`: a service's ports, container and name (ServiceSet), else the app's: the
    /// environment's container as `ContainerOwnership.environment` finds it (an earlier devenv's
    /// under its old name too, which `up` replaces: its ports are no conflict).
    func verify(_ wanted: [PortMapping]? = nil, own: String? = nil, service: String? = nil) throws {
        let wanted = wanted ?? environment.spec.ports
        guard !wanted.isEmpty else { return }
        let listing = try session.run(DockerPlanner.listRunningContainers(cli: environment.planner.cli, engine: environment.planner.engine), "listing running containers")
        if session.dryRun { return }
        let containers = try ContainerSnapshot.parseList(listing.stdoutText)
        let own = own ?? ContainerOwnership.environment(environment.names, in: containers).container.map { ContainerSnapshot.plainName($0.name) }
            ?? environment.names.container
        var conflicts = PortConflict.held(by: containers, wanted: wanted, own: own)
        // Ports this environment's own container publishes are freed when `up` replaces it.
        let ownPorts = containers.first { $0.name == own }.map { PublishedPort.parseList($0.ports) } ?? []
        for mapping in wanted where !conflicts.contains(where: { $0.wanted == mapping }) {
            guard !ownPorts.contains(where: { $0.collides(with: mapping) }) else { continue }
            if let holder = context.portHolder(mapping) { conflicts.append(PortConflict(wanted: mapping, holder: holder)) }
        }
        guard !conflicts.isEmpty else { return }
        let taken = Set(containers.flatMap { PublishedPort.parseList($0.ports).map(\.hostPort) } + wanted.map(\.hostPort))
        throw PortConflict.error(conflicts, profile: environment.spec.profile, service: service) { mapping in
            // The next port up that neither a container nor the host holds.
            (mapping.hostPort + 1...min(65535, mapping.hostPort + 50)).first { port in
                var candidate = mapping
                candidate.hostPort = port
                return !taken.contains(port) && context.portHolder(candidate) == nil
            }
        }
    }
}
