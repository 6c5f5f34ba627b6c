/// Inserts a value into POSIX `sh` command text as literal data, whatever quotes the text has
/// open where it goes (POSIX, Shell Command Language, 2.2 "Quoting"): the quoting state is
/// followed through the text before the insertion point.
///
/// - outside quotes: a value of only `[A-Za-z0-9_./:@%+=,-]` (and not empty) is inserted as it
///   is; anything else is single-quoted, a `'` in it written `'\''`.
/// - inside `'...'`: a `'` in the value closes, escapes and reopens (`'\''`); nothing else is
///   special there.
/// - inside `"..."`: `$`, `` ` ``, `"` and `\` get a backslash (the only characters special
///   inside double quotes).
///
/// Used by `DevcontainerVariables.substitute(_:forShell:)` for every value substituted into a
/// lifecycle command's string form. The scan is approximate for constructs that nest quotes
/// (`$(...)` and backquotes inside double quotes): the quotes in them are taken at face value.
struct ShellWordQuoting {
    enum State { case unquoted, single, double }
    private(set) var state = State.unquoted
    /// A backslash was the last character (outside single quotes): the next one is literal.
    private var escaped = false

    /// Follows the quotes of `text`, the command text that comes before the next insertion.
    mutating func scan(_ text: Substring) {
        for ch in text.unicodeScalars {
            if escaped { escaped = false; continue }
            switch (state, ch) {
            case (.unquoted, "\\"), (.double, "\\"): escaped = true
            case (.unquoted, "'"): state = .single
            case (.single, "'"): state = .unquoted
            case (.unquoted, "\""): state = .double
            case (.double, "\""): state = .unquoted
            default: break
            }
        }
    }

    mutating func scan(_ text: String) { scan(Substring(text)) }

    /// `value` written so that the shell reads it as literal data at the current place.
    /// After a backslash (`\${localEnv:X}`, outside single quotes) the value is preceded by a
    /// newline: a backslash-newline is removed by the shell (POSIX 2.2.1, and inside double
    /// quotes 2.2.3), so the backslash escapes nothing of the value; without it, it would escape
    /// the value's opening quote or the backslash put before its `$`, and the rest would run.
    mutating func quote(_ value: String) -> String {
        let lead = escaped ? "\n" : ""
        escaped = false
        return lead + quoted(value)
    }

    private func quoted(_ value: String) -> String {
        switch state {
        case .single:
            return value.replacingAll("'", with: "'\\''")
        case .double:
            var out = ""
            for ch in value {
                if ch == "$" || ch == "`" || ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            return out
        case .unquoted:
            if !value.isEmpty, value.unicodeScalars.allSatisfy(Self.isPlain) { return value }
            return "'" + value.replacingAll("'", with: "'\\''") + "'"
        }
    }

    private static func isPlain(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "/", ":", "@", "%", "+", "=", ",", "-": return true
        default: return false
        }
    }
}

private extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
