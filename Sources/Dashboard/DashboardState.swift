import DevEnvCore
import TerminalUI

/// Everything the dashboard shows, as a value. `update` (DashboardUpdate.swift) turns events
/// into a new state and effects; `view` (DashboardView.swift) draws it. Neither touches the
/// system: the clock comes in as `now`, set by the loop before each update.
public struct DashboardState: Sendable {
    public var project: String
    public var root: String
    public var dockerContext: String?
    /// The engine as probed when the dashboard opened (or when it came back after being
    /// away): kind, rootful or rootless, where, and how users map (`EngineFacts.summary`).
    public var engineDescription: String?
    public var environments: [EnvironmentRow]
    public var table = TableState(selected: 0)
    public var focus: Pane = .environments
    public var overlay: Overlay?
    public var size = Size(width: 80, height: 24)
    /// Seconds since the epoch, as the loop last saw it.
    public var now: Double = 0
    public var loaded = false

    /// The log of the selected container.
    public var logs = LogBuffer(capacity: 10_000)
    public var logView = LogViewState()
    /// The log line (number) of the last search match: `n` and `N` go on from it.
    public var searchMatch: Int?
    /// The container whose log is followed, and whether its stream still runs.
    public var followedContainer: String?
    public var logStreaming = false

    /// The details pane's first shown line (it scrolls when focused).
    public var detailsTop = 0
    /// The help overlay's first shown line (it scrolls when the terminal is short).
    public var helpTop = 0
    /// Whether the action pane wraps long lines (by default: an error must be read whole).
    public var actionWrap = true

    public var actions: [String: ActionRun] = [:]
    /// The profile of the action started last: the action pane shows it when the selected
    /// environment has none.
    public var lastActionProfile: String?

    /// The running containers whose CPU and memory are streamed, their samples (newest last)
    /// and their latest figures, by container name.
    public var statsContainers: [String] = []
    public var cpuHistory: [String: [Double]] = [:]
    public var memoryHistory: [String: [Double]] = [:]
    public var lastStats: [String: ContainerStats] = [:]

    /// The last event seen, for `--since` on a reconnect.
    public var lastEventNano: Int64?
    /// Set at start (wall-clock seconds, taken before the first snapshot's `docker ps`, which
    /// the loop may have started before the model: then the loop sets it to that time) until
    /// the events stream starts: it starts once that snapshot is answered, `--since` this time,
    /// so nothing that happened meanwhile is missed (DESIGN.md section 4 asks for no gap) while
    /// the two docker CLIs do not start side by side and slow the first real frame (issue 14:
    /// on two busy cores a `docker ps` took 98 ms alone, 166 ms beside a starting `docker events`).
    public var eventsFrom: Double?
    /// Wait before reconnecting the events stream: 1 s, doubling while the engine stays away.
    public var reconnectDelay = RetryBackoff(first: 1000)
    public var refreshInFlight = false
    public var refreshAgain = false
    /// Counts refreshes asked for, so a deadline names the one it watches.
    public var refreshGeneration = 0
    /// Containers whose rows an event changed after the refresh in flight was asked for: its
    /// answer is older than that event, so it does not take their state back (the refresh the
    /// event asked for follows it and says). The first snapshot's events all come after it:
    /// its stream starts once it answered, replaying from before it (`eventsFrom`).
    public var changedByEvents: Set<String> = []
    /// What the dashboard knows of the engine, from the last snapshot (or its absence).
    public var engine: EngineStatus = .unknown
    /// A snapshot came back at least once: the rows hold what the engine said, not guesses.
    public var engineEverAnswered = false
    /// How long a snapshot may take before the engine counts as not answering. The docker call
    /// itself runs on to its own deadline (DEVENV_TIMEOUT); the dashboard stops waiting for it.
    public var snapshotPatienceMilliseconds = 10_000
    /// A snapshot is taken at least this often (seconds) while nothing else asks for one: an
    /// engine that stops answering (a frozen dockerd) sends no event to say so, and the rows
    /// would go on showing what it last said (issue 9 section 4).
    public var heartbeatSeconds: Double = 15
    /// The dashboard's own waits on the engine bounded by the query deadline (`seconds`,
    /// DEVENV_TIMEOUT), the rule every docker call keeps: a snapshot is given up on
    /// (`snapshotPatienceMilliseconds`), and a quiet engine asked again (`heartbeatSeconds`),
    /// within it at the latest, so that a frozen engine is said within about twice the
    /// deadline. With DEVENV_TIMEOUT=3 it was said only after 10-13 s (the heartbeat's 15 s,
    /// then the call's 3; mend28). Neither goes below `shortestEngineWait`.
    public mutating func bound(byQueryTimeout seconds: Double) {
        let bound = max(seconds, Self.shortestEngineWait)
        snapshotPatienceMilliseconds = min(snapshotPatienceMilliseconds, Int(bound * 1000))
        heartbeatSeconds = min(heartbeatSeconds, bound)
    }

