import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv completion bash` in a real bash: the script is sourced, COMP_WORDS set as bash's
/// completion sets them, and `_devenv`'s COMPREPLY is the candidates a user would see.
@Suite("Shell completion (real bash)")
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
}
