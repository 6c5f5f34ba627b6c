import Foundation
import Testing
import TestSupport

/// engine30 on the real engine: what `devenv test` makes of its run's exit code and output.
extension SafeLifecycleEngineTests {
    /// A shell's own "not found" (exit 127) is the tests' status, not a missing runner (it was
    /// "the test runner sh is not in the dev venv volume"); a runner that is not there (tini:
    /// "exec no-such-runner failed") is still said as one.
    @Test("test: a shell's own 127 is the tests' status; a missing runner is said as one")
    func aShellsOwn127IsNotAMissingRunner() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"test_command = ["sh", "-c", "echo before; missing-cmd-en30"]"#)
        let shell = try project.devenv("test")
        #expect(shell.exitCode == 127, "exit \(shell.exitCode): \(shell.stderrText)")
        #expect(shell.stdoutText.contains("before"), "\(shell.stdoutText)")
        #expect(shell.stderrText.contains("missing-cmd-en30: not found"), "\(shell.stderrText)")
        #expect(!shell.stderrText.contains("the test runner"), "\(shell.stderrText)")
        try project.config(#"test_command = ["no-such-runner"]"#)
        let missing = try project.devenv("test")
        #expect(missing.exitCode == 1, "exit \(missing.exitCode): \(missing.stderrText)")
        #expect(missing.stderrText.contains("devenv: error: the test runner no-such-runner is not in the dev"), "\(missing.stderrText)")
        #expect(try project.containers() == [], "no test container left")
    }

    /// A character the container writes in two halves (two writes, so two reads for devenv)
    /// is shown whole, not as U+FFFD twice.
    @Test("test: a character written in two halves is shown whole")
    func aCharacterWrittenInTwoHalvesIsShownWhole() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"test_command = ["sh", "-c", "printf 'price \\342\\202'; sleep 0.5; printf '\\254 ok\\n'"]"#)
        let test = try project.devenv("test")
        #expect(test.exitCode == 0, "exit \(test.exitCode): \(test.stderrText)")
        #expect(test.stdoutText.contains("price € ok\n"), "\(Array(test.stdoutText.utf8))")
    }
}
