/// Project names end up in image, container and volume names, whose rules are strictest for
/// images: lowercase `[a-z0-9]` with single `.`, `_` or `-` between.
public enum ProjectName {
    /// A folder name made usable: ASCII letters lowercased and digits kept, `.` and `_` kept and
    /// other characters as `-` between them, separators collapsed, none at the ends, at most
    /// `maximumLength` characters (cut there). When
    /// nothing is left (`日本`, `ÜÜ`, `...`), `project-` and the first 8 hex digits of the
    /// name's FNV-1a digest (`Fingerprint`, over its UTF-8 bytes): two such folders would
    /// otherwise share containers, volumes and networks as `project`, and the digest of the
    /// name (not the path) keeps the name when the folder moves, as it does for `shop`. Names
    /// that leave something usable are unchanged by this rule, so existing containers are found.
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
        if out.count > maximumLength {
            // Cut, then no separator left at the end; the folder's tag in every name keeps two
            // folders whose names share the first 64 characters apart.
            out = String(out.prefix(maximumLength))
            while let last = out.last, !(last.isLetter || last.isNumber) { out.removeLast() }
        }
        guard out.isEmpty else { return out }
        var digest = Fingerprint()
        digest.add(raw)
        return "project-" + digest.hex.prefix(8)
    }

    /// The longest project name, in characters (ASCII, so bytes too). Why: a volume's name is a
    /// file name in the engine's store (Docker 20.10 and Podman 4.3 refuse one of 256 bytes
    /// or more: "file name too long"; Podman's network file adds ".json"), and an image's
    /// repository may hold at most 255 characters. 64 leaves room for the rest of the
    /// longest name devenv makes: `devenv-` PROJECT `-` PROFILE (at most 64, `ConfigLoader`)
    /// `-` TAG (8) `-svc-` SERVICE (at most 32) `-` VOLUME.
    public static let maximumLength = 64

    /// True when `name` may be used as written.
    public static func isValid(_ name: String) -> Bool { !name.isEmpty && sanitized(name) == name }
}
