/// Terminal column widths, from the committed `WidthTable` (Unicode 14.0) rather than the C
/// library's wcwidth, which Swift cannot see here and which differs between glibc versions.
public enum DisplayWidth {
    /// Columns one scalar takes on its own: 0, 1 or 2. Control characters count 0 here; the
    /// screen never stores them.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        if contains(WidthTable.zeroWidth, v) { return 0 }
        if v >= 0x1100 && contains(WidthTable.wide, v) { return 2 }
        return 1
    }

    /// Columns a grapheme cluster takes: the width of its base scalar; an emoji made wide by
    /// VS16 (U+FE0F) or a flag (two regional indicators) takes 2; the parts after a ZWJ and
    /// combining marks add nothing. A cluster with no visible base is 0.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x80 && scalars.count == 1 {
            return first.value < 0x20 || first.value == 0x7F ? 0 : 1
        }
        var base = of(first)
        if base == 1 {
            for s in scalars.dropFirst() where s.value == 0xFE0F { base = 2; break }
            if (0x1F1E6...0x1F1FF).contains(first.value) { base = 2 }
        }
        return base
    }

    /// Columns of a whole string, summed over its grapheme clusters.
    public static func of(_ string: String) -> Int {
        var total = 0
        for ch in string { total += of(ch) }
        return total
    }

    /// The longest start of `string` that takes at most `columns` columns (whole grapheme
    /// clusters: a wide one that would cross the limit is left out).
    public static func prefix(_ string: String, columns: Int) -> String {
        var used = 0
        var end = string.startIndex
        for index in string.indices {
            let w = of(string[index])
            if used + w > columns { break }
            used += w
            end = string.index(after: index)
        }
        return String(string[..<end])
    }

    private static func contains(_ table: [ClosedRange<UInt32>], _ v: UInt32) -> Bool {
        var lo = 0
        var hi = table.count - 1
        while lo <= hi {
            let mid = (lo + hi) >> 1
            let r = table[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }
}
