/// A scrollable view of a `LogBuffer`: follow mode, wrap toggle, search highlight, colours kept
/// or stripped. Only the visible lines are parsed, so drawing costs the same for any log size.
public struct LogView: Widget, Sendable {
    public var buffer: LogBuffer
    public var state: LogViewState
    public var style: Style
    public var highlightStyle: Style

    public init(buffer: LogBuffer, state: LogViewState, style: Style = .plain,
                highlightStyle: Style = Style(fg: .black, bg: .yellow)) {
        self.buffer = buffer
        self.state = state
        self.style = style
        self.highlightStyle = highlightStyle
    }

    public func render(in area: Rect, on screen: inout Screen) {
        guard area.width > 0, area.height > 0, buffer.count > 0 else { return }
        let first = buffer.firstLineNumber, end = buffer.totalAppended
        var rows: [StyledText] = []
        if state.wrap && state.follow {
            var n = end - 1
            var reversed: [StyledText] = []
            while n >= first && reversed.count < area.height {
                reversed.append(contentsOf: wrapped(n, width: area.width).reversed())
                n -= 1
            }
            rows = Array(reversed.prefix(area.height).reversed())
        } else {
            let lastTop = max(first, end - area.height)
            var n = state.follow ? lastTop : min(max(state.topLine, first), lastTop)
            while n < end && rows.count < area.height {
                if state.wrap {
                    rows.append(contentsOf: wrapped(n, width: area.width))
                } else {
                    rows.append(styled(n))
                }
                n += 1
            }
        }
        for (k, row) in rows.prefix(area.height).enumerated() {
            screen.put(row, x: area.x, y: area.y + k, maxWidth: area.width)
        }
    }

    private func styled(_ n: Int) -> StyledText {
        let text = ANSILineParser.parse(buffer.line(number: n) ?? "", base: style, keepStyles: state.keepColors)
        guard let term = state.search, !term.isEmpty else { return text }
        return LogView.highlight(text, term: term, style: highlightStyle)
    }

    private func wrapped(_ n: Int, width: Int) -> [StyledText] {
        LogView.wrap(styled(n), width: width)
    }

    /// The text cut into rows of at most `width` columns; a wide grapheme moves to the next row
    /// rather than split.
    public static func wrap(_ text: StyledText, width: Int) -> [StyledText] {
        guard width > 0 else { return [] }
        var rows: [StyledText] = []
        var row = StyledText()
        var used = 0
        for span in text.spans {
            for ch in span.text {
                let w = DisplayWidth.of(ch)
                if used + w > width && used > 0 {
                    rows.append(row); row = StyledText(); used = 0
                }
                row.append(String(ch), style: span.style)
                used += w
            }
        }
        rows.append(row)
        return rows
    }

    /// Restyles each case-insensitive occurrence of `term` with `style`.
    public static func highlight(_ text: StyledText, term: String, style: Style) -> StyledText {
        var chars: [(Character, Style)] = []
        for span in text.spans { for ch in span.text { chars.append((ch, span.style)) } }
        let lowered = chars.map { Character($0.0.lowercased()) }
        let needle = Array(term.lowercased())
        guard !needle.isEmpty, needle.count <= lowered.count else { return text }
        var k = 0
        var marked = false
        while k + needle.count <= lowered.count {
            if lowered[k] == needle[0] && Array(lowered[k..<(k + needle.count)]) == needle {
                for m in k..<(k + needle.count) { chars[m].1 = style }
                k += needle.count
                marked = true
            } else {
                k += 1
            }
        }
        guard marked else { return text }
        var out = StyledText()
        for (ch, s) in chars { out.append(String(ch), style: s) }
        return out
    }
}
