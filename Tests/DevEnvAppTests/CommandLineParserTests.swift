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
        #expect(message(["stauts"]) == #"unknown command "stauts"; did you mean "status"?"#)
        #expect(message(["down", "--volume"]) == #"unknown option "--volume" for down; did you mean "--volumes"?"#)
        #expect(message(["up", "--profle", "x"]) == #"unknown option "--profle" for up; did you mean "--profile"?"#)
        #expect(message(["exec", "ls"]) == "exec takes its command after `--`")
        #expect(message(["logs", "--tail", "many"]).contains("--tail takes a number"))
        #expect(message(["up", "extra"]) == #"up does not take "extra""#)
        #expect(message(["status", "--version"]) == "--version stands alone")
    }

    @Test func everyCommandHasHelpWithUsage() {
        for command in CommandLineParser.commands {
            #expect(HelpText.text(for: command).hasPrefix("usage: devenv"), "\(command)")
        }
    }
}
