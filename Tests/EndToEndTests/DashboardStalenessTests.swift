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
        defer { DashboardEndToEndTests.removeEverything(of: name) }
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
        let script = work + "/pane.sh"
        try """
            DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project.path)'
            echo "devenv exited with $?"
            exec sleep 3600
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let pane = try TmuxPane(tmux: tmux, width: 100, height: 30, command: "sh '\(script)'")
        func require(_ step: (ok: Bool, screen: String), _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            if !step.ok {
                Issue.record("\(what): not seen\n\(pane.log)", sourceLocation: sourceLocation)
                throw EndToEndFailure(description: what)
            }
        }
        func devRow(_ screen: String) -> String { DashboardEndToEndTests.row("dev", in: screen) }

        try require(pane.waitFor("dev running, not stale", seconds: 60) { screen in
            devRow(screen).contains("running") && !devRow(screen).contains("stale")
        }, "dev running and up to date")

        // An edit in place, as `echo >>` or an editor's plain save makes it; no key is sent.
        let dockerfile = project.path + "/Dockerfile"
        let original = try String(contentsOfFile: dockerfile, encoding: .utf8)
        let handle = try #require(FileHandle(forWritingAtPath: dockerfile))
        handle.seekToEndOfFile()
        handle.write(Data("# edited while the dashboard is open\n".utf8))
        handle.closeFile()
        try require(pane.waitFor("dev stale after the Dockerfile edit", seconds: 30) { screen in
            devRow(screen).contains("running, stale")
        }, "dev marked stale after the Dockerfile edit, with no key pressed")
        #expect(pane.capture().contains("Dockerfile changed"), "\(pane.log)")

        // Undone with an editor's atomic save (a new file renamed over it): up to date again.
        try original.write(toFile: dockerfile, atomically: true, encoding: .utf8)
        chown(dockerfile, project.uid, project.gid)
        try require(pane.waitFor("dev no longer stale after the edit was undone", seconds: 30) { screen in
            devRow(screen).contains("running") && !devRow(screen).contains("stale")
        }, "dev up to date again after the Dockerfile was restored")

        // Ctrl-L redraws and re-checks: still up to date, the screen whole.
        try pane.send("C-l")
        try require(pane.waitFor("the list after Ctrl-L", seconds: 30) { screen in
            screen.contains("PROFILE") && devRow(screen).contains("running") && !devRow(screen).contains("stale")
        }, "the dashboard after Ctrl-L")

        // p: the picker lists every profile with its state; Down and Enter select ci.
        try pane.send("p")
        try require(pane.waitFor("the profile picker", seconds: 30) { screen in
            screen.contains("▸ dev  running") && screen.contains("ci   not created") && screen.contains("Enter select")
        }, "the profile picker with each profile's state")
        try pane.send("Down")
        try pane.send("Enter")
        try require(pane.waitFor("ci selected from the picker", seconds: 30) { screen in
            screen.contains("profile ci") && !screen.contains("▸ ") && screen.contains("no ci container")
        }, "ci selected with Enter, the picker closed")

        try pane.send("q")
        try require(pane.waitFor("devenv exiting", seconds: 30) { screen in screen.contains("devenv exited with 0") },
                    "devenv exiting with 0 after q")
    }
}
