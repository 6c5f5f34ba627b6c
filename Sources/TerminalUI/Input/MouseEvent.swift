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
