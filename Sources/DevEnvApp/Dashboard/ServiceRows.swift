import Dashboard
import DevEnvCore

/// The dashboard's rows for an environment's services (README, "Services"): one under the
/// environment's own row per service, with the service container's state, health, staleness
/// and ports from the same `status` report.
enum ServiceRows {
    static func rows(_ environment: Environment, status: Status.EnvironmentReport?, started: [String: Double]) -> [EnvironmentRow] {
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
