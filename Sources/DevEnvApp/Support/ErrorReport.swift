import DevEnvCore

/// The one place where an error becomes text: `devenv: error: MESSAGE`, then the hint and the
/// detail (docker's argv and stderr) indented under it; with --json also an object on stdout.
enum ErrorReport {
    static func text(_ error: DevEnvError) -> String {
        var text = "devenv: error: \(error.message)\n"
        if let hint = error.hint { text += "  hint: \(hint)\n" }
        if let detail = error.detail, !detail.isEmpty {
            text += detail.split(separator: "\n", omittingEmptySubsequences: false).map { "  | \($0)\n" }.joined()
        }
        return text
    }

    static func json(_ error: DevEnvError) -> String {
        var fields: [(String, JSONValue)] = [("message", .string(error.message)),
                                             ("exitCode", .number(Int(error.exitCode.rawValue)))]
        if let hint = error.hint { fields.append(("hint", .string(hint))) }
        if let detail = error.detail { fields.append(("detail", .string(detail))) }
        return JSONValue.object([("ok", .bool(false)), ("error", .object(fields))]).rendered + "\n"
    }

    static func warning(_ diagnostic: Diagnostic) -> String {
        "devenv: \(diagnostic)\n"
    }
}
