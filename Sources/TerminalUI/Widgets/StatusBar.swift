/// One line: a message on the left, key hints ("q quit") after it, all on a bar background.
public struct StatusBar: Widget, Sendable {
    public struct Hint: Hashable, Sendable {
        public var key: String
        public var label: String
        public init(_ key: String, _ label: String) { self.key = key; self.label = label }
    }

    public var message: StyledText
    public var hints: [Hint]
    public var style: Style
    public var keyStyle: Style

    public init(message: StyledText = StyledText(), hints: [Hint], style: Style = .reverse,
                keyStyle: Style = Style(attributes: [.reverse, .bold])) {
        self.message = message
        self.hints = hints
        self.style = style
        self.keyStyle = keyStyle
    }

    public func render(in area: Rect, on screen: inout Screen) {
        guard area.height > 0 else { return }
        screen.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), with: Cell(" ", style: style))
        var x = area.x + screen.put(message, x: area.x, y: area.y, maxWidth: area.width)
        for hint in hints {
            let room = area.maxX - x
            let need = 1 + DisplayWidth.of(hint.key) + 1 + DisplayWidth.of(hint.label) + 1
            if need > room { break } // whole hints or none: a cut hint reads wrong
            x += 1
            x += screen.put(hint.key, x: x, y: area.y, style: keyStyle, maxWidth: room)
            x += screen.put(" " + hint.label + " ", x: x, y: area.y, style: style, maxWidth: area.maxX - x)
        }
    }
}
