/// What argv asked for: the global options, the command, and whether `--help` came after it.
public struct ParsedCommandLine: Sendable, Hashable {
    public var options: GlobalOptions
    public var command: Command
    /// `--help` after a command: show that command's help instead of running it.
    public var wantsHelp: Bool
}
