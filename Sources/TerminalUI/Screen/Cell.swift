/// One column of the screen. A wide grapheme occupies its cell (width 2) and the cell to its
/// right, which holds an empty continuation (width 0).
public struct Cell: Hashable, Sendable {
    public let grapheme: String
    /// 1 or 2 for a cell that starts a grapheme, 0 for the right half of a wide one.
    public let width: UInt8
    public var style: Style
    /// The byte of a one-byte ASCII grapheme, else 0: most cells are ASCII, and comparing and
    /// writing a byte is much cheaper than a String (the renderer's hot path).
    let ascii: UInt8

    public init(_ grapheme: String, width: UInt8 = 1, style: Style = .plain) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
        var byte: UInt8 = 0
        var utf8 = grapheme.utf8.makeIterator()
        if let first = utf8.next(), first < 0x80, utf8.next() == nil { byte = first }
        self.ascii = byte
    }

    /// A cell for a printable ASCII byte, without looking at the string again.
    init(ascii byte: UInt8, style: Style) {
        self.grapheme = Cell.asciiStrings[Int(byte & 0x7F)]
        self.width = 1
        self.style = style
        self.ascii = byte
    }

    private static let asciiStrings: [String] = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }

    public static let blank = Cell(" ")
    static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

    public var isContinuation: Bool { width == 0 }

    public static func == (a: Cell, b: Cell) -> Bool {
        guard a.width == b.width, a.ascii == b.ascii, a.style == b.style else { return false }
        return a.ascii != 0 || a.grapheme == b.grapheme
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(grapheme)
        hasher.combine(width)
        hasher.combine(style)
    }

    /// Appends the grapheme's UTF-8 bytes.
    @inline(__always)
    func write(into out: inout [UInt8]) {
        if ascii != 0 { out.append(ascii) } else { out.append(contentsOf: grapheme.utf8) }
    }
}
