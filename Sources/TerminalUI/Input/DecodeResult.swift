/// The events decoded from a chunk of input, and the bytes kept back because they may be the
/// start of a sequence whose end has not arrived yet.
public struct DecodeResult: Hashable, Sendable {
    public var events: [InputEvent]
    /// Feed these back in front of the next read. When no more input comes within ~25-50 ms,
    /// decode them again with `atEnd: true` (that is how a lone ESC becomes the Escape key).
    public var leftover: [UInt8]
    /// The leftover is an unfinished bracketed paste: wait longer before forcing it out.
    public var leftoverIsPaste: Bool
}
