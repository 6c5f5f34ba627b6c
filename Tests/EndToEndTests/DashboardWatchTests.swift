import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The dashboard notices configuration files that were not there when it opened: profile
/// files in folders made later (the project's and the user's), a devcontainer.json in a
/// folder made later, devenv.toml renamed into place (an editor's save), a Dockerfile in a
/// folder devenv.toml named only after a reload, a file removed and made again, and the
/// `.devcontainer` folder renamed away and back. Each step waits for the rows to change and
/// for the file-change message naming the file: the dashboard's 15 s heartbeat re-reads the
/// configuration too, but says nothing, so the message shows the watch saw it. Between steps
/// another message (`d`, then a key that cancels) takes the status line. A real terminal
/// (tmux, 160x30: the message has 80 columns); the engine answers `docker ps` (no container is
/// made).
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

        // Nothing but the shipped profiles: dev, ci, prod. The user's profile folder is under an
        // XDG_CONFIG_HOME that does not exist yet.
        let xdg = parent + "/xdg"
        let pane = try TmuxPane.running("XDG_CONFIG_HOME='\(xdg)' DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project)'",
                                        in: parent, tmux: tmux, width: 160)
        try pane.require("the shipped profiles, dev not created", seconds: 60) { screen in
            screen.contains("PROFILE") && row("dev", screen).contains("not created") && !row("prod", screen).isEmpty
        }
        /// Waits for the rows `condition` wants and the message that `shown` changed; then puts
        /// another message in its place, so the next step's message is its own.
        func noticed(_ what: String, _ shown: String, _ condition: @escaping (String) -> Bool) throws {
            try pane.require("\(what), with the message naming \(shown)", seconds: 60) { screen in
                let status = screen.split(separator: "\n").last.map(String.init) ?? ""
                return condition(screen) && status.contains(shown) && status.contains(" changed: ")
            }
            try pane.send("d")
            try pane.require("the down question", seconds: 60) { $0.contains("y removes it") }
            try pane.send("n")
            try pane.require("down cancelled, its message in the status line", seconds: 60) { screen in
                screen.split(separator: "\n").last.map { $0.contains(": cancelled") } == true
            }
        }

        // A profile file in the project's profile folder and one in the user's, both made (with
        // their folders) after the dashboard opened.
        try FileManager.default.createDirectory(atPath: project + "/.devenv/profiles", withIntermediateDirectories: true)
        try save(".devenv/profiles/staging.toml", "extends = \"prod\"\n")
        try noticed("a staging row", ".devenv/profiles/staging.toml") { !row("staging", $0).isEmpty }
        try FileManager.default.createDirectory(atPath: xdg + "/devenv/profiles", withIntermediateDirectories: true)
        try "extends = \"dev\"\n".write(toFile: xdg + "/devenv/profiles/mine.toml", atomically: true, encoding: .utf8)
        try noticed("a mine row from the user's profile folder", xdg + "/devenv/profiles/mine.toml") { !row("mine", $0).isEmpty }

        // .devcontainer/web/devcontainer.json, in folders that did not exist: a web row.
        try FileManager.default.createDirectory(atPath: project + "/.devcontainer/web", withIntermediateDirectories: true)
        try save(".devcontainer/web/devcontainer.json", #"{ "image": "\#(TestEngine.busyboxImage)" }"#)
        try noticed("a web row", ".devcontainer/web/devcontainer.json") { row("web", $0).contains("not created") }

        // devenv.toml renamed into place: devenv's own configuration replaces the devcontainer
        // one; it names a Dockerfile in a folder that is not there yet.
        try save("devenv.toml", """
            [project]
            name = "\(name)"
            dockerfile = "docker/Dockerfile.dev"

            [profiles.extra]
            extends = "dev"
            """)
        try noticed("the extra row from devenv.toml, web gone", "devenv.toml changed") { screen in
            !row("extra", screen).isEmpty && row("web", screen).isEmpty
        }
        try FileManager.default.createDirectory(atPath: project + "/docker", withIntermediateDirectories: true)
        try save("docker/Dockerfile.dev", "FROM \(TestEngine.busyboxImage)\n")
        try noticed("the Dockerfile the reloaded devenv.toml names", "docker/Dockerfile.dev") { _ in true }

        // devenv.toml removed: the devcontainer configuration is it again.
        try FileManager.default.removeItem(atPath: project + "/devenv.toml")
        try noticed("web back, extra gone", "devenv.toml changed") { screen in
            !row("web", screen).isEmpty && row("extra", screen).isEmpty
        }

        // .devcontainer renamed away and back.
        try FileManager.default.moveItem(atPath: project + "/.devcontainer", toPath: project + "/devcontainer-away")
        try noticed("web gone with .devcontainer renamed away", ".devcontainer changed") { screen in
            row("web", screen).isEmpty && !row("dev", screen).isEmpty
        }
        try FileManager.default.moveItem(atPath: project + "/devcontainer-away", toPath: project + "/.devcontainer")
        try noticed("web back with .devcontainer renamed back", ".devcontainer/web/devcontainer.json") { !row("web", $0).isEmpty }

        // The file in it, removed, then made again under the folder watched anew.
        try FileManager.default.removeItem(atPath: project + "/.devcontainer/web/devcontainer.json")
        try noticed("web gone with its devcontainer.json removed", ".devcontainer/web/devcontainer.json") { row("web", $0).isEmpty }
        try save(".devcontainer/web/devcontainer.json", #"{ "image": "\#(TestEngine.busyboxImage)" }"#)
        try noticed("web back with its devcontainer.json made again", ".devcontainer/web/devcontainer.json") { !row("web", $0).isEmpty }

        try pane.quit()
        try pane.expectTerminalSettingsRestored()
    }

    /// break21: an edit that broke devenv.toml, or the project folder renamed away, left the
    /// status line on "devenv.toml changed: checking the environments again" for good (the
    /// reload's error was dropped). Now the line says the error, FILE:LINE:COL first, while
    /// the rows keep the configuration last read (the extra profile the last good edit added).
    @Test("a devenv.toml edit that does not read, and the project folder renamed away, are said in the status line; fixed, the rows follow again")
    func brokenConfigurationIsSaid() throws {
        let tmux = try TmuxPane.require("DashboardWatchTests")
        let docker = try TestEngine.require()
        let name = "broken" + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-\(name)").path
        let project = parent + "/" + name
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        func row(_ profile: String, _ screen: String) -> String { DashboardEndToEndTests.row(profile, in: screen) }
        func status(_ screen: String) -> String { screen.split(separator: "\n").last.map(String.init) ?? "" }
        try BusyboxProject.write(in: project, name: name)
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project)'",
                                        in: parent, tmux: tmux, width: 160)
        try pane.require("the dev row", seconds: 60) { row("dev", $0).contains("not created") }

        // A good edit (a profile added), then a broken one on line 10.
        try BusyboxProject.write(in: project, name: name, after: "[profiles.extra]\nextends = \"dev\"\n")
        try pane.require("the extra row", seconds: 60) { !row("extra", $0).isEmpty }
        try BusyboxProject.write(in: project, name: name, after: "[profiles.extra]\nextends = \"dev\"\noops = = 1\n")
        try pane.require("the error at devenv.toml:10, the rows as last read", seconds: 60) { screen in
            status(screen).contains("devenv.toml:10:8: expected a value") && status(screen).contains("(the rows show the configuration last read)")
                && !row("extra", screen).isEmpty
        }
        try BusyboxProject.write(in: project, name: name)
        try pane.require("the error gone, extra gone", seconds: 60) { screen in
            !status(screen).contains("devenv.toml:10:8: expected a value") && row("extra", screen).isEmpty && !row("dev", screen).isEmpty
        }

        // The project folder renamed away, then back.
        try FileManager.default.moveItem(atPath: project, toPath: project + "-away")
        try pane.require("no project folder, said", seconds: 60) { screen in
            status(screen).contains("no project folder at \(project) (the rows show")
        }
        try FileManager.default.moveItem(atPath: project + "-away", toPath: project)
        try pane.require("the project back", seconds: 60) { screen in
            !status(screen).contains("no project folder") && !row("dev", screen).isEmpty
        }
        try pane.quit()
        try pane.expectTerminalSettingsRestored()
    }

    /// break22: the status line after a file change and around a configuration error. The
    /// "devenv.toml changed: checking the environments again" line stayed after the check had
    /// answered; an error's hostile key showed as "]0;PWNED" (the screen dropped the control
    /// characters instead of showing them escaped); Ctrl-L did not say the error again once
    /// another message had taken its line; below 8 rows the status line was not drawn at all.
    @Test("the status line: a change's check answered, a hostile error escaped, said again by Ctrl-L, shown at 20x5")
    func statusLineAroundAnError() throws {
        let tmux = try TmuxPane.require("DashboardWatchTests")
        let docker = try TestEngine.require()
        let name = "status" + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-\(name)").path
        let project = parent + "/" + name
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        func status(_ screen: String) -> String { screen.split(separator: "\n").last.map(String.init) ?? "" }
        try BusyboxProject.write(in: project, name: name)
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(project)'",
                                        in: parent, tmux: tmux, width: 160, height: 24)
        try pane.require("the dev row", seconds: 30) { DashboardEndToEndTests.row("dev", in: $0).contains("not created") }

        // A change that reads: the check's outcome replaces "checking".
        try BusyboxProject.write(in: project, name: name, devLines: ["# a comment"])
        try pane.require("the check's outcome in the status line", seconds: 30) { screen in
            status(screen).contains("devenv.toml changed: checked (nothing stale)")
        }
        // A key holding a title-setting sequence: shown escaped.
        try BusyboxProject.write(in: project, name: name, devLines: [#""\u001b]0;PWNED\u0007" = 1"#])
        let escaped = #"devenv.toml:7:1: unknown key "\x1b]0;PWNED\x07" in [profiles.dev]"#
        try pane.require("the error with its key escaped", seconds: 30) { status($0).contains(escaped) }
        // Another message takes the line; Ctrl-L says the error again.
        try pane.send("d")
        try pane.require("the down question", seconds: 30) { $0.contains("y removes it") }
        try pane.send("n")
        try pane.require("down cancelled in the status line", seconds: 30) { status($0).contains("down dev: cancelled") }
        try pane.send("C-l")
        try pane.require("Ctrl-L: the error again", seconds: 30) { status($0).contains(escaped) }
        // A 20x5 terminal still has its status line, the error's start in it.
        try pane.run(["resize-window", "-x", "20", "-y", "5"])
        try pane.require("the error's start on the last of 5 rows", seconds: 30) { screen in
            screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 5 && status(screen).contains("devenv.toml:7")
        }
        try pane.run(["resize-window", "-x", "160", "-y", "24"])
        // Fixed: the check's outcome again.
        try BusyboxProject.write(in: project, name: name)
        try pane.require("fixed: the check's outcome, the error gone", seconds: 30) { screen in
            status(screen).contains("devenv.toml changed: checked (nothing stale)") && !screen.contains("PWNED")
        }
        try pane.quit()
        try pane.expectTerminalSettingsRestored()
    }
}
