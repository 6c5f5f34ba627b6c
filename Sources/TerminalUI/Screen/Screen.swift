/// A grid of cells that views draw into; the renderer turns the difference between two screens
/// into bytes. Writes keep the wide-character invariant: a wide cell is always followed by its
/// continuation, and overwriting either half blanks the other.
public struct Screen: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        let checked = Screen.checked(fill)
        self.cells = Array(repeating: checked.width == 1 ? checked : Cell(" ", style: fill.style), count: self.width * self.height)
    }

    /// A screen whose rows are the given plain lines (padded with blanks), for tests.
    public init(lines: [String], width: Int? = nil) {
        let w = width ?? lines.map { DisplayWidth.of($0) }.max() ?? 0
        self.init(width: w, height: lines.count)
        for (y, line) in lines.enumerated() { put(line, x: 0, y: y) }
    }

    public var size: Size { Size(width: width, height: height) }
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Writes one cell at (x, y), blanking the halves of wide graphemes it overlaps. The cell's
    /// width is taken from the width table, whatever it says; anything that is not one visible
    /// grapheme (control characters, several clusters) is stored as a blank, so no cell can
    /// smuggle an escape sequence to the terminal. A wide cell at the right edge becomes a blank.
    public mutating func set(_ cell: Cell, x: Int, y: Int) {
        store(Screen.checked(cell), x: x, y: y)
    }

    static func checked(_ cell: Cell) -> Cell {
        if cell.ascii >= 0x20 && cell.ascii < 0x7F { return cell.width == 1 ? cell : Cell(ascii: cell.ascii, style: cell.style) }
        var clusters = cell.grapheme.makeIterator()
        guard let ch = clusters.next(), clusters.next() == nil else { return Cell(" ", style: cell.style) }
        let w = DisplayWidth.of(ch)
        guard w > 0, !ch.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) else {
            return Cell(" ", style: cell.style)
        }
        return w == Int(cell.width) ? cell : Cell(cell.grapheme, width: UInt8(w), style: cell.style)
    }

    /// `set` without the checks, for graphemes already measured and cleaned.
    mutating func store(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, y >= 0, x < width, y < height, cell.width > 0 else { return }
        var cell = cell
        if cell.width == 2 && x + 1 >= width { cell = Cell(" ", style: cell.style) }
        let i = y * width + x
        clearOverlap(at: i, x: x)
        if cell.width == 2 {
            clearOverlap(at: i + 1, x: x + 1)
            cells[i + 1] = .continuation(cell.style)
        }
        cells[i] = cell
    }

    private mutating func clearOverlap(at i: Int, x: Int) {
        let old = cells[i]
        if old.width == 0 && x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        } else if old.width == 2 && x + 1 < width {
            cells[i + 1] = Cell(" ", style: old.style)
        }
    }

    /// Writes text from (x, y) on one row, clipped to `maxWidth` columns and the screen edge.
    /// Control characters and clusters with no visible base are skipped, so nothing written
    /// here can reach the terminal as a command. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var col = x
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            // Printable ASCII, the common case: one byte, one cell.
            for b in text.utf8 {
                if col >= limit { break }
                if col >= 0 {
                    let i = y * width + col
                    if cells[i].width != 1 { clearOverlap(at: i, x: col) }
                    cells[i] = Cell(ascii: b, style: style)
                }
                col += 1
            }
            return max(0, col - x)
        }
        for ch in text {
            if col >= limit { break }
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit {
                // A wide grapheme never splits across the edge: pad the last column instead.
                if col >= 0 { store(Cell(" ", style: style), x: col, y: y) }
                col += 1
                break
            }
            if col >= 0 {
                store(Cell(String(ch), width: UInt8(w), style: style), x: col, y: y)
            } else if col + w > 0 {
                store(Cell(" ", style: style), x: 0, y: y)
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes styled spans one after another; returns the columns used.
    @discardableResult
    public mutating func put(_ text: StyledText, x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        var used = 0
        let total = maxWidth ?? (width - x)
        for span in text.spans {
            if used >= total { break }
            used += put(span.text, x: x + used, y: y, style: span.style, maxWidth: total - used)
        }
        return used
    }

    /// Fills a rectangle (clipped to the screen) with copies of a cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        let cell = Screen.checked(cell)
        for y in r.y..<r.maxY {
            for x in stride(from: r.x, to: r.maxX, by: Int(cell.width)) { store(cell, x: x, y: y) }
        }
    }

    /// Changes the style of every cell in a rectangle, keeping the text (selection highlight).
    public mutating func modifyStyle(in rect: Rect, _ change: (inout Style) -> Void) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { change(&cells[y * width + x].style) }
        }
    }

    /// The text of one row, continuation cells left out, trailing blanks kept.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width { s += cells[y * width + x].grapheme }
        return s
    }

    public var lines: [String] { (0..<height).map(line) }
}
