extension String {
    /// True when `needle`'s UTF-8 bytes occur in this string's, compared byte for byte (no
    /// Unicode equivalence): for machine text such as docker's status and ASCII needles.
    /// `contains(_:)` with a string is the generic collection search, which cost tens of
    /// thousands of instructions per call on `status`'s hot path (issue 14).
    func containsUTF8(_ needle: String) -> Bool {
        let text = Array(utf8), word = Array(needle.utf8)
        guard text.count >= word.count else { return false }
        if word.isEmpty { return true }
        for start in 0...(text.count - word.count) where text[start..<(start + word.count)].elementsEqual(word) {
            return true
        }
        return false
    }
}
