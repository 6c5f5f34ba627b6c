/// Minimal JSON text writing for the config report, the config hash and every --json output:
/// no Foundation encoder, so that key order is ours and stable.
public enum JSONText {
    /// A JSON string literal, control characters escaped as `\uXXXX`: everything
    /// `TerminalSafeText` would escape (C0, DEL, C1, bidi controls; JSON allows most raw), so
    /// --json output holds none and passes the console unchanged, still valid JSON.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if TerminalSafeText.isUnsafe(scalar, keepingLineBreaks: false) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
