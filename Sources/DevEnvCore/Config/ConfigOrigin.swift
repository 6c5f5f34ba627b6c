/// Where an effective configuration value came from: a place in a file, or devenv's built-in
/// default (also used for values derived from the project, like the default name).
public enum ConfigOrigin: Sendable, Hashable, CustomStringConvertible {
    case builtIn
    case file(SourceLocation)

    public var description: String {
        switch self {
        case .builtIn: return "default"
        case .file(let location): return location.description
        }
    }
}

/// A value and its origin.
public struct Sourced<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var origin: ConfigOrigin

    public init(_ value: Value, _ origin: ConfigOrigin) {
        self.value = value
        self.origin = origin
    }

    public static func builtIn(_ value: Value) -> Sourced<Value> { Sourced(value, .builtIn) }
}

/// One entry of a string map (`env`, `volumes`, `build_args`) with its own origin, so that a
/// layer can override one variable and keep the others.
public struct NamedSetting: Sendable, Hashable {
    public var name: String
    public var value: String
    public var origin: ConfigOrigin

    public init(name: String, value: String, origin: ConfigOrigin) {
        self.name = name
        self.value = value
        self.origin = origin
    }
}

extension Array where Element == NamedSetting {
    /// Overlays `upper` on `self` key by key; the result is sorted by name so that argv and
    /// hashes do not depend on the order in which files were written.
    func overlaid(with upper: [NamedSetting]) -> [NamedSetting] {
        var byName: [String: NamedSetting] = [:]
        for entry in self { byName[entry.name] = entry }
        for entry in upper { byName[entry.name] = entry }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// The value of `name`, if set.
    public subscript(name: String) -> String? { first { $0.name == name }?.value }
}
