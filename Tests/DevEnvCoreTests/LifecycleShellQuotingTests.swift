import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 13's shortfall: a lifecycle command's string form runs with `sh -c`, and a value
/// substituted from `${localEnv:VAR}` was inserted raw, so a host variable holding a space, `;`,
/// `$(...)` or a newline split the command or ran code. Every substituted value is now data
/// (`ShellWordQuoting`), wherever it stands: unquoted, in single or double quotes, glued to
/// other text. Checked by the shell itself: the command prints exactly the value and makes no
/// file. (The real engine runs one such command in DevcontainerEngineTests.)
@Suite struct LifecycleShellQuotingTests {
    typealias F = ConfigFixture
    static let file = ".devcontainer/devcontainer.json"

    static let hostile: [String] = [
        "a b", "it's", #"say "hi""#, "$(touch PWNED)", "`touch PWNED`", "a;touch PWNED", "x && touch PWNED",
        "line1\ntouch PWNED", #"back\slash"#, "", "$HOME", "*", "'; touch PWNED; '", #"\"; touch PWNED; \""#, "-n",
    ]

    /// Where the reference stands in the command, and the text the shell prints around the value.
    static let places: [(command: String, before: String, after: String)] = [
        ("printf '%s|' ${localEnv:X}", "", "|"),
        (#"printf '%s|' "${localEnv:X}""#, "", "|"),
        (#"printf '%s|' '${localEnv:X}'"#, "", "|"),
        ("printf '%s|' pre${localEnv:X}post", "pre", "post|"),
        (#"printf '%s|' "a'b${env:X}""#, "a'b", "|"),
        // After the shell's own backslash: it must not escape the quoting devenv adds.
        (#"printf '%s|' \${localEnv:X}"#, "", "|"),
        (#"printf '%s|' "\${localEnv:X}""#, "", "|"),
    ]

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// `sh -c TEXT` in an empty folder: what it printed, and whether any file appeared.
    static func runShell(_ text: String) throws -> (output: String, madeFiles: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-quoting-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", text]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), try FileManager.default.contentsOfDirectory(atPath: folder.path))
    }

    func substituted(_ command: String, value: String) throws -> String {
        let json = #"{ "image": "python:3.12", "postCreateCommand": \#(Self.jsonString(command)) }"#
        let eval = F.evaluate(F.fileSystem([Self.file: json]), environment: ["HOME": "/home/ada", "X": value])
        let config = try #require(eval.config, "\(eval.errors)")
        guard case .shell(let text)? = config.profile.lifecycle[.postCreate]?.value else {
            Issue.record("no shell command for \(command)")
            return ""
        }
        return text
    }

    @Test(arguments: hostile)
    func aHostileHostVariableIsOneWordOfData(_ value: String) throws {
        for (command, before, after) in Self.places {
            let text = try substituted(command, value: value)
            let ran = try Self.runShell(text)
            #expect(ran.output == before + value + after, "\(command) with \(value.debugDescription) became \(text.debugDescription)")
            #expect(ran.madeFiles.isEmpty, "\(command) with \(value.debugDescription) ran code: \(text.debugDescription)")
        }
        // The default of an unset variable is data too.
        let fallback = try substituted("printf '%s|' ${localEnv:UNSET:\(value.replacingOccurrences(of: "}", with: ""))}", value: "")
        let ran = try Self.runShell(fallback)
        #expect(ran.madeFiles.isEmpty, "\(fallback.debugDescription)")
    }

    @Test func ordinaryValuesAreInsertedAsTheyAre() throws {
        #expect(try substituted("pip install ${localEnv:X}", value: "requests==2.31") == "pip install requests==2.31")
        #expect(try substituted("cd ${localEnv:X}/sub", value: "/home/ada/src") == "cd /home/ada/src/sub")
        #expect(try substituted("echo ${localEnv:X}", value: "a b") == "echo 'a b'")
        #expect(try substituted(#"echo "${localEnv:X}""#, value: #"$(id)"#) == #"echo "\$(id)""#)
    }
}
