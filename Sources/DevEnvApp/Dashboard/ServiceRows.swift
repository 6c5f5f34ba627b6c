import Dashboard
import DevEnvCore

/// The dashboard's rows for an environment's services (README, "Services"): one under the
/// environment's own row per service, with the service container's state, health, staleness
/// and ports from the same `status` report; then one per orphaned service container (devenv's
/// for a service the profile no longer runs, as `status` lists them), marked orphaned.
enum ServiceRows {
    static func rows(_ environment: Environment, status: Status.EnvironmentReport?, started: [String: Double]) -> [EnvironmentRow] {
        configured(environment, status: status, started: started) + orphaned(environment, status: status, started: started)
    }

    /// The orphaned service containers of `status` (judged by `ContainerOwnership.orphanedServices`
    /// in `ServiceStatus.reports`: this folder's and profile's labels and the service's container
    /// name; a user's container or another project's never is one). Only what the container
    /// says: its service is no longer configured.
    static func orphaned(_ environment: Environment, status: Status.EnvironmentReport?, started: [String: Double]) -> [EnvironmentRow] {
        (status?.services ?? []).filter(\.orphaned).map { report in
            var row = EnvironmentRow(profile: environment.spec.profile, container: report.container)
            row.service = report.name
            row.orphaned = true
            row.dockerState = report.state
            row.health = report.health
            row.exitCode = report.exitCode
            row.ports = Status.shortPorts(PublishedPort.parseList(report.ports))
            row.startedAt = started[report.container]
            row.image = report.image
            row.runsAs = report.user?.text
            row.user = report.user?.text ?? "unknown"
            row.userSource = "its container (the service is no longer configured)"
            return row
        }
    }

    private static func configured(_ environment: Environment, status: Status.EnvironmentReport?, started: [String: Double]) -> [EnvironmentRow] {
        environment.spec.services.map { service in
            var row = EnvironmentRow(profile: environment.spec.profile, container: environment.names.serviceContainer(service.name))
            row.service = service.name
            if let report = status?.services.first(where: { $0.name == service.name }) {
                if report.state == "conflict" {
                    row.dockerState = "conflict"
                    row.owner = report.owner
                } else if report.state != "not created" {
                    row.dockerState = report.state
                    row.health = report.health
                    row.exitCode = report.exitCode
                    row.stale = report.stale
                    if report.stale { row.staleReason = "[services.\(service.name)] changed: `u` recreates it (its volumes are kept)" }
                    row.ports = Status.shortPorts(PublishedPort.parseList(report.ports))
                    row.startedAt = started[row.container]
                }
            }
            row.image = service.image
            row.volumes = service.volumes.map { "\(environment.names.serviceVolume(service.name, $0.name)) → \($0.value)" }
            row.envFile = service.envFile.map { RelativePath.display($0, under: environment.spec.projectRoot) }
            row.user = ServicePlanner(planner: environment.planner).userArgument(service) ?? "the image's USER"
            row.userSource = service.user == .image ? "the image" : "[services.\(service.name)] user"
            return row
        }
    }
}
