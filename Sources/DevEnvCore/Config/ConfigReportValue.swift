/// A JSON value with ordered object keys, so that the `devenv config --json` text is stable.
indirect enum ConfigReportValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([ConfigReportValue])
    case object([(String, ConfigReportValue)])

    /// Pretty-printed with two-space indentation; empty arrays and objects stay on one line.
    func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let s): return JSONText.quote(s)
        case .int(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { "\(inner)\(JSONText.quote($0.0)): \($0.1.rendered(indent: inner))" }
                .joined(separator: ",\n") + "\n\(indent)}"
        }
    }
}
