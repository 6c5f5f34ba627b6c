import DevEnvCore
import Foundation
import Testing
import TestSupport

/// review24 item 4: a host variable whose value is not UTF-8 (a Latin-1 path, raw bytes) was
/// read with U+FFFD in place of its bytes and substituted so, silently: `${localEnv:X}` in
/// devcontainer.json and `${X}` in devenv.toml's mounts got text that is not the variable's
/// value (another path, another word). A reference to one is now an error at its
/// `file:line:col` (exit 2) naming the variable, and nothing runs. The real binary is given
/// the raw bytes by bash (`printf '\377'`, exported, then execve), as a user's shell would.
@Suite struct NonUTF8HostVariableTests {
    private func project(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-nonutf8-\(UUID().uuidString)").path
        for (name, text) in files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        // A docker stand-in that records every call: none may be made.
        try "#!/bin/sh\necho \"$*\" >> \"\(dir)/docker-calls\"\nexit 1\n".write(toFile: dir + "/docker", atomically: true, encoding: .utf8)
        chmod(dir + "/docker", 0o755)
        return dir
    }

    /// devenv ARGUMENTS in `dir` with BAD set to `value` (printf's format: `caf\351` is Latin-1).
    private func devenv(_ arguments: String, in dir: String, bad value: String) throws -> ProcessResult {
        let script = #"BAD="$(printf '\#(value)')"; export BAD; exec "$2" --no-tui -C "$1" \#(arguments)"#
        return try TestEngine.run(["/bin/bash", "-c", script, "bash", dir, DevenvBinary.path],
                                  environment: ["DEVENV_DOCKER": dir + "/docker", "NO_COLOR": "1"], timeoutSeconds: 20)
    }

    private func calls(_ dir: String) -> String {
        (try? String(contentsOfFile: dir + "/docker-calls", encoding: .utf8)) ?? ""
    }

    @Test(arguments: ["config", "up", "up --dry-run"])
    func aDevcontainerReferenceToANonUTF8VariableIsAnError(_ command: String) throws {
        let dir = try project([".devcontainer/devcontainer.json": """
            {
              "image": "python:3.12",
              "containerEnv": {
                "WHERE": "${localEnv:BAD}/data"
              }
            }
            """])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try devenv(command, in: dir, bad: #"/srv/caf\351"#)
        #expect(result.exitCode == 2, "exit \(result.exitCode)\n\(result.stderrText)")
        #expect(result.stderrText.contains(".devcontainer/devcontainer.json:4:"), "file:line:col: \(result.stderrText)")
        #expect(result.stderrText.contains("\"containerEnv.WHERE\": the host environment variable BAD is not valid UTF-8"),
                "\(result.stderrText)")
        #expect(!result.stderrText.contains("\u{FFFD}") && !result.stdoutText.contains("\u{FFFD}"), "no replaced text shown")
        #expect(calls(dir) == "", "no docker call: \(calls(dir))")
    }

    @Test func aMountReferenceInDevenvTomlIsAnErrorAtItsPlace() throws {
        let dir = try project(["devenv.toml": """
            [project]
            name = "latin"
            mounts = ["${BAD}:/data"]
            """, "Dockerfile": "FROM scratch AS dev\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try devenv("up", in: dir, bad: #"/srv/caf\351"#)
        #expect(result.exitCode == 2, "exit \(result.exitCode)\n\(result.stderrText)")
        #expect(result.stderrText.contains("devenv.toml:3:"), "file:line:col: \(result.stderrText)")
        #expect(result.stderrText.contains("the host environment variable BAD is not valid UTF-8"), "\(result.stderrText)")
        #expect(calls(dir) == "", "no docker call: \(calls(dir))")
    }

    /// The same files with a UTF-8 value, and a non-UTF-8 variable nobody refers to: no error.
    @Test func aUTF8ValueOrAnUnreferencedVariableIsFine() throws {
        let dir = try project([".devcontainer/devcontainer.json": #"{ "image": "python:3.12", "containerEnv": { "WHERE": "${localEnv:BAD}" } }"#])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let utf8 = try devenv("config", in: dir, bad: "/srv/caf\u{E9}")
        #expect(utf8.exitCode == 0, "exit \(utf8.exitCode)\n\(utf8.stderrText)")
        #expect(utf8.stdoutText.contains("/srv/caf\u{E9}"), "\(utf8.stdoutText)")
        try #"{ "image": "python:3.12" }"#.write(toFile: dir + "/.devcontainer/devcontainer.json", atomically: true, encoding: .utf8)
        let unreferenced = try devenv("config", in: dir, bad: #"caf\351"#)
        #expect(unreferenced.exitCode == 0, "exit \(unreferenced.exitCode)\n\(unreferenced.stderrText)")
    }
}
