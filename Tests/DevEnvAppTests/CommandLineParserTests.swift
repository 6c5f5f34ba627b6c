@testable import DevEnvApp
import DevEnvCore
import Testing

@Suite struct CommandLineParserTests {
    @Test func globalOptionsStandAnywhere() throws {
        let parsed = try CommandLineParser.parse(["--profile", "ci", "up", "--json", "-C", "/p"])
        #expect(parsed.command == .up(ports: []))
        #expect(parsed.options.profile == "ci")
        #expect(parsed.options.json)
        #expect(parsed.options.projectDirectory == "/p")
    }

    @Test func commandOptions() throws {
        #expect(try CommandLineParser.parse(["down", "--volumes"]).command == .down(volumes: true))
        #expect(try CommandLineParser.parse(["logs", "-f", "--tail", "20", "--since=10m"]).command
            == .logs(follow: true, tail: "20", since: "10m"))
        #expect(try CommandLineParser.parse(["exec", "--", "ls", "-la"]).command == .exec(["ls", "-la"]))
        #expect(try CommandLineParser.parse([]).command == .dashboard)
        #expect(try CommandLineParser.parse(["--version"]).command == .version)
        #expect(try CommandLineParser.parse(["up", "--help"]).wantsHelp)
    }

    @Test func mistakesNameTheNearestValidWord() {
        func message(_ arguments: [String]) -> String {
            do { _ = try CommandLineParser.parse(arguments); return "" } catch let error as DevEnvError {
                #expect(error.exitCode == .usage)
                return error.message
            } catch { return "\(error)" }
        }
        #expect(message(["dwon"]) == #"unknown command "dwon"; did you mean "down"?"#)
        #expect(message(["stauts"]) == #"unknown command "stauts"; did you mean "status"?"#)
        #expect(message(["down", "--volume"]) == #"unknown option "--volume" for down; did you mean "--volumes"?"#)
        #expect(message(["up", "--profle", "x"]) == #"unknown option "--profle" for up; did you mean "--profile"?"#)
        #expect(message(["exec"]) == "exec needs COMMAND [ARGS...]")
        #expect(message(["exec", "-it", "bash"]) == #"unknown option "-it" for exec"#)
        #expect(message(["up", "--volumes"]) == "option --volumes is not valid for up; it belongs to devenv down")
        #expect(message(["up", "--", "x"]) == "`--` is only for `devenv exec` and `devenv test`")
        #expect(message(["completion", "tcsh"]) == "unknown argument \"tcsh\" for completion")
        #expect(message(["help", "stauts"]) == #"unknown command "stauts"; did you mean "status"?"#)
        #expect(message(["--profile"]).hasPrefix("option --profile needs a value"))
        #expect(message(["--json=yes"]) == "option --json takes no value")
        // break21: a folder named -x (`-C -x`) said only "needs a value"; the hint says how.
        let dash = Result { try CommandLineParser.parse(["-C", "-x", "status"]) }
        if case .failure(let error as DevEnvError) = dash {
            #expect(error.message == "option -C needs a value (DIR)")
            #expect(error.hint == "a value that starts with '-' is written --project=-x")
        } else {
            Issue.record("-C -x parsed: \(dash)")
        }
        #expect((try? CommandLineParser.parse(["--project=-x", "status"]))?.options.projectDirectory == "-x")
        // `-C --json status`: the value was left out; devenv's own option is not offered as one.
        for option in ["--json", "--profile=ci"] {
            let missing = Result { try CommandLineParser.parse(["-C", option, "status"]) }
            if case .failure(let error as DevEnvError) = missing {
                #expect(error.hint == "see `devenv help`", "\(option)")
            } else {
                Issue.record("-C \(option) parsed: \(missing)")
            }
        }
        #expect(message(["logs", "--tail", "many"]).contains("--tail takes a number"))
        #expect(message(["up", "extra"]) == #"up does not take "extra""#)
    }

    @Test func everyCommandHasHelpWithUsage() {
        for command in CommandLineParser.commands {
            #expect(HelpText.text(for: command).hasPrefix("usage: devenv \(command)"), "\(command)")
        }
        // Every option of a command is in its help, every command and global option in the overview.
        for option in CommandTable.options {
            for command in option.commands {
                #expect(HelpText.text(for: command).contains(option.synopsis), "\(option.long) in help \(command)")
            }
            if option.isGlobal { #expect(HelpText.overview.contains(option.synopsis)) }
        }
        for spec in CommandTable.visibleCommands { #expect(HelpText.overview.contains("  \(spec.name)  ")) }
        // A command's option summaries start in one column (`up`'s --port synopsis is longer than the rest).
        for command in CommandLineParser.commands {
            let help = HelpText.text(for: command)
            guard let options = help.components(separatedBy: "\noptions:\n").dropFirst().first?.components(separatedBy: "\n\n").first else { continue }
            let columns = Set(options.split(separator: "\n").compactMap { line -> Int? in
                guard let spec = CommandTable.options.first(where: { line.hasPrefix("  " + $0.synopsis + " ") }) else { return nil }
                return line.dropFirst(2 + spec.synopsis.count).prefix { $0 == " " }.count + spec.synopsis.count
            })
            #expect(columns.count == 1, "\(command): \(options)")
        }
    }

    /// `--help` anywhere (before words that belong to another program) is help, never a run.
    @Test func helpAnywhere() throws {
        #expect(try CommandLineParser.parse(["--help"]).command == .help(nil))
        #expect(try CommandLineParser.parse(["-h", "up"]).command == .help("up"))
        #expect(try CommandLineParser.parse(["up", "extra", "--help"]).command == .help("up"))
        #expect(try CommandLineParser.parse(["exec", "--help"]).command == .help("exec"))
        #expect(try CommandLineParser.parse(["down", "-p", "ci", "--help"]).command == .help("down"))
        // After the command's first word, --help is the command's.
        #expect(try CommandLineParser.parse(["exec", "ls", "--help"]).command == .exec(["ls", "--help"]))
        #expect(try CommandLineParser.parse(["test", "--", "--help"]).command == .test(["--help"]))
    }

    @Test func versionAnywhere() throws {
        for arguments in [["--version"], ["status", "--version"], ["--version", "down", "--volumes"], ["version"],
                          ["-C", "/x", "logs", "--version", "-f"]] {
            #expect(try CommandLineParser.parse(arguments).command == .version, "\(arguments)")
        }
        #expect(try CommandLineParser.parse(["exec", "python", "--version"]).command == .exec(["python", "--version"]))
    }

    /// Issue 10 item 7: `exec CMD ARGS...` as docker exec; `test` hands its arguments on.
    @Test func execAndTestArguments() throws {
        #expect(try CommandLineParser.parse(["exec", "id"]).command == .exec(["id"]))
        #expect(try CommandLineParser.parse(["exec", "ls", "-la", "--json"]).command == .exec(["ls", "-la", "--json"]))
        let withOptions = try CommandLineParser.parse(["exec", "--profile", "ci", "--json", "python", "-V", "-p", "x"])
        #expect(withOptions.command == .exec(["python", "-V", "-p", "x"]))
        #expect(withOptions.options.profile == "ci")
        #expect(withOptions.options.json)
        #expect(try CommandLineParser.parse(["-p", "ci", "exec", "--", "-weird", "x"]).command == .exec(["-weird", "x"]))
        #expect(try CommandLineParser.parse(["exec", "--", "--"]).command == .exec(["--"]))

        #expect(try CommandLineParser.parse(["test"]).command == .test([]))
        #expect(try CommandLineParser.parse(["test", "--", "-k", "name", "-x"]).command == .test(["-k", "name", "-x"]))
        #expect(try CommandLineParser.parse(["test", "-k", "name", "-x"]).command == .test(["-k", "name", "-x"]))
        let test = try CommandLineParser.parse(["test", "--profile", "ci", "tests/unit", "-q"])
        #expect(test.command == .test(["tests/unit", "-q"]))
        #expect(test.options.profile == "ci")
        #expect(test.options.verbosity == .normal)
        // devenv's own options before the first test word stay devenv's; `--` passes them on.
        let quiet = try CommandLineParser.parse(["test", "-q", "--", "-q"])
        #expect(quiet.command == .test(["-q"]))
        #expect(quiet.options.verbosity == .quiet)
        // An option devenv has only for another command is the test runner's (pytest -f).
        #expect(try CommandLineParser.parse(["test", "-f"]).command == .test(["-f"]))
    }

    @Test func optionsBeforeTheCommandAndInlineValues() throws {
        #expect(try CommandLineParser.parse(["--volumes", "down"]).command == .down(volumes: true))
        #expect(try CommandLineParser.parse(["logs", "--tail=all", "--follow"]).command
            == .logs(follow: true, tail: "all", since: nil))
        #expect(try CommandLineParser.parse(["--project=/p", "status"]).options.projectDirectory == "/p")
        #expect(try CommandLineParser.parse(["completion", "fish"]).command == .completion("fish"))
        #expect(try CommandLineParser.parse(["help", "exec"]).command == .help("exec"))
    }
}
