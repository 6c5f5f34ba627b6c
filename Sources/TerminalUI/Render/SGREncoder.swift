/// Select Graphic Rendition: the shortest `ESC [ ... m` that turns one style into another,
/// with colours lowered to the terminal's colour mode.
public enum SGREncoder {
    /// Appends the bytes that change the terminal's pen from `from` to `to` (nothing when
    /// they look the same in this mode).
    public static func transition(from: Style, to: Style, mode: ColorMode, into out: inout [UInt8]) {
        let a = lowered(from, mode), b = lowered(to, mode)
        if a == b { return }
        if b == .plain { out.append(contentsOf: [0x1B, 0x5B, 0x30, 0x6D]); return }
        let removed = a.attributes.subtracting(b.attributes)
        if removed.isEmpty && (a.fg == b.fg || b.fg != .default) && (a.bg == b.bg || b.bg != .default) {
            // Only additions and colour changes: the delta is never longer than a reset, so it
            // goes straight out without writing both (the common case).
            out.append(0x1B); out.append(0x5B)
            let params = out.count
            attributeParams(b.attributes.subtracting(a.attributes), &out, from: params)
            if a.fg != b.fg { colorParams(b.fg, foreground: true, &out, from: params) }
            if a.bg != b.bg { colorParams(b.bg, foreground: false, &out, from: params) }
            out.append(0x6D)
            return
        }
        // Removals: the delta (resets of what went, then what came) or a full reset and the
        // whole new pen, whichever is shorter. Both are written into `out` in turn rather than
        // built in arrays of their own: this path runs for a good share of a colourful frame's
        // runs, and two allocations per run cost more than the encoding.
        out.append(0x1B); out.append(0x5B)
        let params = out.count
        var added = b.attributes.subtracting(a.attributes)
        if removed.contains(.bold) || removed.contains(.dim) {
            param(&out, 22, from: params)
            added.formUnion(b.attributes.intersection([.bold, .dim]))
        }
        if removed.contains(.italic) { param(&out, 23, from: params) }
        if removed.contains(.underline) { param(&out, 24, from: params) }
        if removed.contains(.reverse) { param(&out, 27, from: params) }
        attributeParams(added, &out, from: params)
        if a.fg != b.fg { colorParams(b.fg, foreground: true, &out, from: params) }
        if a.bg != b.bg { colorParams(b.bg, foreground: false, &out, from: params) }
        let deltaEnd = out.count
        out.append(0x30)
        attributeParams(b.attributes, &out, from: deltaEnd)
        // A reset leaves default colours: only the others need saying again.
        if b.fg != .default { colorParams(b.fg, foreground: true, &out, from: deltaEnd) }
        if b.bg != .default { colorParams(b.bg, foreground: false, &out, from: deltaEnd) }
        if out.count - deltaEnd < deltaEnd - params {
            // The full form is shorter: move it over the delta.
            let fullCount = out.count - deltaEnd
            for i in 0..<fullCount { out[params + i] = out[deltaEnd + i] }
            out.removeLast(out.count - (params + fullCount))
        } else {
            out.removeLast(out.count - deltaEnd)
        }
        out.append(0x6D)
    }

    /// The style as this mode will show it: colours the terminal lacks are mapped down.
    static func lowered(_ s: Style, _ mode: ColorMode) -> Style {
        Style(fg: lower(s.fg, mode), bg: lower(s.bg, mode), attributes: s.attributes)
    }

    static func lower(_ c: Color, _ mode: ColorMode) -> Color {
        switch (c, mode) {
        case (.default, _): return .default
        case (_, .none): return .default
        case (.ansi(let n), _): return .ansi(n & 15)
        case (.indexed(let n), .ansi16): return n < 16 ? .ansi(n) : .ansi(ColorPalette.nearestBasic(ColorPalette.rgb(ofIndexed: n)))
        case (.indexed, _): return c
        case (.rgb(let r, let g, let b), .ansi16): return .ansi(ColorPalette.nearestBasic((r, g, b)))
        case (.rgb(let r, let g, let b), .indexed256): return .indexed(ColorPalette.indexed(r, g, b))
        case (.rgb, .truecolor): return c
        }
    }

    /// Appends parameters to a list that begins at index `list` of `out`: a `;` before each
    /// but the first.
    private static func attributeParams(_ attrs: TextAttributes, _ out: inout [UInt8], from list: Int) {
        if attrs.contains(.bold) { param(&out, 1, from: list) }
        if attrs.contains(.dim) { param(&out, 2, from: list) }
        if attrs.contains(.italic) { param(&out, 3, from: list) }
        if attrs.contains(.underline) { param(&out, 4, from: list) }
        if attrs.contains(.reverse) { param(&out, 7, from: list) }
    }

    private static func colorParams(_ c: Color, foreground: Bool, _ out: inout [UInt8], from list: Int) {
        switch c {
        case .default: param(&out, foreground ? 39 : 49, from: list)
        case .ansi(let n):
            let base = n < 8 ? (foreground ? 30 : 40) : (foreground ? 90 : 100)
            param(&out, base + Int(n & 7), from: list)
        case .indexed(let n):
            param(&out, foreground ? 38 : 48, from: list); param(&out, 5, from: list); param(&out, Int(n), from: list)
        case .rgb(let r, let g, let b):
            param(&out, foreground ? 38 : 48, from: list); param(&out, 2, from: list)
            param(&out, Int(r), from: list); param(&out, Int(g), from: list); param(&out, Int(b), from: list)
        }
    }

    @inline(__always)
    private static func param(_ out: inout [UInt8], _ n: Int, from list: Int) {
        if out.count != list { out.append(0x3B) }
        appendDecimal(n, to: &out)
    }
}
