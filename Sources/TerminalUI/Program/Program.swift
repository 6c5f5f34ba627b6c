/// An Elm-style program (bubbletea's Model): state, `update(event) -> [command]`, and a pure
/// `view` that draws the state into a screen of the terminal's size.
public protocol Program {
    associatedtype Message
    associatedtype Effect = Never
    mutating func update(_ event: ProgramEvent<Message>) -> [ProgramCommand<Message, Effect>]
    func view(into screen: inout Screen)
}

extension Program {
    /// The view drawn into a fresh screen, for tests and for the loop.
    public func render(size: Size) -> Screen {
        var screen = Screen(width: size.width, height: size.height)
        view(into: &screen)
        return screen
    }
}
