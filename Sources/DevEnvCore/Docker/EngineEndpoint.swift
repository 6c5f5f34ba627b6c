/// Where the docker CLI sends its calls, chosen the way the CLI chooses (docker/cli's
/// `resolveContextName`): DOCKER_CONTEXT, else DOCKER_HOST (the "default" context pointed at
/// that host), else config.json's `currentContext` (what `docker context use` writes; the file
/// is $DOCKER_CONFIG/config.json, else ~/.docker/config.json), else "default".
public struct EngineEndpoint: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable {
        case contextVariable = "DOCKER_CONTEXT", hostVariable = "DOCKER_HOST"
        case configFile = "docker context use", builtIn = "default"
    }

    /// The context's name ("default" when DOCKER_HOST or nothing chose one).
    public var context: String
    /// DOCKER_HOST's value, or a context's host once known (`docker context inspect`).
    public var host: String?
    public var source: Source

    public init(context: String, host: String? = nil, source: Source) {
        self.context = context
        self.host = host
        self.source = source
    }

    /// The config file the CLI reads for `currentContext`.
    public static func configPath(environment: [String: String]) -> String? {
        if let folder = environment["DOCKER_CONFIG"], !folder.isEmpty { return folder + "/config.json" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.docker/config.json"
    }

    /// `configFile`: the bytes of `configPath`, nil when there is none (or it is unreadable:
    /// the CLI then uses the default too).
    public static func resolve(environment: [String: String], configFile: [UInt8]?) -> EngineEndpoint {
        if let name = environment["DOCKER_CONTEXT"], !name.isEmpty {
            return EngineEndpoint(context: name, source: .contextVariable)
        }
        if let host = environment["DOCKER_HOST"], !host.isEmpty {
            return EngineEndpoint(context: "default", host: host, source: .hostVariable)
        }
        if let configFile, let name = currentContext(configFile), !name.isEmpty, name != "default" {
            return EngineEndpoint(context: name, source: .configFile)
        }
        return EngineEndpoint(context: "default", source: .builtIn)
    }

    /// config.json's top-level `currentContext` when the file is one JSON object and that member
    /// a string; nil for anything else (not JSON, not an object, no such member, null or another
    /// kind of value), as Foundation's JSONDecoder read it before; of a name written twice the
    /// last, as the docker CLI (Go's encoding/json) reads it. Read by `JSONScanner`, the one JSON
    /// reader of the engine's output: JSONDecoder cost about 410,000 instructions and 30 page
    /// faults of every `status` on a machine that has a config file, which most do (`docker
    /// login`, `docker context use`) (issue 14).
    static func currentContext(_ configFile: [UInt8]) -> String? {
        let parsed = configFile.withUnsafeBufferPointer { try? JSONScanner.parse(bytes: $0) }
        return parsed?["currentContext"]?.string
    }

    /// An engine on another machine: an ssh:// host, or a tcp:// one not on this machine. Its
    /// bind mounts refer to paths on that machine.
    public var isRemote: Bool {
        guard let host else { return false }
        if host.hasPrefix("ssh://") { return true }
        guard host.hasPrefix("tcp://") || host.hasPrefix("http://") || host.hasPrefix("https://") else { return false }
        let rest = host.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
        let address = rest.hasPrefix("[") ? String(rest.prefix { $0 != "]" }.dropFirst()) : String(rest.prefix { $0 != ":" })
        return !["localhost", "127.0.0.1", "::1", ""].contains(address)
    }

    /// The engine in a word, as `status` names it (and its `engine` in --json): "context ci" for a
    /// context chosen by DOCKER_CONTEXT or `docker context use`, DOCKER_HOST's value, or
    /// "default".
    public var label: String {
        switch source {
        case .contextVariable, .configFile: return "context \(context)"
        case .hostVariable: return host ?? "default"
        case .builtIn: return "default"
        }
    }

    /// For people, with where it was chosen: "context ci (from DOCKER_CONTEXT)",
    /// "tcp://h:2376 (from DOCKER_HOST)", "default".
    public var display: String {
        switch source {
        case .builtIn: return "default"
        case .hostVariable: return "\(host ?? "") (from DOCKER_HOST)"
        case .contextVariable, .configFile:
            return "context \(context) (from \(source.rawValue))" + (host.map { ", \($0)" } ?? "")
        }
    }
}
