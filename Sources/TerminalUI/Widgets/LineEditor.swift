/// A one-line text field (log search, filters): the text, a cursor, and the usual keys.
public struct LineEditor: Hashable, Sendable {
    public private(set) var text: [Character]
    /// Index in `text` where typing inserts.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = Array(text)
        self.cursor = self.text.count
    }

    public var string: String { String(text) }

    /// Applies an editing key; returns false when the key is not an editing key (Enter, Esc,
    /// arrows up/down...), so the caller can handle it.
    public mutating func handle(_ key: KeyEvent) -> Bool {
        switch (key.key, key.modifiers) {
        case (.character(let c), []), (.character(let c), [.shift]):
            text.insert(c, at: cursor); cursor += 1
        case (.backspace, _), (.character("h"), [.ctrl]):
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case (.delete, _), (.character("d"), [.ctrl]):
            if cursor < text.count { text.remove(at: cursor) }
        case (.left, []), (.character("b"), [.ctrl]): cursor = max(0, cursor - 1)
        case (.right, []), (.character("f"), [.ctrl]): cursor = min(text.count, cursor + 1)
        case (.home, _), (.character("a"), [.ctrl]): cursor = 0
        case (.end, _), (.character("e"), [.ctrl]): cursor = text.count
        case (.character("u"), [.ctrl]): text.removeFirst(cursor); cursor = 0
        case (.character("k"), [.ctrl]): text.removeLast(text.count - cursor)
        case (.character("w"), [.ctrl]):
            var start = cursor
            while start > 0 && text[start - 1] == " " { start -= 1 }
            while start > 0 && text[start - 1] != " " { start -= 1 }
            text.removeSubrange(start..<cursor); cursor = start
        default: return false
        }
        return true
    }

    /// Inserts pasted text; line breaks become spaces (this is a single line).
    public mutating func insert(_ pasted: String) {
        for c in pasted where !c.isNewline { text.insert(c, at: cursor); cursor += 1 }
    }

    /// Draws `prompt` and the text in one row, scrolled so the cursor is visible; the cursor
    /// cell is shown in reverse (the terminal cursor stays hidden).
    public func render(prompt: String, in area: Rect, on screen: inout Screen, style: Style = .plain) {
        guard area.width > 0, area.height > 0 else { return }
        screen.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), with: Cell(" ", style: style))
        let promptWidth = screen.put(prompt, x: area.x, y: area.y, style: style.with(.bold), maxWidth: area.width)
        let room = area.width - promptWidth - 1
        guard room > 0 else { return }
        // Show from the start when the cursor fits, else the text just before the cursor.
        var start = 0
        var before = DisplayWidth.of(String(text[0..<cursor]))
        while before > room && start < cursor { before -= DisplayWidth.of(text[start]); start += 1 }
        let x0 = area.x + promptWidth
        screen.put(String(text[start...]), x: x0, y: area.y, style: style, maxWidth: room + 1)
        let cursorX = x0 + DisplayWidth.of(String(text[start..<cursor]))
        if cursorX < area.maxX {
            screen.modifyStyle(in: Rect(x: cursorX, y: area.y, width: 1, height: 1)) { $0.attributes.formSymmetricDifference(.reverse) }
        }
    }
}
