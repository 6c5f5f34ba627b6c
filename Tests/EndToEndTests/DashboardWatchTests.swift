import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The dashboard notices configuration files that were not there when it opened: a
/// devcontainer.json in a folder made later, devenv.toml renamed into place (an editor's save),
/// a Dockerfile in a folder devenv.toml named only after a reload, a file removed and the
/// `.devcontainer` folder renamed away and back. A real terminal (tmux, 100x30); the engine
/// answers `docker ps` (no container is made).
@Suite("Dashboard watch list (tmux)", .serialized)
struct DashboardWatchTests {
    @Test("files made, removed, renamed away and back after the dashboard opened are each noticed")
    func filesAfterOpening() throws {
        let tmux = try TmuxPane.require("DashboardWatchTests")
        let docker = try TestEngine.require()
        let name = "watch" + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-\(name)").path
        let project = parent + "/" + name
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        func row(_ profile: String, _ screen: String) -> String { DashboardEndToEndTests.row(profile, in: screen) }
        /// Written beside and renamed into place, as editors save.
        func save(_ relative: String, _ text: String) throws {
            try text.write(toFile: project + "/" + relative, atomically: true, encoding: .utf8)
        }

        // Nothing but the shipped profiles: dev, ci, prod.
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project)'",
                                        in: parent, tmux: tmux)
        try pane.require("the shipped profiles, dev not created", seconds: 30) { screen in
            screen.contains("PROFILE") && row("dev", screen).contains("not created") && !row("prod", screen).isEmpty
        }

        // .devcontainer/web/devcontainer.json, in folders that did not exist: a web row.
        try FileManager.default.createDirectory(atPath: project + "/.devcontainer/web", withIntermediateDirectories: true)
        try save(".devcontainer/web/devcontainer.json", #"{ "image": "\#(TestEngine.busyboxImage)" }"#)
        try pane.require("a web row from .devcontainer/web/devcontainer.json", seconds: 30) { screen in
            row("web", screen).contains("not created")
        }

        // devenv.toml renamed into place: devenv's own configuration replaces the devcontainer
        // one; it names a Dockerfile in a folder that is not there yet.
        try save("devenv.toml", """
            [project]
            name = "\(name)"
            dockerfile = "docker/Dockerfile.dev"

            [profiles.extra]
            extends = "dev"
            """)
        try pane.require("the extra row from devenv.toml, web gone", seconds: 30) { screen in
            !row("extra", screen).isEmpty && row("web", screen).isEmpty
        }
        try FileManager.default.createDirectory(atPath: project + "/docker", withIntermediateDirectories: true)
        try save("docker/Dockerfile.dev", "FROM \(TestEngine.busyboxImage)\n")
        try pane.require("docker/Dockerfile.dev noticed (named by the reloaded devenv.toml)", seconds: 30) { screen in
            screen.contains("docker/Dockerfile.dev changed")
        }

        // devenv.toml removed: the devcontainer configuration is it again.
        try FileManager.default.removeItem(atPath: project + "/devenv.toml")
        try pane.require("web back after devenv.toml was removed", seconds: 30) { screen in
            !row("web", screen).isEmpty && row("extra", screen).isEmpty
        }

        // .devcontainer renamed away and back.
        try FileManager.default.moveItem(atPath: project + "/.devcontainer", toPath: project + "/devcontainer-away")
        try pane.require("web gone with .devcontainer renamed away", seconds: 30) { screen in
            row("web", screen).isEmpty && !row("dev", screen).isEmpty
        }
        try FileManager.default.moveItem(atPath: project + "/devcontainer-away", toPath: project + "/.devcontainer")
        try pane.require("web back with .devcontainer renamed back", seconds: 30) { screen in
            !row("web", screen).isEmpty
        }
        // And the file in it, removed then made again under the folder watched anew.
        try FileManager.default.removeItem(atPath: project + "/.devcontainer/web/devcontainer.json")
        try pane.require("web gone with its devcontainer.json removed", seconds: 30) { screen in row("web", screen).isEmpty }
        try save(".devcontainer/web/devcontainer.json", #"{ "image": "\#(TestEngine.busyboxImage)" }"#)
        try pane.require("web back with its devcontainer.json made again", seconds: 30) { screen in !row("web", screen).isEmpty }

        try pane.quit()
        try pane.expectTerminalSettingsRestored()
    }
}
