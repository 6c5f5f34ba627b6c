/// How many colours the terminal can show, chosen by `TerminalCapabilities`.
public enum ColorMode: Int, Comparable, Sendable {
    case none = 0, ansi16, indexed256, truecolor
    public static func < (a: ColorMode, b: ColorMode) -> Bool { a.rawValue < b.rawValue }
}
