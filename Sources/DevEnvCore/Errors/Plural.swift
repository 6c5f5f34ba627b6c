/// "1 warning", "2 warnings", "0 files": a count with its noun, declared once so that no
/// message says "1 warnings" (issue 15).
public enum Plural {
    /// `count` and the noun, singular for exactly one; `plural` for irregular nouns
    /// ("dependency" -> "dependencies"), else the singular with an "s".
    public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
    }
}
