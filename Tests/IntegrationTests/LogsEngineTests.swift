import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv logs` without -f on the real engine: the query deadline guards against an engine
/// that never answers (EngineFaultTests), not against a reader that takes its time.
@Suite("logs on a real engine", .serialized)
struct LogsEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    /// The `docker logs --follow` processes running now for which `matches(parent PID, command
    /// line)` holds, as "PID: COMMAND LINE".
    static func followers(_ matches: (Int32?, String) -> Bool) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry -> String? in
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let line = String(decoding: cmdline.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            let parent = fields.count > 1 ? Int32(fields[1]) : nil
            return line.contains(" logs --follow ") && matches(parent, line) ? "\(entry): \(line)" : nil
        }
    }

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

    /// left23: `logs -f` follows the container by ID, and docker's stream ends silently when that
    /// container stops: a recreate underneath (`up` after a configuration change) left the user
    /// at a prompt, exit 0, while the new container wrote elsewhere. Now devenv says what
    /// happened and follows the new container; when the environment's container is gone it
    /// says so and ends, exit 0.
    @Test("logs -f while up recreates the container underneath: says so and follows the new one; down: says it is gone, exit 0")
    func followedLogsFollowARecreate() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        func configure(_ round: Int) throws {
            try project.config("""
                command = ["sh", "-c", "trap 'exit 0' TERM; echo round-$ROUND; while :; do sleep 1; done"]
                env = { ROUND = "\(round)" }
                """)
        }
        try configure(1)
        #expect(try project.devenv("up").exitCode == 0)
        let logs = try BackgroundDevenv(["logs", "-f"], project: project.path, folder: project.parent)
        #expect(BackgroundDevenv.waitFor { logs.stdout.contains("round-1\n") }, "the first container's line: \(logs.stdout)\(logs.stderr)")

        try configure(2)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stderrText.contains("recreating"), "\(up.stderrText)")
        #expect(BackgroundDevenv.waitFor { logs.stdout.contains("round-2\n") }, "logs -f did not follow the new container: \(logs.stdout)\n\(logs.stderr)")
        #expect(logs.stderr.contains("devenv: note: \(project.container) was replaced by a new container ("), "\(logs.stderr)")
        #expect(logs.stderr.contains("following the new one from its start"), "\(logs.stderr)")
        #expect(logs.isRunning, "logs -f ended: \(logs.stderr)")

        #expect(try project.devenv("down").exitCode == 0)
        let status = logs.exitStatus()
        #expect(status == 0, "exit \(status.map(String.init) ?? "none: still running after down"): \(logs.stderr)")
        // Stopped, or already removed, when devenv looked (down stops, then removes).
        let ending = logs.stderr
        #expect(ending.contains("devenv: note: \(project.container) is gone (removed: `devenv down` or by hand); logs -f ends")
                || ending.contains("devenv: note: \(project.container) is exited, exit code 0; logs -f ends"), "\(ending)")
    }

    /// regress26: a signal whose default action ends the process but that devenv does not
    /// treat as an interruption (`kill -USR1`) ended `logs -f` and left its `docker logs
    /// --follow` running under PID 1 for good. Every such signal ends the children first.
    @Test("logs -f ended by SIGUSR1: dies of it, and its docker logs --follow ends with it")
    func anEndingSignalTakesTheDockerChildAlong() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config("""
            command = ["sh", "-c", "echo hello-usr1; while :; do sleep 1; done"]
            """)
        #expect(try project.devenv("up").exitCode == 0)
        // The test runner may hand its children SIGUSR1 ignored: devenv gets it as a shell would.
        let logs = try BackgroundDevenv(["logs", "-f"], project: project.path, folder: project.parent,
                                        launcher: ["/usr/bin/env", "--default-signal=USR1"])
        #expect(BackgroundDevenv.waitFor { logs.stdout.contains("hello-usr1\n") }, "the container's line: \(logs.stdout)\(logs.stderr)")
        let devenv = logs.process.processIdentifier
        let before = Self.followers { parent, _ in parent == devenv }
        #expect(!before.isEmpty, "no docker logs --follow child found")
        kill(devenv, SIGUSR1)
        let status = logs.exitStatus(within: 30)
        #expect(status == 128 + SIGUSR1 || status == SIGUSR1, "exit \(status.map(String.init) ?? "none")")
        let pids = before.compactMap { $0.split(separator: ":").first.flatMap { Int32($0) } }
        #expect(BackgroundDevenv.waitFor(seconds: 30) { pids.allSatisfy { kill($0, 0) != 0 } },
                "docker logs --follow still running after devenv died: \(before)")
        #expect(try project.devenv("down").exitCode == 0)
    }

    /// break30: `logs -f > FILE` on a full disk (here /dev/full) followed on for as long as the
    /// container ran, each line lost and nothing said until devenv was ended: a file reports
    /// nothing to poll, as a pipe whose reader left does (`endsWhenOutputCloses`). The first
    /// failed write now ends the follow: exit 1 with what was lost, and its docker child ends.
    @Test("logs -f into a full disk ends at once: exit 1, says the output was lost, leaves no docker logs --follow")
    func followedLogsIntoAFullDiskEnd() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config("""
            command = ["sh", "-c", "while :; do echo tick; sleep 0.2; done"]
            """)
        #expect(try project.devenv("up").exitCode == 0)
        let id = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var environment: [String: String] = [:]
        if let docker = TestEngine.availability().docker { environment["DEVENV_DOCKER"] = docker }
        // `timeout` ends it with 124 when it follows on (the condition waited for: devenv's exit).
        let full = try TestEngine.run(["/bin/sh", "-c", "exec \"$0\" --no-tui --project \"$1\" logs -f >/dev/full",
                                       DevenvBinary.path, project.path], environment: environment, timeoutSeconds: 60)
        #expect(full.exitCode == 1, "exit \(full.exitCode) (124: still following after 60 s): \(full.stderrText)")
        #expect(full.stderrText.contains("cannot write to standard output: No space left on device"), "\(full.stderrText)")
        func followers() -> [String] { Self.followers { _, line in line.contains(id) } }
        #expect(BackgroundDevenv.waitFor(seconds: 30) { followers().isEmpty }, "docker logs --follow left running: \(followers())")
        #expect(try project.devenv("down").exitCode == 0)
    }
}
