/// Names that look like they hold a secret. Secrets must not be build args (they stay in the
/// image history) nor plain env values in committed files (they belong in `env_file` or
/// `build_secrets`).
enum SecretName {
    static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.contains("TOKEN") || upper.contains("SECRET") || upper.contains("PASSWORD")
            || upper.contains("PASSWD") || upper.hasSuffix("_KEY")
    }
}
