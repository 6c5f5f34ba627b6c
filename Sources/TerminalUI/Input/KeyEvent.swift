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
