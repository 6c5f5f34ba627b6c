#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of `docker events --format '{{json .}}' --filter type=container`: what happened to
/// which container, with its labels (Actor.Attributes holds the labels, name, image and, for
/// `die`, exitCode). Podman's lines have another shape (`Status`, `Name`, `Attributes`,
/// `ContainerExitCode`, `Time` as RFC 3339 text) and other action names (`died`, `remove`):
/// both are read here, into Docker's words.
public struct ContainerEvent: Sendable, Hashable {
    /// create, start, die, destroy, pause, unpause, rename, restart, health_status, exec_*...
    public var action: String
    /// For `health_status: healthy`, the part after the colon.
    public var detail: String?
    public var id: String
    public var name: String
    public var attributes: [String: String]
    /// Nanoseconds since the epoch; the `--since` of a reconnect.
    public var timeNano: Int64

    public init(action: String, detail: String? = nil, id: String, name: String,
                attributes: [String: String] = [:], timeNano: Int64) {
        self.action = action
        self.detail = detail
        self.id = id
        self.name = name
        self.attributes = attributes
        self.timeNano = timeNano
    }

    /// `exec_create`, `exec_start`, `exec_die`: healthchecks and `docker exec` emit them; they
    /// do not change the container's state.
    public var isExec: Bool { action.hasPrefix("exec_") }

    public var exitCode: Int? { attributes["exitCode"].flatMap { Int($0) } }

    /// Seconds since the epoch.
    public var time: Double { Double(timeNano) / 1e9 }

    /// Docker's `--since` takes seconds with a fractional part: "1700000000.123456789".
    /// (Podman reads that as another time: `since(_:engine:)`.)
    public var sinceArgument: String {
        let seconds = timeNano / 1_000_000_000, nanos = timeNano % 1_000_000_000
        let fraction = String(nanos)
        return "\(seconds).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)"
    }

    /// The fields of one event line, read by `JSONScanner` (the one reader of the engine's
    /// JSON lines). Docker's shape: Type, Action (older: status), id, Actor {ID, Attributes},
    /// time, timeNano. Podman's: {"ID":..,"Name":..,"Status":"died","ContainerExitCode":5,
    /// "Attributes":{labels},"Time":"2026-12-06T08:48:56.818633800Z","HealthStatus":..}.
    /// A field of another kind than these makes the line unreadable, as with Foundation before.
    private struct Line {
        var kind, Action, status, id, actorID: String?
        var actorAttributes: [String: String]?
        var time, timeNano: Int64?
        var podmanID, podmanName, podmanStatus, podmanTime, podmanHealth: String?
        var podmanAttributes: [String: String]?
        var podmanExitCode: Int?

        init(_ object: JSONScanValue) throws {
            guard case .object = object else { throw JSONScanner.Failure(offset: 0, reason: "not an object") }
            func text(_ value: JSONScanValue?) throws -> String? {
                guard let value, !value.isNull else { return nil }
                guard let s = value.string else { throw JSONScanner.Failure(offset: 0, reason: "not a string") }
                return s
            }
            func integer(_ value: JSONScanValue?) throws -> Int64? {
                guard let value, !value.isNull else { return nil }
                guard case .number(let digits) = value, let n = Int64(digits) else {
                    throw JSONScanner.Failure(offset: 0, reason: "not an integer")
                }
                return n
            }
            kind = try text(object["Type"])
            Action = try text(object["Action"])
            status = try text(object["status"])
            id = try text(object["id"])
            if let actor = object["Actor"], !actor.isNull {
                guard case .object = actor else { throw JSONScanner.Failure(offset: 0, reason: "Actor is not an object") }
                actorID = try text(actor["ID"])
                actorAttributes = try actor["Attributes"]?.stringMap()
            }
            time = try integer(object["time"])
            timeNano = try integer(object["timeNano"])
            podmanID = try text(object["ID"])
            podmanName = try text(object["Name"])
            podmanStatus = try text(object["Status"])
            podmanAttributes = try object["Attributes"]?.stringMap()
            podmanExitCode = try integer(object["ContainerExitCode"]).map { Int($0) }
            podmanTime = try text(object["Time"])
            podmanHealth = try text(object["HealthStatus"])
        }
    }

    /// Podman's names for Docker's actions (checked on Podman 4.3.1, which also sends `init`
    /// before `start` and `cleanup` after `died`: the dashboard ignores names it does not know).
    static let podmanActions = ["died": "die", "remove": "destroy"]

    /// The `--since` of a reconnect after an event at `nanoseconds`, as the engine reads it:
    /// Docker's "seconds.nanoseconds", Podman's RFC 3339 (a Unix time there replays its whole
    /// event journal: checked on Podman 4.3.1).
    public static func since(_ nanoseconds: Int64, engine: EngineKind) -> String {
        switch engine {
        case .docker: return ContainerEvent(action: "", id: "", name: "", timeNano: nanoseconds).sinceArgument
        case .podman: return DockerTime.rfc3339(nanoseconds: nanoseconds)
        }
    }

