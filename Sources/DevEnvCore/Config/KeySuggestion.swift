/// "did you mean" for unknown keys: the nearest known key by edit distance, when near enough
/// to be a typo rather than a different word.
enum KeySuggestion {
    static func nearest(to key: String, in known: [String]) -> String? {
        let lowered = key.lowercased()
        var best: (key: String, distance: Int)?
        for candidate in known {
            let d = distance(lowered, candidate.lowercased())
            if d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        guard let best else { return nil }
        let allowed = max(2, key.count / 3)
        return best.distance <= allowed ? best.key : nil
    }

    /// Levenshtein distance over characters, with adjacent transpositions counting as one.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            previous2 = previous
            previous = current
        }
        return previous[b.count]
    }
}
