/// Project names end up in image, container and volume names, whose rules are strictest for
/// images: lowercase `[a-z0-9]` with single `.`, `_` or `-` between.
public enum ProjectName {
    /// A folder name made usable: lowercase, other characters as `-`, separators collapsed,
    /// none at the ends; `project` when nothing usable is left.
    public static func sanitized(_ raw: String) -> String {
        var out = ""
        var lastWasSeparator = true
        for scalar in raw.lowercased().unicodeScalars {
            let isAlnum = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
            if isAlnum {
                out.unicodeScalars.append(scalar)
                lastWasSeparator = false
            } else if !lastWasSeparator {
                out.append(scalar == "_" || scalar == "." ? Character(scalar) : "-")
                lastWasSeparator = true
            }
        }
        while let last = out.last, !(last.isLetter || last.isNumber) { out.removeLast() }
        return out.isEmpty ? "project" : out
    }

    /// True when `name` may be used as written.
    public static func isValid(_ name: String) -> Bool { !name.isEmpty && sanitized(name) == name }
}
