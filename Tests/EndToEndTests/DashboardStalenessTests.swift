import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 15: the dashboard watches the Dockerfile (inotify): an edit while it is open marks the
/// running environment stale with no key pressed; undoing the edit clears it; Ctrl-L re-checks;
/// `p` picks a profile from a list showing each one's state.
/// A real terminal (tmux, 100x30), the real engine.
@Suite("Dashboard staleness (tmux, real engine)", .serialized)
struct DashboardStalenessTests {
    @Test("a Dockerfile edited while the dashboard is open marks the row stale without a key press")
    func dockerfileEditMarksStale() throws {
        let tmux = try TmuxPane.require("DashboardStalenessTests")
        let docker = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try TestEngine.makeDemoProject(uid: 4242, gid: 4242)
        let name = "stale" + String(UUID().uuidString.prefix(8)).lowercased()
        defer { TestEngine.removeEverything(ofProject: name) }
        try DashboardEndToEndTests.write(project, "devenv.toml", """
            [project]
            name = "\(name)"

            [profiles.dev]
            ports = []
            command = ["sleep", "infinity"]
            """)
        let up = try TestEngine.run([DevenvBinary.path, "--project", project.path, "up"],
                                    environment: ["DEVENV_DOCKER": docker], timeoutSeconds: 600)
        try #require(up.succeeded, "devenv up: \(up.stderrText)")

        let work = project.path + "/../stale-e2e"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project.path)'",
                                        in: work, tmux: tmux)
        func devRow(_ screen: String) -> String { DashboardEndToEndTests.row("dev", in: screen) }

        try pane.require("dev running and up to date", seconds: 60) { screen in
            devRow(screen).contains("running") && !devRow(screen).contains("stale")
        }

        // An edit in place, as `echo >>` or an editor's plain save makes it; no key is sent.
        let dockerfile = project.path + "/Dockerfile"
        let original = try String(contentsOfFile: dockerfile, encoding: .utf8)
        let handle = try #require(FileHandle(forWritingAtPath: dockerfile))
        handle.seekToEndOfFile()
        handle.write(Data("# edited while the dashboard is open\n".utf8))
        handle.closeFile()
        try pane.require("dev marked stale after the Dockerfile edit, with no key pressed", seconds: 60) { screen in
            devRow(screen).contains("running, stale")
        }
        #expect(pane.capture().contains("Dockerfile changed"), "\(pane.log)")

        // Undone with an editor's atomic save (a new file renamed over it): up to date again.
        try original.write(toFile: dockerfile, atomically: true, encoding: .utf8)
        chown(dockerfile, project.uid, project.gid)
        try pane.require("dev up to date again after the Dockerfile was restored", seconds: 60) { screen in
            devRow(screen).contains("running") && !devRow(screen).contains("stale")
        }

        // Ctrl-L redraws and re-checks: still up to date, the screen whole.
        try pane.send("C-l")
        try pane.require("the dashboard after Ctrl-L", seconds: 60) { screen in
            screen.contains("PROFILE") && devRow(screen).contains("running") && !devRow(screen).contains("stale")
        }

        // p: the picker lists every profile with its state; Down and Enter select ci.
        try pane.send("p")
        try pane.require("the profile picker with each profile's state", seconds: 60) { screen in
            screen.contains("▸ dev  running") && screen.contains("ci   not created") && screen.contains("Enter select")
        }
        try pane.send("Down")
        try pane.send("Enter")
        try pane.require("ci selected with Enter, the picker closed", seconds: 60) { screen in
            screen.contains("profile ci") && !screen.contains("▸ ") && screen.contains("no ci container")
        }

        try pane.quit()
    }
}
