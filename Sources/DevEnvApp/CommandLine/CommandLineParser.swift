import DevEnvCore

/// argv -> ParsedCommandLine, driven by `CommandTable`. Global options may stand before or
/// after the command; `exec` and `test` hand everything from their first non-option word (or
/// after `--`) to the program they run. `--help` and `--version` work anywhere before that.
/// Any mistake is a usage error (exit 2) that names the nearest valid word.
public enum CommandLineParser {
    /// Every command name the parser accepts (hidden ones included).
    public static var commands: [String] { CommandTable.commands.map(\.name) }

    /// What the generic pass over argv found, before it becomes a `Command`.
    struct Arguments {
        var command: String?
        /// Option values by long name; "" for a flag.
        var given: [String: String] = [:]
        /// Every value of an option given more than once (`--port 8000=8001 --port 5678=5679`),
        /// in order; `given` keeps the last.
        var repeated: [String: [String]] = [:]
        var positional: [String] = []
        /// The words for another program (`exec`, `test`); nil when none were given.
        var passthrough: [String]?

        func flag(_ long: String) -> Bool { given[long] != nil }
        func value(_ long: String) -> String? { given[long] }
        func values(_ long: String) -> [String] { repeated[long] ?? [] }
    }

    public static func parse(_ argv: [String]) throws -> ParsedCommandLine {
        let arguments = try scan(argv)
        var options = GlobalOptions()
        options.projectDirectory = arguments.value("--project")
        options.profile = arguments.value("--profile")
        options.noTUI = arguments.flag("--no-tui")
        options.json = arguments.flag("--json")
        options.dryRun = arguments.flag("--dry-run")
        options.allowInitialize = arguments.flag("--allow-initialize")
        if arguments.flag("--quiet") { options.verbosity = .quiet }
        if arguments.flag("--verbose") { options.verbosity = .verbose }
        if arguments.flag("--help") {
            return ParsedCommandLine(options: options, command: .help(arguments.command), wantsHelp: true)
        }
        if arguments.flag("--version") {
            return ParsedCommandLine(options: options, command: .version, wantsHelp: false)
        }
        return ParsedCommandLine(options: options, command: try command(arguments), wantsHelp: false)
    }

