import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14 on the real engine: after `up`, `exec` and `logs` are one docker call each (the
/// remembered container ID), and a container replaced behind devenv's back is named, never run
/// in twice.
@Suite("Remembered container IDs on a real engine", .serialized)
struct ContainerMemoryEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    /// A wrapper that appends each docker subcommand to a file before running it.
    private func counting(_ project: Project) throws -> (environment: [String: String], calls: () -> [String]) {
        let log = project.parent + "/docker-calls"
        let environment = try project.wrapper(#"printf '%s\n' "$1" >> "\#(log)""#)
        return (environment, {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        })
    }

    @Test("after up, exec and logs make one docker call each")
    func oneCallEach() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"command = ["sh", "-c", "echo started; exec sleep 300"]"#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let (environment, calls) = try counting(project)
        let exec = try project.devenv("exec", "--", "sh", "-c", "echo inside", environment: environment)
        #expect(exec.exitCode == 0, "\(exec.stderrText)")
        #expect(exec.stdoutText == "inside\n")
        #expect(calls() == ["exec"], "docker calls for exec: \(calls())")
        let logs = try project.devenv("logs", "--tail", "5", environment: environment)
        #expect(logs.exitCode == 0, "\(logs.stderrText)")
        #expect(logs.stdoutText.contains("started"), "\(logs.stdoutText)")
        #expect(calls() == ["exec", "logs"], "docker calls for exec then logs: \(calls())")
        // status: one docker call too (the venv in step with uv.lock was noted by up).
        let status = try project.devenv("status", environment: environment)
        #expect(status.exitCode == 0, "\(status.stderrText)")
        #expect(calls() == ["exec", "logs", "ps"], "docker calls for exec, logs, status: \(calls())")
        // The command's own exit 1 is its own, whatever devenv checks to be sure of it.
        let failing = try project.devenv("exec", "--", "false", environment: environment)
        #expect(failing.exitCode == 1)
        #expect(failing.stderrText.isEmpty, "\(failing.stderrText)")
        // After down, nothing is remembered: the usual message.
        #expect(try project.devenv("down").exitCode == 0)
        let gone = try project.devenv("exec", "--", "true")
        #expect(gone.exitCode == 1)
        #expect(gone.stderrText.contains("does not exist"), "\(gone.stderrText)")
    }

    @Test("a container replaced behind devenv's back: named, the command not run again, the next exec reaches the new one")
    func replacedBehindItsBack() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"command = ["sleep", "300"]"#)
        #expect(try project.devenv("up").exitCode == 0)
        let old = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
        // Another state folder (as another user's devenv would have): this one is not told.
        #expect(try project.docker("rm", "--force", project.container).exitCode == 0)
        let elsewhere = project.parent + "/other-state"
        let up = try project.devenv("up", environment: ["XDG_STATE_HOME": elsewhere])
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let new = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
        #expect(new != old)
        let exec = try project.devenv("exec", "--", "touch", "/tmp/ran")
        #expect(exec.exitCode == 1)
        #expect(exec.stderrText.contains("was replaced"), "\(exec.stderrText)")
        let ran = try project.docker("exec", project.container, "test", "-e", "/tmp/ran")
        #expect(ran.exitCode != 0, "the command ran in the new container after docker refused the old ID")
        let again = try project.devenv("exec", "--", "touch", "/tmp/ran")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(try project.docker("exec", project.container, "test", "-e", "/tmp/ran").exitCode == 0)
    }
}
