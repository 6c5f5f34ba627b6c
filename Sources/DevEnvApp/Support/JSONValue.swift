import DevEnvCore

/// A small JSON writer with keys in the order given, so --json output is stable and documented
/// field by field (JSONEncoder would sort or shuffle them).
indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered == b.rendered }
    func hash(into hasher: inout Hasher) { hasher.combine(rendered) }

    static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    static func strings(_ texts: [String]) -> JSONValue { .array(texts.map { .string($0) }) }

    var rendered: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return String(value)
        case .string(let value): return JSONText.quote(value)
        case .array(let values): return "[" + values.map(\.rendered).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.map { JSONText.quote($0.0) + ":" + $0.1.rendered }.joined(separator: ",") + "}"
        }
    }
}
