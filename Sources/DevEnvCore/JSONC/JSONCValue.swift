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
