import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Untrusted text never reaches the terminal raw (issue 9 section 6), through the devenv
/// binary: escape sequences in devenv.toml keys, profile names and env values are shown
/// escaped in errors, warnings, dry-run lines and config output; a container's sequences are
/// filtered by `devenv logs` on a terminal and passed unchanged with --raw or into a pipe.
@Suite("Untrusted text on the terminal", .serialized)
struct TerminalSafetyTests {
    static let osc52 = "\\u001b]52;c;aGVsbG8=\\u0007"   // TOML escapes: set the clipboard to "hello"
    static let osc0 = "\\u001b]0;pwned\\u0007"          // set the window title

    /// A project folder with these files (no engine needed for what these tests run).
    static func project(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-safe-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// No byte of devenv's output is a control character other than newline and tab.
    static func expectNoControls(_ result: ProcessResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (stream, bytes) in [("stdout", result.stdout), ("stderr", result.stderr)] {
            let text = String(decoding: bytes, as: UTF8.self)
            let bad = text.unicodeScalars.filter { TerminalSafeText.isUnsafe($0, keepingLineBreaks: true) }
            #expect(bad.isEmpty, "\(stream) holds control characters \(bad.map { String($0.value, radix: 16) }): \(text.debugDescription)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("an unknown devenv.toml key with OSC 52 and one with OSC 0: the error shows them escaped, exit 2")
    func unknownKey() throws {
        let path = try Self.project(["devenv.toml": """
            [project]
            name = "safe"
            [profiles.dev]
            "clip\(Self.osc52)" = 1
            "title\(Self.osc0)" = 2
            """])
        defer { try? FileManager.default.removeItem(atPath: path) }
        for arguments in [["config"], ["up", "--dry-run"], ["status", "--no-tui"]] {
            let result = try DevenvBinary.run(arguments, in: path)
            #expect(result.exitCode == 2, "\(arguments): \(result.stderrText)")
            Self.expectNoControls(result)
            #expect(result.stderrText.contains("clip\\x1b]52;c;aGVsbG8=\\x07"), "\(result.stderrText)")
            #expect(result.stderrText.contains("title\\x1b]0;pwned\\x07"), "\(result.stderrText)")
        }
        // --json: the error object is valid JSON and carries the key exactly.
        let json = try DevenvBinary.run(["--json", "config"], in: path)
        Self.expectNoControls(json)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any]
        let message = (object?["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("clip\u{1B}]52;c;aGVsbG8=\u{07}") || (object?["error"] as? [String: Any])?["detail"].map { "\($0)" }?.contains("\u{1B}]52") == true,
                "\(json.stdoutText)")
    }

    @Test("a profile name with OSC 0 given with --profile, and one defined in devenv.toml")
    func profileNames() throws {
        let path = try Self.project(["devenv.toml": """
            [project]
            name = "safe"
            [profiles."dev\(Self.osc0)"]
            """])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let given = try DevenvBinary.run(["--profile", "x\u{1B}]0;pwned\u{07}", "config"], in: path)
        #expect(given.exitCode == 2, "\(given.stderrText)")
        Self.expectNoControls(given)
        #expect(given.stderrText.contains("x\\x1b]0;pwned\\x07"), "\(given.stderrText)")
        for arguments in [["config"], ["--profile", "dev\u{1B}]0;pwned\u{07}", "config"]] {
            let defined = try DevenvBinary.run(arguments, in: path)
            Self.expectNoControls(defined)
            #expect((defined.stderrText + defined.stdoutText).contains("dev\\x1b]0;pwned\\x07"), "\(defined.stderrText)\(defined.stdoutText)")
        }
    }

    @Test("an env value with OSC 52, a C1 CSI and a bidi override: config and the dry-run docker line show them escaped")
    func envValue() throws {
        let path = try Self.project([
            "devenv.toml": """
                [project]
                name = "safe"
                [profiles.dev]
                env = { CLIP = "a\(Self.osc52)b", CSI = "\\u009b?1049h", BIDI = "txt\\u202eexe" }
                """,
            "Dockerfile": "FROM busybox AS dev\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try DevenvBinary.run(["config"], in: path)
        #expect(config.exitCode == 0, "\(config.stderrText)")
        Self.expectNoControls(config)
        let dryRun = try DevenvBinary.run(["up", "--dry-run"], in: path)
        #expect(dryRun.exitCode == 0, "\(dryRun.stderrText)")
        Self.expectNoControls(dryRun)
        // The line that makes the container (`docker create`, or `docker run --detach`) carries --env.
        let run = dryRun.stdoutText.split(separator: "\n").first { $0.contains(" --env ") } ?? ""
        // ANSI-C quoted: safe to show, and the very bytes when pasted into bash.
        #expect(run.contains("$'CLIP=a\\x1b]52;c;aGVsbG8=\\x07b'"), "\(dryRun.stdoutText)")
        #expect(run.contains("$'CSI=\\xc2\\x9b?1049h'") && run.contains("$'BIDI=txt\\xe2\\x80\\xaeexe'"), "\(run)")
        let json = try DevenvBinary.run(["--json", "config"], in: path)
        Self.expectNoControls(json)
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout)) is [String: Any], "\(json.stdoutText)")
    }

