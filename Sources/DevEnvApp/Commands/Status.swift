import DevEnvCore

/// `devenv status`: every profile of the project with its container's state, health and
/// staleness, and its volumes. One or two docker calls, whatever the number of profiles.
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
        /// "not created"; "conflict" when a container devenv did not create for this project
        /// holds the name (see `owner`); or docker's state: created, running, paused,
        /// restarting, exited, dead.
        var state: String
        /// Who made the container holding the name, when it is not devenv's for this project.
        var owner: String? = nil
        /// none, starting, healthy, unhealthy.
        var health: String
        var exitCode: Int?
        var stale: Bool
        var staleReason: String?
        /// `EnvironmentInputs` keys that changed (empty when not stale, or for a container made
        /// before devenv stored its inputs).
        var staleInputs: [String] = []
        /// The venv was synced from another uv.lock than the project's current one (`uv add`
        /// since): true until `up` or `sync-deps` syncs it. Asked of running containers whose
        /// venv follows uv.lock (`DockerPlanner.tracksLock`); false otherwise.
        var dependenciesOutOfDate: Bool = false
        var image: String?
        /// Docker's Ports column as it prints it.
        var ports: String
        /// What the running container publishes, one entry per host binding.
        var published: [PublishedPort]
        /// The URL to open for the app: the host side of the profile's first published TCP
        /// port (wildcard addresses shown as 127.0.0.1); nil when it is not published.
        var url: String?
        /// Labels of container ports (devcontainer.json `portsAttributes`), by container port.
        var portLabels: [Int: String] = [:]
        var runningFor: String?
        /// Who the container runs as and who that is on the host (`ContainerUser`: its
        /// `devenv.user` and `devenv.user-mapping` labels, so no extra call); nil without one.
        var user: ContainerUser? = nil
        /// Without a container of its own: who `up` would run it as (`DockerPlanner.syncedUser`
        /// for `user = "host"`, through `containerUser`), with the engine's user mapping as the
        /// project's other containers recorded it, else unknown (`mapping` nil: planned as on a
        /// rootful engine; status asks the engine nothing). Nil when there is a container.
        var plannedUser: ContainerUser? = nil
        var volumes: [VolumeReport]
        /// The profile's services (README, "Services").
        var services: [ServiceStatus.Report] = []
    }

    struct Report: Codable, Sendable, Hashable {
        var project: String
        var root: String
        var user: String
        var userSource: String
        /// Which engine answers: DOCKER_CONTEXT or DOCKER_HOST when set (they win over `docker
        /// context use`), else "default".
        var engine: String
        var environments: [EnvironmentReport]
        /// The project's `default_profile`: the profile the commands the text suggests need no
        /// `--profile` for (`EnvironmentSpec.command`). Not in `--json`.
        var defaultProfile = "dev"
    }

    let environments: [Environment]
    let session: DockerSession
    let context: AppContext
    /// The dashboard's: each stale container's staleness worked out once per reading, not once
    /// per snapshot (nil: worked out here, as a command does once).
    var stalenessMemo: StalenessMemo? = nil

    /// Why a stale container is stale (`Environment.staleness`: reads and hashes its inputs).
    private func staleness(_ environment: Environment, _ container: ContainerSnapshot, image: String) throws -> Environment.Staleness {
        guard let stalenessMemo else { return try environment.staleness(of: container, image: image, fileSystem: context.fileSystem) }
        return try stalenessMemo.staleness(of: container, in: environment, image: image, fileSystem: context.fileSystem)
    }

    /// One `docker ps` (by the environments' exact names, so a foreign container holding one
    /// shows as a conflict, and their services' name prefix, which also finds the containers of
    /// services no longer configured: `ServiceStatus`); a `docker volume ls` only when an environment with volumes has no
    /// container (a container's own mounts already name its volumes), started beside the `ps`
    /// when the last status needed it too (`LookupSpeculation`); one `docker exec cmp` per
    /// running container whose venv follows uv.lock (`dependenciesOutOfDate`).
    func run() throws -> Report {
        try run(rendering: nil).report
    }

    /// `run`, and the report as `render` shows it (`text`, or the JSON form). Worked out while
    /// the docker CLI ends, when the lookup's answer is all the report needs (no volume listing,
    /// no `cmp`): the answer comes with the CLI's last write, and its exit, before the pipes
    /// close, takes about as long as reading the answer, judging it and rendering the report
    /// (issue 14: then only the write is left once docker has ended).
    func run(rendering render: ((Report) -> String)?) throws -> (report: Report, rendered: String?) {
        guard let first = environments.first else { throw DevEnvError.usage("the project has no profiles") }
        let cli = first.planner.cli
        let project = first.names.project
        // The image and container fingerprints a container is compared with (staleness), each
        // worked out once. Worked out with the configuration, and kept with it
        // (`Environment.expected`), so that none is worked out once docker has answered; else
        // the chosen profile's, the one most likely to have a container, before the lookup is
        // asked for: the lookup started before the configuration was read (LookupSpeculation)
        // is still running, so its Dockerfile and lock file are read while docker answers, not
        // after (issue 14).
        var expected: [String: Environment.Expectation?] = [:]
        func expectation(of environment: Environment) -> Environment.Expectation? {
            if let known = expected[environment.spec.profile] { return known }
            let worked = try? environment.expectation(fileSystem: context.fileSystem)
            expected[environment.spec.profile] = worked
            return worked
        }
        _ = expectation(of: first)
        // Also read while docker answers, not after: the engine's description (the docker
        // config file) and, for each environment whose venv follows uv.lock, what devenv
        // remembers of its container and the lock's fingerprint (kept with the configuration
        // when uv.lock did not change: `Environment.expected`), so that after the answer only
        // the answer is worked on (issue 14).
        let engine = context.engineEndpoint().label
        var lockMemory: [String: (lock: String?, known: ContainerMemory.Record?)] = [:]
        for environment in environments where environment.planner.tracksLock {
            let memory = ContainerMemory(context: context, names: environment.names)
            let lock = expectation(of: environment).map(\.lock) ?? memory.currentLock(environment.spec)
            lockMemory[environment.spec.profile] = (lock, memory.recall())
        }
        let identity = first.identity
        func report(_ environments: [EnvironmentReport]) -> Report {
            Report(project: project, root: first.spec.projectRoot,
                   user: "\(identity.userName) \(identity.uid):\(identity.gid)", userSource: identity.source.rawValue,
                   engine: engine, environments: environments, defaultProfile: first.spec.defaultProfile)
        }

        /// The answer worked on: the containers, indexed once, and each environment's ownership
        /// judged once (every profile looked the whole answer through, several times over,
        /// which made status quadratic in profiles, issue 14); with the reports when the answer
        /// is all they need (nil: volumes must be listed first).
        struct Interpretation {
            var containers: ContainerIndex
            var ownerships: [ContainerOwnership]
            var reports: Reports?
            /// `render` of the reports, when no `cmp` may change them.
            var rendered: String?
        }
        func interpretation(of answer: [UInt8]) throws -> Interpretation {
            let containers = ContainerIndex(try ContainerSnapshot.parseList(String(decoding: answer, as: UTF8.self)))
            // One a profile, at its environment's position: looked up by position, so no lookup
            // can miss and need a fallback that judges it again. Beside `environments`, not
            // paired with copies of them: an array of (Environment, ownership) pairs was copied
            // and destroyed through the runtime's generic tuple code, its type made from its
            // mangled name, about 0.1 M of the instructions status spent after docker answered
            // (issue 14, callgrind).
            let ownerships = environments.map { ContainerOwnership.environment($0.names, in: containers) }
            var interpreted = Interpretation(containers: containers, ownerships: ownerships)
            if !needsVolumeListing(ownerships) {
                let reports = try environmentReports(containers, ownerships, listedVolumes: nil,
                                                     expectation: expectation, lockMemory: lockMemory)
                if reports.lockChecks.isEmpty { interpreted.rendered = render?(report(reports.environments)) }
                interpreted.reports = reports
            }
            return interpreted
        }
        let query = LookupSpeculation.Query(cli: cli, names: environments.flatMap(\.names.lookupNames),
                                            prefixes: environments.flatMap(\.names.lookupPrefixes), engine: first.planner.engine)
        // Worked on while docker ends; an error of it counts only for docker's real answer.
        var interpreted = try session.lookup(query, "listing containers") { answer in
            Result { try interpretation(of: answer) }
        }.answer.get()
        // Remembered with the lookup: next time the listing starts beside it (`LookupSpeculation`).
        session.speculation?.rememberVolumeListing(of: interpreted.reports == nil ? project : nil)
        if interpreted.reports == nil {
            let listedVolumes = try VolumeSnapshot.parseList(try session.run(query.volumeListing(of: project), "listing volumes").stdoutText)
            interpreted.reports = try environmentReports(interpreted.containers, interpreted.ownerships, listedVolumes: listedVolumes,
                                                         expectation: expectation, lockMemory: lockMemory)
        }
        guard var reports = interpreted.reports else { throw DevEnvError.failure("internal error: status has no reports") }
        for check in reports.lockChecks {
            let environment = environments[check.index]
            // cmp: 0 the same, 1 different; 2 (no stamp: a venv devenv did not make) is unknown.
            let compared = try session.attempt(environment.planner.compareLockStamp(runningAs: check.container.labels[DockerPlanner.userLabel]))
            reports.environments[check.index].dependenciesOutOfDate = compared.exitCode == 1
            // 0 and 2 both mean "not behind" until uv.lock or the venv's stamp changes
            // (sync-deps and up note a new stamp themselves).
            if compared.exitCode == 0 || compared.exitCode == 2 {
                let memory = ContainerMemory(context: context, names: environment.names)
                memory.remember(check.container)
                memory.rememberSynced(id: check.container.id, lock: check.lock)
            }
        }
        let whole = report(reports.environments)
        return (whole, interpreted.rendered ?? render?(whole))
    }

    /// Whether some environment with volumes has no container of ours whose mounts name them:
    /// then the project's volumes are listed (`docker volume ls`) for their labels.
    private func needsVolumeListing(_ ownerships: [ContainerOwnership]) -> Bool {
        environments.indices.contains { index in
            !environments[index].spec.volumes.isEmpty && !(ownerships[index].ours.map(environments[index].mountsNameVolumes) ?? false)
        }
    }

    /// Each environment's report, and the running containers whose venv must be asked whether
    /// it is behind uv.lock (`cmp`, made by `run` afterwards: this only reads and computes).
    struct Reports {
        var environments: [EnvironmentReport]
        var lockChecks: [(index: Int, container: ContainerSnapshot, lock: String)]
    }

    /// The reports from the answer (`containers`, `ownerships` one an environment) and, when
    /// listed, the project's volumes. Reads files (staleness, services), changes nothing.
    private func environmentReports(_ containers: ContainerIndex, _ ownerships: [ContainerOwnership], listedVolumes: [VolumeSnapshot]?,
                                    expectation: (Environment) -> Environment.Expectation?,
                                    lockMemory: [String: (lock: String?, known: ContainerMemory.Record?)]) throws -> Reports {
        // By profile label, once: each environment then filters its own volumes, not the list.
        var volumesByProfile: [String: [VolumeSnapshot]] = [:]
        for volume in listedVolumes ?? [] {
            if let profile = volume.labels[ResourceNames.profileLabel] { volumesByProfile[profile, default: []].append(volume) }
        }
        let recordedMapping = Self.recordedMapping(ownerships.compactMap(\.ours))
        var reports = Reports(environments: [], lockChecks: [])
        for index in environments.indices {
            let (environment, ownership) = (environments[index], ownerships[index])
            let names = environment.names
            let found = ownership.ours
            // The labels of each volume there is: a container of ours vouches for the volumes
            // it mounts (devenv mounted them); without one, or one whose mounts do not name its
            // volumes (Podman), the volumes' own labels.
            let labelsOf: (String) -> [String: String]?
            if let found, environment.mountsNameVolumes(found) {
                let mounted = Set(environment.mountedVolumes(of: found))
                labelsOf = { mounted.contains($0) ? found.labels : nil }
            } else {
                let listed = Dictionary((volumesByProfile[environment.spec.profile] ?? []).map { ($0.name, $0.labels) },
                                        uniquingKeysWith: { a, _ in a })
                labelsOf = { listed[$0] }
            }
            let volumes = environment.spec.volumes.keys.sorted().compactMap { role -> VolumeReport? in
                // An earlier devenv's volume (no folder tag) is shown under its own name while
                // this environment uses it (`ResourceNames.volumeInUse`, labels checked).
                guard let name = names.volumeInUse(role: role, labelsOf: labelsOf) else { return nil }
                return VolumeReport(name: name, role: role, profile: environment.spec.profile,
                                    path: environment.spec.volumes[role])
            }
            let published = found.map { PublishedPort.parseList($0.ports) } ?? []
            var stale = false
            var reason: String?
            var staleInputs: [String] = []
            // Staleness needs the image fingerprint, which reads the Dockerfile and lock file.
            if let found, let wanted = expectation(environment) {
                if found.labels[ResourceNames.configHashLabel] != wanted.fingerprint {
                    stale = true
                    let judged = try staleness(environment, found, image: wanted.image)
                    reason = judged.reason
                    staleInputs = judged.changed
                }
            } else if found != nil {
                // No evidence is no freshness (dash30): with the Dockerfile gone (renamed, the
                // project folder being removed) the container was said up to date, and the
                // dashboard's stale mark cleared, though nothing was compared with it.
                stale = true
                reason = Self.uncomparedReason(environment, fileSystem: context.fileSystem)
            }
            var report = EnvironmentReport(
                profile: environment.spec.profile, container: found.map { ContainerSnapshot.plainName($0.name) } ?? names.container,
                state: found?.state ?? "not created", health: (found?.health ?? .none).rawValue,
                exitCode: found?.exitCode, stale: stale, staleReason: reason, image: found?.image,
                ports: found?.ports ?? "", published: published, url: Self.url(app: environment.spec.ports, published: published),
                runningFor: found?.runningFor, volumes: volumes)
            report.staleInputs = staleInputs
            report.user = found.map { ContainerUser.of(labels: $0.labels) }
            if found == nil { report.plannedUser = Self.plannedUser(environment.planner, recorded: recordedMapping) }
            if let found, found.state == "running", environment.planner.tracksLock {
                // Asked of the venv only when uv.lock changed since devenv last saw this container's
                // venv in step with it (ContainerMemory): else status stays one docker call.
                let memory = ContainerMemory(context: context, names: names)
                // No uv.lock in the workspace: nothing the venv could be behind (cmp would say 2).
                let (lock, known) = lockMemory[environment.spec.profile] ?? (memory.currentLock(environment.spec), memory.recall())
                if let lock, known?.id != found.id || known?.syncedLock != lock {
                    reports.lockChecks.append((index, found, lock))
                }
            }
            report.services = ServiceStatus.reports(environment, containers: containers, fileSystem: context.fileSystem,
                                                    wanted: expectation(environment)?.services)
            for (port, label) in environment.spec.portLabels {
                if let number = Int(port) { report.portLabels[number] = label }
            }
            if case .foreign(_, let owner) = ownership {
                report.state = "conflict"
                report.owner = owner.description
            }
            reports.environments.append(report)
        }
        return reports
    }

    /// The engine's user mapping as a container of this project recorded it (its
    /// `devenv.user-mapping` label, written by `up` from the engine probe); nil when none did.
    static func recordedMapping(_ containers: [ContainerSnapshot]) -> DockerPlanner.UserMapping? {
        for container in containers {
            switch ContainerUser.of(labels: container.labels).mapping {
            case .direct: return .direct
            case .rootless: return .rootless
            case .keepID: return .podmanKeepID(namesIDs: true)
            case nil: continue
            }
        }
        return nil
    }

    /// Who an environment without a container would run as: the planner's own rule
    /// (`containerUser`), under the recorded mapping; with none, as on a rootful engine with the
    /// mapping left unknown (nil), since status makes no engine probe.
    static func plannedUser(_ planner: DockerPlanner, recorded: DockerPlanner.UserMapping?) -> ContainerUser {
        var planner = planner
        planner.userMapping = recorded ?? .direct
        var user = planner.containerUser
        if recorded == nil { user.mapping = nil }
        return user
    }

    /// Why a container of ours whose expectation cannot be worked out (no Dockerfile, a file
    /// that cannot be read) counts as stale: what stands in the way, as `up` would say it.
    static func uncomparedReason(_ environment: Environment, fileSystem: any FileSystem) -> String {
        let why: String
        do {
            _ = try environment.expectation(fileSystem: fileSystem)
            why = "its configuration could not be worked out"
        } catch {
            why = ErrorReport.devEnvError(error).message
        }
        return "cannot tell whether it is up to date: \(why)"
    }

    /// What status and the dashboard say of a venv synced from another uv.lock.
    static func dependenciesMessage(profile: String, defaultProfile: String) -> String {
        func command(_ words: String) -> String { EnvironmentSpec.command(words, profile: profile, defaultProfile: defaultProfile) }
        return "dependencies out of date (uv.lock changed since the venv was synced): `\(command("up"))` or `\(command("sync-deps"))` syncs them"
    }

    /// The app's URL: where the first TCP container port of the profile is published now.
    static func url(app wanted: [PortMapping], published: [PublishedPort]) -> String? {
        guard let app = wanted.first(where: { $0.transport == .tcp }),
              let bound = published.first(where: { $0.containerPort == app.containerPort && $0.transport == .tcp })
                ?? published.first(where: { $0.containerPort == app.containerPort }) else { return nil }
        let host: String
        switch bound.hostIP {
        case "", "0.0.0.0", "::": host = "127.0.0.1"
        case let ip where ip.contains(":"): host = "[\(ip)]"
        case let ip: host = ip
        }
        return "http://\(host):\(bound.hostPort)/"
    }

    /// Host ports only, in the order published, IPv4 and IPv6 bindings of one port once:
    /// "8000,5678" (narrow columns).
    static func shortPorts(_ published: [PublishedPort]) -> String {
        var seen: [String] = []
        for port in published {
            let text = port.transport == .udp ? "\(port.hostPort)/udp" : "\(port.hostPort)"
            if !seen.contains(text) { seen.append(text) }
        }
        return seen.joined(separator: ",")
    }

    /// The published ports that have a label, in the order published, each host binding once
    /// (`127.0.0.1:8000 (container port 8000)`).
    static func labelledPorts(_ environment: EnvironmentReport) -> [(label: String, address: String)] {
        var out: [(label: String, address: String)] = []
        for port in environment.published {
            guard let label = environment.portLabels[port.containerPort] else { continue }
            let host = port.hostIP.contains(":") ? "[\(port.hostIP)]" : port.hostIP
            let address = "\(host):\(port.hostPort)\(port.transport == .udp ? "/udp" : "") (container port \(port.containerPort))"
            if !out.contains(where: { $0.address == address }) { out.append((label, address)) }
        }
        return out
    }

    /// The stable text form (scripts may read it; columns are separated by two or more spaces).
    static func text(_ report: Report) -> String {
        var rows = [["PROFILE", "STATE", "HEALTH", "CONTAINER", "USER", "PORTS"]]
        for environment in report.environments {
            var state = environment.state
            if let code = environment.exitCode { state += " (\(code))" }
            if environment.stale { state += ", stale" }
            if environment.dependenciesOutOfDate { state += ", deps out of date" }
            rows.append([environment.profile, state, environment.health == "none" ? "-" : environment.health,
                         environment.state == "not created" ? "-" : environment.container,
                         environment.user?.text ?? environment.plannedUser.map { "\($0.text) (planned)" } ?? "-",
                         environment.ports.isEmpty ? "-" : environment.ports])
            rows += ServiceStatus.rows(profile: environment.profile, environment.services)
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].characterCount }.max() ?? 0 }
        // One line whatever the folder is called: a newline in its path (which devenv allows)
        // is shown escaped, as the console shows the other control characters, so a script
        // reading the first line gets the whole path.
        let oneLine = { (text: String) in TerminalSafeText.escaping(text, keepingLineBreaks: false) }
        var lines = ["project \(report.project) (\(oneLine(report.root))), user \(oneLine(report.user)) from \(report.userSource)"
                     + (report.engine == "default" ? "" : ", engine \(oneLine(report.engine))")]
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padded(toCount: widths[index])
            }
            lines.append(cells.joined(separator: "  "))
        }
        for environment in report.environments {
            if let owner = environment.owner {
                lines.append("\(environment.profile): the name \(environment.container) is taken by a container devenv did not create for this project (\(owner)); `\(EnvironmentSpec.command("up", profile: environment.profile, defaultProfile: report.defaultProfile))` refuses (exit 4) and leaves it alone")
            }
            // One line each, as the header: a reason names paths, which may hold line breaks.
            if let reason = environment.staleReason { lines.append("\(environment.profile) is stale: \(oneLine(reason))") }
            if environment.dependenciesOutOfDate {
                lines.append("\(environment.profile): \(Self.dependenciesMessage(profile: environment.profile, defaultProfile: report.defaultProfile))")
            }
            lines += ServiceStatus.notes(profile: environment.profile, defaultProfile: report.defaultProfile, environment.services)
            if let url = environment.url { lines.append("\(environment.profile): the app at \(url)") }
            lines += labelledPorts(environment).map { "\(environment.profile): \($0.label) on \($0.address)" }
            for volume in environment.volumes {
                lines.append("volume \(volume.name) (\(volume.role)\(volume.path.map { " at \($0)" } ?? ""))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Status {
    /// An environment's `user`: `container` (UID:GID, or null for the image's USER), `mapping`
    /// (`direct`, `rootless`, `keep-id`; null for a container made before devenv recorded it),
    /// `host` (UID:GID of the host user behind a rootless engine, else null) and `text`.
    static func json(_ user: ContainerUser) -> JSONValue {
        .object([("container", .optional(user.container)), ("mapping", .optional(user.mapping?.rawValue)),
                 ("host", .optional(user.hostUser)), ("text", .string(user.text))])
    }

    /// The documented `status --json` form (README, "JSON output").
    static func json(_ report: Report) -> JSONValue {
        .object([
            ("ok", .bool(true)), ("command", .string("status")), ("project", .string(report.project)),
            ("root", .string(report.root)), ("user", .string(report.user)), ("userSource", .string(report.userSource)),
            ("engine", .string(report.engine)),
            ("environments", .array(report.environments.map { environment in
                .object([
                    ("profile", .string(environment.profile)), ("container", .string(environment.container)),
                    ("state", .string(environment.state)), ("owner", .optional(environment.owner)),
                    ("health", .string(environment.health)),
                    ("exitCode", environment.exitCode.map { .number($0) } ?? .null),
                    ("stale", .bool(environment.stale)), ("staleReason", .optional(environment.staleReason)),
                    ("staleInputs", .array(environment.staleInputs.map { .string($0) })),
                    ("dependenciesOutOfDate", .bool(environment.dependenciesOutOfDate)),
                    ("image", .optional(environment.image)), ("ports", .string(environment.ports)),
                    ("published", .array(environment.published.map { port in
                        .object([("hostIP", .string(port.hostIP)), ("hostPort", .number(port.hostPort)),
                                 ("containerPort", .number(port.containerPort)), ("protocol", .string(port.transport.rawValue)),
                                 ("label", .optional(environment.portLabels[port.containerPort]))])
                    })),
                    ("url", .optional(environment.url)),
                    ("runningFor", .optional(environment.runningFor)),
                    ("user", environment.user.map(Self.json) ?? .null),
                    ("plannedUser", environment.plannedUser.map(Self.json) ?? .null),
                    ("volumes", .array(environment.volumes.map { volume in
                        .object([("name", .string(volume.name)), ("role", .string(volume.role)),
                                 ("path", .optional(volume.path))])
                    })),
                    ("services", ServiceStatus.json(environment.services)),
                ])
            })),
        ])
    }
}
