/// Rows under a header row, with alignment, selection and scrolling.
public struct Table: Widget, Sendable {
    public var columns: [TableColumn]
    public var rows: [[StyledText]]
    public var state: TableState
    public var headerStyle: Style
    public var selectedStyle: Style
    public var spacing: Int

    public init(columns: [TableColumn], rows: [[StyledText]], state: TableState = TableState(),
                headerStyle: Style = .bold, selectedStyle: Style = .reverse, spacing: Int = 1) {
        self.columns = columns
        self.rows = rows
        self.state = state
        self.headerStyle = headerStyle
        self.selectedStyle = selectedStyle
        self.spacing = spacing
    }

    /// Indexes of the columns shown in `width` cells, and their widths. Columns are taken
    /// highest priority first (ties: the leftmost first) while they fit; a column that does
    /// not fit is skipped, and a lower one that still fits in the room left is shown. The
    /// first column by priority always shows. Shown columns keep their declared order.
    public func visibleColumns(width: Int) -> [(index: Int, width: Int)] {
        func needed(_ k: Int) -> Int {
            switch columns[k].width {
            case .fixed(let n): return n
            case .percent(let p): return max(columns[k].minWidth, width * p / 100)
            case .fill: return columns[k].minWidth
            }
        }
        let byPriority = columns.indices.sorted { (-columns[$0].priority, $0) < (-columns[$1].priority, $1) }
        var shown: [Int] = []
        var used = 0
        for k in byPriority {
            let cost = needed(k) + (shown.isEmpty ? 0 : spacing)
            guard shown.isEmpty || used + cost <= width else { continue }
            shown.append(k)
            used += cost
        }
        shown.sort()
        let rects = Layout.split(Rect(x: 0, y: 0, width: width, height: 1), .horizontal,
                                 shown.map { columns[$0].width }, spacing: spacing)
        return zip(shown, rects).map { ($0, $1.width) }
    }

    public func render(in area: Rect, on screen: inout Screen) {
        guard area.height > 0, area.width > 0 else { return }
        let cols = visibleColumns(width: area.width)
        var x = area.x
        var xs: [Int] = []
        for c in cols { xs.append(x); x += c.width + spacing }
        for (k, c) in cols.enumerated() {
            put(StyledText(columns[c.index].title, style: headerStyle), x: xs[k], y: area.y, width: c.width,
                alignment: columns[c.index].alignment, on: &screen)
        }
        let visible = area.height - 1
        guard visible > 0 else { return }
        let top = state.effectiveOffset(visibleRows: visible, rowCount: rows.count)
        for r in 0..<visible {
            let index = top + r
            guard index < rows.count else { break }
            let y = area.y + 1 + r
            let row = rows[index]
            for (k, c) in cols.enumerated() where c.index < row.count {
                put(row[c.index], x: xs[k], y: y, width: c.width, alignment: columns[c.index].alignment, on: &screen)
            }
            if state.selected == index {
                let sel = selectedStyle
                screen.modifyStyle(in: Rect(x: area.x, y: y, width: area.width, height: 1)) { s in
                    s.attributes.formUnion(sel.attributes)
                    if sel.fg != .default { s.fg = sel.fg }
                    if sel.bg != .default { s.bg = sel.bg }
                }
            }
        }
    }

    private func put(_ text: StyledText, x: Int, y: Int, width: Int, alignment: Alignment, on screen: inout Screen) {
        guard width > 0 else { return }
        let w = text.displayWidth
        var start = x
        if w < width {
            switch alignment {
            case .left: break
            case .right: start = x + width - w
            case .center: start = x + (width - w) / 2
            }
        } else if w > width && width > 1 {
            // Cut with an ellipsis so a clipped value does not read as a whole one.
            screen.put(text, x: x, y: y, maxWidth: width - 1)
            screen.put("…", x: x + width - 1, y: y, style: text.spans.last?.style ?? .plain, maxWidth: 1)
            return
        }
        screen.put(text, x: start, y: y, maxWidth: width - (start - x))
    }
}
