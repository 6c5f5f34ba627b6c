#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One container as `docker ps --format '{{json .}}'` describes it.
public struct ContainerSnapshot: Sendable, Hashable {
    public enum Health: String, Sendable, Hashable, Codable {
        case none, starting, healthy, unhealthy
    }

    public var id: String
    public var name: String
    public var image: String
    /// The raw state: created, running, paused, restarting, removing, exited, dead.
    public var state: String
    /// Docker's human text: "Up 5 minutes (healthy)", "Exited (1) 2 hours ago".
    public var status: String
    public var labels: [String: String]
    public var ports: String
    public var createdAt: String
    public var runningFor: String
    /// What is mounted. Docker: named volumes by name, bind mounts by host path. Podman: the
    /// mount points inside the container (its `ps` names no sources).
    public var mounts: [String] = []

    public var health: Health {
        if status.contains("(healthy)") { return .healthy }
        if status.contains("(unhealthy)") { return .unhealthy }
        // Docker says "(health: starting)", Podman "(starting)".
        if status.contains("(health: starting)") || status.hasSuffix("(starting)") { return .starting }
        return .none
    }

    /// The exit code in "Exited (3) 2 minutes ago".
    public var exitCode: Int? {
        guard state == "exited", let open = status.firstIndex(of: "("), let close = status.firstIndex(of: ")"),
              open < close else { return nil }
        return Int(status[status.index(after: open)..<close])
    }

    private struct Line: Decodable {
        var ID: String
        var Names: Joined
        var Image: String
        var State: String
        var Status: String
        /// Docker: "a=1,b=2"; Podman's line carries no labels here (they follow the tab).
        var Labels: String?
        var Ports: Joined?
        var CreatedAt: String
        var RunningFor: String?
        var Mounts: Joined?
    }

    /// A field Docker prints as one comma-joined string and Podman as an array of strings (or
    /// null): read as the list.
    struct Joined: Decodable {
        /// The text as Docker prints it ("0.0.0.0:80->80/tcp, :::80->80/tcp"), or the
        /// array's items joined with commas.
        var joined: String
        var items: [String]
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                (joined, items) = ("", [])
            } else if let list = try? container.decode([String].self) {
                (joined, items) = (list.joined(separator: ","), list)
            } else {
                joined = try container.decode(String.self)
                items = joined.split(separator: ",").map(String.init)
            }
        }
    }

    /// Parses the output of `docker ps --format DockerPlanner.containerFormat(_:)`, one container
    /// a line: a JSON object, a tab, then labels as a JSON object (Docker: devenv's own, empty
    /// values being labels the object lacks; Podman: all of them, or null for none).
    public static func parseList(_ output: String) throws -> [ContainerSnapshot] {
        let decoder = JSONDecoder()
        return try lines(output).map { line in
            do {
                let (object, own) = try splitLine(line, decoder: decoder)
                let raw = try decoder.decode(Line.self, from: Data(object.utf8))
                return ContainerSnapshot(id: raw.ID, name: raw.Names.joined, image: raw.Image, state: raw.State,
                                         status: raw.Status, labels: parseLabels(raw.Labels ?? "").merging(own) { $1 },
                                         ports: raw.Ports?.joined ?? "",
                                         createdAt: raw.CreatedAt, runningFor: raw.RunningFor ?? "",
                                         mounts: raw.Mounts?.items ?? [])
            } catch {
                throw DevEnvError.failure("cannot read docker's container list",
                                          detail: "unexpected line: \(line.prefix(200))")
            }
        }
    }

    /// docker's output lines, split on the line-ending bytes: each line is JSON, whose strings
    /// escape control characters, so a 0x0A or 0x0D byte only ends a line. Bytes, not
    /// Characters: splitting 40 containers' lines by Character took 5.8 M instructions of
    /// grapheme breaking (issue 14, `status` with 40 profiles); this takes a few thousand.
    static func lines(_ output: String) -> [Substring] {
        output.utf8.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }).map { Substring($0) }
    }

    /// The `{{json .}}` part and devenv's own labels (exact, whatever they hold).
    static func splitLine(_ line: Substring, decoder: JSONDecoder) throws -> (Substring, [String: String]) {
        guard let tab = line.firstIndex(of: "\t") else { return (line, [:]) }
        let own = try decoder.decode([String: String]?.self, from: Data(line[line.index(after: tab)...].utf8)) ?? [:]
        return (line[..<tab], own.filter { !$0.value.isEmpty })
    }

    /// `docker ps` joins labels with commas ("a=1,b=2"); a value may itself hold a comma, so a
    /// piece without '=' belongs to the previous value. devenv's own labels are read exactly
    /// (see `splitLine`); this serves the others.
    public static func parseLabels(_ joined: String) -> [String: String] {
        var labels: [String: String] = [:]
        var lastKey: String?
        for piece in joined.split(separator: ",", omittingEmptySubsequences: false) {
            if let equals = piece.firstIndex(of: "=") {
                let key = String(piece[..<equals])
                labels[key] = String(piece[piece.index(after: equals)...])
                lastKey = key
            } else if let key = lastKey {
                labels[key, default: ""] += "," + piece
            }
        }
        return labels
    }
}

/// One volume as `docker volume ls --format '{{json .}}'` describes it.
public struct VolumeSnapshot: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]
    public var mountpoint: String

    public init(name: String, labels: [String: String], mountpoint: String) {
        self.name = name
        self.labels = labels
        self.mountpoint = mountpoint
    }

    private struct Line: Decodable {
        var Name: String
        /// Docker: "a=1,b=2"; Podman's labels follow the tab.
        var Labels: String?
        var Mountpoint: String?
    }

    public static func parseList(_ output: String) throws -> [VolumeSnapshot] {
        let decoder = JSONDecoder()
        return try ContainerSnapshot.lines(output).map { line in
            do {
                let (object, own) = try ContainerSnapshot.splitLine(line, decoder: decoder)
                let raw = try decoder.decode(Line.self, from: Data(object.utf8))
                return VolumeSnapshot(name: raw.Name, labels: ContainerSnapshot.parseLabels(raw.Labels ?? "").merging(own) { $1 },
                                      mountpoint: raw.Mountpoint ?? "")
            } catch {
                throw DevEnvError.failure("cannot read docker's volume list", detail: "unexpected line: \(line.prefix(200))")
            }
        }
    }
}
