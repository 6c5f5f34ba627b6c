/// The terminal could not be set up (settings unreadable, raw mode refused, poll failed).
public struct TerminalSessionError: Error, CustomStringConvertible {
    public var description: String
}
