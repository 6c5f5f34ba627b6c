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
