/// A thing the user can do to an environment; each is the subcommand of the same name.
public enum DashboardAction: Hashable, Sendable {
    case up, restart, build, syncDeps, cleanCache
    /// `images`: the dashboard's D (`down --volumes --images`).
    case down(volumes: Bool, images: Bool = false)
    case shell
    /// A command line typed in the dashboard, run with `sh -c`.
    case exec(String)

    /// D: the container, its volumes and the images devenv built for the profile
    /// (`down --volumes --images`), after the profile's name is typed.
    public static let downEverything = DashboardAction.down(volumes: true, images: true)

    /// The subcommand as a user would type it.
    public var title: String {
        switch self {
        case .up: "up"
        case .restart: "restart"
        case .build: "build"
        case .syncDeps: "sync-deps"
        case .cleanCache: "clean-cache"
        case .down(let volumes, let images): "down" + (volumes ? " --volumes" : "") + (images ? " --images" : "")
        case .shell: "shell"
        case .exec(let command): "exec -- \(command)"
        }
    }

    /// Shell and exec take the terminal; the others run in the background.
    public var needsTerminal: Bool {
        switch self {
        case .shell, .exec: true
        default: false
        }
    }
}

/// What the dashboard asks the loop to do. Data only: the loop (DevEnvApp) carries them out,
/// tests compare them.
public enum DashboardEffect: Hashable, Sendable {
    /// Take a `status` snapshot in the background: answers with `.partialSnapshot` (the states,
    /// from `docker ps`) or a failure message (`.snapshotFailed`, `.engineUnreachable`,
    /// `.engineSilent`).
    case refresh
    /// The details of the last `.partialSnapshot` (image ages, start times: `docker image ls`,
    /// `docker inspect`) in the background; answers with `.snapshot`. Asked on reading that
    /// message, so the loop starts them after the frame showing the states (issue 14).
    case fillDetails
    /// (Re)start the `docker events` stream, from the last event's time when given
    /// (nanoseconds since the epoch; the loop writes it as the engine reads it).
    case startEvents(since: Int64?)
    /// Describe the engine (`EngineFacts`, one probe call) in the background; answers with
    /// `.engineDescribed`. Asked when the dashboard opens and again only when the engine
    /// answers after it was away: the description is kept for the dashboard's lifetime.
    case describeEngine
    /// Follow this container's log (nil: stop following).
    case followLogs(container: String?, profile: String?)
    /// Stream CPU/memory of these (running) containers; empty: stop.
    case watchStats(containers: [String])
    /// Run the subcommand for the profile in the background; output as `.actionOutput`.
    case run(DashboardAction, profile: String)
    /// Hand the terminal to the subcommand (shell, exec) and come back repainted.
    case handOver(DashboardAction, profile: String)
}
