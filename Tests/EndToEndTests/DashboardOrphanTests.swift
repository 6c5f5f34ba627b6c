import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A service taken out of the profile while the dashboard is open: its container (devenv's,
/// still running) shows as an orphaned row under its environment; `d` then `y` on it runs
/// down, which removes it (by ID) and the network; containers named like services that
/// devenv did not make for this folder and profile are never shown or touched. A real
/// terminal (tmux, 100x30), the real engine.
@Suite("Dashboard orphaned services (tmux, real engine)", .serialized)
struct DashboardOrphanTests {
    @Test("an orphaned service container is a row marked orphaned; d removes it, others' containers survive")
    func orphanedRow() throws {
        let tmux = try TmuxPane.require("DashboardOrphanTests")
        let docker = try TestEngine.require(images: [TestEngine.pythonImage, TestEngine.busyboxImage])
        let project = try TestEngine.makeDemoProject(uid: 4242, gid: 4242)
        let name = "orph" + String(UUID().uuidString.prefix(8)).lowercased()
        let network = "\(DevenvNames.container(name, in: project.path))"
        defer {
            TestEngine.removeEverything(ofProject: name)
            let left = (try? TestEngine.docker(["network", "ls", "-q", "--filter", "label=devenv.project=\(name)"]).stdoutText) ?? ""
            let ids = left.split(separator: "\n").map(String.init)
            if !ids.isEmpty { _ = try? TestEngine.docker(["network", "rm"] + ids) }
        }
        let config = """
            [project]
            name = "\(name)"

            [profiles.dev]
            ports = []
            command = ["sleep", "infinity"]
            services = ["cache"]

            [services.cache]
            image = "\(TestEngine.busyboxImage)"
            command = ["sleep", "600"]
            """
        try DashboardEndToEndTests.write(project, "devenv.toml", config)
        let up = try TestEngine.run([DevenvBinary.path, "--project", project.path, "up"],
                                    environment: ["DEVENV_DOCKER": docker], timeoutSeconds: 600)
        try #require(up.succeeded, "devenv up: \(up.stderrText)")
        let cache = "\(DevenvNames.container(name, in: project.path))-svc-cache"
        let cacheID = try TestEngine.docker(["inspect", "--format", "{{.Id}}", cache]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // Named like services of this environment, not devenv's for it: a user's own, and one
        // whose labels name another folder. Never shown, never touched.
        let others = try TestEngine.serviceLookalikes(project: name, in: project.path)
        defer { _ = try? TestEngine.docker(["rm", "-f"] + others) }

        let work = project.path + "/../orphan-e2e"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project.path)'",
                                        in: work, tmux: tmux)
        func row(_ list: String, _ screen: String) -> String { DashboardEndToEndTests.row(list, in: screen) }
        try pane.require("the cache service row, running, not orphaned", seconds: 60) { screen in
            row("└ cache", screen).contains("running") && !row("└ cache", screen).contains("orphaned")
        }

        // The profile stops running it, while the dashboard is open.
        try DashboardEndToEndTests.write(project, "devenv.toml", config.replacingOccurrences(of: #"services = ["cache"]"#, with: "services = []"))
        try pane.require("the cache row marked orphaned after devenv.toml dropped it", seconds: 60) { screen in
            row("└ cache", screen).contains("running, orphaned")
        }
        let screen = pane.capture()
        #expect(!screen.contains("└ mine") && !screen.contains("└ web"), "others' containers are no rows: \(screen)")

        try pane.send("j")
        try pane.require("the orphaned row selected, its details saying d removes it", seconds: 60) { screen in
            screen.contains("dev/cache") && screen.contains("orphaned  profile dev no longer runs")
        }
        try pane.send("d")
        try pane.require("the down confirmation naming the orphaned service", seconds: 60) { screen in
            screen.contains("Also the orphaned service cache.")
        }
        try pane.send("y")
        try pane.require("down dev finishing with exit 0, the orphaned row gone", seconds: 120) { screen in
            screen.contains("down dev: exit 0") && row("└ cache", screen).isEmpty
        }
        #expect(try !TestEngine.docker(["inspect", cacheID]).succeeded, "the orphaned container was removed")
        #expect(try !TestEngine.docker(["network", "inspect", network]).succeeded, "and the network")
        for id in others { #expect(try TestEngine.docker(["inspect", id]).succeeded, "\(id) survives") }

        try pane.quit()
        try pane.expectTerminalSettingsRestored()
    }
}
