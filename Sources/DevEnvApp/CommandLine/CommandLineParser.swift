import DevEnvCore

/// argv -> ParsedCommandLine. Global options may stand before or after the command; `--`
/// ends option parsing (`devenv exec -- ls -la`). Any mistake is a usage error (exit 2) that
/// names the nearest valid word.
public enum CommandLineParser {
    public static let commands = ["up", "down", "restart", "build", "status", "shell", "exec", "logs", "sync-deps",
                                  "clean-cache", "config", "test", "init", "doctor", "help", "version"]

    static let globalFlags = ["--project", "-C", "--profile", "-p", "--no-tui", "--json", "--dry-run", "--quiet", "-q",
                              "--verbose", "-v", "--help", "-h", "--version"]

    static let commandFlags: [String: [String]] = [
        "down": ["--volumes"], "build": ["--no-cache"], "logs": ["--follow", "-f", "--tail", "--since", "--raw"],
        "init": ["--base-image", "--python", "--force"],
    ]

    public static func parse(_ arguments: [String]) throws -> ParsedCommandLine {
        var options = GlobalOptions()
        var commandName: String?
        var positional: [String] = []
        var rest: [String]?
        var wantsHelp = false
        var commandOptions: [String: String] = [:]
        var index = 0

        func value(for flag: String) throws -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("-") || arguments[index] == "-" else {
                throw DevEnvError.usage("option \(flag) needs a value", hint: "see `devenv help`")
            }
            return arguments[index]
        }

        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest = Array(arguments[(index + 1)...])
                break
            }
            // --flag=value
            var flag = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func flagValue() throws -> String {
                if let inlineValue { return inlineValue }
                return try value(for: flag)
            }
            switch flag {
            case "--project", "-C": options.projectDirectory = try flagValue()
            case "--profile", "-p": options.profile = try flagValue()
            case "--no-tui": options.noTUI = true
            case "--json": options.json = true
            case "--dry-run": options.dryRun = true
            case "--quiet", "-q": options.verbosity = .quiet
            case "--verbose", "-v": options.verbosity = .verbose
            case "--help", "-h": wantsHelp = true
            case "--version":
                guard commandName == nil else {
                    throw DevEnvError.usage("--version stands alone", hint: "devenv --version")
                }
                commandName = "version"
            default:
                if flag.hasPrefix("-") && flag != "-" {
                    guard let name = commandName, let allowed = commandFlags[name], allowed.contains(flag) else {
                        let candidates = globalFlags + (commandName.flatMap { commandFlags[$0] } ?? [])
                        throw unknown("option", flag, among: candidates, command: commandName)
                    }
                    switch flag {
                    case "--tail", "--since", "--base-image", "--python": commandOptions[flag] = try flagValue()
                    default: commandOptions[flag] = ""
                    }
                } else if commandName == nil {
                    guard commands.contains(argument) else {
                        throw unknown("command", argument, among: commands, command: nil)
                    }
                    commandName = argument
                } else {
                    positional.append(argument)
                }
            }
            index += 1
        }

        let command: Command
        switch commandName {
        case nil: command = wantsHelp ? .help(nil) : .dashboard
        case "up": command = .up
        case "down": command = .down(volumes: commandOptions["--volumes"] != nil)
        case "restart": command = .restart
        case "build": command = .build(noCache: commandOptions["--no-cache"] != nil)
        case "status": command = .status
        case "shell": command = .shell
        case "exec":
            let words = rest ?? []
            if !positional.isEmpty {
                throw DevEnvError.usage("exec takes its command after `--`", hint: "devenv exec -- \(positional.joined(separator: " "))")
            }
            if words.isEmpty && !wantsHelp { throw DevEnvError.usage("exec needs a command", hint: "devenv exec -- python -V") }
            return ParsedCommandLine(options: options, command: .exec(words), wantsHelp: wantsHelp)
        case "logs":
            if let tail = commandOptions["--tail"], tail != "all", Int(tail) == nil {
                throw DevEnvError.usage("--tail takes a number of lines or `all`, not \"\(tail)\"")
            }
            command = .logs(follow: commandOptions["--follow"] != nil || commandOptions["-f"] != nil,
                            tail: commandOptions["--tail"], since: commandOptions["--since"],
                            raw: commandOptions["--raw"] != nil)
        case "sync-deps": command = .syncDeps
        case "clean-cache": command = .cleanCache
        case "config": command = .config
        case "test": command = .test
        case "init":
            command = .initialize(baseImage: commandOptions["--base-image"], python: commandOptions["--python"],
                                  force: commandOptions["--force"] != nil)
        case "doctor": command = .doctor
        case "help":
            if let topic = positional.first, !commands.contains(topic) {
                throw unknown("command", topic, among: commands, command: nil)
            }
            return ParsedCommandLine(options: options, command: .help(positional.first), wantsHelp: false)
        default: command = .version
        }
        if let extra = positional.first {
            throw DevEnvError.usage("\(commandName ?? "devenv") does not take \"\(extra)\"", hint: "see `devenv help \(commandName ?? "")`")
        }
        if rest != nil && commandName != "exec" {
            throw DevEnvError.usage("`--` is only for `devenv exec -- COMMAND`")
        }
        return ParsedCommandLine(options: options, command: command, wantsHelp: wantsHelp)
    }

    private static func unknown(_ kind: String, _ word: String, among candidates: [String], command: String?) -> DevEnvError {
        let place = command.map { " for \($0)" } ?? ""
        if let near = EditDistance.nearest(to: word, in: candidates) {
            return DevEnvError.usage("unknown \(kind) \"\(word)\"\(place); did you mean \"\(near)\"?",
                                     hint: "see `devenv help\(command.map { " \($0)" } ?? "")`")
        }
        return DevEnvError.usage("unknown \(kind) \"\(word)\"\(place)", hint: "see `devenv help\(command.map { " \($0)" } ?? "")`")
    }
}
