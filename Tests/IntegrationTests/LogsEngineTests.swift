import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv logs` without -f on the real engine: the query deadline guards against an engine
/// that never answers (EngineFaultTests), not against a reader that takes its time.
@Suite("logs on a real engine", .serialized)
struct LogsEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    @Test("logs into a slow pipe outlasts DEVENV_TIMEOUT and loses nothing; --raw into a pipe is docker's bytes")
    func aSlowReaderGetsEveryLine() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        // More than a pipe holds (64 KiB): docker blocks on the pipe while the reader sleeps.
        try project.config(#"command = ["sh", "-c", "seq 1 100000; printf 'caf\\351\\033]52;c;eA==\\007\\n'; exec sleep 300"]"#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        var last = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            last = try project.docker("logs", "--tail", "2", project.container).stdoutText
            if last.hasPrefix("100000\n") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(last.hasPrefix("100000\n"), "waited 60 s for the container to print 100000 lines; last: \(last)")

        let slow = try TestEngine.run(["sh", "-c", "'\(DevenvBinary.path)' --project '\(project.path)' logs | (sleep 3; wc -l); echo \"devenv ${PIPESTATUS:-}\""],
                                      environment: ["DEVENV_TIMEOUT": "1"], timeoutSeconds: 60)
        #expect(slow.stdoutText.hasPrefix("100001\n"), "lines through a slow reader: \(slow.stdoutText) \(slow.stderrText)")
        #expect(!slow.stderrText.contains("did not answer"), "\(slow.stderrText)")

        // --raw into a pipe: docker's bytes, the OSC 52 included.
        let raw = try TestEngine.run([DevenvBinary.path, "--project", project.path, "logs", "--raw", "--tail", "1"])
        #expect(raw.exitCode == 0, "\(raw.stderrText)")
        // (Docker's json-file log driver already stored the invalid byte as U+FFFD.)
        let docker = try project.docker("logs", "--tail", "1", project.container)
        #expect(raw.stdout == docker.stdout)
        #expect(raw.stdout.contains(0x1B) && raw.stdout.contains(0x07), "the OSC 52 was changed: \(raw.stdout)")
    }
}
