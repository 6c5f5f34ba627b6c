#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The docker command lines of an environment's services (README, "Services"), as values:
/// the project network, each service's image, volumes and container, its health, and `exec`
/// and `logs` in it. Pure, like `DockerPlanner`, whose CLI, names and synced user it shares.
public struct ServicePlanner: Sendable {
    public var planner: DockerPlanner

    public init(planner: DockerPlanner) { self.planner = planner }

    public var names: ResourceNames { planner.names }
    public var services: [ServiceSpec] { planner.spec.services }

    private func docker(_ arguments: [String], io: ProcessIO = .capture) -> ProcessInvocation {
        ProcessInvocation([planner.cli] + arguments, io: io)
    }

    private func labels(service: String?) -> [String] {
        var arguments = names.labelArguments
        if let service { arguments += ["--label", "\(ResourceNames.serviceLabel)=\(service)"] }
        return arguments
    }

    // MARK: The project network

    /// Succeeds when a network has the name; prints "ID LABELS-AS-JSON".
    /// `name`: another network than the project network (an earlier devenv's, `ResourceNames.legacy`).
    public func inspectNetwork(_ name: String? = nil) -> ProcessInvocation {
        docker(["network", "inspect", "--format", "{{.Id}} {{json .Labels}}", name ?? names.network])
    }

    /// `inspectNetwork`'s output: the network's ID and labels (empty when it has none); nil when
    /// the output is not that.
    public static func parseNetwork(_ output: String) -> (id: String, labels: [String: String])? {
        let text = output.trimmingWhitespace
        guard let space = text.firstIndex(of: " ") else { return nil }
        let id = String(text[..<space])
        let json = text[text.index(after: space)...]
        guard !id.isEmpty else { return nil }
        // `{{json .Labels}}` is `null` for a network made without labels (someone else's):
        // that is an answer (no labels), not an unreadable one.
        do { return (id, try JSONScanner.parse(json).stringMap() ?? [:]) } catch { return nil }
    }

    public func createNetwork() -> ProcessInvocation {
        docker(["network", "create"] + labels(service: nil) + [names.network])
    }

    public func removeNetwork(id: String) -> ProcessInvocation { docker(["network", "rm", id]) }

    /// The names of the containers on the project network, stopped ones too, one a line: a
    /// created or exited container still names it, and Docker removes the network from under
    /// it (it then cannot start). By the network's name: Docker's `network=` filter of `ps -a`
    /// matches a container that is not running by name only (checked on Docker 20.10).
    public func networkUsers(_ name: String? = nil) -> ProcessInvocation {
        docker(["ps", "-a", "--filter", "network=\(name ?? names.network)", "--format", "{{.Names}}"])
    }

    // MARK: Containers

    /// The services' containers by exact name (foreign ones too: labels are checked by the
    /// caller, `ContainerLookup.services`).
    public func findContainers() -> ProcessInvocation {
        DockerPlanner.findContainers(cli: planner.cli, names: services.flatMap { [names.serviceContainer($0.name), names.legacy.serviceContainer($0.name)] },
                                     engine: planner.engine)
    }

    /// `--user` for a service: nil for the image's own USER.
    public func userArgument(_ service: ServiceSpec) -> String? {
        switch service.user {
        case .image: return nil
        case .ids(let uid, let gid): return "\(uid):\(gid)"
        case .host: return DockerPlanner.syncedUser(planner.identity, mapping: planner.userMapping)
        }
    }

    /// Who a service's container runs as and how that maps to the host: keep-id where
    /// `keepID` adds it (the synced user on rootless Podman), else as on rootless Docker.
    public func containerUser(_ service: ServiceSpec) -> ContainerUser {
        let host = "\(planner.identity.uid):\(planner.identity.gid)"
        switch planner.userMapping {
        case .direct: return ContainerUser(container: userArgument(service), mapping: .direct)
        case .rootless: return ContainerUser(container: userArgument(service), mapping: .rootless, hostUser: host)
        case .podmanKeepID:
            return ContainerUser(container: userArgument(service), mapping: keepID(service).isEmpty ? .rootless : .keepID, hostUser: host)
        }
    }

    /// A service that runs as the synced user gets the app's user namespace rule
    /// (`DockerPlanner.keepIDArguments`): on rootless Podman its files are the host user's.
    private func keepID(_ service: ServiceSpec) -> [String] {
        service.user == .host ? planner.keepIDArguments : []
    }

    /// The image a service runs: its `image`, or the tag devenv builds from its Dockerfile
    /// (fingerprinted by the Dockerfile's bytes, target and build args).
    public func image(_ service: ServiceSpec, dockerfile: [UInt8]?) -> String {
        if let image = service.image { return image }
        var print = Fingerprint()
        print.add(dockerfile ?? [])
        print.add(service.build?.target ?? "")
        for arg in service.build?.args ?? [] { print.add("\(arg.name)=\(arg.value)") }
        return names.serviceImage(service.name, fingerprint: print.short)
    }

