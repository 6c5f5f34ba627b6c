/// What a program is told.
public enum ProgramEvent<Message> {
    /// The first event, with the terminal size.
    case start(Size)
    case input(InputEvent)
    case resize(Size)
    /// A message from a timer, a watched file descriptor or a background thread.
    case message(Message)
    /// The program came back from a suspend (^Z then fg) or from handing the terminal to a
    /// child process; the screen is redrawn in full anyway.
    case resumed
}

/// What a program asks the loop to do. Effects are data; only the loop carries them out.
public enum ProgramCommand<Message, Effect> {
    case quit
    /// Redraw the whole screen on the next frame (^L).
    case redraw
    /// Deliver `message` after the delay (ticks: ask again on each one).
    case after(milliseconds: Int, Message)
    /// Something for the application to carry out (run docker, hand over the terminal...).
    case effect(Effect)
}

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
