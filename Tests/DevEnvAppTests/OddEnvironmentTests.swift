import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The real binary where its surroundings are odd: standard output that takes nothing (a full
/// disk, closed), a current folder that was deleted. devenv must say what went wrong and exit
/// non-zero, never exit 0 with its output lost or act on a folder that is gone.
@Suite struct OddEnvironmentTests {
    /// `devenv ARGS` through bash (pipefail), so that the redirections and `cd` are the shell's; no engine
    /// is needed (`config`, `--version` and a refused project make no docker call).
    private func devenv(_ script: String, in directory: String? = nil) throws -> ProcessResult {
        try TestEngine.run(["/bin/bash", "-c", "set -o pipefail; " + script, DevenvBinary.path], environment: ["DEVENV_DOCKER": "/bin/false"],
                           workingDirectory: directory, timeoutSeconds: 20)
    }

    private func project() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-odd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "[project]\nname = \"odd\"\n".write(toFile: dir + "/devenv.toml", atomically: true, encoding: .utf8)
        return dir
    }

    /// hostile24: `devenv config > /dev/full` (a full disk) and `devenv config >&-` exited 0
    /// with nothing written; a script took the missing output for an empty answer. `config`, whose
    /// output is its point, is not run at all with stdout closed (`CommandSpec.outputIsThePoint`).
    @Test(arguments: [("\"$0\" config >/dev/full", "No space left on device", "the output is incomplete"),
                      ("\"$0\" config --json >/dev/full", "No space left on device", "the output is incomplete"),
                      ("\"$0\" --version >/dev/full", "No space left on device", "the output is incomplete"),
                      ("\"$0\" --version >&-", "Bad file descriptor", "the output is incomplete"),
                      ("\"$0\" config >&-", "Bad file descriptor", "the command was not run")])
    func lostOutputIsAFailure(script: String, reason: String, consequence: String) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try devenv(script, in: dir)
        #expect(result.exitCode == 1, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains("devenv: error: cannot write to standard output: \(reason); \(consequence)"),
                "\(result.stderrText)")
    }

    /// cachebreak28: with --json and standard output closed, the refusal was said, then the
    /// lost JSON object of that refusal as "the output is incomplete": two errors, the second
    /// saying the command had written part of an output it never ran for.
    @Test func aRefusalWithJSONIsSaidOnce() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try devenv("\"$0\" config --json >&-", in: dir)
        #expect(result.exitCode == 1, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText == "devenv: error: cannot write to standard output: Bad file descriptor; the command was not run (`>/dev/null` discards its output)\n",
                "\(result.stderrText)")
    }

    /// leftovers25: `devenv exec -- echo hi >&-` exited 0 with "hi" lost (docker says nothing
    /// of a closed stdout). Refused before any docker call (DEVENV_DOCKER is /bin/false here).
    @Test func execWithStandardOutputClosedFails() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try devenv("\"$0\" exec -- echo hi >&-", in: dir)
        #expect(result.exitCode == 1, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains("devenv: error: cannot write to standard output: Bad file descriptor; the command was not run"),
                "\(result.stderrText)")
        // Open, it goes on to the engine (here /bin/false: no container found), not this error.
        let open = try devenv("\"$0\" exec -- echo hi >/dev/null", in: dir)
        #expect(!open.stderrText.contains("cannot write to standard output"), "\(open.stderrText)")
    }

    /// A reader that stops early is no failure: `devenv config | head -1` ends as the command
    /// ends (SIGPIPE is ignored, so a closed pipe is only a failed write).
    @Test func aReaderThatStopsEarlyIsNoFailure() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try devenv("\"$0\" config | head -c 1 >/dev/null", in: dir)
        #expect(result.exitCode == 0, "exit \(result.exitCode): \(result.stderrText)")
        #expect(!result.stderrText.contains("cannot write"), "\(result.stderrText)")
    }

    /// hostile24: in a folder deleted under the shell, getcwd fails and devenv went on with "."
    /// as a project (`project project-07d9c907 (.)`), and `up --dry-run` planned a build there.
    @Test(arguments: [["config"], ["status", "--no-tui"], ["up", "--dry-run"], ["doctor"], ["init"]])
    func aDeletedCurrentFolderIsAClearError(command: [String]) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try devenv("mkdir gone && cd gone && rmdir ../gone && exec \"$0\" \(command.joined(separator: " "))", in: dir)
        #expect(result.exitCode == 2, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains("devenv cannot tell which folder it is in: the current folder was deleted or moved away"),
                "\(result.stderrText)")
        #expect(result.stdoutText.isEmpty, "\(result.stdoutText)")
    }

    /// mend28: SIGSYS (a system call seccomp forbids), SIGXCPU (the CPU time limit used up) and
    /// SIGXFSZ (a write past the file size limit) are faults of devenv's own, default-fatal with
    /// a core dump; 45d69bd had made them interruptions, and devenv said "interrupted by signal
    /// N" as if the user had asked it to stop. They are crashes again: devenv dies of the signal.
    /// Here a stand-in docker sends it to devenv (its parent) during `status`; no core file
    /// (`ulimit -c 0`); each with its default action (a test runner may have them ignored,
    /// which devenv keeps).
    @Test(arguments: [SIGSYS, SIGXCPU, SIGXFSZ])
    func ownFaultSignalsAreNoInterruption(signal: Int32) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let docker = dir + "/docker"
        try "#!/bin/sh\nkill -\(signal) $PPID\nsleep 1\n".write(toFile: docker, atomically: true, encoding: .utf8)
        chmod(docker, 0o755)
        let result = try TestEngine.run(["/bin/bash", "-c", "ulimit -c 0; env --default-signal=SYS,XCPU,XFSZ \"$0\" status --no-tui; echo \"exit $?\"", DevenvBinary.path],
                                        environment: ["DEVENV_DOCKER": docker], workingDirectory: dir, timeoutSeconds: 20)
        #expect(result.stdoutText.hasSuffix("exit \(128 + signal)\n"), "\(result.stdoutText)\(result.stderrText)")
        #expect(!result.stderrText.contains("interrupted"), "a fault of devenv's own was said as an interruption: \(result.stderrText)")
    }
}
