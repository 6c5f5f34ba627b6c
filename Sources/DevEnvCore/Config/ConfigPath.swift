/// Lexical path arithmetic for configuration (no file system access, no symlink resolution).
public enum ConfigPath {
    /// `relative` resolved against `base` unless it is absolute, then normalised.
    static func join(_ base: String, _ relative: String) -> String {
        normalize(relative.hasPrefix("/") ? relative : base + "/" + relative)
    }

    /// Removes `.`, empty components and `..` (never above `/` for absolute paths).
    /// One pass over the UTF-8 bytes into one buffer ('/' and '.' are ASCII, so never inside
    /// another character's encoding): a `..` takes back the component last written. By
    /// Character, the dozens of paths of one `status` cost about 0.7 million instructions of
    /// grapheme breaking; split into an array of parts and joined, still 8,000 a path, 0.19
    /// million of a `status` (issue 14).
    public static func normalize(_ path: String) -> String {
        if let done = path.utf8.withContiguousStorageIfAvailable({ normalize(bytes: $0) }) { return done }
        return Array(path.utf8).withUnsafeBufferPointer { normalize(bytes: $0) }
    }

    private static func normalize(bytes: UnsafeBufferPointer<UInt8>) -> String {
        let slash: UInt8 = 0x2F, dot: UInt8 = 0x2E
        let absolute = bytes.first == slash
        // The root's '/' is never taken back; `floor` is where components start.
        let floor = absolute ? 1 : 0
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1)
        if absolute { out.append(slash) }
        var at = 0
        while at < bytes.count {
            if bytes[at] == slash { at += 1; continue }
            var end = at
            while end < bytes.count && bytes[end] != slash { end += 1 }
            let length = end - at
            defer { at = end }
            if length == 1 && bytes[at] == dot { continue }
            if length == 2 && bytes[at] == dot && bytes[at + 1] == dot {
                // The last component written starts after the last '/' above the floor.
                var lastStart = out.count
                while lastStart > floor && out[lastStart - 1] != slash { lastStart -= 1 }
                let last = out.count - lastStart
                let lastIsDotDot = last == 2 && out[lastStart] == dot && out[lastStart + 1] == dot
                if last > 0 && !lastIsDotDot {
                    out.removeSubrange((lastStart > floor ? lastStart - 1 : lastStart)...)
                    continue
                }
                if absolute { continue }
            }
            if out.count > floor { out.append(slash) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at..<end]))
        }
        return out.isEmpty ? "." : String(decoding: out, as: UTF8.self)
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
