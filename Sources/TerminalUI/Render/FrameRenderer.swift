/// Turns screens into terminal bytes. It keeps the last frame it drew and emits only the cells
/// that changed, choosing the shortest cursor move and SGR change for each run, erasing blank
/// line tails with EL. A frame is one byte buffer wrapped in synchronized output (?2026), so the
/// caller writes it with one write(). A full redraw happens on the first frame, on a size
/// change, or after `invalidate()` (resume, a child process used the terminal, ^L).
public struct FrameRenderer: Sendable {
    public var colorMode: ColorMode
    private var previous: Screen?
    private var cursorX = 0
    private var cursorY = 0
    private var cursorKnown = false
    private var pen = Style.plain

    public init(colorMode: ColorMode) { self.colorMode = colorMode }

    /// Makes the next frame a full redraw.
    public mutating func invalidate() {
        previous = nil
        cursorKnown = false
    }

    /// The bytes that turn what the terminal shows into `next`; empty when nothing changed.
    public mutating func render(_ next: Screen) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(next.width * next.height / 4 + 64)
        let prev: Screen
        if let p = previous, p.width == next.width, p.height == next.height {
            prev = p
        } else {
            // Reset the pen, home, clear: the diff against a blank screen then draws the rest.
            out.append(contentsOf: Array("\u{1B}[0m\u{1B}[H\u{1B}[2J".utf8))
            pen = .plain
            cursorX = 0; cursorY = 0; cursorKnown = true
            prev = Screen(width: next.width, height: next.height)
        }
        let w = next.width
        for y in 0..<next.height {
            diffRow(y, prev: prev, next: next, width: w, into: &out)
        }
        if pen != .plain {
            out.append(contentsOf: [0x1B, 0x5B, 0x30, 0x6D])
            pen = .plain
        }
        previous = next
        if out.isEmpty { return out }
        var frame: [UInt8] = Array("\u{1B}[?2026h".utf8)
        frame.reserveCapacity(out.count + 16)
        frame.append(contentsOf: out)
        frame.append(contentsOf: Array("\u{1B}[?2026l".utf8))
        return frame
    }

    private mutating func diffRow(_ y: Int, prev: Screen, next: Screen, width w: Int, into out: inout [UInt8]) {
        prev.cells.withUnsafeBufferPointer { p in
            next.cells.withUnsafeBufferPointer { n in
                diffRow(y, p, n, width: w, into: &out)
            }
        }
    }

    private mutating func diffRow(_ y: Int, _ p: UnsafeBufferPointer<Cell>, _ n: UnsafeBufferPointer<Cell>,
                                  width w: Int, into out: inout [UInt8]) {
        let base = y * w
        var first = -1
        for x in 0..<w where p[base + x] != n[base + x] { first = x; break }
        guard first >= 0 else { return }
        // A changed right half means the wide grapheme to its left must be written again.
        if first > 0 && n[base + first].width == 0 { first -= 1 }
        var tail = w
        while tail > 0 && n[base + tail - 1] == .blank { tail -= 1 }

        var x = first
        while x < w {
            var changed = p[base + x] != n[base + x]
            if !changed && n[base + x].width == 2 && x + 1 < w && p[base + x + 1] != n[base + x + 1] { changed = true }
            guard changed else { x += 1; continue }
            if x >= tail {
                move(toX: x, y: y, row: n, base: base, into: &out)
                setPen(.plain, into: &out)
                out.append(contentsOf: [0x1B, 0x5B, 0x4B])
                return
            }
            let width = Int(n[base + x].width)
            if width == 0 { x += 1; continue }
            move(toX: x, y: y, row: n, base: base, into: &out)
            if n[base + x].style != pen { setPen(n[base + x].style, into: &out) }
            n[base + x].write(into: &out)
            cursorX += width
            x += width
            // At the right edge the terminal holds a pending wrap: its column is not reliable.
            if cursorX >= w { cursorKnown = false }
        }
    }

    private mutating func setPen(_ style: Style, into out: inout [UInt8]) {
        if style == pen { return }
        SGREncoder.transition(from: pen, to: style, mode: colorMode, into: &out)
        pen = style
    }

    private mutating func move(toX x: Int, y: Int, row: UnsafeBufferPointer<Cell>, base: Int, into out: inout [UInt8]) {
        if cursorKnown && cursorY == y && cursorX == x { return }
        defer { cursorX = x; cursorY = y; cursorKnown = true }
        if cursorKnown && cursorY == y {
            if x > cursorX {
                let n = x - cursorX
                let moveCost = 3 + digits(n)
                if n <= moveCost && gapIsRewritable(from: cursorX, to: x, row: row, base: base) {
                    for gx in cursorX..<x { row[base + gx].write(into: &out) }
                    return
                }
                out.append(0x1B); out.append(0x5B); appendDecimal(n, to: &out); out.append(0x43)
                return
            }
            if x == 0 { out.append(0x0D); return }
            out.append(0x1B); out.append(0x5B); appendDecimal(cursorX - x, to: &out); out.append(0x44)
            return
        }
        if cursorKnown && x == 0 && y == cursorY + 1 { out.append(0x0D); out.append(0x0A); return }
        if cursorKnown && x == cursorX && y > cursorY {
            out.append(0x1B); out.append(0x5B); appendDecimal(y - cursorY, to: &out); out.append(0x42)
            return
        }
        out.append(0x1B); out.append(0x5B)
        appendDecimal(y + 1, to: &out)
        if x > 0 { out.append(0x3B); appendDecimal(x + 1, to: &out) }
        out.append(0x48)
    }

    /// Unchanged single-column ASCII cells in the current pen can be printed instead of moving.
    private func gapIsRewritable(from x0: Int, to x1: Int, row: UnsafeBufferPointer<Cell>, base: Int) -> Bool {
        for gx in x0..<x1 {
            let c = row[base + gx]
            if c.ascii == 0 || c.style != pen { return false }
        }
        return true
    }

    private func digits(_ n: Int) -> Int { n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4 }
}