    /// `docker build` of a service's image; `imageIDFile` as `DockerPlanner.build`'s.
    public func build(_ service: ServiceSpec, image: String, buildKit: Bool, imageIDFile: String? = nil) -> ProcessInvocation? {
        guard let build = service.build else { return nil }
        var arguments = ["build", "--file", build.dockerfile ?? build.context + "/Dockerfile", "--tag", image]
            + DockerPlanner.imageIDFileArguments(imageIDFile)
        // As the app's build (DockerPlanner.build): Podman's OCI images drop HEALTHCHECK, and
        // `up` waits for a service's own check.
        if planner.engine == .podman { arguments += ["--format", "docker"] }
        if let target = build.target { arguments += ["--target", target] }
        arguments += labels(service: service.name)
        for arg in build.args { arguments += ["--build-arg", "\(arg.name)=\(arg.value)"] }
        if buildKit { arguments += ["--progress", "plain"] }
        arguments.append(DockerPlanner.contextArgument(build.context))
        return ProcessInvocation([planner.cli] + arguments, environment: buildKit ? ["DOCKER_BUILDKIT": "1"] : [:], io: .stream)
    }

    /// `docker create` of a service on the project network, its name as DNS alias; prints the
    /// new container's ID. `configHash` is `fingerprint`'s.
    public func create(_ service: ServiceSpec, image: String, configHash: String) -> ProcessInvocation {
        docker(["create", "--name", names.serviceContainer(service.name)] + arguments(service, configHash: configHash)
               + [image] + (service.command ?? []))
    }

    private func arguments(_ service: ServiceSpec, configHash: String) -> [String] {
        var arguments = labels(service: service.name)
        if !configHash.isEmpty { arguments += ["--label", "\(ResourceNames.configHashLabel)=\(configHash)"] }
        arguments += ["--network", names.network, "--network-alias", service.name]
        if !configHash.isEmpty { arguments += ["--label", "\(ContainerUser.label)=\(containerUser(service).labelValue)"] }
        if let user = userArgument(service) {
            if !configHash.isEmpty { arguments += ["--label", "\(DockerPlanner.userLabel)=\(user)"] }
            arguments += ["--user", user] + keepID(service)
        }
        if let envFile = service.envFile { arguments += ["--env-file", envFile] }
        for variable in service.env { arguments += ["--env", "\(variable.name)=\(variable.value)"] }
        // Each with the profile's `host` when it has no address of its own (EnvironmentLoader).
        for port in service.ports { arguments += ["--publish", port.description] }
        for volume in service.volumes {
            arguments += ["--mount", DockerPlanner.mount("volume", names.serviceVolume(service.name, volume.name), volume.value)]
        }
        if let check = service.healthcheck {
            // Docker's --health-cmd runs its text with `sh -c`; an argv is quoted for it.
            let text: String
            switch check.test {
            case .shell(let shell): text = shell
            default: text = (check.test.argv ?? []).map(ShellQuoting.quote).joined(separator: " ")
            }
            arguments += ["--health-cmd", text, "--health-interval", "\(check.intervalSeconds)s",
                          "--health-retries", "\(check.retries)", "--health-start-period", "0s"]
        }
        return arguments
    }

    /// What the service container is made from: when it differs from the container's label,
    /// the service is stale and `up` recreates it (its volumes are kept).
    public func fingerprint(_ service: ServiceSpec, image: String, envFileContents: [UInt8]?) -> String {
        var print = Fingerprint()
        if let envFileContents { print.add(envFileContents) }
        var direct = self
        direct.planner.userMapping = .direct
        for word in direct.create(service, image: image, configHash: "").argv.dropFirst() { print.add(word) }
        return print.short
    }

    // MARK: Volumes

    public func createVolume(_ service: ServiceSpec, volume: String) -> ProcessInvocation {
        docker(["volume", "create"] + labels(service: service.name)
               + ["--label", "\(ResourceNames.roleLabel)=\(service.name).\(volume)", names.serviceVolume(service.name, volume)])
    }

    /// New volumes of a service that runs as a given user are handed to that user before the
    /// first start (as the app's are, DESIGN.md section 4); nil when it runs as the image's user
    /// (a new volume then copies the image's own owner of the path) or there is nothing to do.
    /// `run`: a token of this call, as `DockerPlanner.chownVolumes`'s.
    public func chownVolumes(_ service: ServiceSpec, volumes: [String], image: String, run: String? = nil) -> ProcessInvocation? {
        guard let user = userArgument(service), planner.userMapping != .rootless, !volumes.isEmpty else { return nil }
        var arguments = ["run", "--rm"] + labels(service: service.name) + planner.oneOffArguments(run)
            + ["--network", "none", "--user", "0:0"] + keepID(service)
            + ["--entrypoint", "chown"]
        for volume in volumes { arguments += ["--volume", "\(names.serviceVolume(service.name, volume)):/volumes/\(volume)"] }
        return docker(arguments + [image, "-R", user] + volumes.map { "/volumes/\($0)" })
    }

