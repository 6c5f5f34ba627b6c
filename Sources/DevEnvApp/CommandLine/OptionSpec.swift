/// One option of the command line, as declared in `CommandTable.options`.
public struct OptionSpec: Sendable {
    /// What a shell completes for an option's value or a command's argument.
    public enum Completion: Sendable, Hashable {
        case none
        case directories
        case files
        /// The project's profiles, asked from `devenv __complete profiles` at completion time.
        case profiles
        /// The project's services, asked from `devenv __complete services` at completion time.
        case services
        case choices([String])
        /// devenv's (visible) command names.
        case commands
    }

    /// Every spelling, the long one first: `["--profile", "-p"]`.
    public let names: [String]
    /// The value's name in help (`NAME`, `DIR`); nil for a flag that takes no value.
    public let value: String?
    public let summary: String
    /// The commands it applies to; empty: every command (a global option, before or after the
    /// command).
    public let commands: [String]
    public let completion: Completion

    public init(_ names: [String], value: String? = nil, _ summary: String, commands: [String] = [],
                completion: Completion = .none) {
        self.names = names
        self.value = value
        self.summary = summary
        self.commands = commands
        self.completion = completion
    }

    /// The long name, the key the parser files the option's value under.
    public var long: String { names[0] }
    public var isGlobal: Bool { commands.isEmpty }

    public func applies(to command: String?) -> Bool {
        isGlobal || command.map(commands.contains) ?? false
    }

    /// `-C, --project DIR`: short names first, as help lists them.
    public var synopsis: String {
        let spelled = names.sorted { $0.count < $1.count }.joined(separator: ", ")
        return value.map { "\(spelled) \($0)" } ?? spelled
    }

    /// `[-f]`, `[--tail N]`: the option in a usage line (its shortest name).
    public var usage: String {
        let shortest = names.min { $0.count < $1.count } ?? long
        return "[" + (value.map { "\(shortest) \($0)" } ?? shortest) + "]"
    }
}
