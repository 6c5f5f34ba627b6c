import DevEnvCore

/// One environment (a profile of the project) as the dashboard shows it: what the snapshot and
/// the configuration say, kept up to date by container events.
public struct EnvironmentRow: Hashable, Sendable {
    public var profile: String
    public var container: String
    /// Docker's raw state (created, running, paused, restarting, exited, dead); nil when the
    /// container does not exist; "conflict" when someone else's container holds the name.
    public var dockerState: String?
    /// Who made the container holding the name when it is not devenv's (ContainerOwnership).
    public var owner: String?
    /// none, starting, healthy, unhealthy.
    public var health: String
    public var exitCode: Int?
    public var stale: Bool
    public var staleReason: String?
    /// The image the container runs, and the image the configuration wants now.
    public var image: String?
    /// Docker's "2 hours ago" for the image, from the last snapshot: shown only while its
    /// creation time is unknown.
    public var imageAge: String?
    /// When the image was built (seconds since the epoch): the age is counted from it against
    /// the dashboard's clock, so it grows while the dashboard is open without a docker call.
    public var imageCreated: Double?
    /// Docker's status text ("Up 5 minutes"), from the last snapshot.
    public var statusText: String
    /// When the container last started (seconds since the epoch), known from events.
    public var startedAt: Double?
    /// The published host ports, short: "8000,5678".
    public var ports: String
    /// The URL to open for the app port, when it is published.
    public var url: String?
    /// "dev 4242:4242" and where it came from (host, sudo, folder-owner, fallback).
    public var user: String
    public var userSource: String
    /// Who the container runs as and who that is on the host (`ContainerUser.text`); nil
    /// without a container.
    public var runsAs: String?
    /// "HOST -> /app", nil when the workspace is not mounted.
    public var bindMount: String?
    /// "NAME -> PATH" for each named volume.
    public var volumes: [String]
    public var envFile: String?
    /// read-only, cap-drop ALL, no-new-privileges...
    public var security: [String]
    /// A service's row (README, "Services"), shown under its environment's: the service's
    /// name; nil for the environment's own row. `profile` is the environment's either way, so
    /// actions on a service row act on its environment; the logs pane follows `container`.
    public var service: String? = nil
    /// A service row for a container devenv made for this environment's service that the
    /// profile no longer runs (`ContainerOwnership.orphanedServices`: labels of this folder
    /// and profile, the service's container name). Shown marked `orphaned`; `down` of its
    /// environment is what removes it. Its configuration is gone, so only what the container
    /// says is shown.
    public var orphaned = false

    /// The PROFILE column's text: the profile, or `└ NAME` for a service under it.
    public var listName: String { service.map { "└ \($0)" } ?? profile }

    public init(profile: String, container: String, dockerState: String? = nil, health: String = "none",
                exitCode: Int? = nil, stale: Bool = false, staleReason: String? = nil, image: String? = nil,
                imageAge: String? = nil, imageCreated: Double? = nil, statusText: String = "", startedAt: Double? = nil, ports: String = "", url: String? = nil,
                user: String = "", userSource: String = "", bindMount: String? = nil, volumes: [String] = [],
                envFile: String? = nil, security: [String] = []) {
        self.profile = profile
        self.container = container
        self.dockerState = dockerState
        self.health = health
        self.exitCode = exitCode
        self.stale = stale
        self.staleReason = staleReason
        self.image = image
        self.imageAge = imageAge
        self.imageCreated = imageCreated
        self.statusText = statusText
        self.startedAt = startedAt
        self.ports = ports
        self.url = url
        self.user = user
        self.userSource = userSource
        self.bindMount = bindMount
        self.volumes = volumes
        self.envFile = envFile
        self.security = security
    }

    /// devenv's own container exists (a foreign one holding the name does not count: no logs,
    /// stats or actions on it).
    public var exists: Bool { dockerState != nil && dockerState != "conflict" }
    public var isRunning: Bool { dockerState == "running" }

    /// The state word of the list: not created, conflict, starting, running, healthy, unhealthy,
    /// exited (code), paused; `building`/`starting` while an action says so.
    public func stateLabel(phase: ActionPhase?) -> String {
        if phase == .building { return "building" }
        if phase == .starting && !isRunning { return "starting" }
        guard let state = dockerState else { return "not created" }
        switch state {
        case "running":
            switch health {
            case "starting": return "starting"
            case "healthy": return "healthy"
            case "unhealthy": return "unhealthy"
            default: return "running"
            }
        case "created", "restarting": return "starting"
        case "exited", "dead": return exitCode.map { "exited (\($0))" } ?? "exited"
        default: return state
        }
    }

    /// How long it has run: from the start event when one was seen, else docker's own text.
    public func uptime(now: Double) -> String {
        guard isRunning else { return "-" }
        if let startedAt, now >= startedAt { return Self.duration(now - startedAt) }
        if statusText.hasPrefix("Up ") {
            let rest = statusText.dropFirst(3)
            return String(rest.prefix { $0 != "(" }).trimmingSpaces
        }
        return "-"
    }

    /// The image's age at `now` (seconds since the epoch) in docker's words ("2 hours ago"),
    /// counted from its creation time when known, else docker's text from the last snapshot.
    public func imageAge(now: Double) -> String? {
        guard let imageCreated else { return imageAge }
        return Self.ago(now - imageCreated)
    }

    /// Seconds as `docker image ls` says them: go-units' HumanDuration, then " ago".
    public static func ago(_ seconds: Double) -> String {
        let s = Int(max(0, seconds))
        let minutes = s / 60
        // go-units rounds hours to the nearest one.
        let hours = Int(max(0, seconds) / 3600 + 0.5)
        let words: String
        if s < 1 { words = "Less than a second" }
        else if s == 1 { words = "1 second" }
        else if s < 60 { words = "\(s) seconds" }
        else if minutes == 1 { words = "About a minute" }
        else if minutes < 60 { words = "\(minutes) minutes" }
        else if hours == 1 { words = "About an hour" }
        else if hours < 48 { words = "\(hours) hours" }
        else if hours < 24 * 7 * 2 { words = "\(hours / 24) days" }
        else if hours < 24 * 30 * 2 { words = "\(hours / 24 / 7) weeks" }
        else if hours < 24 * 365 * 2 { words = "\(hours / 24 / 30) months" }
        else { words = "\(hours / 24 / 365) years" }
        return words + " ago"
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format2: s % 60))s" }
        if s < 86400 { return "\(s / 3600)h\(String(format2: s / 60 % 60))m" }
        return "\(s / 86400)d\(s / 3600 % 24)h"
    }
}

extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }

    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
