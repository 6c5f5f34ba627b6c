@testable import DevEnvApp
import Testing

/// The last log lines an error shows for a container that failed as it started.
@Suite struct LastLogLinesTests {
    @Test func stdoutsLastLineWithoutANewlineStaysItsOwnLine() {
        // `printf 'starting\nlistening'` then a crash on stderr: before, "listeningTraceback ..."
        let detail = LastLogLines.detail(stdout: "starting\nlistening", stderr: "Traceback (most recent call last)\nboom\n")
        #expect(detail == "its last lines:\n  starting\n  listening\n  Traceback (most recent call last)\n  boom")
    }

    @Test func onlyTheLastFifteenLinesOfBothStreams() {
        let stdout = (1...10).map { "out \($0)\n" }.joined()
        let stderr = (1...10).map { "err \($0)\n" }.joined()
        let lines = LastLogLines.detail(stdout: stdout, stderr: stderr).split(separator: "\n").dropFirst()
        #expect(lines.count == LastLogLines.count)
        #expect(lines.first == "  out 6" && lines.last == "  err 10")
    }

    @Test func noOutputSaysSo() {
        #expect(LastLogLines.detail(stdout: "", stderr: "") == "(no output)")
    }
}
