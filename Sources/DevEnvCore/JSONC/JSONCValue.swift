/// A decoded JSON-with-comments document keeps where every member name and value stood, so that
/// configuration read from devcontainer.json can say `file:line:col`, as TOML does.
public enum JSONCValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as written (JSON numbers have no size limit: `1e400` and 30-digit integers
    /// are valid); `JSONCNode.int` and `.double` read it.
    case number(String)
    case string(String)
    case array([JSONCNode])
    case object(JSONCObject)

    /// The name used in error messages: "a string", "a number", "an object" ...
    public var typeDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A value and where it stood. `keyLocation` is where its member name was written, nil for
/// array elements and the root.
public struct JSONCNode: Sendable, Equatable {
    public var value: JSONCValue
    public var location: SourceLocation
    public var keyLocation: SourceLocation?

    public init(_ value: JSONCValue, at location: SourceLocation, keyLocation: SourceLocation? = nil) {
        self.value = value
        self.location = location
        self.keyLocation = keyLocation
    }

    /// The member's name when there is one, else the value: where a finding about it points.
    public var place: SourceLocation { keyLocation ?? location }

    /// A number that is an integer in Int's range (`8000`, `8e3` is not one), else nil.
    public var int: Int? {
        guard case .number(let text) = value else { return nil }
        return Int(text)
    }

    /// Any number as a Double (`1e400` is infinity), else nil.
    public var double: Double? {
        guard case .number(let text) = value else { return nil }
        return Double(text)
    }
}

/// An object's members in the order written. JSON leaves duplicate names open; like VS Code,
/// the last one wins for lookups, and `duplicates` lets a reader report them.
public struct JSONCObject: Sendable, Equatable {
    public private(set) var members: [(name: String, node: JSONCNode)] = []
    private var index: [String: Int] = [:]
    /// Names written more than once, with the place of each later occurrence.
    public private(set) var duplicates: [(name: String, at: SourceLocation)] = []

    public init() {}

    public mutating func append(_ name: String, _ node: JSONCNode) {
        if index[name] != nil { duplicates.append((name, node.place)) }
        index[name] = members.count
        members.append((name, node))
    }

    public subscript(name: String) -> JSONCNode? { index[name].map { members[$0].node } }

    public var names: [String] { members.map(\.name) }
    public var isEmpty: Bool { members.isEmpty }

    /// The members a lookup sees: the last of each name, in the order first written.
    public var effectiveMembers: [(name: String, node: JSONCNode)] {
        members.enumerated().filter { index[$0.element.name] == $0.offset }.map(\.element)
    }

    public static func == (a: JSONCObject, b: JSONCObject) -> Bool {
        a.members.count == b.members.count
            && zip(a.members, b.members).allSatisfy { $0.name == $1.name && $0.node == $1.node }
    }
}

/// Why a document is not JSONC, and where: `.devcontainer/devcontainer.json:3:7: ...`.
public struct JSONCDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}
