public enum Key: Hashable, Sendable {
    /// Text: a printable grapheme. Ctrl-A arrives as `.character("a")` with `.ctrl`.
    case character(Character)
    case enter, tab, backTab, backspace, escape
    case up, down, left, right
    case home, end, pageUp, pageDown, insert, delete
    /// F1 to F12 (and beyond, as terminals send them).
    case function(Int)
}
