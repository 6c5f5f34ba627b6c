import DevEnvCore

/// The one ownership lookup (ContainerOwnership) against the engine: one `docker ps` by exact
/// names, whatever command asks. What it finds to be ours it remembers (ContainerMemory), so
/// `exec` and `logs` can skip it next time.
struct ContainerLookup {
    let session: DockerSession
    let planner: DockerPlanner

    /// The ID remembered for this environment (no docker call); nil in a dry run, whose plan
    /// shows the lookup.
    func remembered() -> ContainerMemory.Record? {
        session.dryRun ? nil : memory.recall()
    }

    var memory: ContainerMemory { ContainerMemory(context: session.context, names: planner.names) }

    /// What holds this environment's names: its own container, the temporary names of a
    /// recreate that an interrupted run may have left, and the containers of services the
    /// profile no longer runs (ours by labels; `ContainerOwnership.orphanedServices`).
    struct Found: Sendable {
        var container: ContainerOwnership
        var replacement: ContainerOwnership
        var previous: ContainerOwnership
        var orphans: [ContainerOwnership.OrphanedService] = []

        /// Whether devenv's own container under one of these names (ours by labels) holds an
        /// earlier devenv's name (no folder tag): `up` then moves the environment to today's
        /// names, and that devenv's project network goes once unused (`Up`).
        func holdsEarlierNames(_ names: ResourceNames) -> Bool {
            [(container, names.legacy.container), (replacement, names.legacy.replacementContainer),
             (previous, names.legacy.previousContainer)].contains { ownership, earlier in
                ownership.ours.map { ContainerIndex.holds($0, name: earlier) } ?? false
            }
        }
    }

    func look() throws -> Found {
        let names = planner.names
        let configured = planner.spec.services.map(\.name)
        // Read and judged while the docker CLI ends (`DockerSession.lookup(_:_:interpreting:)`,
        // issue 14); an error of it counts only for docker's real answer.
        return try session.lookup(.init(cli: planner.cli, names: planner.lookupNames, prefixes: planner.lookupPrefixes,
                                         engine: planner.engine),
                                  "listing containers") { answer in
            Result { () throws -> Found in
                let containers = try ContainerSnapshot.parseList(String(decoding: answer, as: UTF8.self))
                return Found(container: ContainerOwnership.environment(names, in: containers),
                             replacement: ContainerOwnership(name: names.replacementContainer, earlierName: names.legacy.replacementContainer,
                                                             in: containers, names: names),
                             previous: ContainerOwnership(name: names.previousContainer, earlierName: names.legacy.previousContainer,
                                                          in: containers, names: names),
                             orphans: ContainerOwnership.orphanedServices(in: containers, names: names, configured: configured))
            }
        }.answer.get()
    }

    /// Each service's container by service name (one `docker ps`), judged by the service's
    /// labels; exit 4 for the first that someone else holds. When today's name is free, the
    /// container an earlier devenv made for the service (`ContainerOwnership(name:earlierName:)`),
    /// so `up` replaces it (it holds the service's ports) and `down` removes it. No call without
    /// services.
    func services() throws -> [String: ContainerSnapshot] {
        let services = ServicePlanner(planner: planner)
        guard !services.services.isEmpty else { return [:] }
        let output = try session.run(services.findContainers(), "listing service containers").stdoutText
        let containers = ContainerIndex(try ContainerSnapshot.parseList(output))
        var found: [String: ContainerSnapshot] = [:]
        let names = planner.names
        for service in services.services {
            let name = names.serviceContainer(service.name)
            let ownership = ContainerOwnership(name: name, earlierName: names.legacy.serviceContainer(service.name), in: containers,
                                               names: names, service: service.name)
            if let container = try Self.ours(ownership, name: name, names: names, cli: planner.cli) {
                found[service.name] = container
            }
        }
        return found
    }

    /// devenv's container for this environment, nil when there is none; exit 4 when a
    /// container with its name belongs to someone else.
    func find() throws -> ContainerSnapshot? {
        let found = try Self.ours(look().container, name: planner.names.container, names: planner.names, cli: planner.cli)
        if let found, !session.dryRun { memory.remember(found) }
        return found
    }

    /// The container when it is ours; the conflict error when it is not.
    static func ours(_ ownership: ContainerOwnership, name: String, names: ResourceNames, cli: String) throws -> ContainerSnapshot? {
        switch ownership {
        case .absent: return nil
        case .ours(let container): return container
        case .foreign(let container, let owner):
            throw conflict(name: name, id: container.id, owner: owner,
                           movedFrom: ContainerOwnership.movedFrom(container.labels, names: names), cli: cli)
        }
    }

    /// `movedFrom`: devenv made it for this project in another folder (`ContainerOwnership.movedFrom`):
    /// the hint says how to remove it, since `down` here refuses it too, with the CLI devenv
    /// runs (`cli`: podman's user may have no `docker`).
    static func conflict(name: String, id: String, owner: OneLine, movedFrom: OneLine? = nil, cli: String) -> DevEnvError {
        let hint = movedFrom.map {
            "if this project was moved or renamed from \($0), move it back and run `devenv down` there, "
                + "or remove the container yourself: \(ShellQuoting.quote(cli)) rm -f \(id.prefix(12))"
        } ?? "remove or rename it yourself, or set a different `name` under [project] in devenv.toml"
        return DevEnvError(.conflict, "a container named \(name) (\(id.prefix(12))) exists that devenv did not create for this project (\(owner)); it was not touched",
                           hint: hint)
    }
}
