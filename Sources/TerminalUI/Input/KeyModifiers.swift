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