    /// Parses one line; nil for anything that is not a container event (a blank line, an
    /// error message docker printed instead).
    public static func parse<S: StringProtocol>(_ line: S) -> ContainerEvent? {
        guard let start = line.firstIndex(of: "{") else { return nil }
        guard let raw = try? Line(JSONScanner.parse(line[start...])) else { return nil }
        if let type = raw.kind, type != "container" { return nil }
        if raw.Action == nil && raw.status == nil, let status = raw.podmanStatus {
            var attributes = raw.podmanAttributes ?? [:]
            attributes["name"] = raw.podmanName
            if let code = raw.podmanExitCode { attributes["exitCode"] = String(code) }
            // 0 when it has none: a reconnect then does not take it for its `--since`.
            let nano = raw.podmanTime.flatMap(DockerTime.rfc3339Nanoseconds) ?? 0
            return ContainerEvent(action: podmanActions[status] ?? status,
                                  detail: status == "health_status" ? raw.podmanHealth : nil, id: raw.podmanID ?? "",
                                  name: raw.podmanName ?? "", attributes: attributes, timeNano: nano)
        }
        guard let full = raw.Action ?? raw.status else { return nil }
        var action = full, detail: String?
        if let colon = full.firstIndex(of: ":") {
            action = String(full[..<colon])
            detail = String(full[full.index(after: colon)...].drop { $0 == " " })
        }
        let attributes = raw.actorAttributes ?? [:]
        let nano = raw.timeNano ?? (raw.time ?? 0) * 1_000_000_000
        return ContainerEvent(action: action, detail: detail, id: raw.actorID ?? raw.id ?? "",
                              name: attributes["name"] ?? "", attributes: attributes, timeNano: nano)
    }
}

extension DockerPlanner {
    /// The container events of one project, as JSON lines, until killed. Start it before the
    /// `docker ps` snapshot so nothing between the two is missed; reconnect from the last
    /// event's time (`since`, nanoseconds since the epoch), written as the engine reads it.
    public static func containerEvents(cli: String, project: String, since: Int64? = nil,
                                       engine: EngineKind = .docker) -> ProcessInvocation {
        var arguments = [cli, "events", "--format", "{{json .}}", "--filter", "type=container",
                         "--filter", "label=\(ResourceNames.projectLabel)=\(project)"]
        if let since { arguments += ["--since", ContainerEvent.since(since, engine: engine)] }
        return ProcessInvocation(arguments, io: .stream)
    }

    /// CPU and memory of running containers, one JSON line per container per second
    /// (`ContainerStats.parse`). Docker: `{{json .}}`. Podman's `{{json .}}` is each round's
    /// whole list pretty-printed over many lines with other keys (cpu_percent, mem_usage):
    /// there the fields are asked for one by one, in Docker's names (checked on Podman 4.3.1).
    public static func containerStats(cli: String, containers: [String], engine: EngineKind = .docker) -> ProcessInvocation {
        let format: String
        switch engine {
        case .docker: format = "{{json .}}"
        case .podman:
            format = #"{"Name":{{json .Name}},"CPUPerc":{{json .CPUPerc}},"MemPerc":{{json .MemPerc}},"MemUsage":{{json .MemUsage}}}"#
        }
        return ProcessInvocation([cli, "stats", "--format", format] + containers, io: .stream)
    }

    /// The project's images with their age ("CreatedSince"), one JSON line per name. By the
    /// names devenv gives them, which is how the dashboard's rows look ages up: not by label,
    /// since a build cache that ignores `--label` (Podman 4.3) labels this project's image for
    /// another project (`DockerPlanner.listDevenvImageIDs`). The fields are asked for one by one, in
    /// the names both engines' `image ls` templates know: Podman 4.3's `{{json .}}` is one
    /// pretty-printed array of other keys (Names, Created), which gave no ages at all.
    public static func listProjectImages(cli: String, project: String) -> ProcessInvocation {
        ProcessInvocation([cli, "image", "ls"] + projectImageReferences(project) + ["--format", imageAgeFormat])
    }

    /// `ImageAges`' fields, one JSON object a line (checked on Docker 20.10 and Podman 4.3.1).
    static let imageAgeFormat =
        #"{"Repository":{{json .Repository}},"Tag":{{json .Tag}},"CreatedSince":{{json .CreatedSince}},"CreatedAt":{{json .CreatedAt}}}"#

    /// Follows this environment's container log from its last lines.
    /// `container`: one of the environment's service containers (the dashboard's selected
    /// row), else the environment's own.
    public func followLogs(tail: Int, container: String? = nil) -> ProcessInvocation {
        ProcessInvocation([cli, "logs", "--follow", "--tail", String(tail), container ?? names.container], io: .stream)
    }
}
