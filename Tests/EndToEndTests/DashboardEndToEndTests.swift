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
        defer { TestEngine.removeEverything(ofProject: name) }
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
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project.path)'",
                                        in: work, tmux: tmux)
        let container = "\(DevenvNames.container(name, in: project.path))"

        try pane.require("the environment list with dev not created", seconds: 60) { screen in
            screen.contains("PROFILE") && Self.row("dev", in: screen).contains("not created") && screen.contains("prod")
        }

        try pane.send("u")
        try pane.require("dev running after u", seconds: 300) { screen in
            Self.row("dev", in: screen).contains("running")
        }
        #expect(pane.capture().contains("up dev"), "\(pane.log)")
        // The container runs before `up` ends (it watches the start for a few seconds): an action
        // pressed meanwhile is refused, so wait for up to finish.
        try pane.require("up dev finishing with exit 0", seconds: 120) { screen in
            screen.contains("up dev: exit 0")
        }
        let answer = try HostPorts.waitForHTTP(port: ports[0], seconds: 60, what: "the demo app started by u")
        #expect(answer == "demoapp 0.1.0: hello, developer\n")

        try pane.send("l")
        try pane.require("the container's log line in the logs pane", seconds: 60) { screen in
            screen.contains("logs \(container)") && screen.contains("tick ") && screen.contains(": hello, ")
        }

        try pane.send("y")
        try pane.require("sync-deps finishing with exit 0", seconds: 120) { screen in
            screen.contains("sync-deps dev: exit 0")
        }

        try pane.send("s")
        try pane.require("the shell taking the terminal", seconds: 60) { screen in !screen.contains("PROFILE") }
        try pane.type("id -u; exit")
        try pane.send("Enter")
        try pane.require("the dashboard repainted after the shell", seconds: 60) { screen in
            screen.contains("PROFILE") && screen.contains("the command ended with exit 0")
        }
        // What the shell printed stays on the normal screen, under the dashboard.
        #expect(pane.captureNormalScreen().contains("4242"), "\(pane.captureNormalScreen())")
        #expect(Self.row("dev", in: pane.capture()).contains("running"))

        try pane.quit()
        try pane.expectTerminalSettingsRestored()
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
}
