/// Which row is selected and which row is at the top; kept by the program.
public struct TableState: Hashable, Sendable {
    public var selected: Int?
    public var offset: Int
    public init(selected: Int? = nil, offset: Int = 0) { self.selected = selected; self.offset = offset }

    /// Moves the selection by `delta` rows, clamped to the rows there are.
    public mutating func moveSelection(by delta: Int, rowCount: Int) {
        guard rowCount > 0 else { selected = nil; return }
        selected = min(rowCount - 1, max(0, (selected ?? -1) + delta))
    }

    /// The top row to show so that the selection is visible in `visibleRows` rows.
    public func effectiveOffset(visibleRows: Int, rowCount: Int) -> Int {
        var top = min(max(0, offset), max(0, rowCount - visibleRows))
        if let s = selected, visibleRows > 0 {
            if s < top { top = s }
            if s >= top + visibleRows { top = s - visibleRows + 1 }
        }
        return max(0, top)
    }
}
