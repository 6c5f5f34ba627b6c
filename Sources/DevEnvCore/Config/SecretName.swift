/// Names that look like they hold a secret. Secrets must not be build args (they stay in the
/// image history) nor plain env values in committed files (they belong in `env_file` or
/// `build_secrets`).
enum SecretName {
    private static let words: [[UInt8]] = ["TOKEN", "SECRET", "PASSWORD", "PASSWD"].map { Array($0.utf8) }
    private static let keySuffix = Array("_KEY".utf8)

    /// True when the upper-cased name contains TOKEN, SECRET, PASSWORD or PASSWD, or ends
    /// in _KEY.
    static func looksSecret(_ name: String) -> Bool {
        // Searched as bytes: `String.contains(String)` is the generic collection search, which
        // cost about 0.2 M instructions per name, most of reading a profile (issue 14).
        let upper = Array(name.uppercased().utf8)
        return words.contains { contains(upper, $0) } || upper.suffix(keySuffix.count).elementsEqual(keySuffix)
    }

    private static func contains(_ text: [UInt8], _ word: [UInt8]) -> Bool {
        guard text.count >= word.count else { return false }
        for start in 0...(text.count - word.count) where text[start..<(start + word.count)].elementsEqual(word) {
            return true
        }
        return false
    }
}
