import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A call that runs to its end (`ProcessInvocation.runsToItsEnd`) has no deadline: an engine
/// that stops answering during it keeps devenv until Ctrl-C comes again (left22). On a private
/// engine paused during a recreate's `docker stop`: devenv says what it waits for and what
/// Ctrl-C again leaves, ends within the query deadline after it (its clean-up gives up on the
/// paused engine), and once the engine answers `up` repairs what was left and `down` removes it.
@Suite("Interruption on a private engine", .serialized, .privateEngine)
struct InterruptionFaultTests {
    /// A DEVENV_DOCKER wrapper in `folder`: as a `docker stop` starts it pauses `engine` and sends
    /// devenv (its parent) SIGNAL (a name, `INT`), then runs the real CLI. The caller resumes it.
    static func pausingStop(_ engine: PrivateEngine, in folder: String, signal: String) throws -> String {
        let dockerd = try #require(engine.pid, "the private dockerd's pid")
        let docker = TestEngine.availability().docker ?? "docker"
        let wrapper = folder + "/docker-wrapper"
        try """
            #!/bin/sh
            if [ "$1" = stop ]; then kill -STOP \(dockerd); kill -\(signal) $PPID; fi
            exec \(docker) "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        return wrapper
    }

    /// A busybox project (`prefix` and a random tail) up on `engine` with ROUND=1, then set to
    /// ROUND=2, so that the next `up` recreates its container: its name and folder. The caller
    /// removes both (`removeRecreatable`).
    static func upForARecreate(_ engine: PrivateEngine, prefix: String) throws -> (name: String, folder: String) {
        let name = prefix + String(UUID().uuidString.prefix(8)).lowercased()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-interrupt-\(name)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func configure(_ round: Int) throws {
            try BusyboxProject.write(in: folder, name: name, devLines: [#"user = "image""#, "volumes = {}", #"command = ["sleep", "3600"]"#,
                                                                        "env = { ROUND = \"\(round)\" }"])
        }
        do {
            try configure(1)
            let first = try DevenvBinary.run(["up"], in: folder, environment: engine.environment, timeoutSeconds: 120)
            try #require(first.exitCode == 0, "\(first.stderrText)")
            try configure(2)
        } catch {
            removeRecreatable(engine, name: name, folder: folder)
            throw error
        }
        return (name, folder)
    }

    /// What `upForARecreate` made, gone.
    static func removeRecreatable(_ engine: PrivateEngine, name: String, folder: String) {
        TestEngine.removeEverything(ofProject: name) { try engine.docker($0) }
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test("Ctrl-C twice while a recreate's stop waits on a paused engine: said what it waits for, ends within the deadline, up then repairs and down cleans")
    func aSecondCtrlCOnAPausedEngineEndsAndUpRepairs() throws {
        let engine = try PrivateEngine.require()
        let (name, folder) = try Self.upForARecreate(engine, prefix: "pi")
        defer { Self.removeRecreatable(engine, name: name, folder: folder) }
        let environment = engine.environment
        func devenv(_ arguments: String...) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: folder, environment: environment, timeoutSeconds: 120)
        }

        // The recreate: its `docker stop` of the previous container meets a paused engine, and
        // Ctrl-C (SIGINT from a process) comes as it starts.
        let wrapper = try Self.pausingStop(engine, in: folder, signal: "INT")
        defer { engine.resume() }
        let said = folder + "/stderr"
        #expect(FileManager.default.createFile(atPath: said, contents: nil), "made \(said)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DevenvBinary.path)
        process.arguments = ["--project", folder, "up"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            .merging(["DEVENV_DOCKER": wrapper, "DEVENV_TIMEOUT": "10"]) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: said))
        try process.run()
        func stderr() -> String { (try? String(contentsOfFile: said, encoding: .utf8)) ?? "" }

        // Waits for: the notice of the wait for the stop (deadline 60 s).
        var deadline = Date().addingTimeInterval(60)
        while !stderr().contains("Ctrl-C again stops waiting"), process.isRunning, Date() < deadline { usleep(50_000) }
        let notice = stderr()
        #expect(notice.contains("devenv: note: interrupted; waiting for `docker-wrapper stop "), "what it waits for: \(notice)")
        #expect(notice.contains("the next `devenv up` or `devenv down` puts it right"), "what Ctrl-C again leaves: \(notice)")
        #expect(process.isRunning, "devenv waits for the stop while the engine is paused")

        // Ctrl-C again: devenv ends while the engine is still paused (its clean-up gives up
        // within the 10 s deadline). Waits for: devenv's exit (deadline 60 s).
        kill(process.processIdentifier, SIGINT)
        deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        #expect(!process.isRunning, "devenv still waits on the paused engine 60 s after the second Ctrl-C\n\(stderr())")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let ended = stderr()
        #expect(process.terminationStatus == 130, "exit \(process.terminationStatus)\n\(ended)")
        // left23: it said "could not be restored (removing the new container ..., renaming it
        // back, starting it again failed): it is NAME.previous, stopped; `devenv up` again
        // repairs it", though none of those steps got an answer and `up` on the paused engine
        // would only wait again. Now: what is not known, where each container may be, and
        // what to run once the engine answers.
        #expect(ended.contains("interrupted by signal 2 while stopping the previous \(DevenvNames.container(name, in: folder)); the engine stopped answering (no reply within 10 s), so the swap was not undone"),
                "\(ended)")
        #expect(ended.contains("is named \(DevenvNames.container(name, in: folder)) or \(DevenvNames.container(name, in: folder)).previous, running or stopped; the new one ("), "\(ended)")
        #expect(ended.contains(") is \(DevenvNames.container(name, in: folder)).replacement or \(DevenvNames.container(name, in: folder)); volumes are untouched"), "\(ended)")
        #expect(ended.contains("Once the engine answers again (`docker info` says), `devenv up` puts it right"), "\(ended)")
        #expect(!ended.contains("could not be restored"), "\(ended)")
        #expect(engine.clientsStillRunning() == [], "docker children outlived devenv")

        // The engine answers again: up repairs and ends with the new configuration; down removes it all.
        engine.resume()
        let repaired = try devenv("up")
        #expect(repaired.exitCode == 0, "\(repaired.stderrText)")
        let containers = try engine.docker(["ps", "-a", "--filter", "label=devenv.project=\(name)", "--format", "{{.Names}} {{.State}}"])
        #expect(containers.stdoutText == "\(DevenvNames.container(name, in: folder)) running\n", "\(containers.stdoutText)\n\(repaired.stderrText)")
        let round = try devenv("exec", "--", "sh", "-c", "echo $ROUND")
        #expect(round.stdoutText == "2\n", "\(round.stdoutText)\(round.stderrText)")
        #expect(try devenv("down").exitCode == 0)
        let left = try engine.docker(["ps", "-aq", "--filter", "label=devenv.project=\(name)"])
        #expect(left.stdoutText.isEmpty, "left behind: \(left.stdoutText)")
    }

    /// mend27b: `down` whose `docker stop` meets a frozen engine, and one SIGTERM as it starts:
    /// devenv waited for the stop without limit (the engine would finish it, and down must know).
    /// A user who sends SIGTERM or presses Ctrl-C expects devenv to end: it asks whether the
    /// engine answers at all, and when it does not, ends the stop's CLI and exits 143 at once,
    /// saying what it left undone. Nothing of devenv's is left running.
    @Test("down on a frozen engine, one SIGTERM: ends promptly (143), says what is undone, no docker child left")
    func oneSigtermOnAFrozenEngineEndsDown() throws {
        let engine = try PrivateEngine.require()
        let name = "pd" + String(UUID().uuidString.prefix(8)).lowercased()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-frozen-\(name)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try BusyboxProject.write(in: folder, name: name, devLines: [#"user = "image""#, "volumes = {}", #"command = ["sleep", "3600"]"#])
        let environment = engine.environment
        defer { TestEngine.removeEverything(ofProject: name) { try engine.docker($0) } }
        let up = try DevenvBinary.run(["up"], in: folder, environment: environment, timeoutSeconds: 120)
        try #require(up.exitCode == 0, "\(up.stderrText)")

        // `docker stop` meets a paused engine, and SIGTERM (from a process) comes as it starts.
        let wrapper = try Self.pausingStop(engine, in: folder, signal: "TERM")
        defer { engine.resume() }
        let down = try BackgroundDevenv(["down"], project: folder, folder: folder,
                                        environment: environment.merging(["DEVENV_DOCKER": wrapper, "DEVENV_TIMEOUT": "30"]) { _, new in new })
        // Waits for: devenv's exit, well before the 30 s a query may take (deadline 25 s).
        let status = down.exitStatus(within: 25)
        #expect(status == 143, "devenv still waited on the frozen engine 25 s after SIGTERM (exit \(String(describing: status)))\n\(down.stderr)")
        if status == nil { kill(down.process.processIdentifier, SIGKILL) }
        #expect(down.stderr.contains("interrupted by signal 15 while stopping \(DevenvNames.container(name, in: folder)), which devenv stopped waiting for: the engine did not answer"),
                "\(down.stderr)")
        #expect(down.stderr.contains("devenv down"), "what to run once the engine answers: \(down.stderr)")
        #expect(engine.clientsStillRunning() == [], "docker children outlived devenv")
        engine.resume()
        let again = try DevenvBinary.run(["down"], in: folder, environment: environment, timeoutSeconds: 120)
        #expect(again.exitCode == 0, "\(again.stderrText)")
    }

    /// mend28: `up`'s recreate let its stop of the previous container run to its end after one
    /// signal, and on a frozen engine that was for ever (only `down` and `restart` had been
    /// bounded, fb5fc5d). The swap's steps now take the same rule (`DockerSession.stepToItsEnd`):
    /// one SIGTERM, and devenv asks whether the engine answers, then ends (143) saying what it
    /// cannot know and what puts it right; once the engine answers, `up` does.
    @Test("a recreate's stop on a frozen engine, one SIGTERM: ends promptly (143), says the state, up then repairs")
    func oneSigtermOnAFrozenEngineEndsARecreate() throws {
        let engine = try PrivateEngine.require()
        let (name, folder) = try Self.upForARecreate(engine, prefix: "mr")
        defer { Self.removeRecreatable(engine, name: name, folder: folder) }
        let environment = engine.environment
        let wrapper = try Self.pausingStop(engine, in: folder, signal: "TERM")
        defer { engine.resume() }
        let up = try BackgroundDevenv(["up"], project: folder, folder: folder,
                                      environment: environment.merging(["DEVENV_DOCKER": wrapper, "DEVENV_TIMEOUT": "30"]) { _, new in new })
        // Waits for: devenv's exit, well before the 30 s a query may take (deadline 25 s).
        let status = up.exitStatus(within: 25)
        #expect(status == 143, "devenv still waited on the frozen engine 25 s after SIGTERM (exit \(String(describing: status)))\n\(up.stderr)")
        let container = DevenvNames.container(name, in: folder)
        #expect(up.stderr.contains("interrupted by signal 15 while stopping the previous \(container); the engine stopped answering (no reply within 3 s), "
            + "so the swap was not undone"), "\(up.stderr)")
        #expect(up.stderr.contains("`devenv up` puts it right"), "what to run once the engine answers: \(up.stderr)")
        #expect(engine.clientsStillRunning() == [], "docker children outlived devenv")

        engine.resume()
        let repaired = try DevenvBinary.run(["up"], in: folder, environment: environment, timeoutSeconds: 120)
        #expect(repaired.exitCode == 0, "\(repaired.stderrText)")
        let containers = try engine.docker(["ps", "-a", "--filter", "label=devenv.project=\(name)", "--format", "{{.Names}} {{.State}}"])
        #expect(containers.stdoutText == "\(container) running\n", "\(containers.stdoutText)\n\(repaired.stderrText)")
        #expect(try DevenvBinary.run(["down"], in: folder, environment: environment, timeoutSeconds: 120).exitCode == 0)
    }

    /// break29: a build (no deadline: it takes what it takes) whose engine froze mid-step, and
    /// Ctrl-C: the CLI got the signal but waited for the engine's reply to its cancel, and
    /// devenv for the CLI, silent, however often Ctrl-C came (13 minutes, until the engine went
    /// on). Now a long call is given up on as a step is (`DockerSession.givenUpOnASilentEngine`):
    /// devenv asks whether the engine answers, then ends (130) naming the call it stopped
    /// waiting for; no docker child is left.
    @Test("Ctrl-C during a build on a frozen engine: ends (130), names the call it stopped waiting for, no docker child left")
    func ctrlCDuringABuildOnAFrozenEngineEnds() throws {
        let engine = try PrivateEngine.require()
        let name = "pb" + String(UUID().uuidString.prefix(8)).lowercased()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-frozen-\(name)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        defer { TestEngine.removeEverything(ofProject: name) { try engine.docker($0) } }
        try BusyboxProject.write(in: folder, name: name)
        // A step that runs long, its text this test's own (never from the build cache).
        try "FROM \(TestEngine.busyboxImage) AS dev\nRUN echo step-of-\(name) && sleep 60\n"
            .write(toFile: folder + "/Dockerfile", atomically: true, encoding: .utf8)
        // Debian's CLI, BuildKit built in: its build waits on the engine through a session.
        let docker = try #require(TestEngine.availability().docker, "a docker CLI")
        let build = try BackgroundDevenv(["build"], project: folder, folder: folder,
                                         environment: engine.environment.merging(["DEVENV_TIMEOUT": "30", "DEVENV_DOCKER": docker]) { _, new in new })
        defer { engine.resume() }
        // Waits for: the RUN step's own output in devenv's progress (deadline 60 s).
        let stepRuns = BackgroundDevenv.waitFor(seconds: 60) { build.stderr.contains("step-of-\(name)\n") || !build.isRunning }
        try #require(stepRuns && build.isRunning, "the build's RUN step did not start\n\(build.stderr)")
        try engine.pause()
        kill(build.process.processIdentifier, SIGINT)
        // Waits for: devenv's exit, well before the 30 s a query may take (deadline 25 s).
        // Then SIGKILL: a SIGTERM (`exitStatus`) would only be passed on to the waiting CLI.
        let ended = BackgroundDevenv.waitFor(seconds: 25) { !build.isRunning }
        if !ended { kill(build.process.processIdentifier, SIGKILL) }
        build.process.waitUntilExit()
        #expect(ended && build.process.terminationStatus == 130,
                "devenv still waited on the frozen engine 25 s after Ctrl-C (ended: \(ended), exit \(build.process.terminationStatus))\n\(build.stderr)")
        #expect(build.stderr.contains("interrupted by signal 2 while `docker build \(folder)` ran, which devenv stopped waiting for: the engine did not answer"),
                "\(build.stderr)")
        #expect(engine.clientsStillRunning() == [], "docker children outlived devenv")
    }
}
