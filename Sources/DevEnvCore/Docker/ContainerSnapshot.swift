#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One container as `docker ps` describes it, with the fields `DockerPlanner.containerFormat` asks for.
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

    /// A name as docker may print it ("/NAME" or "NAME") without the "/".
    public static func plainName(_ name: String) -> String {
        name.utf8.first == UInt8(ascii: "/") ? String(name.dropFirst()) : name
    }

    public var health: Health {
        if status.containsUTF8("(healthy)") { return .healthy }
        if status.containsUTF8("(unhealthy)") { return .unhealthy }
        // Docker says "(health: starting)", Podman "(starting)".
        if status.containsUTF8("(health: starting)") || status.hasSuffix("(starting)") { return .starting }
        return .none
    }

    /// Whether the container has a process (Docker's `State.Running`, true while it runs,
    /// restarts or is paused): one devenv stops with `docker stop` (SIGTERM, then SIGKILL after
    /// its `--time`) before it removes the container, since `docker rm --force` kills at once.
    /// A paused one takes the stop too (the engine delivers its SIGTERM).
    public var hasProcess: Bool {
        state == "running" || state == "restarting" || state == "paused"
    }

    /// The exit code in "Exited (3) 2 minutes ago".
    public var exitCode: Int? {
        guard state == "exited", let open = status.firstIndex(of: "("), let close = status.firstIndex(of: ")"),
              open < close else { return nil }
        return Int(status[status.index(after: open)..<close])
    }

    /// A field Docker prints as one comma-joined string and Podman as an array of strings (or
    /// null): the text as Docker prints it ("0.0.0.0:80->80/tcp, :::80->80/tcp", or the
    /// array's items joined with commas) and the items. A missing field reads as null.
    static func joined(_ value: JSONScanValue?) throws -> (joined: String, items: [String]) {
        guard let value, !value.isNull else { return ("", []) }
        if case .string(let text) = value { return (text, text.splitASCII(UInt8(ascii: ","))) }
        let list = try value.stringList() ?? []
        return (list.joined(separator: ","), list)
    }

    /// `joined(value).joined` without splitting Docker's text into items (Names, Ports).
    static func joinedText(_ value: JSONScanValue?) throws -> String {
        if case .string(let text) = value { return text }
        return try joined(value).joined
    }

    /// A member that must be a string.
    static func required(_ line: JSONScanValue, _ key: String) throws -> String {
        guard let text = line[key]?.string else { throw JSONScanner.Failure(offset: 0, reason: "\(key) is not a string") }
        return text
    }

    /// A member that may be missing or null, else a string.
    static func optional(_ line: JSONScanValue, _ key: String) throws -> String? {
        guard let value = line[key], !value.isNull else { return nil }
        guard let text = value.string else { throw JSONScanner.Failure(offset: 0, reason: "\(key) is not a string") }
        return text
    }

    /// Parses the output of `docker ps --format DockerPlanner.containerFormat(_:)`, one container
    /// a line: a JSON object, a tab, then labels as a JSON object (Docker: devenv's own, empty
    /// values being labels the object lacks; Podman: all of them, or null for none). Empty lines
    /// are skipped. Throws `DevEnvError.failure` (exit 1) "cannot read docker's container list"
    /// with the first unreadable line (at most 200 characters) as its detail.
    public static func parseList(_ output: String) throws -> [ContainerSnapshot] {
        try eachLine(output) { line in
            do {
                let (object, own) = try splitLine(line)
                let raw = try JSONScanner.parse(bytes: object)
                guard case .object = raw else { throw JSONScanner.Failure(offset: 0, reason: "not an object") }
                return ContainerSnapshot(id: try required(raw, "ID"), name: try joinedText(raw["Names"] ?? .bool(false)),
                                         image: try required(raw, "Image"), state: try required(raw, "State"),
                                         status: try required(raw, "Status"),
                                         labels: labels(joined: try optional(raw, "Labels") ?? "", exact: own),
                                         ports: try joinedText(raw["Ports"]),
                                         createdAt: try required(raw, "CreatedAt"),
                                         runningFor: try optional(raw, "RunningFor") ?? "",
                                         mounts: try joined(raw["Mounts"]).items)
            } catch {
                throw DevEnvError.failure("cannot read docker's container list",
                                          detail: "unexpected line: \(String(decoding: line, as: UTF8.self).prefix(200))")
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

    /// `body` for each line of `output` (as `lines` splits it: empty ones skipped), as the
    /// bytes of the line, in order. Plain loops over the string's contiguous UTF-8: the
    /// generic `split` and `firstIndex` on a String's UTF-8 view were 0.15 M of the 0.41 M
    /// instructions `status` spent reading its one-line `docker ps` answer (issue 14).
    static func eachLine<T>(_ output: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> [T] {
        var output = output
        return try output.withUTF8 { bytes in
            var results: [T] = []
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                if end > start { results.append(try body(UnsafeBufferPointer(rebasing: bytes[start..<end]))) }
                start = end + 1
            }
            return results
        }
    }

    /// The `{{json .}}` part and devenv's own labels (exact, whatever they hold); nil when the
    /// line has no second part (only scripted output lacks it).
    static func splitLine(_ line: UnsafeBufferPointer<UInt8>) throws -> (UnsafeBufferPointer<UInt8>, [String: String]?) {
        guard let tab = line.firstIndex(of: 0x09) else { return (line, nil) }
        let own = try JSONScanner.parse(bytes: UnsafeBufferPointer(rebasing: line[(tab + 1)...])).stringMap() ?? [:]
        return (UnsafeBufferPointer(rebasing: line[..<tab]), own.filter { !$0.value.isEmpty })
    }

    /// An object's labels: Docker's comma-joined `Labels` for the others, and devenv's own
    /// (`devenv.*`, which decide what is ours and so what devenv may remove) only from the exact
    /// part. Why: a foreign object's label value may hold ",devenv.project=P,devenv.root=/R",
    /// which the joined string cannot tell from real labels; taken from there, `down` removed
    /// a container and volumes devenv never made. A `devenv.*` label the exact part does not
    /// ask for is not read at all.
    static func labels(joined: String, exact: [String: String]?) -> [String: String] {
        guard let exact else { return parseLabels(joined) }
        return parseLabels(joined, skippingKeysStartingWith: ResourceNames.labelPrefix).merging(exact) { $1 }
    }

    /// `docker ps` joins labels with commas ("a=1,b=2"); a value may itself hold a comma, so a
    /// piece without '=' belongs to the previous value. devenv's own labels are read exactly
    /// (see `splitLine`); this serves the others.
    /// Split on the bytes ',' and '=' (both ASCII, so never inside another character's
    /// encoding), not on Characters: grapheme breaking an image's dozen labels cost about
    /// 0.8 million instructions of a `status` (issue 14).
    public static func parseLabels(_ joined: String) -> [String: String] {
        parseLabels(joined, skippingKeysStartingWith: nil)
    }

    /// `parseLabels`, without the labels whose key starts with `prefix` (nil: none left out):
    /// the same as filtering them out afterwards, without building their values (devenv's
    /// `devenv.inputs` alone is a score of comma-joined pieces).
    static func parseLabels(_ joined: String, skippingKeysStartingWith prefix: String?) -> [String: String] {
        var joined = joined
        let skipped = Array((prefix ?? "").utf8)
        return joined.withUTF8 { bytes in
            var labels: [String: String] = [:]
            // The label a piece without '=' continues; nil before the first, and for a skipped one.
            var lastKey: String?
            var start = 0
            // Pieces as `split(separator: ",", omittingEmptySubsequences: false)` gives them:
            // an empty text is one empty piece, a trailing comma ends with one.
            while true {
                var end = start
                while end < bytes.count, bytes[end] != 0x2C { end += 1 }
                var equals = start
                while equals < end, bytes[equals] != 0x3D { equals += 1 }
                if equals < end {
                    let key = UnsafeBufferPointer(rebasing: bytes[start..<equals])
                    if !skipped.isEmpty, key.starts(with: skipped) {
                        lastKey = nil
                    } else {
                        let name = String(decoding: key, as: UTF8.self)
                        labels[name] = String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end]), as: UTF8.self)
                        lastKey = name
                    }
                } else if let key = lastKey {
                    labels[key, default: ""] += "," + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                }
                if end >= bytes.count { break }
                start = end + 1
            }
            return labels
        }
    }
}