    /// The generic pass: options looked up in the table, values taken, the command found.
    static func scan(_ argv: [String]) throws -> Arguments {
        var result = Arguments()
        var spec: CommandSpec?
        var index = 0
        var passesThrough: Bool {
            if case .passthrough = spec?.arguments { return true }
            return false
        }
        while index < argv.count {
            let argument = argv[index]
            if argument == "--" {
                guard passesThrough else {
                    throw DevEnvError.usage("`--` is only for `devenv exec` and `devenv test`",
                                            hint: "devenv exec -- COMMAND, devenv test -- ARGS")
                }
                result.passthrough = Array(argv[(index + 1)...])
                break
            }
            if argument.hasPrefix("-") && argument != "-" {
                var name = argument
                var inlineValue: String?
                if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    inlineValue = String(argument[argument.index(after: equals)...])
                }
                let option = CommandTable.option(name)
                if option.map({ !$0.applies(to: result.command) }) ?? true,
                   case .passthrough(_, optionsStartIt: true) = spec?.arguments {
                    // `devenv test -k name`: the test runner's options start its arguments.
                    result.passthrough = Array(argv[index...])
                    break
                }
                guard let option else { throw unknownOption(name, command: result.command) }
                if option.value != nil {
                    if let inlineValue {
                        result.given[option.long] = inlineValue
                        result.repeated[option.long, default: []].append(inlineValue)
                    } else {
                        index += 1
                        guard index < argv.count, !argv[index].hasPrefix("-") || argv[index] == "-" else {
                            // `-C -x` for a folder named -x: say how such a value is written. Not
                            // after `-C --json`: a value left out, not one that starts with '-'.
                            let next = index < argv.count ? argv[index] : nil
                            let hint = if let next, CommandTable.option(String(next.prefix { $0 != "=" })) == nil {
                                "a value that starts with '-' is written \(option.long)=\(next)"
                            } else {
                                "see `devenv help\(result.command.map { " \($0)" } ?? "")`"
                            }
                            throw DevEnvError.usage("option \(name) needs a value (\(option.value ?? ""))", hint: hint)
                        }
                        result.given[option.long] = argv[index]
                        result.repeated[option.long, default: []].append(argv[index])
                    }
                } else {
                    if inlineValue != nil { throw DevEnvError.usage("option \(name) takes no value") }
                    result.given[option.long] = ""
                }
            } else if result.command == nil {
                guard let found = CommandTable.command(argument) else {
                    throw unknown("command", argument, among: CommandTable.visibleCommands.map(\.name), command: nil)
                }
                result.command = found.name
                spec = found
            } else if passesThrough {
                result.passthrough = Array(argv[index...])
                break
            } else {
                result.positional.append(argument)
            }
            index += 1
        }
        // Options given before the command are checked once it is known.
        for long in result.given.keys.sorted() {
            if let option = CommandTable.option(long), !option.applies(to: result.command) {
                let owners = option.commands.map { "devenv \($0)" }.joined(separator: ", ")
                let place = result.command.map { "for \($0)" } ?? "without a command"
                throw DevEnvError.usage("option \(long) is not valid \(place); it belongs to \(owners)",
                                        hint: "see `devenv help\(result.command.map { " \($0)" } ?? "")`")
            }
        }
        return result
    }

    /// The typed command, with its own options and arguments checked.
    static func command(_ arguments: Arguments) throws -> Command {
        guard let name = arguments.command, let spec = CommandTable.command(name) else { return .dashboard }
        switch spec.arguments {
        case .none:
            if let extra = arguments.positional.first {
                throw DevEnvError.usage("\(name) does not take \"\(extra)\"", hint: "see `devenv help \(name)`")
            }
        case .word(let completion, let required):
            if arguments.positional.count > 1 {
                throw DevEnvError.usage("\(name) takes one \(spec.usage), not \"\(arguments.positional[1])\"",
                                        hint: "see `devenv help \(name)`")
            }
            if let word = arguments.positional.first {
                let allowed: [String]? = switch completion {
                case .choices(let choices): choices
                case .commands: CommandTable.visibleCommands.map(\.name)
                default: nil
                }
                if let allowed, !allowed.contains(word) {
                    throw unknown(name == "help" ? "command" : "argument", word, among: allowed,
                                  command: name == "help" ? nil : name)
                }
            } else if required {
                throw DevEnvError.usage("\(name) needs \(spec.usage)", hint: spec.examples.first ?? "see `devenv help \(name)`")
            }
        case .passthrough(let required, _):
            if required && (arguments.passthrough ?? []).isEmpty {
                throw DevEnvError.usage("\(name) needs \(spec.usage)", hint: spec.examples.first ?? "see `devenv help \(name)`")
            }
        }
        let words = arguments.passthrough ?? []
        let topic = arguments.positional.first
        switch name {
        case "up":
            let ports = try arguments.values("--port").map { text -> PortOverride in
                guard let override = PortOverride.parse(text) else {
                    throw DevEnvError.usage("--port takes CONTAINER=HOST port numbers, not \"\(text)\"",
                                            hint: "devenv up --port 8000=8001 publishes container port 8000 on host port 8001")
                }
                return override
            }
            return .up(ports: ports)
        case "down": return .down(volumes: arguments.flag("--volumes"), images: arguments.flag("--images"))
        case "restart": return .restart
        case "build": return .build(noCache: arguments.flag("--no-cache"))
        case "status": return .status
        case "shell": return .shell
        case "exec": return .exec(words, service: arguments.value("--service"))
        case "logs":
            let tail = arguments.value("--tail")
            if let tail, tail != "all", Int(tail) == nil {
                throw DevEnvError.usage("--tail takes a number of lines or `all`, not \"\(tail)\"")
            }
            return .logs(follow: arguments.flag("--follow"), tail: tail, since: arguments.value("--since"),
                         raw: arguments.flag("--raw"), service: topic)
        case "sync-deps": return .syncDeps
        case "clean-cache": return .cleanCache
        case "prune": return .prune
        case "config": return .config
        case "test": return .test(words)
        case "init":
            let with = try arguments.values("--with").map { name -> String in
                guard InitService.named(name) != nil else {
                    throw DevEnvError.usage("--with takes \(InitService.all.map(\.name).joined(separator: " or ")), not \"\(name)\"",
                                            hint: "devenv init --with postgres --with redis")
                }
                return name
            }
            return .initialize(baseImage: arguments.value("--base-image"), python: arguments.value("--python"),
                               force: arguments.flag("--force"), with: with)
        case "doctor": return .doctor
        case "completion": return .completion(topic ?? "bash")
        case "__complete": return .completeNames(topic ?? "profiles")
        case "help": return .help(topic)
        default: return .version
        }
    }

    private static func unknownOption(_ name: String, command: String?) -> DevEnvError {
        let candidates = CommandTable.options.filter { $0.applies(to: command) }.flatMap(\.names)
        return unknown("option", name, among: candidates, command: command)
    }

    private static func unknown(_ kind: String, _ word: String, among candidates: [String], command: String?) -> DevEnvError {
        let place = command.map { " for \($0)" } ?? ""
        var hint = "see `devenv help\(command.map { " \($0)" } ?? "")`"
        if kind == "option", command == "exec" {
            hint = "devenv's options go before COMMAND; -i and -t are chosen for you (see `devenv help exec`)"
        }
        // A short word is near anything: suggest only a likely typo (few edits, or letters swapped).
        if let near = EditDistance.nearest(to: word, in: candidates),
           EditDistance.distance(word, near) <= max(1, word.count / 3) || word.sorted() == near.sorted() {
            return DevEnvError.usage("unknown \(kind) \"\(word)\"\(place); did you mean \"\(near)\"?", hint: hint)
        }
        return DevEnvError.usage("unknown \(kind) \"\(word)\"\(place)", hint: hint)
    }
}
