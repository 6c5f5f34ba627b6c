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
