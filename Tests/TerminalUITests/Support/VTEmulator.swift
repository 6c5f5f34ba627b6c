import TerminalUI

/// A small terminal for the tests: the subset the renderer emits (CUP, CUU/CUD/CUF/CUB, CR, LF,
/// SGR, EL, ED 2, private modes). Anything else, and any wrap or scroll the renderer should
/// never cause, is recorded in `problems`.
struct VTEmulator {
    struct Pen: Equatable { var style = Style.plain }
    let width: Int
    let height: Int
    var cells: [Cell]
    var x = 0
    var y = 0
    var pendingWrap = false
    var pen = Style.plain
    var problems: [String] = []
    var privateModes: [String] = []
    private var text: [UInt8] = []

    init(width: Int, height: Int, garbage: Bool = false) {
        self.width = width
        self.height = height
        cells = Array(repeating: Cell(garbage ? "#" : " "), count: width * height)
    }

    subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

    mutating func feed(_ bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B {
                flushText()
                // The mode resets of TerminalSession.modeReset: keypad (ESC >), G0 charset (ESC ( B).
                if i + 1 < bytes.count, bytes[i + 1] == 0x3E { i += 2; continue }
                if i + 2 < bytes.count, bytes[i + 1] == 0x28, bytes[i + 2] == 0x42 { i += 3; continue }
                guard i + 1 < bytes.count, bytes[i + 1] == 0x5B else { problems.append("bare ESC at \(i)"); i += 1; continue }
                var j = i + 2
                while j < bytes.count && (0x30...0x3F).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else { problems.append("unterminated CSI"); return }
                let params = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                csi(params, final: bytes[j])
                i = j + 1
            } else if b == 0x0D {
                flushText(); x = 0; pendingWrap = false; i += 1
            } else if b == 0x0A {
                flushText()
                if y + 1 >= height { problems.append("LF at bottom would scroll") } else { y += 1 }
                pendingWrap = false
                i += 1
            } else if b == 0x0F {
                i += 1 // SI: G0 shifted in, as it already is
            } else if b < 0x20 || b == 0x7F {
                flushText(); problems.append("control byte \(b)"); i += 1
            } else {
                text.append(b); i += 1
            }
        }
        flushText()
    }

    private mutating func flushText() {
        guard !text.isEmpty else { return }
        let s = String(decoding: text, as: UTF8.self)
        text.removeAll()
        for ch in s { printChar(ch) }
    }

    private mutating func blank(_ cx: Int, _ cy: Int) {
        cells[cy * width + cx] = Cell(" ", style: Style(bg: pen.bg))
    }

    /// Clears the wide grapheme that overlaps cell (cx, cy), as terminals do.
    private mutating func breakWide(_ cx: Int, _ cy: Int) {
        let c = self[cx, cy]
        if c.width == 0 && cx > 0 { cells[cy * width + cx - 1] = Cell(" ", style: self[cx - 1, cy].style) }
        if c.width == 2 && cx + 1 < width { cells[cy * width + cx + 1] = Cell(" ", style: c.style) }
    }

    private mutating func printChar(_ ch: Character) {
        let w = DisplayWidth.of(ch)
        if w == 0 { problems.append("zero-width cluster printed: \(ch.unicodeScalars.map { $0.value })"); return }
        if pendingWrap { problems.append("print at (\(x),\(y)) would wrap"); return }
        if x + w > width { problems.append("wide char at last column (\(x),\(y))"); return }
        breakWide(x, y)
        if w == 2 { breakWide(x + 1, y) }
        cells[y * width + x] = Cell(String(ch), width: UInt8(w), style: pen)
        if w == 2 { cells[y * width + x + 1] = Cell("", width: 0, style: pen) }
        x += w
        if x >= width { x = width - 1; pendingWrap = true }
    }

    private func numbers(_ params: String) -> [Int] {
        params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
    }

    private mutating func csi(_ params: String, final: UInt8) {
        if params.hasPrefix("?") {
            privateModes.append(params + String(UnicodeScalar(final)))
            return
        }
        let n = numbers(params)
        let first = max(1, n.first ?? 1)
        switch final {
        case 0x48: // CUP
            y = min(height - 1, max(1, n.first ?? 1) - 1)
            x = min(width - 1, max(1, n.count > 1 ? n[1] : 1) - 1)
            pendingWrap = false
        case 0x41: y = max(0, y - first); pendingWrap = false
        case 0x42: y = min(height - 1, y + first); pendingWrap = false
        case 0x43: x = min(width - 1, x + first); pendingWrap = false
        case 0x44: x = max(0, x - first); pendingWrap = false
        case 0x4B: // EL
            guard (n.first ?? 0) == 0 else { problems.append("EL \(params)"); return }
            breakWide(x, y)
            for cx in x..<width { blank(cx, y) }
        case 0x4A: // ED
            guard n.first == 2 else { problems.append("ED \(params)"); return }
            for cy in 0..<height { for cx in 0..<width { blank(cx, cy) } }
        case 0x6D: sgr(n)
        case 0x6C where n == [4]: break // IRM off: this emulator never inserts
        case 0x72 where params.isEmpty: // DECSTBM: the whole screen scrolls; the cursor goes home
            x = 0; y = 0; pendingWrap = false
        default: problems.append("unexpected CSI \(params)\(UnicodeScalar(final))")
        }
    }

    private mutating func sgr(_ n: [Int]) {
        var k = 0
        while k < n.count {
            let p = n[k]
            switch p {
            case 0: pen = .plain
            case 1: pen.attributes.insert(.bold)
            case 2: pen.attributes.insert(.dim)
            case 3: pen.attributes.insert(.italic)
            case 4: pen.attributes.insert(.underline)
            case 7: pen.attributes.insert(.reverse)
            case 22: pen.attributes.subtract([.bold, .dim])
            case 23: pen.attributes.remove(.italic)
            case 24: pen.attributes.remove(.underline)
            case 27: pen.attributes.remove(.reverse)
            case 30...37: pen.fg = .ansi(UInt8(p - 30))
            case 39: pen.fg = .default
            case 40...47: pen.bg = .ansi(UInt8(p - 40))
            case 49: pen.bg = .default
            case 90...97: pen.fg = .ansi(UInt8(p - 82))
            case 100...107: pen.bg = .ansi(UInt8(p - 92))
            case 38, 48:
                var c: Color = .default
                if k + 2 < n.count && n[k + 1] == 5 { c = .indexed(UInt8(n[k + 2])); k += 2 }
                else if k + 4 < n.count && n[k + 1] == 2 { c = .rgb(UInt8(n[k + 2]), UInt8(n[k + 3]), UInt8(n[k + 4])); k += 4 }
                else { problems.append("bad colour SGR \(n)") }
                if p == 38 { pen.fg = c } else { pen.bg = c }
            default: problems.append("unexpected SGR \(p)")
            }
            k += 1
        }
    }

    /// Rows as text, for readable failure messages.
    var lines: [String] {
        (0..<height).map { cy in (0..<width).map { self[$0, cy].grapheme }.joined() }
    }
}
