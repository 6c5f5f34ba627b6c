public struct TableColumn: Hashable, Sendable {
    public var title: String
    /// `.fixed(n)` columns take n cells; `.fill(w)` share the rest; `.percent(p)` of the row.
    public var width: Constraint
    public var alignment: Alignment
    /// When the table is too narrow, columns with the lowest priority go first (ties: the
    /// rightmost first); a lower one that fits in the room the higher ones left stays. The
    /// highest is never dropped.
    public var priority: Int
    /// The narrowest a fill column may become before columns are dropped.
    public var minWidth: Int

    public init(_ title: String, width: Constraint = .fill(1), alignment: Alignment = .left,
                priority: Int = 0, minWidth: Int = 4) {
        self.title = title
        self.width = width
        self.alignment = alignment
        self.priority = priority
        self.minWidth = minWidth
    }
}
