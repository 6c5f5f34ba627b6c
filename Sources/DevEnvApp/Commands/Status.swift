import DevEnvCore

/// `devenv status`: every profile of the project with its container's state, health and
/// staleness, and the project's volumes. Two docker calls, whatever the number of profiles.
struct Status {
    struct VolumeReport: Codable, Sendable, Hashable {
        var name: String
        var role: String
        var profile: String
        var path: String?
    }

    struct EnvironmentReport: Codable, Sendable, Hashable {
        var profile: String
        var container: String
        /// "not created", or docker's state: created, running, paused, restarting, exited, dead.
        var state: String
        /// none, starting, healthy, unhealthy.
        var health: String
        var exitCode: Int?
        var stale: Bool
        var staleReason: String?
        var image: String?
        var ports: String
        var runningFor: String?
        var volumes: [VolumeReport]
    }

    struct Report: Codable, Sendable, Hashable {
        var project: String
        var root: String
        var user: String
        var userSource: String
        var environments: [EnvironmentReport]
    }

    let environments: [Environment]
    let session: DockerSession
    let context: AppContext

    func run() throws -> Report {
        guard let first = environments.first else { throw DevEnvError.usage("the project has no profiles") }
        let cli = first.planner.cli
        let project = first.names.project
        let containers = try ContainerSnapshot.parseList(
            try session.run(DockerPlanner.listProjectContainers(cli: cli, project: project), "listing containers").stdoutText)
        let volumes = try VolumeSnapshot.parseList(
            try session.run(DockerPlanner.listProjectVolumes(cli: cli, project: project), "listing volumes").stdoutText)

        var reports: [EnvironmentReport] = []
        for environment in environments {
            let names = environment.names
            let container = containers.first { $0.name == names.container && names.owns($0.labels) }
            let ownVolumes = volumes.filter { names.owns($0.labels) }.map { volume in
                VolumeReport(name: volume.name, role: volume.labels[ResourceNames.roleLabel] ?? "",
                             profile: environment.spec.profile,
                             path: environment.spec.volumes[volume.labels[ResourceNames.roleLabel] ?? ""])
            }
            var stale = false
            var reason: String?
            if let container {
                // Staleness needs the image fingerprint, which reads the Dockerfile and lock file.
                if let image = try? environment.image(fileSystem: context.fileSystem) {
                    let current = environment.planner.containerFingerprint(image: image)
                    if container.labels[ResourceNames.configHashLabel] != current {
                        stale = true
                        reason = container.image == image
                            ? "configuration changed: `devenv up` recreates the container"
                            : "the Dockerfile, dependency files or build args changed: `devenv up` rebuilds and recreates"
                    }
                }
            }
            reports.append(EnvironmentReport(
                profile: environment.spec.profile, container: names.container,
                state: container?.state ?? "not created", health: (container?.health ?? .none).rawValue,
                exitCode: container?.exitCode, stale: stale, staleReason: reason, image: container?.image,
                ports: container?.ports ?? "", runningFor: container?.runningFor, volumes: ownVolumes))
        }
        let identity = first.identity
        return Report(project: project, root: first.spec.projectRoot,
                      user: "\(identity.userName) \(identity.uid):\(identity.gid)", userSource: identity.source.rawValue,
                      environments: reports)
    }

    /// The stable text form (scripts may read it; columns are separated by two or more spaces).
    static func text(_ report: Report) -> String {
        var rows = [["PROFILE", "STATE", "HEALTH", "CONTAINER", "PORTS"]]
        for environment in report.environments {
            var state = environment.state
            if let code = environment.exitCode { state += " (\(code))" }
            if environment.stale { state += ", stale" }
            rows.append([environment.profile, state, environment.health == "none" ? "-" : environment.health,
                         environment.state == "not created" ? "-" : environment.container,
                         environment.ports.isEmpty ? "-" : environment.ports])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = ["project \(report.project) (\(report.root)), user \(report.user) from \(report.userSource)"]
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            lines.append(cells.joined(separator: "  "))
        }
        for environment in report.environments {
            if let reason = environment.staleReason { lines.append("\(environment.profile) is stale: \(reason)") }
            for volume in environment.volumes {
                lines.append("volume \(volume.name) (\(volume.role)\(volume.path.map { " at \($0)" } ?? ""))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
