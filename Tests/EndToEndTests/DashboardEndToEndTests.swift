import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The dashboard in a real terminal (tmux, 100x30) on a demo project and the real engine:
/// list, up, logs, sync-deps, a shell and back, quit, and the terminal exactly as it was.
@Suite("Dashboard end to end (tmux, real engine)", .serialized)
struct DashboardEndToEndTests {
    @Test("u, l, y, s and q on a demo project; the terminal settings are restored")
    func dashboardSession() throws {
        let tmux = try TmuxPane.require("DashboardEndToEndTests")
        let docker = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try TestEngine.makeDemoProject(uid: 4242, gid: 4242)
        let name = "e2e" + String(UUID().uuidString.prefix(8)).lowercased()
        defer { Self.removeEverything(of: name) }
        // The dev container runs the demo app (from the mounted source, with the image's python)
        // so its log has lines to follow ("tick N: hello, ...") and its published port answers.
        let ports = HostPorts.free(3)
        try Self.write(project, "devenv.toml", """
            [project]
            name = "\(name)"

            [profiles.dev]
            ports = ["\(ports[0]):8000", "\(ports[1]):5678"]
            command = ["python3", "-m", "demoapp"]
            env = { PYTHONPATH = "/app/src", DEMOAPP_INTERVAL = "1" }

            [profiles.prod]
            ports = ["\(ports[2]):8080"]
            """)
        let work = project.path + "/../e2e"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let script = work + "/pane.sh"
        try """
            stty -g > '\(work)/stty-before'
            DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project.path)'
            echo "devenv exited with $?"
            stty -g > '\(work)/stty-after'
            exec sleep 3600
            """.write(toFile: script, atomically: true, encoding: .utf8)

        let pane = try TmuxPane(tmux: tmux, width: 100, height: 30, command: "sh '\(script)'")
        let container = "devenv-\(name)-dev"
        func require(_ step: (ok: Bool, screen: String), _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            if !step.ok {
                Issue.record("\(what): not seen\n\(pane.log)", sourceLocation: sourceLocation)
                throw EndToEndFailure(description: what)
            }
        }

        try require(pane.waitFor("the environment list", seconds: 30) { screen in
            screen.contains("PROFILE") && Self.row("dev", in: screen).contains("not created") && screen.contains("prod")
        }, "the environment list with dev not created")

        try pane.send("u")
        try require(pane.waitFor("dev running", seconds: 300) { screen in
            Self.row("dev", in: screen).contains("running")
        }, "dev running after u")
        #expect(pane.capture().contains("up dev"), "\(pane.log)")
        // The container runs before `up` ends (it watches the start for a few seconds): an action
        // pressed meanwhile is refused, so wait for up to finish.
        try require(pane.waitFor("up finished", seconds: 120) { screen in
            screen.contains("up dev: exit 0")
        }, "up dev finishing with exit 0")
        let answer = try HostPorts.waitForHTTP(port: ports[0], seconds: 30, what: "the demo app started by u")
        #expect(answer == "demoapp 0.1.0: hello, developer\n")

        try pane.send("l")
        try require(pane.waitFor("a log line of the container", seconds: 30) { screen in
            screen.contains("logs \(container)") && screen.contains("tick ") && screen.contains(": hello, ")
        }, "the container's log line in the logs pane")

        try pane.send("y")
        try require(pane.waitFor("sync-deps finished", seconds: 120) { screen in
            screen.contains("sync-deps dev: exit 0")
        }, "sync-deps finishing with exit 0")

        try pane.send("s")
        try require(pane.waitFor("the shell", seconds: 30) { screen in !screen.contains("PROFILE") }, "the shell taking the terminal")
        try pane.type("id -u; exit")
        try pane.send("Enter")
        try require(pane.waitFor("the dashboard again", seconds: 30) { screen in
            screen.contains("PROFILE") && screen.contains("the command ended with exit 0")
        }, "the dashboard repainted after the shell")
        // What the shell printed stays on the normal screen, under the dashboard.
        #expect(pane.captureNormalScreen().contains("4242"), "\(pane.captureNormalScreen())")
        #expect(Self.row("dev", in: pane.capture()).contains("running"))

        try pane.send("q")
        try require(pane.waitFor("devenv exiting", seconds: 30) { screen in screen.contains("devenv exited with 0") },
                    "devenv exiting with 0 after q")
        try require(pane.waitFor("stty after", seconds: 10) { _ in FileManager.default.fileExists(atPath: work + "/stty-after") },
                    "the pane's stty after devenv")
        let before = try String(contentsOfFile: work + "/stty-before", encoding: .utf8)
        let after = try String(contentsOfFile: work + "/stty-after", encoding: .utf8)
        #expect(!before.isEmpty)
        #expect(before == after, "stty -g before \(before) after \(after)\n\(pane.log)")
    }

    /// The line of the environment list that starts with the profile.
    static func row(_ profile: String, in screen: String) -> String {
        screen.split(separator: "\n").first { $0.hasPrefix("│\(profile) ") }.map(String.init) ?? ""
    }

    static func write(_ project: TemporaryProject, _ relative: String, _ text: String) throws {
        let file = project.path + "/" + relative
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        chown(file, project.uid, project.gid)
    }

    static func removeEverything(of name: String) {
        let label = "label=devenv.project=\(name)"
        if let ids = try? TestEngine.docker(["ps", "-aq", "--filter", label]).stdoutText, !ids.isEmpty {
            _ = try? TestEngine.docker(["rm", "-f"] + ids.split(separator: "\n").map(String.init))
        }
        if let volumes = try? TestEngine.docker(["volume", "ls", "-q", "--filter", label]).stdoutText, !volumes.isEmpty {
            _ = try? TestEngine.docker(["volume", "rm", "-f"] + volumes.split(separator: "\n").map(String.init))
        }
        if let images = try? TestEngine.docker(["images", "-q", "--filter", label]).stdoutText, !images.isEmpty {
            _ = try? TestEngine.docker(["rmi", "-f"] + Set(images.split(separator: "\n").map(String.init)).sorted())
        }
    }
}
