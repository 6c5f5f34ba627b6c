public enum InputEvent: Hashable, Sendable {
    case key(KeyEvent)
    /// Bracketed paste, delivered whole.
    case paste(String)
    case mouse(MouseEvent)
    case focus(gained: Bool)
    /// A sequence the decoder does not know, reported rather than dropped.
    case unknown([UInt8])
}
