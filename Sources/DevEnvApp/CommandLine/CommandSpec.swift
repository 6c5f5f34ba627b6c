/// One subcommand, as declared in `CommandTable.commands`.
public struct CommandSpec: Sendable {
    /// What follows the command's name on the command line.
    public enum Arguments: Sendable, Hashable {
        case none
        /// One optional word, completed as given (`help [COMMAND]`, `completion SHELL`).
        case word(OptionSpec.Completion, required: Bool)
        /// Everything from the first word that is not one of devenv's options (or after `--`)
        /// belongs to another program: `exec CMD ARGS...`, `test [ARGS...]`. `required`: at
        /// least one word. `optionsStartIt`: an option devenv does not have for this command
        /// starts them too (`test -k name`); otherwise it is a usage error (`exec -it`).
        case passthrough(required: Bool, optionsStartIt: Bool)
    }

    public let name: String
    /// The arguments in the usage line, after the options: `COMMAND [ARGS...]`.
    public let usage: String
    public let arguments: Arguments
    /// One line for the command list.
    public let summary: String
    /// The paragraph of `devenv help NAME`.
    public let description: String
    public let examples: [String]
    /// Parsed but not listed (the completion scripts' own `__complete`, `version`).
    public let hidden: Bool
    /// What the command prints is its point (a command's or the tests' output, logs, a
    /// report): with standard output closed (`>&-`) it is not run at all, exit 1 (`App.dispatch`).
    /// A command run in a container writes straight to devenv's stdout and docker exits 0 all
    /// the same, so the loss would go unsaid (`exec` did, leftovers25; `test` and `logs` too).
    /// The others do their work and say the lost output afterwards (`App.run`).
    public let outputIsThePoint: Bool
    /// The command only reads (the configuration, the engine's state) and changes nothing: a
    /// signal in its reading says so (`ChildProcesses.commandOnlyReads`), where a changing
    /// command's says that nothing was changed yet.
    public let onlyReads: Bool

    public init(_ name: String, usage: String = "", arguments: Arguments = .none, _ summary: String,
                description: String, examples: [String] = [], hidden: Bool = false, outputIsThePoint: Bool = false,
                onlyReads: Bool = false) {
        self.name = name
        self.usage = usage
        self.arguments = arguments
        self.summary = summary
        self.description = description
        self.examples = examples
        self.hidden = hidden
        self.outputIsThePoint = outputIsThePoint
        self.onlyReads = onlyReads
    }

    /// The options that apply to this command only (not the global ones).
    public var options: [OptionSpec] {
        CommandTable.options.filter { !$0.isGlobal && $0.commands.contains(name) }
    }

    /// `devenv down [--volumes]`, from the table.
    public var usageLine: String {
        (["devenv", name] + options.map(\.usage) + (usage.isEmpty ? [] : [usage])).joined(separator: " ")
    }
}
