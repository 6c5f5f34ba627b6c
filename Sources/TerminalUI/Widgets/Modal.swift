/// A centred box drawn over everything else: confirmations and help.
public struct Modal: Widget, Sendable {
    public var title: String
    public var lines: [StyledText]
    /// Shown on the bottom line, e.g. "y confirm · n cancel".
    public var hint: String?
    public var style: Style

    public init(title: String, lines: [StyledText], hint: String? = nil, style: Style = .plain) {
        self.title = title
        self.lines = lines
        self.hint = hint
        self.style = style
    }

    /// The box this modal takes inside `area`.
    public func frame(in area: Rect) -> Rect {
        let contentWidth = max(lines.map(\.displayWidth).max() ?? 0, DisplayWidth.of(title) + 2, DisplayWidth.of(hint ?? ""))
        let height = lines.count + 2 + (hint == nil ? 0 : 2)
        return area.centered(width: contentWidth + 4, height: height)
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let box = frame(in: area)
        guard box.width >= 4, box.height >= 3 else { return }
        screen.fill(box, with: Cell(" ", style: style))
        Panel(title: title, borderStyle: style, titleStyle: style.with(.bold)).render(in: box, on: &screen)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        for (k, line) in lines.prefix(inner.height).enumerated() {
            screen.put(line, x: inner.x, y: inner.y + k, maxWidth: inner.width)
        }
        if let hint, inner.height >= 2 {
            screen.put(hint, x: inner.x, y: inner.maxY - 1, style: style.with(.dim), maxWidth: inner.width)
        }
    }
}