    /// The floor of `bound(byQueryTimeout:)`, in seconds: the dashboard's clock ticks once a
    /// second, and a snapshot given up on sooner than a `docker ps` takes answers late, is taken
    /// as the engine back, and asks again at once. With DEVENV_TIMEOUT=0.05 an idle dashboard
    /// ran `ps`, `volume ls`, `image ls`, `events` and `info` about every 70 ms (20-29 docker
    /// calls a second), its top line flipping to "engine not answering" each time. A query's
    /// own deadline stays DEVENV_TIMEOUT: one that misses it fails, and is retried with
    /// `refreshRetry`'s backoff.
    public static let shortestEngineWait = 1.0

    /// `now` when the last snapshot was asked for.
    public var lastRefreshRequestedAt: Double = 0
    /// Wait before the next snapshot while the engine is away: 2 s, doubling up to half a minute.
    public var refreshRetry = RetryBackoff(first: 2000)
    /// The bottom line's text when an engine problem put it there: cleared by the first answer.
    public var engineMessage: String?
    /// The bottom line's text for the configuration that no longer reads (`.configurationRead`):
    /// said when it first fails or fails otherwise, or at the first reading after a file change
    /// (`.filesChanged` puts its own line over it); cleared once it reads again.
    public var configurationMessage: String?
    /// Ctrl-L asked to look again: the next reading says its configuration error even when
    /// it was said before (another message may have taken its line since).
    public var sayConfigurationAgain = false
    /// The "FILES changed: checking the environments again" line and the refresh whose answer
    /// ends the check (`refreshGeneration`): that snapshot puts the outcome in its place.
    public var checking: (text: String, files: String, generation: Int)?
    public var ticking = false
    public var spinner = Spinner()
    /// One line at the bottom: what just happened, or the last error.
    public var message: String?
    public var messageIsError = false

    /// The engine as the dashboard last saw it: nothing known yet, answering, none there
    /// (no socket, no CLI: exit 3 from the snapshot), or there but silent past the patience.
    public enum EngineStatus: Sendable, Hashable {
        case unknown, answering
        case absent(String)
        case notAnswering

        /// The words the header and the list show; nil while all is well.
        public var problem: String? {
            switch self {
            case .unknown, .answering: nil
            case .absent: "no engine"
            case .notAnswering: "engine not answering"
            }
        }
    }

    public init(project: String, root: String, environments: [EnvironmentRow] = [], dockerContext: String? = nil) {
        self.project = project
        self.root = root
        self.environments = environments
        self.dockerContext = dockerContext
    }

    public var selectedIndex: Int? {
        guard let s = table.selected, environments.indices.contains(s) else { return nil }
        return s
    }

    public var selected: EnvironmentRow? { selectedIndex.map { environments[$0] } }

    /// The action the action pane shows: the selected environment's, else the latest.
    public var shownAction: ActionRun? {
        if let profile = selected?.profile, let run = actions[profile] { return run }
        return lastActionProfile.flatMap { actions[$0] }
    }

    /// The STATE word of a row: what docker said, or what is known of the engine when it
    /// cannot say (never "not created" for a container nobody could look for).
    public func stateLabel(of row: EnvironmentRow) -> String {
        if case .absent = engine { return "no engine" }
        if !engineEverAnswered { return engine.problem ?? "…" }
        return row.stateLabel(phase: phase(of: row.profile))
    }

    public var anyActionRunning: Bool { actions.values.contains { $0.isRunning } }

    func phase(of profile: String) -> ActionPhase? {
        guard let run = actions[profile], run.isRunning else { return nil }
        return run.phase
    }
}
