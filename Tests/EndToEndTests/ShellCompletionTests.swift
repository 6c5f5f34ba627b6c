import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv completion bash|zsh|fish` run in the real shells. bash: the script is sourced, COMP_WORDS set as bash's
/// completion sets them, and `_devenv`'s COMPREPLY is the candidates a user would see.
@Suite("Shell completion (real bash, zsh and fish)")
struct ShellCompletionTests {
    /// The candidates bash offers for `line` (the last word is the one being completed).
    static func candidates(_ words: [String], in directory: String) throws -> [String] {
        let quoted = ([DevenvBinary.path] + words).map { "'" + $0 + "'" }.joined(separator: " ")
        let script = """
            set -u
            source <("\(DevenvBinary.path)" completion bash) || exit 9
            COMP_WORDS=(\(quoted))
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _devenv
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try TestEngine.run(["bash", "--norc", "-c", script], workingDirectory: directory, timeoutSeconds: 60)
        #expect(result.exitCode == 0, "bash: \(result.stderrText)")
        return result.stdoutText.split(separator: "\n").map(String.init).sorted()
    }

    @Test("commands, options, values and the project's profiles are completed")
    func bashCompletes() throws {
        let project = NSTemporaryDirectory() + "devenv-completion-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: project + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: project) }
        try "[project]\nname = \"completion\"\n\n[profiles.staging]\nextends = \"prod\"\n"
            .write(toFile: project + "/devenv.toml", atomically: true, encoding: .utf8)
        let elsewhere = NSTemporaryDirectory()

        #expect(try Self.candidates(["st"], in: project) == ["status"])
        #expect(try Self.candidates(["-C", project, "do"], in: elsewhere) == ["doctor", "down"])
        #expect(try Self.candidates(["down", "--vo"], in: project) == ["--volumes"])
        #expect(try Self.candidates(["up", "--vo"], in: project) == [], "--volumes is down's only")
        #expect(try Self.candidates(["logs", "--r"], in: project) == ["--raw"])
        #expect(try Self.candidates(["logs", "--tail", ""], in: project) == ["10", "100", "50", "all"])
        #expect(try Self.candidates(["completion", ""], in: project) == ["bash", "fish", "zsh"])
        #expect(try Self.candidates(["help", "ex"], in: project) == ["exec"])
        // Profiles come from the project's configuration at completion time, -C honoured.
        #expect(try Self.candidates(["--profile", ""], in: project) == ["ci", "dev", "prod", "staging"])
        #expect(try Self.candidates(["-C", project, "up", "-p", "st"], in: elsewhere) == ["staging"])
        #expect(try Self.candidates(["--project", elsewhere + "/no-such-folder", "up", "-p", ""], in: elsewhere) == [])
        // After exec's command, words are the command's, not devenv's.
        #expect(try Self.candidates(["exec", "ls", "--vo"], in: project) == [])
        #expect(try Self.candidates(["exec", "--pro"], in: project) == ["--profile", "--project"])
        #expect(try Self.candidates(["-C", project, "test", "su"], in: project) == ["sub"])
    }

    @Test("zsh and fish scripts name every command and option of the table")
    func otherShellsCoverTheTable() throws {
        let zsh = try TestEngine.run([DevenvBinary.path, "completion", "zsh"]).stdoutText
        let fish = try TestEngine.run([DevenvBinary.path, "completion", "fish"]).stdoutText
        #expect(zsh.hasPrefix("#compdef devenv\n"))
        for command in ["up", "down", "exec", "logs", "test", "completion", "doctor"] {
            #expect(zsh.contains("'\(command):"), "zsh: \(command)")
            #expect(fish.contains(" -a \(command) -d "), "fish: \(command)")
        }
        for option in ["volumes", "no-cache", "tail", "raw", "profile", "project", "base-image"] {
            #expect(zsh.contains("--\(option)"), "zsh: --\(option)")
            #expect(fish.contains(" -l \(option)"), "fish: --\(option)")
        }
    }

    /// The shell's path, or a skip (a failure when DEVENV_REQUIRE_ENGINE=1: `make test` as root
    /// installs it with Tests/Scripts/ensure-test-tools.sh).
    static func shell(_ name: String) throws -> String {
        if let found = ["/usr/bin/\(name)", "/bin/\(name)", "/usr/local/bin/\(name)"].first(where: FileManager.default.isExecutableFile) {
            return found
        }
        let reason = "\(name) is not installed (Debian: apt-get install \(name); `make test` installs it as root)"
        if TestEngine.isRequired { throw EndToEndFailure(description: "\(reason) (DEVENV_REQUIRE_ENGINE=1)") }
        print("ShellCompletionTests: skipped: \(reason)")
        try Test.cancel(Comment(rawValue: "skipped: \(reason)"))
    }

    /// A project with a `staging` profile, in a folder of its own.
    static func project() throws -> String {
        let project = NSTemporaryDirectory() + "devenv-completion-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: project + "/sub", withIntermediateDirectories: true)
        try "[project]\nname = \"completion\"\n\n[profiles.staging]\nextends = \"prod\"\n"
            .write(toFile: project + "/devenv.toml", atomically: true, encoding: .utf8)
        return project
    }

    static var binDirectory: String { URL(fileURLWithPath: DevenvBinary.path).deletingLastPathComponent().path }

    @Test("zsh: the generated script in zsh's own completion system (compinit, a pty) completes what bash does")
    func zshCompletes() throws {
        let zsh = try Self.shell("zsh")
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(atPath: project) }
        let functions = project + "/.zfunc"
        try FileManager.default.createDirectory(atPath: functions, withIntermediateDirectories: true)
        let script = try TestEngine.run([DevenvBinary.path, "completion", "zsh"])
        try script.stdoutText.write(toFile: functions + "/_devenv", atomically: true, encoding: .utf8)
        func candidates(_ line: String, in directory: String? = nil) throws -> [String] {
            let result = try TestEngine.run([zsh, "-f", TestEngine.scriptsDirectory + "/zsh-complete.zsh", functions, line,
                                             Self.binDirectory, directory ?? project], timeoutSeconds: 120)
            #expect(result.exitCode == 0, "zsh did not finish completing `\(line)`: \(result.stderrText)")
            return result.stdoutText.split(separator: "\n").map(String.init).sorted()
        }
        #expect(try candidates("devenv st") == ["status"])
        #expect(try candidates("devenv down --vo") == ["--volumes"])
        #expect(try candidates("devenv up --vo") == [], "--volumes is down's only")
        #expect(try candidates("devenv logs --tail ") == ["10", "100", "50", "all"])
        #expect(try candidates("devenv completion ") == ["bash", "fish", "zsh"])
        #expect(try candidates("devenv help ex") == ["exec"])
        #expect(try candidates("devenv exec --pro") == ["--profile", "--project"])
        // Profiles from the project's configuration at completion time, -C honoured.
        #expect(try candidates("devenv --profile ") == ["ci", "dev", "prod", "staging"])
        #expect(try candidates("devenv -C \(project) up -p st", in: NSTemporaryDirectory()) == ["staging"])
    }

    @Test("fish: the generated script in fish's own completion (complete -C) completes what bash does")
    func fishCompletes() throws {
        let fish = try Self.shell("fish")
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(atPath: project) }
        let script = project + "/devenv.fish"
        try TestEngine.run([DevenvBinary.path, "completion", "fish"]).stdoutText.write(toFile: script, atomically: true, encoding: .utf8)
        func candidates(_ line: String, in directory: String? = nil) throws -> [String] {
            // complete -C prints "candidate<TAB>description" lines.
            let result = try TestEngine.run([fish, "--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line],
                                            environment: ["PATH": Self.binDirectory + ":/usr/bin:/bin"],
                                            workingDirectory: directory ?? project, timeoutSeconds: 60)
            #expect(result.exitCode == 0, "fish: \(result.stderrText)")
            return result.stdoutText.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }.sorted()
        }
        #expect(try candidates("devenv st") == ["status"])
        #expect(try candidates("devenv down --vo") == ["--volumes"])
        #expect(try candidates("devenv up --vo") == [])
        #expect(try candidates("devenv logs --tail ") == ["10", "100", "50", "all"], "values only, no file names")
        #expect(try candidates("devenv completion ") == ["bash", "fish", "zsh"])
        #expect(try candidates("devenv exec --pro") == ["--profile", "--project"])
        #expect(try candidates("devenv --profile ") == ["ci", "dev", "prod", "staging"])
        #expect(try candidates("devenv -C \(project) up -p st", in: NSTemporaryDirectory()) == ["staging"])
    }
}
