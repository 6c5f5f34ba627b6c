import Dashboard
import DevEnvCore
import Dispatch

/// Turns the configuration of every profile and one `status` snapshot into the dashboard's
/// rows, in two halves: the states (`states()`: `status`, one `docker ps`, a `docker volume ls`
/// when needed), then the details (`details(after:)`: the image ages from `docker image ls` and
/// the start times of the running containers from `docker inspect`, the two asked side by side
/// when `concurrent`). The dashboard draws the states before it asks for the details, so that
/// no other docker CLI starts beside the one its first real frame waits for (issue 14).
struct DashboardSnapshot: @unchecked Sendable {
    let environments: [Environment]
    let context: AppContext
    /// The two detail calls on two threads (the dashboard); one after the other for scripted tests.
    var concurrent = false
    /// The lookup started before the configuration was read (the dashboard's first snapshot).
    var speculation: LookupSpeculation?
    /// The dashboard's, kept across its snapshots: a stale container's staleness is worked out
    /// once, not on every container event.
    var stalenessMemo: StalenessMemo?

    /// The states' half as the dashboard takes it: `.partialSnapshot` and what the details'
    /// half needs, or why there are none (the messages of `message`, and nil).
    func statesMessage() -> (message: DashboardMessage, states: States?) {
        do {
            let states = try states()
            return (.partialSnapshot(states.rows), states)
        } catch {
            return (Self.answer { throw error }, nil)
        }
    }

    /// The details' half as the dashboard takes it: `.snapshot` with every row, or why not.
    func detailsMessage(after states: States) -> DashboardMessage {
        Self.answer { .snapshot(try details(after: states)) }
    }

    /// The message `body` gives, or the one its error means. No engine (exit 3: no socket, no
    /// CLI, a call past its deadline) is told apart from other failures, so the dashboard says
    /// "no engine" rather than showing every profile "not created".
    private static func answer(_ body: () throws -> DashboardMessage) -> DashboardMessage {
        do {
            return try body()
        } catch let error as DevEnvError where DockerSession.isNotAnswering(error) {
            return .engineSilent(ErrorReport.text(error))
        } catch let error as DevEnvError where error.exitCode == .noEngine {
            return .engineUnreachable(ErrorReport.text(error))
        } catch let error as DevEnvError {
            return .snapshotFailed(ErrorReport.text(error))
        } catch {
            return .snapshotFailed("\(error)")
        }
    }

    /// Both halves, one after the other; `partial` gets the states' rows in between.
    func take(partial: ([EnvironmentRow]) -> Void = { _ in }) throws -> [EnvironmentRow] {
        let states = try states()
        partial(states.rows)
        return try details(after: states)
    }

    /// What the states' half found: the rows to draw, and what the details' half builds on.
    struct States: @unchecked Sendable {
        /// Every row with its state; no image age or start time yet.
        let rows: [EnvironmentRow]
        let report: Status.Report
        /// profile: the image it would run now (when built), for environments without a container.
        let currentImages: [String: String]
    }

    /// `status`: one `docker ps` (the early one when it is the same call), a `docker volume ls`
    /// when an environment with volumes has no container.
    func states() throws -> States {
        let session = DockerSession(context: context, dryRun: false)
        session.speculation = speculation
        var status = Status(environments: environments, session: session, context: context)
        status.stalenessMemo = stalenessMemo
        let report = try status.run()
        // The image tag status compares a container with (`Environment.expectation`): worked out
        // with the configuration and kept with it, so a snapshot reads no Dockerfile for it.
        let current = Dictionary(environments.compactMap { environment in
            (try? environment.expectation(fileSystem: context.fileSystem)).map { (environment.spec.profile, $0.image) }
        }, uniquingKeysWith: { first, _ in first })
        return States(rows: Self.rows(environments: environments, report: report, ages: [:], currentImages: current),
                      report: report, currentImages: current)
    }

