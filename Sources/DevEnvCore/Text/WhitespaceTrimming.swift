extension StringProtocol {
    /// Without leading and trailing whitespace and newlines (`Character.isWhitespace`), as
    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` gives it: that one is not
    /// in FoundationEssentials, and importing all of Foundation costs every start (issue 14).
    public var trimmingWhitespace: String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
