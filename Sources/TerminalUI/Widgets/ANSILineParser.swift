/// Makes one line of program output safe to draw: SGR colour and attribute sequences are kept
/// (or dropped, with `keepStyles: false`), every other escape sequence (cursor moves, erases,
/// mode switches, OSC titles and hyperlinks, DCS) and every control character is parsed and
/// dropped, so a log line can never move the cursor or change a terminal mode. Tabs become
/// spaces to the next multiple of 8.
public enum ANSILineParser {
    public static func parse(_ line: String, base: Style = .plain, keepStyles: Bool = true) -> StyledText {
        var out = StyledText()
        var style = base
        var run = String.UnicodeScalarView()
        var column = 0
        func flush() {
            if !run.isEmpty { out.append(String(run), style: style); run.removeAll() }
        }
        scan(line, text: { s in
            run.append(s)
            column += DisplayWidth.of(s)
        }, tab: {
            let spaces = 8 - column % 8
            for _ in 0..<spaces { run.append(" ") }
            column += spaces
        }, sgr: { params in
            guard keepStyles else { return }
            flush()
            applySGR(params, to: &style, base: base)
        })
        flush()
        return out
    }

    /// The same line for a terminal (`devenv logs` on a terminal): what `parse` keeps, as
    /// text. SGR sequences stay as they were (colours), tabs stay tabs; every other sequence
    /// and control character is dropped, exactly as the dashboard's logs pane drops them.
    public static func terminalSafe(_ line: String) -> String {
        var out = String.UnicodeScalarView()
        scan(line, text: { out.append($0) }, tab: { out.append("\t") }, sgr: { params in
            out.append("\u{1B}")
            out.append("[")
            out.append(contentsOf: params)
            out.append("m")
        })
        return String(out)
    }

    /// The one reading of a line both use: printable text, tabs and SGR parameters are handed
    /// on; everything else is parsed to its end and skipped.
    private static func scan(_ line: String, text: (Unicode.Scalar) -> Void, tab: () -> Void,
                             sgr: (ArraySlice<Unicode.Scalar>) -> Void) {
        let scalars = Array(line.unicodeScalars)
        var i = 0
        let n = scalars.count
        while i < n {
            let s = scalars[i]
            let v = s.value
            if v == 0x1B || v == 0x9B || v == 0x9D || v == 0x90 || v == 0x98 || v == 0x9E || v == 0x9F {
                var kind = v
                var j = i + 1
                if v == 0x1B {
                    guard j < n else { break }
                    switch scalars[j].value {
                    case 0x5B: kind = 0x9B
                    case 0x5D: kind = 0x9D
                    case 0x50: kind = 0x90
                    case 0x58: kind = 0x98
                    case 0x5E: kind = 0x9E
                    case 0x5F: kind = 0x9F
                    default:
                        // ESC, intermediates, one final: two- or three-character escapes.
                        while j < n && (0x20...0x2F).contains(scalars[j].value) { j += 1 }
                        i = min(n, j + 1)
                        continue
                    }
                    j += 1
                }
                if kind == 0x9B {
                    let paramStart = j
                    while j < n && (0x30...0x3F).contains(scalars[j].value) { j += 1 }
                    let paramEnd = j
                    while j < n && (0x20...0x2F).contains(scalars[j].value) { j += 1 }
                    guard j < n, (0x40...0x7E).contains(scalars[j].value) else { i = j; continue } // malformed: drop
                    // Only plain SGR: parameters of digits, ';' and ':' (no private '?', '<', '=', '>').
                    if scalars[j].value == 0x6D && paramEnd == j
                        && !scalars[paramStart..<paramEnd].contains(where: { $0.value > 0x3B }) {
                        sgr(scalars[paramStart..<paramEnd])
                    }
                    i = j + 1
                    continue
                }
                // String sequences (OSC, DCS, SOS, PM, APC) run to BEL or ST (ESC \ or 0x9C).
                while j < n {
                    let c = scalars[j].value
                    if c == 0x07 || c == 0x9C { j += 1; break }
                    if c == 0x1B && j + 1 < n && scalars[j + 1].value == 0x5C { j += 2; break }
                    j += 1
                }
                i = j
                continue
            }
            if v == 0x09 {
                tab()
            } else if v < 0x20 || (v >= 0x7F && v < 0xA0) {
                // other control characters: dropped
            } else {
                text(s)
            }
            i += 1
        }
    }

    /// The visible text of a line, escape sequences removed.
    public static func plainText(_ line: String) -> String {
        if !line.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) { return line }
        return parse(line, keepStyles: false).plainText
    }

    private static func applySGR(_ params: ArraySlice<Unicode.Scalar>, to style: inout Style, base: Style) {
        var nums: [Int] = []
        var cur = 0, seen = false
        for s in params {
            if s.value == 0x3B || s.value == 0x3A { nums.append(seen ? cur : 0); cur = 0; seen = false; continue }
            if (0x30...0x39).contains(s.value) { cur = min(cur * 10 + Int(s.value - 0x30), 100_000); seen = true }
        }
        nums.append(seen ? cur : 0)
        var k = 0
        func color(_ at: inout Int) -> Color? {
            guard at + 1 < nums.count else { return nil }
            if nums[at + 1] == 5, at + 2 < nums.count {
                at += 2; return .indexed(UInt8(clamping: nums[at]))
            }
            if nums[at + 1] == 2, at + 4 < nums.count {
                at += 4; return .rgb(UInt8(clamping: nums[at - 2]), UInt8(clamping: nums[at - 1]), UInt8(clamping: nums[at]))
            }
            return nil
        }
        while k < nums.count {
            let p = nums[k]
            switch p {
            case 0: style = base
            case 1: style.attributes.insert(.bold)
            case 2: style.attributes.insert(.dim)
            case 3: style.attributes.insert(.italic)
            case 4: style.attributes.insert(.underline)
            case 7: style.attributes.insert(.reverse)
            case 22: style.attributes.subtract([.bold, .dim])
            case 23: style.attributes.remove(.italic)
            case 24: style.attributes.remove(.underline)
            case 27: style.attributes.remove(.reverse)
            case 30...37: style.fg = .ansi(UInt8(p - 30))
            case 38: if let c = color(&k) { style.fg = c } else { k = nums.count }
            case 39: style.fg = base.fg
            case 40...47: style.bg = .ansi(UInt8(p - 40))
            case 48: if let c = color(&k) { style.bg = c } else { k = nums.count }
            case 49: style.bg = base.bg
            case 90...97: style.fg = .ansi(UInt8(p - 90 + 8))
            case 100...107: style.bg = .ansi(UInt8(p - 100 + 8))
            default: break // blink, conceal, fonts...: not shown
            }
            k += 1
        }
    }
}