    /// `docker image ls` of the project and `docker inspect` of its running containers, then
    /// every row again with image ages, start times and users.
    func details(after states: States) throws -> [EnvironmentRow] {
        guard let first = environments.first else { return [] }
        let report = states.report
        let running = report.environments.filter { $0.state == "running" }.map(\.container)
            + report.environments.flatMap { $0.services.filter { $0.state == "running" }.map(\.container) }
        let details = Self.details(context: context, cli: first.planner.cli, project: first.names.project,
                                   running: running, concurrent: concurrent)
        let images = try details.images.get(), started = details.started
        return Self.rows(environments: environments, report: report, ages: ImageAges.parse(images),
                         created: ImageAges.created(images), started: started, currentImages: states.currentImages,
                         configuredUsers: details.users)
    }

    /// `docker image ls` (its output: ages and creation times) and `docker inspect` of the
    /// running containers (start times, and the user each runs as: `.Config.User`).
    static func details(context: AppContext, cli: String, project: String, running: [String],
                        concurrent: Bool) -> (images: Result<String, Error>, started: [String: Double], users: [String: String]) {
        let answers = DetailAnswers()
        let work: @Sendable (Int) -> Void = { index in
            if index == 0 {
                answers.set(images: Result {
                    try DockerSession(context: context, dryRun: false)
                        .run(DockerPlanner.listProjectImages(cli: cli, project: project), "listing images").stdoutText
                })
            } else if !running.isEmpty {
                let inspect = ProcessInvocation([cli, "inspect", "--format", inspectFormat] + running)
                if let result = try? DockerSession(context: context, dryRun: false).attempt(inspect), result.succeeded {
                    answers.set(started: startTimes(result.stdoutText), users: configuredUsers(result.stdoutText))
                }
            }
        }
        if concurrent && !running.isEmpty {
            DispatchQueue.concurrentPerform(iterations: 2, execute: work)
        } else {
            work(0)
            work(1)
        }
        return answers.both
    }

    /// The published ports in the profile's order, so the app port (its first) leads the PORTS
    /// column: docker lists them by container port, and a narrow column cut after the first
    /// showed the debugger's (5678 before 8000) next to the app's URL. Ports the profile does
    /// not name keep docker's order, after.
    static func appFirst(_ published: [PublishedPort], wanted: [PortMapping]) -> [PublishedPort] {
        func rank(_ port: PublishedPort) -> Int {
            wanted.firstIndex { $0.containerPort == port.containerPort && $0.transport == port.transport } ?? wanted.count
        }
        return published.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// The running containers' name, start time and user (JSON text: "" for none), one line
    /// each; Docker and Podman answer it alike.
    static let inspectFormat = "{{.Name}} {{.State.StartedAt}} {{json .Config.User}}"

    /// "/name 2026-11-27T12:46:57.123456789Z" lines (then the user) -> name: seconds since the epoch.
    static func startTimes(_ output: String) -> [String: Double] {
        var times: [String: Double] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ", maxSplits: 2)
            guard words.count >= 2, let time = epochSeconds(String(words[1])) else { continue }
            times[String(words[0].drop { $0 == "/" })] = time
        }
        return times
    }

