public struct KeyModifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let shift = KeyModifiers(rawValue: 1)
    public static let alt = KeyModifiers(rawValue: 2)
    public static let ctrl = KeyModifiers(rawValue: 4)
    public static let meta = KeyModifiers(rawValue: 8)

    /// From the xterm modifier parameter (`CSI 1;5A`: value 5 = 1 + ctrl).
    init(xtermParameter p: Int) {
        self.init(rawValue: UInt8(truncatingIfNeeded: max(0, p - 1) & 15))
    }
}

public enum Key: Hashable, Sendable {
    /// Text: a printable grapheme. Ctrl-A arrives as `.character("a")` with `.ctrl`.
    case character(Character)
    case enter, tab, backTab, backspace, escape
    case up, down, left, right
    case home, end, pageUp, pageDown, insert, delete
    /// F1 to F12 (and beyond, as terminals send them).
    case function(Int)
}

public struct KeyEvent: Hashable, Sendable, CustomStringConvertible {
    public var key: Key
    public var modifiers: KeyModifiers

    public init(_ key: Key, _ modifiers: KeyModifiers = []) {
        self.key = key
        self.modifiers = modifiers
    }

    public static func char(_ c: Character, _ modifiers: KeyModifiers = []) -> KeyEvent {
        KeyEvent(.character(c), modifiers)
    }

    public var description: String {
        var s = ""
        if modifiers.contains(.ctrl) { s += "ctrl+" }
        if modifiers.contains(.alt) { s += "alt+" }
        if modifiers.contains(.shift) { s += "shift+" }
        if modifiers.contains(.meta) { s += "meta+" }
        switch key {
        case .character(let c): s += String(c)
        case .function(let n): s += "f\(n)"
        default: s += "\(key)"
        }
        return s
    }
}

public struct MouseEvent: Hashable, Sendable {
    public enum Button: Hashable, Sendable { case left, middle, right, none, wheelUp, wheelDown, wheelLeft, wheelRight, other(Int) }
    public enum Action: Hashable, Sendable { case press, release, drag, move }
    public var button: Button
    public var action: Action
    /// Zero-based cell coordinates.
    public var x: Int
    public var y: Int
    public var modifiers: KeyModifiers

    public init(button: Button, action: Action, x: Int, y: Int, modifiers: KeyModifiers = []) {
        self.button = button
        self.action = action
        self.x = x
        self.y = y
        self.modifiers = modifiers
    }
}

public enum InputEvent: Hashable, Sendable {
    case key(KeyEvent)
    /// Bracketed paste, delivered whole.
    case paste(String)
    case mouse(MouseEvent)
    case focus(gained: Bool)
    /// A sequence the decoder does not know, reported rather than dropped.
    case unknown([UInt8])
}