    // MARK: Health

    /// `STATUS HEALTH EXITCODE INTERVAL` of a service container; HEALTH is `none` without a
    /// health check; INTERVAL is the check's interval as Go prints a duration (`2s`, `0s` when
    /// unset or without a check), the container's own or its image's HEALTHCHECK.
    public func health(id: String) -> ProcessInvocation {
        docker(["inspect", "--type", "container", "--format",
                // Podman always has a Health part, its Status empty without a check: `with` makes
                // that `none` too (else the line has two words and the exit code reads as health).
                "{{.State.Status}} {{if .State.Health}}{{with .State.Health.Status}}{{.}}{{else}}none{{end}}{{else}}none{{end}} {{.State.ExitCode}}"
                    + " {{if .Config.Healthcheck}}{{.Config.Healthcheck.Interval}}{{else}}0s{{end}}", id])
    }

    /// Runs the container's health check once, by ID (`podman healthcheck run`): where Podman
    /// has no systemd timers to run it, devenv does while it waits (`HealthCheckDriving`).
    /// Podman records the result in the container's health status. A query: it carries the
    /// query deadline (`DockerPlanner.queries`).
    public func runHealthCheck(id: String) -> ProcessInvocation {
        docker(["healthcheck", "run", id])
    }

    /// Seconds one wait step lasts at most, the engine keeping the time: it ends at the first
    /// health change or death of the container (`endsAtFirstLine`), and `up` asks `health`
    /// again after each step, so a service is seen healthy as the engine says so rather than
    /// at the end of a whole step (issue 14: services `up` against compose). Docker's CLI sends
    /// a relative `--until` in whole seconds (now + 1 s, truncated), so a step ends at the next
    /// whole second of the engine's clock.
    public static let waitStepSeconds = 1

    /// Seconds of the engine's recent events a Docker wait step replays first (`--since`,
    /// also whole seconds there): a health change between the `health` call before the step
    /// and the moment the stream is listening is in the replay, not lost until the step ends.
    /// Longer than a query and a CLI start take on a busy machine; what it replays twice is
    /// harmless (`up` asks `health` after any line it does not take as the answer).
    public static let waitStepReplaySeconds = 2

    /// Docker reads `--until=-1s` as "1 s from now"; Podman reads a duration as an offset from
    /// now with its sign kept (its `-1s` is the past: the call would end at once and `up` would
    /// spin), so Podman gets `--until=1s`, and no `--since` (its replay reads its event journal;
    /// not relied on: on Podman `up` runs the checks itself and asks `health` after each).
    public func waitStep(id: String) -> ProcessInvocation {
        var arguments = ["events", "--filter", "container=\(id)", "--filter", "event=health_status", "--filter", "event=die",
                         "--format", "{{json .}}"]
        switch planner.engine {
        case .docker: arguments += ["--since=\(Self.waitStepReplaySeconds)s", "--until=-\(Self.waitStepSeconds)s"]
        case .podman: arguments += ["--until=\(Self.waitStepSeconds)s"]
        }
        var invocation = docker(arguments)
        invocation.endsAtFirstLine = true
        return invocation
    }

    // MARK: Working inside

    /// `docker exec` in a service's container, as the user it runs as, in its own working
    /// folder (see `DockerPlanner.exec` for -i, -t and `marker`).
    public func exec(_ service: String, _ command: [String], interactive: Bool, terminal: Bool,
                     runningAs: String?, terminalEnvironment: [String: String] = [:], marker: ExecMarker? = nil) -> ProcessInvocation {
        var arguments = ["exec"]
        if interactive { arguments.append("--interactive") }
        if terminal {
            arguments.append("--tty")
            for name in ["TERM", "COLORTERM"] {
                if let value = terminalEnvironment[name], !value.isEmpty { arguments += ["--env", "\(name)=\(value)"] }
            }
        }
        arguments += marker?.arguments ?? []
        if let runningAs { arguments += ["--user", runningAs] }
        return docker(arguments + [names.serviceContainer(service)] + command, io: .interactive)
    }

    public func logs(_ service: String, follow: Bool, tail: String?, since: String?) -> ProcessInvocation {
        var arguments = ["logs"]
        if follow { arguments.append("--follow") }
        if let tail { arguments += ["--tail", tail] }
        if let since { arguments += ["--since", since] }
        return docker(arguments + [names.serviceContainer(service)], io: .interactive)
    }
}
