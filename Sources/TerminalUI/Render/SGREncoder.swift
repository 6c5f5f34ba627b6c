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
            // goes straight out without building both (the common case, and allocation-free).
            out.append(0x1B); out.append(0x5B)
            var first = true
            attributeParams(b.attributes.subtracting(a.attributes), &out, first: &first)
            if a.fg != b.fg { colorParams(b.fg, foreground: true, &out, first: &first) }
            if a.bg != b.bg { colorParams(b.bg, foreground: false, &out, first: &first) }
            out.append(0x6D)
            return
        }
        var delta: [UInt8] = []
        var added = b.attributes.subtracting(a.attributes)
        if removed.contains(.bold) || removed.contains(.dim) {
            param(&delta, 22)
            added.formUnion(b.attributes.intersection([.bold, .dim]))
        }
        if removed.contains(.italic) { param(&delta, 23) }
        if removed.contains(.underline) { param(&delta, 24) }
        if removed.contains(.reverse) { param(&delta, 27) }
        attributeParams(added, &delta)
        if a.fg != b.fg { colorParams(b.fg, foreground: true, &delta) }
        if a.bg != b.bg { colorParams(b.bg, foreground: false, &delta) }

        var full: [UInt8] = [0x30]
        attributeParams(b.attributes, &full)
        colorParams(b.fg, foreground: true, &full)
        colorParams(b.bg, foreground: false, &full)

        out.append(0x1B); out.append(0x5B)
        out.append(contentsOf: delta.count <= full.count ? delta : full)
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

    private static func attributeParams(_ attrs: TextAttributes, _ out: inout [UInt8], first: inout Bool) {
        if attrs.contains(.bold) { param(&out, 1, first: &first) }
        if attrs.contains(.dim) { param(&out, 2, first: &first) }
        if attrs.contains(.italic) { param(&out, 3, first: &first) }
        if attrs.contains(.underline) { param(&out, 4, first: &first) }
        if attrs.contains(.reverse) { param(&out, 7, first: &first) }
    }

    private static func colorParams(_ c: Color, foreground: Bool, _ out: inout [UInt8], first: inout Bool) {
        switch c {
        case .default: param(&out, foreground ? 39 : 49, first: &first)
        case .ansi(let n):
            let base = n < 8 ? (foreground ? 30 : 40) : (foreground ? 90 : 100)
            param(&out, base + Int(n & 7), first: &first)
        case .indexed(let n):
            param(&out, foreground ? 38 : 48, first: &first); param(&out, 5, first: &first); param(&out, Int(n), first: &first)
        case .rgb(let r, let g, let b):
            param(&out, foreground ? 38 : 48, first: &first); param(&out, 2, first: &first)
            param(&out, Int(r), first: &first); param(&out, Int(g), first: &first); param(&out, Int(b), first: &first)
        }
    }

    @inline(__always)
    private static func param(_ out: inout [UInt8], _ n: Int, first: inout Bool) {
        if !first { out.append(0x3B) }
        first = false
        appendDecimal(n, to: &out)
    }

    private static func attributeParams(_ attrs: TextAttributes, _ out: inout [UInt8]) {
        if attrs.contains(.bold) { param(&out, 1) }
        if attrs.contains(.dim) { param(&out, 2) }
        if attrs.contains(.italic) { param(&out, 3) }
        if attrs.contains(.underline) { param(&out, 4) }
        if attrs.contains(.reverse) { param(&out, 7) }
    }

    private static func colorParams(_ c: Color, foreground: Bool, _ out: inout [UInt8]) {
        switch c {
        case .default: param(&out, foreground ? 39 : 49)
        case .ansi(let n):
            let base = n < 8 ? (foreground ? 30 : 40) : (foreground ? 90 : 100)
            param(&out, base + Int(n & 7))
        case .indexed(let n):
            param(&out, foreground ? 38 : 48); param(&out, 5); param(&out, Int(n))
        case .rgb(let r, let g, let b):
            param(&out, foreground ? 38 : 48); param(&out, 2)
            param(&out, Int(r)); param(&out, Int(g)); param(&out, Int(b))
        }
    }

    private static func param(_ out: inout [UInt8], _ n: Int) {
        if !out.isEmpty { out.append(0x3B) }
        appendDecimal(n, to: &out)
    }
}
