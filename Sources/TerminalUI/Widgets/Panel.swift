/// A bordered box with an optional title in its top edge.
public struct Panel: Widget, Sendable {
    public var title: String?
    public var borderStyle: Style
    public var titleStyle: Style

    public init(title: String? = nil, borderStyle: Style = .plain, titleStyle: Style = .bold) {
        self.title = title
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
    }

    /// The area inside the border.
    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, on screen: inout Screen) {
        guard area.width >= 2, area.height >= 2 else { return }
        let x0 = area.x, y0 = area.y, x1 = area.maxX - 1, y1 = area.maxY - 1
        for x in (x0 + 1)..<x1 {
            screen.set(Cell("─", style: borderStyle), x: x, y: y0)
            screen.set(Cell("─", style: borderStyle), x: x, y: y1)
        }
        for y in (y0 + 1)..<y1 {
            screen.set(Cell("│", style: borderStyle), x: x0, y: y)
            screen.set(Cell("│", style: borderStyle), x: x1, y: y)
        }
        screen.set(Cell("┌", style: borderStyle), x: x0, y: y0)
        screen.set(Cell("┐", style: borderStyle), x: x1, y: y0)
        screen.set(Cell("└", style: borderStyle), x: x0, y: y1)
        screen.set(Cell("┘", style: borderStyle), x: x1, y: y1)
        if let title, !title.isEmpty, area.width > 4 {
            screen.put(" \(title) ", x: x0 + 1, y: y0, style: titleStyle, maxWidth: area.width - 2)
        }
    }
}
