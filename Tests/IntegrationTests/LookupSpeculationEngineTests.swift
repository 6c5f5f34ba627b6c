import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14 on the real engine: the container lookup started before the configuration is read
/// (`LookupSpeculation`). A remembered lookup is asked anew each time, so what the engine holds
/// now is what devenv reports: after the configuration changed (a profile added), with a
/// foreign container under devenv's name, and after a container went behind devenv's back. A
/// wrong guess costs one more `docker ps` and nothing else; an early call that is not used, or
/// that SIGTERM interrupts, leaves no process behind (checked in the process table).
@Suite("Lookup started ahead on a real engine", .serialized)
struct LookupSpeculationEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    /// A DEVENV_DOCKER wrapper that logs each docker subcommand; while the file `hang` exists in
    /// the project's parent folder, a `ps` whose arguments do not contain `unless` (any `ps`
    /// when nil) never answers: it becomes a process whose command line holds `marker`.
    private func wrapper(_ project: Project, marker: String, unless: String? = nil) throws -> (environment: [String: String], calls: () -> [String]) {
        let log = project.parent + "/docker-calls"
        let condition = unless.map { #"case "$*" in *\#($0)*) ;; *) "#  } ?? ""
        let close = unless == nil ? "" : ";; esac"
        let environment = try project.wrapper("""
            printf '%s\\n' "$1" >> "\(log)"
            if [ "$1" = ps ] && [ -e "\(project.parent)/hang" ]; then \(condition)exec python3 -c 'import time; time.sleep(120)' \(marker) \(close); fi
            """)
        return (environment, {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        })
    }

    /// The processes whose command line holds `marker` (its pid and command line).
    private func processes(holding marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains(marker) ? "\(pid): \(line)" : nil
        }
    }

    private func psCalls(_ calls: [String], since before: Int) -> Int { calls.dropFirst(before).filter { $0 == "ps" }.count }

    /// Waits (60 s at most) until `container`'s log holds `text`; its last log when it never did.
    private func waitForLog(_ project: Project, _ container: String, holding text: String) throws -> String {
        var last = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            last = try project.docker("logs", container).stdoutText
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return last
    }

    @Test("logs started ahead is docker's own answer and the one call; after a rename the old container's early call is ended unseen, no process left")
    func logsStartedAhead() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"command = ["sh", "-c", "echo first-line; exec sleep 300"]"#)
        #expect(try project.devenv("up").exitCode == 0)
        #expect(try waitForLog(project, project.container, holding: "first-line").contains("first-line"),
                "waited 60 s for the container's first line")
        let oldID = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // The first logs remembers which environment it read; the next starts its call at once.
        #expect(try project.devenv("logs", "--tail", "5").exitCode == 0)
        let early = try project.devenv("logs", "--tail", "5", "--verbose")
        #expect(early.exitCode == 0, "\(early.stderrText)")
        #expect(early.stdout == (try project.docker("logs", "--tail", "5", project.container)).stdout, "\(early.stdoutText)")
        let calls = early.stderrText.split(separator: "\n").filter { $0.hasPrefix("+ ") }
        #expect(calls.count == 1 && calls[0].contains(" logs --tail 5 \(oldID)") && calls[0].contains("started before the configuration was read"),
                "one docker call, started ahead: \(early.stderrText)")

        // Renamed: another environment and container. The early call (the old container's
        // logs) is ended unused, and none of its lines reach the output.
        let renamed = "rn" + String(UUID().uuidString.prefix(8)).lowercased()
        defer { TestEngine.removeEverything(ofProject: renamed) }
        try project.write("devenv.toml", """
            [project]
            name = "\(renamed)"

            [profiles.dev]
            network = "none"
            ports = []
            command = ["sh", "-c", "echo second-line; exec sleep 300"]
            """)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(try waitForLog(project, "\(DevenvNames.container(renamed, in: project.path))", holding: "second-line").contains("second-line"),
                "waited 60 s for the renamed container's first line")
        let after = try project.devenv("logs", "--tail", "5", "--verbose")
        #expect(after.exitCode == 0, "\(after.stderrText)")
        #expect(after.stdoutText == "second-line\n", "\(after.stdoutText)")
        #expect(after.stderrText.contains("logs --tail 5 \(oldID)  (started before the configuration was read; not the call needed: ended unused)"),
                "\(after.stderrText)")
        // (The old container itself still runs: its shim's command line holds the ID too.)
        let leftLogs = processes(holding: oldID).filter { $0.contains(" logs ") }
        #expect(leftLogs.isEmpty, "left running: \(leftLogs)")
    }

    @Test("after a profile is added, status with the old lookup remembered shows the new profile; the early call is ended, no process left")
    func aChangedConfigurationGivesTheRightAnswer() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let marker = "devenv-early-\(project.name)"
        let (environment, calls) = try wrapper(project, marker: marker, unless: "-extra")
        #expect(try project.devenv("up", environment: environment).exitCode == 0)
        #expect(try project.devenv("status", environment: environment).exitCode == 0)
        var before = calls().count
        let remembered = try project.devenv("status", environment: environment)
        #expect(remembered.exitCode == 0, "\(remembered.stderrText)")
        #expect(psCalls(calls(), since: before) == 1, "a remembered lookup is the one call: \(calls())")

        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"

            [profiles.dev]
            network = "none"
            ports = []

            [profiles.extra]
            extends = "dev"
            """)
        let extra = try project.devenv("up", "--profile", "extra", environment: environment)
        #expect(extra.exitCode == 0, "\(extra.stderrText)")
        // The old lookup (without the extra profile) would never answer: devenv must end it.
        try project.write("../hang", "")
        before = calls().count
        let status = try project.devenv("status", "--verbose", environment: environment)
        try FileManager.default.removeItem(atPath: project.parent + "/hang")
        #expect(status.exitCode == 0, "\(status.stderrText)")
        #expect(status.stdoutText.contains("extra    running"), "\(status.stdoutText)")
        #expect(status.stdoutText.contains("dev      running"), "\(status.stdoutText)")
        // A wrong guess, and only then, costs a second call: the early one (ended) and the real
        // one. devenv's own --verbose line says so; the wrapper's log may miss the early call,
        // which can be ended before its shell reached the `printf` (seen in CI on a busy machine).
        let ended = status.stderrText.split(separator: "\n").filter { $0.contains("not the call needed: ended unused") }
        #expect(ended.count == 1 && !ended[0].contains("-extra"), "the stale early lookup ended unused: \(status.stderrText)")
        #expect((1...2).contains(psCalls(calls(), since: before)), "\(calls())")
        #expect(processes(holding: marker).isEmpty, "left running: \(processes(holding: marker))")
        #expect(!status.stderrText.contains("error"), "\(status.stderrText)")
        // The new lookup is remembered: one call again.
        before = calls().count
        #expect(try project.devenv("status", environment: environment).exitCode == 0)
        #expect(psCalls(calls(), since: before) == 1, "\(calls())")
    }

    @Test("with remembered lookups, a foreign container under devenv's name is a conflict for status and exit 4 for up")
    func aForeignContainerStillShowsAsAConflict() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let (environment, calls) = try wrapper(project, marker: "devenv-early-\(project.name)")
        #expect(try project.devenv("up", environment: environment).exitCode == 0)
        #expect(try project.devenv("up", environment: environment).exitCode == 0)
        #expect(try project.devenv("status", environment: environment).exitCode == 0)
        // Behind devenv's back: its container goes, a foreign one takes the name.
        #expect(try project.docker("rm", "--force", project.container).exitCode == 0)
        project.foreign.append(project.container)
        let made = try project.docker("run", "--detach", "--name", project.container, "--network", "none",
                                      TestEngine.busyboxImage, "sleep", "300")
        #expect(made.exitCode == 0, "\(made.stderrText)")
        var before = calls().count
        let status = try project.devenv("status", environment: environment)
        #expect(status.exitCode == 0, "\(status.stderrText)")
        #expect(status.stdoutText.contains("conflict"), "\(status.stdoutText)")
        #expect(psCalls(calls(), since: before) == 1, "\(calls())")
        before = calls().count
        let up = try project.devenv("up", environment: environment)
        #expect(up.exitCode == 4, "\(up.stderrText)")
        #expect(psCalls(calls(), since: before) == 1, "\(calls())")
        #expect(try project.docker("inspect", "--format", "{{.State.Running}}", project.container).stdoutText == "true\n")
    }

    @Test("with a remembered lookup, up sees a container removed behind its back and makes it again")
    func aRememberedLookupIsAskedAnew() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let (environment, _) = try wrapper(project, marker: "devenv-early-\(project.name)")
        #expect(try project.devenv("up", environment: environment).exitCode == 0)
        #expect(try project.devenv("up", environment: environment).exitCode == 0)
        #expect(try project.docker("rm", "--force", project.container).exitCode == 0)
        let up = try project.devenv("up", environment: environment)
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stdoutText.contains("started"), "\(up.stdoutText)")
        #expect(try project.containers() == ["\(project.container) running"])
    }

    @Test("SIGTERM while the early lookup waits for the engine: devenv stops as interrupted (143: 128+SIGTERM) and the call is gone")
    func sigtermDuringTheEarlyLookupLeavesNoProcess() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let marker = "devenv-early-\(project.name)"
        let (environment, _) = try wrapper(project, marker: marker)
        #expect(try project.devenv("up", environment: environment).exitCode == 0)
        #expect(try project.devenv("status", environment: environment).exitCode == 0)
        try project.write("../hang", "")
        let devenv = Process()
        devenv.executableURL = URL(fileURLWithPath: DevenvBinary.path)
        devenv.arguments = ["--project", project.path, "status"]
        devenv.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        devenv.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        devenv.standardError = stderr
        try devenv.run()
        // Wait (at most 60 s) for the early `docker ps` to be running: the wrapper's marker process.
        let started = Date()
        while processes(holding: marker).isEmpty && devenv.isRunning && Date().timeIntervalSince(started) < 60 {
            usleep(20_000)
        }
        #expect(!processes(holding: marker).isEmpty, "the early docker ps never started (waited 60 s for a process holding \(marker))")
        kill(devenv.processIdentifier, SIGTERM)
        // Wait (at most 60 s) for devenv to end.
        let signalled = Date()
        while devenv.isRunning && Date().timeIntervalSince(signalled) < 60 { usleep(20_000) }
        let ended = !devenv.isRunning
        if !ended { kill(devenv.processIdentifier, SIGKILL) }
        devenv.waitUntilExit()
        try FileManager.default.removeItem(atPath: project.parent + "/hang")
        #expect(ended, "devenv did not end within 60 s of SIGTERM")
        let said = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(devenv.terminationStatus == 143, "\(said)")
        #expect(said.contains("interrupted by signal 15"), "\(said)")
        #expect(processes(holding: marker).isEmpty, "left running: \(processes(holding: marker))")
    }
}
