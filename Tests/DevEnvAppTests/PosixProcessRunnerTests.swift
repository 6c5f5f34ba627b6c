import DevEnvCore
import DevEnvSystem
import Foundation
import Testing

/// The posix_spawn runner on real processes (sh, the machine's own): no docker involved.
@Suite struct PosixProcessRunnerTests {
    let runner = PosixProcessRunner(environment: ["PATH": "/usr/bin:/bin", "KEEP": "kept"])

    @Test func capturesBothStreamsPastPipeBuffersWithoutDeadlock() throws {
        // 200 KB on each stream, interleaved: a runner reading one pipe at a time would block.
        let script = "i=0; while [ $i -lt 2000 ]; do echo 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789; echo e123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 >&2; i=$((i+1)); done"
        let result = try runner.run(ProcessInvocation(["sh", "-c", script]))
        #expect(result.exitCode == 0)
        #expect(result.stdout.count == 2000 * 101)
        #expect(result.stderr.count == 2000 * 101)
    }

    @Test func exitCodesAndSignalsAreReportedAsShellsDo() throws {
        #expect(try runner.run(ProcessInvocation(["sh", "-c", "exit 7"])).exitCode == 7)
        #expect(try runner.run(ProcessInvocation(["sh", "-c", "kill -TERM $$"])).exitCode == 143)
    }

    @Test func environmentWorkingDirectoryAndInput() throws {
        let result = try runner.run(ProcessInvocation(["sh", "-c", "echo $KEEP $ADDED; pwd; cat"],
                                                      environment: ["ADDED": "added"], workingDirectory: "/tmp",
                                                      input: Array("from stdin\n".utf8)))
        #expect(result.stdoutText == "kept added\n/tmp\nfrom stdin\n")
    }

    @Test func stdinIsEmptyWithoutInput() throws {
        #expect(try runner.run(ProcessInvocation(["cat"])).stdoutText == "")
    }

    @Test func streamedOutputArrivesInOrder() throws {
        final class Chunks: @unchecked Sendable {
            let lock = NSLock()
            var text = ""
        }
        let chunks = Chunks()
        let result = try runner.run(ProcessInvocation(["sh", "-c", "echo one; echo two >&2; echo three"], io: .stream)) { stream, bytes in
            chunks.lock.withLock { chunks.text += (stream == .stdout ? "" : "!") + String(decoding: bytes, as: UTF8.self) }
        }
        #expect(result.exitCode == 0)
        #expect(chunks.text.contains("one") && chunks.text.contains("!two") && chunks.text.contains("three"))
        // Streamed stdout is not kept twice; stderr is, for error messages.
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText == "two\n")
    }

    @Test func aMissingProgramIsAClearError() {
        #expect(throws: DevEnvError.self) { try runner.run(ProcessInvocation(["no-such-program-devenv"])) }
    }
}

/// The dashboard's long-running streams (docker events, logs -f, stats) on real processes.
@Suite struct BackgroundProcessTests {
    @Test func readsUntilTheChildEndsAndReportsItsStatus() throws {
        let process = try BackgroundProcess(ProcessInvocation(["sh", "-c", "echo out; echo err >&2; exit 3"]),
                                            baseEnvironment: ["PATH": "/usr/bin:/bin"])
        var text = ""
        var ended = false
        for _ in 0..<500 where !ended {
            switch process.read() {
            case .bytes(let bytes): text += String(decoding: bytes, as: UTF8.self)
            case .wouldBlock: usleep(2000)
            case .end: ended = true
            }
        }
        #expect(ended)
        #expect(text.contains("out") && text.contains("err"))
        #expect(!process.closed)
        #expect(process.finish() == 3)
        // Closed now: its fd number may be reused by another stream, which the loop must not touch.
        #expect(process.closed)
        #expect(process.close() == 0)
    }

    @Test func closeEndsALongRunningChildAndReapsIt() throws {
        let process = try BackgroundProcess(ProcessInvocation(["sleep", "100"]), baseEnvironment: ["PATH": "/usr/bin:/bin"])
        let pid = process.pid
        #expect(process.close() == 143)
        // Reaped: no zombie is left behind.
        #expect(kill(pid, 0) != 0)
    }
}
