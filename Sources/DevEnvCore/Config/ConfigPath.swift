/// Lexical path arithmetic for configuration (no file system access, no symlink resolution).
enum ConfigPath {
    /// `relative` resolved against `base` unless it is absolute, then normalised.
    static func join(_ base: String, _ relative: String) -> String {
        normalize(relative.hasPrefix("/") ? relative : base + "/" + relative)
    }

    /// Removes `.`, empty components and `..` (never above `/` for absolute paths).
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." { parts.removeLast() }
                else if !absolute { parts.append(part) }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func parent(_ path: String) -> String {
        let normalized = normalize(path)
        guard let slash = normalized.lastIndex(of: "/") else { return "." }
        if slash == normalized.startIndex { return "/" }
        return String(normalized[..<slash])
    }

    static func lastComponent(_ path: String) -> String {
        let normalized = normalize(path)
        guard let slash = normalized.lastIndex(of: "/") else { return normalized }
        return String(normalized[normalized.index(after: slash)...])
    }

    /// True when a relative path climbs out of the folder it is relative to (`../x`,
    /// `a/../../x`). Absolute paths are the user's explicit choice and never "escape".
    static func escapes(_ relative: String) -> Bool {
        guard !relative.hasPrefix("/") else { return false }
        var depth = 0
        for part in relative.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                depth -= 1
                if depth < 0 { return true }
            default: depth += 1
            }
        }
        return false
    }
}
