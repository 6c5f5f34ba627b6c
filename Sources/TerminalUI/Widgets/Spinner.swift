/// A busy indicator; the program advances `tick` on a timer.
public struct Spinner: Hashable, Sendable {
    public static let frames: [String] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    public var tick: Int
    public init(tick: Int = 0) { self.tick = tick }
    public var frame: String { Spinner.frames[((tick % Spinner.frames.count) + Spinner.frames.count) % Spinner.frames.count] }
    public mutating func advance() { tick &+= 1 }
}