    /// The same lines -> name: the user the container is configured to run as (`.Config.User`:
    /// `--user`, else its image's USER); containers with none (root by default) are left out.
    static func configuredUsers(_ output: String) -> [String: String] {
        var users: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ", maxSplits: 2)
            // A JSON string (the core's JSON reader: this file stays without Foundation).
            guard words.count == 3, let node = try? JSONCDecoder.decode(String(words[2]), file: "inspect"),
                  case .string(let user) = node.value, !user.isEmpty else { continue }
            users[String(words[0].drop { $0 == "/" })] = user
        }
        return users
    }

    /// RFC 3339 as docker prints it ("2026-11-27T12:46:57.123456789Z").
    static func epochSeconds(_ text: String) -> Double? { DockerTime.rfc3339(text) }

    static func rows(environments: [Environment], report: Status.Report?, ages: [String: String],
                     created: [String: Double] = [:], started: [String: Double] = [:], currentImages: [String: String] = [:],
                     configuredUsers: [String: String] = [:]) -> [EnvironmentRow] {
        environments.flatMap { environment -> [EnvironmentRow] in
            let status = report?.environments.first { $0.profile == environment.spec.profile }
            var row = row(environment, status: status, report: report, ages: ages, created: created, started: started,
                          currentImages: currentImages)
            if var user = status?.user {
                // What the running container has, when inspected, over what devenv recorded.
                if let configured = configuredUsers[environment.names.container] { user.container = configured }
                row.runsAs = user.text
            }
            return [row] + ServiceRows.rows(environment, status: status, started: started)
        }
    }

    private static func row(_ environment: Environment, status: Status.EnvironmentReport?, report: Status.Report?,
                            ages: [String: String], created: [String: Double], started: [String: Double],
                            currentImages: [String: String]) -> EnvironmentRow {
        let spec = environment.spec
        let names = environment.names
        // The container's own name: an earlier devenv's (no folder tag) until `up` replaces it.
        var row = EnvironmentRow(profile: spec.profile, container: status?.container ?? names.container)
        if let status, status.state == "conflict" {
            row.dockerState = "conflict"
            row.owner = status.owner
        } else if let status, status.state != "not created" {
            row.dockerState = status.state
            row.health = status.health
            row.exitCode = status.exitCode
            row.stale = status.stale
            row.staleReason = status.staleReason
            if status.dependenciesOutOfDate {
                // The row's stale mark: `up` puts it right, as it does a stale container.
                row.stale = true
                row.staleReason = [status.staleReason, Status.dependenciesMessage(profile: environment.spec.profile, defaultProfile: environment.spec.defaultProfile)]
                    .compactMap { $0 }.joined(separator: "; ")
            }
            row.image = status.image
            row.imageAge = status.image.flatMap { ages[$0] }
            row.imageCreated = status.image.flatMap { created[$0] }
            row.ports = Status.shortPorts(Self.appFirst(status.published, wanted: spec.ports))
            row.url = status.url
            row.startedAt = started[row.container]
        } else if let image = currentImages[spec.profile], let age = ages[image] {
            // No container, but its image is built (after `down`, or a ci/prod build).
            row.image = image
            row.imageAge = age
            row.imageCreated = created[image]
        }
        switch spec.user {
        case .host:
            row.user = "\(environment.identity.userName) \(environment.identity.uid):\(environment.identity.gid)"
            row.userSource = environment.identity.source.rawValue
        case .fixed(let uid, let gid):
            row.user = "\(uid):\(gid)"
            row.userSource = "the profile (fixed)"
        case .image:
            row.user = "the image's USER"
            row.userSource = "the image"
        }
        if spec.mountWorkspace { row.bindMount = "\(spec.projectRoot) → \(spec.workspace)" }
        // The volume status found for the role (an earlier devenv's one `up` adopted too:
        // `ResourceNames.volumeInUse`); today's name when there is none.
        row.volumes = spec.volumes.keys.sorted().map { role in
            let found = status?.volumes.first { $0.role == role }?.name
            return "\(found ?? names.volume(role: role)) → \(spec.volumes[role] ?? "")" + (report != nil && found == nil ? " (not created)" : "")
        } + spec.mounts.map { "\($0.source) → \($0.target)\($0.readOnly ? " (read-only)" : "")" }
        row.envFile = spec.envFile.map { RelativePath.display($0, under: spec.projectRoot) }
        var security: [String] = []
        if spec.readOnly { security.append("read-only") }
        security += spec.tmpfs.map { "tmpfs \($0)" }
        security += spec.capDrop.map { "cap-drop \($0)" }
        security += spec.capAdd.map { "cap-add \($0)" }
        if spec.noNewPrivileges { security.append("no-new-privileges") }
        if let restart = spec.restart { security.append("restart \(restart)") }
        row.security = security
        return row
    }
}

/// What the two detail calls answered, each on its own thread.
private final class DetailAnswers: @unchecked Sendable {
    private let lock = Lock()
    private var images: Result<String, Error> = .success("")
    private var started: [String: Double] = [:]
    private var users: [String: String] = [:]

    func set(images: Result<String, Error>) { lock.withLock { self.images = images } }
    func set(started: [String: Double], users: [String: String]) { lock.withLock { self.started = started; self.users = users } }
    var both: (images: Result<String, Error>, started: [String: Double], users: [String: String]) {
        lock.withLock { (images, started, users) }
    }
}