    @Test("a container that prints OSC 52, a title and the alternate screen: `devenv logs` on a terminal drops them and keeps colours; --raw and a pipe pass them")
    func logs() throws {
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        let name = "safe" + String(UUID().uuidString.prefix(8)).lowercased()
        let path = try Self.project(["devenv.toml": "[project]\nname = \"\(name)\"\n[profiles.dev]\n"])
        defer {
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: path)
        }
        // The container devenv would have made (its name and labels), printing the sequences.
        let printed = #"printf '\033]52;c;aGVsbG8=\007\033]0;pwned\007\033[?1049h\033[31mred\033[0m plain\n'; printf '\033]2;err\033\\stderr line\n' >&2"#
        let created = try TestEngine.docker(["run", "--detach", "--name", "\(DevenvNames.container(name, in: path))",
                                             "--label", "devenv.project=\(name)", "--label", "devenv.profile=dev",
                                             "--label", "devenv.root=\(path)", "--network", "none", TestEngine.busyboxImage, "sh", "-c", printed])
        guard created.succeeded else {
            Issue.record("docker run failed: \(created.stderrText)")
            return
        }
        _ = try TestEngine.docker(["wait", "\(DevenvNames.container(name, in: path))"])
        let devenv = "DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(path)'"

        // On a terminal (script(1) gives it a pty): colours stay, the rest is gone.
        let onTerminal = try TestEngine.run(["script", "-q", "-e", "-c", "\(devenv) logs", "/dev/null"], timeoutSeconds: 60)
        let seen = onTerminal.stdoutText
        #expect(onTerminal.exitCode == 0, "\(seen)")
        #expect(seen.contains("\u{1B}[31mred\u{1B}[0m plain"), "\(seen.debugDescription)")
        #expect(seen.contains("stderr line"), "\(seen.debugDescription)")
        for sequence in ["\u{1B}]52", "\u{1B}]0;", "\u{1B}]2;", "\u{1B}[?1049h"] {
            #expect(!seen.contains(sequence), "\(sequence.debugDescription) reached the terminal: \(seen.debugDescription)")
        }

        // --raw on a terminal: docker's bytes unchanged.
        let raw = try TestEngine.run(["script", "-q", "-e", "-c", "\(devenv) logs --raw", "/dev/null"], timeoutSeconds: 60)
        #expect(raw.stdoutText.contains("\u{1B}]52;c;aGVsbG8=\u{07}") && raw.stdoutText.contains("\u{1B}[?1049h"), "\(raw.stdoutText.debugDescription)")

        // Into a pipe (no terminal): unchanged too, as documented.
        let piped = try DevenvBinary.run(["logs"], in: path)
        #expect(piped.exitCode == 0, "\(piped.stderrText)")
        #expect(piped.stdoutText.contains("\u{1B}]0;pwned\u{07}"), "\(piped.stdoutText.debugDescription)")
        #expect(piped.stderrText.contains("\u{1B}]2;err"), "\(piped.stderrText.debugDescription)")
    }
}
