/// One column of the screen. A wide grapheme occupies its cell (width 2) and the cell to its
/// right, which holds an empty continuation (width 0).
public struct Cell: Hashable, Sendable {
    public var grapheme: String
    /// 1 or 2 for a cell that starts a grapheme, 0 for the right half of a wide one.
    public var width: UInt8
    public var style: Style

    public init(_ grapheme: String, width: UInt8 = 1, style: Style = .plain) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
    }

    public static let blank = Cell(" ")
    static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

    public var isContinuation: Bool { width == 0 }
}
