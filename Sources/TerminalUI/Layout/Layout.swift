/// Splits rectangles into rows or columns (ratatui's Layout, reduced to what the dashboard uses).
public enum Layout {
    /// Parts of `rect` along `axis`, in order, `spacing` cells apart. Fixed and percentage parts
    /// are served first, in order, until the space runs out; fill parts share the rest by
    /// weight, the last one taking the rounding remainder.
    public static func split(_ rect: Rect, _ axis: Axis, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        guard !constraints.isEmpty else { return [] }
        let length = axis == .horizontal ? rect.width : rect.height
        let gaps = max(0, spacing) * (constraints.count - 1)
        let total = max(0, length - gaps)
        var sizes = Array(repeating: 0, count: constraints.count)
        var remaining = total
        for (k, c) in constraints.enumerated() {
            switch c {
            case .fixed(let n): sizes[k] = min(max(0, n), remaining)
            case .percent(let p): sizes[k] = min(total * max(0, min(100, p)) / 100, remaining)
            case .fill: continue
            }
            remaining -= sizes[k]
        }
        let weights = constraints.map { if case .fill(let w) = $0 { return max(0, w) } else { return 0 } }
        let weightSum = weights.reduce(0, +)
        if weightSum > 0 {
            let share = remaining
            var given = 0
            let lastFill = weights.lastIndex { $0 > 0 } ?? 0
            for k in weights.indices where weights[k] > 0 {
                sizes[k] = k == lastFill ? share - given : share * weights[k] / weightSum
                given += sizes[k]
            }
        }
        var out: [Rect] = []
        var pos = axis == .horizontal ? rect.x : rect.y
        for s in sizes {
            if axis == .horizontal {
                out.append(Rect(x: pos, y: rect.y, width: s, height: rect.height))
            } else {
                out.append(Rect(x: rect.x, y: pos, width: rect.width, height: s))
            }
            pos += s + max(0, spacing)
        }
        return out
    }
}
