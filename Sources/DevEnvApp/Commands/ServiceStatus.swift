import DevEnvCore

/// The services part of `status` (text and JSON) and of the dashboard's rows: each service of
/// an environment with its container's state, health and staleness, judged by the same
/// ownership rule as everything else (`ContainerOwnership` with the service's label).
enum ServiceStatus {
    struct Report: Codable, Sendable, Hashable {
        var name: String
        var container: String
        /// As the app's: "not created", "conflict" (see `owner`), or docker's state.
        var state: String
        var owner: String? = nil
        /// none, starting, healthy, unhealthy.
        var health: String
        var exitCode: Int?
        /// The container no longer matches [services.NAME]: `up` recreates it (volumes kept).
        var stale: Bool
        /// Docker's Ports column as it prints it.
        var ports: String
        /// Who the container runs as, from its labels (`ContainerUser`); nil without one.
        var user: ContainerUser? = nil
        /// devenv made the container for a service the profile no longer runs (removed from
        /// devenv.toml or from the profile's `services`): `down` removes it, `up` leaves it.
        /// Such a report comes after the configured services'; its `stale` is false.
        var orphaned: Bool = false
        /// The image an orphaned service's container runs (from `docker ps`), for the
        /// dashboard's details: its configuration is gone. Not in `--json`.
        var image: String? = nil
    }

    /// Each service of `environment` among `containers` (one `docker ps` by the services' name
    /// prefix), then the containers of services it no longer runs
    /// (`ContainerOwnership.orphanedServices`).
    /// `wanted`: each service's fingerprint (`Environment.Expectation.services`, worked out with
    /// the configuration); nil: worked out here.
    static func reports(_ environment: Environment, containers: ContainerIndex, fileSystem: any FileSystem,
                        wanted: [String: String]? = nil) -> [Report] {
        let orphans = ContainerOwnership.orphanedServices(in: containers, names: environment.names,
                                                          configured: environment.spec.services.map(\.name))
            .map { orphan in
                var report = Report(name: orphan.service, container: environment.names.serviceContainer(orphan.service),
                                    state: orphan.container.state, health: orphan.container.health.rawValue,
                                    exitCode: orphan.container.exitCode, stale: false, ports: orphan.container.ports)
                report.user = ContainerUser.of(labels: orphan.container.labels)
                report.orphaned = true
                report.image = orphan.container.image
                return report
            }
        return configured(environment, containers: containers, fileSystem: fileSystem, wanted: wanted) + orphans
    }

    private static func configured(_ environment: Environment, containers: ContainerIndex,
                                   fileSystem: any FileSystem, wanted given: [String: String]?) -> [Report] {
        var wanted = given
        return environment.spec.services.map { service in
            let name = environment.names.serviceContainer(service.name)
            let ownership = ContainerOwnership(name: name, in: containers, names: environment.names, service: service.name)
            let found = ownership.ours
            var report = Report(name: service.name, container: name, state: found?.state ?? "not created",
                                health: (found?.health ?? .none).rawValue, exitCode: found?.exitCode, stale: false,
                                ports: found?.ports ?? "")
            report.user = found.map { ContainerUser.of(labels: $0.labels) }
            if let found {
                if wanted == nil { wanted = environment.serviceFingerprints(fileSystem: fileSystem) }
                report.stale = found.labels[ResourceNames.configHashLabel] != wanted?[service.name]
            }
            if case .foreign(_, let owner) = ownership {
                report.state = "conflict"
                report.owner = owner.description
            }
            return report
        }
    }

    static func json(_ reports: [Report]) -> JSONValue {
        .array(reports.map { report in
            .object([("name", .string(report.name)), ("container", .string(report.container)),
                     ("state", .string(report.state)), ("owner", .optional(report.owner)),
                     ("health", .string(report.health)), ("exitCode", report.exitCode.map { .number($0) } ?? .null),
                     ("stale", .bool(report.stale)), ("ports", .string(report.ports)),
                     ("user", report.user.map(Status.json) ?? .null), ("orphaned", .bool(report.orphaned))])
        })
    }

    /// The rows `status` prints under the profile's own: PROFILE is `PROFILE/SERVICE`.
    static func rows(profile: String, _ reports: [Report]) -> [[String]] {
        reports.map { report in
            var state = report.state
            if let code = report.exitCode { state += " (\(code))" }
            if report.stale { state += ", stale" }
            if report.orphaned { state += ", orphaned" }
            return ["\(profile)/\(report.name)", state, report.health == "none" ? "-" : report.health,
                    report.state == "not created" ? "-" : report.container, report.user?.text ?? "-",
                    report.ports.isEmpty ? "-" : report.ports]
        }
    }

    /// Lines under the table: conflicts and staleness, as the app's.
    static func notes(profile: String, defaultProfile: String, _ reports: [Report]) -> [String] {
        let up = EnvironmentSpec.command("up", profile: profile, defaultProfile: defaultProfile)
        return reports.flatMap { report -> [String] in
            var lines: [String] = []
            if let owner = report.owner {
                lines.append("\(profile)/\(report.name): the name \(report.container) is taken by a container devenv did not create for this project (\(owner)); `\(up)` refuses (exit 4) and leaves it alone")
            }
            if report.stale { lines.append("\(profile)/\(report.name) is stale: [services.\(report.name)] changed: `\(up)` recreates it (its volumes are kept)") }
            if report.orphaned {
                let down = EnvironmentSpec.command("down", profile: profile, defaultProfile: defaultProfile)
                lines.append("\(profile)/\(report.name) is orphaned: profile \(profile) no longer runs service \(report.name); `\(down)` removes its container (its volumes stay unless --volumes)")
            }
            return lines
        }
    }
}
