import Foundation
import Testing
import TestSupport

/// mend26a on the real engine: `docker exec` does not pass a signal on to the command it started
/// (moby/moby#9098), so a `devenv exec` ended by SIGTERM or SIGHUP left its command running in
/// the container. devenv now passes the signal on to the processes it started (`ExecMarker`).
extension SafeLifecycleEngineTests {
    /// How many processes of `container` run `command` (the engine's `top`, from the host).
    static func processes(_ command: String, in container: String) -> Int {
        let top = (try? TestEngine.docker(["top", container, "-o", "pid,args"]).stdoutText) ?? ""
        return top.split(separator: "\n").filter { $0.hasSuffix(command) }.count
    }

    @Test("exec ended by SIGTERM or SIGHUP: the command it started in the container gets the signal too", arguments: [SIGTERM, SIGHUP])
    func aSignalThatEndsExecReachesTheCommandInTheContainer(signal: Int32) throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let command = "sleep 9\(signal)7"
        // A second command of the same user that devenv did not start (a `docker exec` of the
        // user's own): it carries no marker and must be left running.
        let other = try project.docker("exec", "--detach", project.container, "sleep", "9\(signal)8")
        #expect(other.exitCode == 0, "\(other.stderrText)")
        let exec = try BackgroundDevenv(["exec", "--", "sleep", "9\(signal)7"], project: project.path, folder: project.parent)
        #expect(BackgroundDevenv.waitFor(seconds: 60) { Self.processes(command, in: project.container) == 1 },
                "the command never showed in the container's processes: \(exec.stderr)")
        kill(exec.process.processIdentifier, signal)
        #expect(exec.exitStatus(within: 60) == 128 + signal, "\(exec.stderr)")
        #expect(exec.stderr.contains("interrupted by signal \(signal)"), "\(exec.stderr)")
        #expect(BackgroundDevenv.waitFor(seconds: 30) { Self.processes(command, in: project.container) == 0 },
                "waited 30 s for `\(command)` to end in the container after devenv passed signal \(signal) on; it still runs")
        #expect(Self.processes("sleep 9\(signal)8", in: project.container) == 1, "a process devenv did not start was signalled")
    }

    /// break27: a command that ignores SIGTERM (as an interactive shell does: `devenv shell` ended
    /// by SIGTERM left its shell in the container) ran on after the pass-on; what the signal did
    /// not end within the grace now gets SIGKILL.
    @Test("exec ended by SIGTERM: a command that ignores it is ended with SIGKILL after the grace")
    func aCommandThatIgnoresThePassedOnSignalIsKilled() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let command = "sleep 9157"
        // sh ignores TERM and its sleep inherits that.
        let exec = try BackgroundDevenv(["exec", "--", "sh", "-c", "trap '' TERM; \(command)"], project: project.path, folder: project.parent)
        #expect(BackgroundDevenv.waitFor(seconds: 60) { Self.processes(command, in: project.container) == 1 },
                "the command never showed in the container's processes: \(exec.stderr)")
        kill(exec.process.processIdentifier, SIGTERM)
        #expect(exec.exitStatus(within: 60) == 128 + SIGTERM, "\(exec.stderr)")
        #expect(exec.stderr.contains("ended with SIGKILL"), "\(exec.stderr)")
        #expect(BackgroundDevenv.waitFor(seconds: 30) { Self.processes(command, in: project.container) == 0 },
                "waited 30 s for `\(command)`, which ignores SIGTERM, to be killed in the container; it still runs")
    }

    /// mend27b: the pass-on needs `sh` in the container. In an image without one (scratch, only
    /// `sleep` and `chown` from a static busybox: `up` chowns the volumes) exec works as a plain
    /// `docker exec`: its command's status, and a SIGTERM ends devenv with 143 and no word of a
    /// pass-on that could not be.
    @Test("exec in an image without sh: a plain docker exec, and a signal says nothing of the pass-on")
    func execInAnImageWithoutAShell() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.write("Dockerfile", """
            FROM \(TestEngine.busyboxImage) AS tools
            FROM scratch AS dev
            COPY --from=tools /bin/busybox /bin/sleep
            COPY --from=tools /bin/busybox /bin/chown
            """)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let noShell = try project.docker("exec", project.container, "sh", "-c", "true")
        #expect(noShell.exitCode == 126 || noShell.exitCode == 127, "the image has a shell: \(noShell.stdoutText)\(noShell.stderrText)")
        let plain = try project.devenv("exec", "--", "sleep", "0")
        #expect(plain.exitCode == 0 && plain.stderrText.isEmpty, "exit \(plain.exitCode): \(plain.stderrText)")
        let command = "sleep 9158"
        let exec = try BackgroundDevenv(["exec", "--", "sleep", "9158"], project: project.path, folder: project.parent)
        #expect(BackgroundDevenv.waitFor(seconds: 60) { Self.processes(command, in: project.container) == 1 },
                "the command never showed in the container's processes: \(exec.stderr)")
        kill(exec.process.processIdentifier, SIGTERM)
        #expect(exec.exitStatus(within: 60) == 143, "\(exec.stderr)")
        #expect(exec.stderr == "devenv: error: interrupted by signal 15; stopped cleanly\n", "\(exec.stderr)")
    }

    /// review26: `sync-deps` ran its command (`uv sync`) through a `docker exec` without the
    /// marker, so SIGTERM or SIGINT left it writing the venv in the container. Here the sync
    /// command is a `sleep` that can be found in the container's processes.
    @Test("sync-deps ended by SIGTERM or SIGINT: its sync command in the container gets the signal too", arguments: [SIGTERM, SIGINT])
    func aSignalThatEndsSyncDepsReachesItsCommandInTheContainer(signal: Int32) throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let command = "sleep 9\(signal)6"
        try project.config("sync_command = [\"sleep\", \"9\(signal)6\"]")
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let sync = try BackgroundDevenv(["sync-deps"], project: project.path, folder: project.parent)
        #expect(BackgroundDevenv.waitFor(seconds: 60) { Self.processes(command, in: project.container) == 1 },
                "the sync command never showed in the container's processes: \(sync.stderr)")
        kill(sync.process.processIdentifier, signal)
        #expect(sync.exitStatus(within: 60) == 128 + signal, "\(sync.stderr)")
        #expect(BackgroundDevenv.waitFor(seconds: 30) { Self.processes(command, in: project.container) == 0 },
                "waited 30 s for `\(command)` to end in the container after devenv passed signal \(signal) on; it still runs")
    }
}
