/// Lines of styled text, clipped to the area (help screens, details).
public struct TextBlock: Widget, Sendable {
    public var lines: [StyledText]
    public init(_ lines: [StyledText]) { self.lines = lines }

    public func render(in area: Rect, on screen: inout Screen) {
        for (k, line) in lines.prefix(area.height).enumerated() {
            screen.put(line, x: area.x, y: area.y + k, maxWidth: area.width)
        }
    }
}
