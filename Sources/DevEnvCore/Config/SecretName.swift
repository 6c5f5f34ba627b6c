/// Names that look like they hold a secret. Secrets must not be build args (they stay in the
/// image history) nor plain env values in committed files (they belong in `env_file` or
/// `build_secrets`).
enum SecretName {
    /// True when the upper-cased name contains TOKEN, SECRET, PASSWORD or PASSWD, or ends
    /// in _KEY.
    static func looksSecret(_ name: String) -> Bool {
        // Searched as bytes (`containsUTF8`): `String.contains(String)` cost about 0.2 M
        // instructions per name, most of reading a profile (issue 14).
        let upper = name.uppercased()
        return ["TOKEN", "SECRET", "PASSWORD", "PASSWD"].contains { upper.containsUTF8($0) } || upper.hasSuffix("_KEY")
    }
}
