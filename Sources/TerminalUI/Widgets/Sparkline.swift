/// The most recent values as a one-line bar chart (CPU, memory).
public struct Sparkline: Widget, Sendable {
    static let bars: [String] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public var values: [Double]
    /// The value drawn as a full bar; nil uses the largest value shown.
    public var maximum: Double?
    public var style: Style

    public init(values: [Double], maximum: Double? = nil, style: Style = .plain) {
        self.values = values
        self.maximum = maximum
        self.style = style
    }

    public func render(in area: Rect, on screen: inout Screen) {
        guard area.width > 0, area.height > 0 else { return }
        let shown = values.suffix(area.width)
        let top = maximum ?? shown.max() ?? 0
        let x0 = area.maxX - shown.count // newest value at the right edge
        for (k, v) in shown.enumerated() {
            let level: Int
            if top <= 0 || !v.isFinite || v <= 0 { level = 0 } else {
                level = min(7, max(0, Int((v / top * 7).rounded())))
            }
            screen.set(Cell(Sparkline.bars[level], style: style), x: x0 + k, y: area.y)
        }
    }
}
