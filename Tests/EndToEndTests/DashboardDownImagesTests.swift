import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 10 item 12 in a real terminal (tmux, 100x30) on the real engine: the dashboard's D asks
/// for the profile's name, then runs `down --volumes --images`, and the image devenv built for
/// the profile is gone with the container and its volume.
@Suite("Dashboard D removes images (tmux, real engine)", .serialized)
struct DashboardDownImagesTests {
    @Test("D, the profile's name typed, Enter: container, volume and image gone")
    func downEverything() throws {
        let tmux = try TmuxPane.require("DashboardDownImagesTests")
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        let name = "dimg" + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = NSTemporaryDirectory() + "devenv-dimg-" + UUID().uuidString.prefix(8).lowercased()
        let path = parent + "/proj"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer {
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
        try "GREETING=hello\n".write(toFile: path + "/.env.dev", atomically: true, encoding: .utf8)
        try BusyboxProject.write(in: path, name: name, devLines: [#"volumes = { cache = "/home/dev/.cache" }"#])
        let up = try TestEngine.run([DevenvBinary.path, "--project", path, "up"], environment: ["DEVENV_DOCKER": docker],
                                    timeoutSeconds: 180)
        try #require(up.succeeded, "devenv up: \(up.stderrText)")
        let container = "\(DevenvNames.container(name, in: path))"
        let image = try TestEngine.docker(["inspect", "--format", "{{.Image}}", container]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(image.hasPrefix("sha256:"))

        let pane = try TmuxPane.running("DEVENV_DOCKER='\(docker)' '\(DevenvBinary.path)' --project '\(path)'", in: parent, tmux: tmux)
        try pane.require("dev running in the list", seconds: 60) { screen in
            DashboardEndToEndTests.row("dev", in: screen).contains("running")
        }

        try pane.send("D")
        try pane.require("the confirmation naming the images", seconds: 60) { screen in
            screen.contains("down --volumes --images dev") && screen.contains("AND the images devenv built")
                && screen.contains("Type the profile name (dev) to confirm:")
        }
        try pane.type("dev")
        try pane.send("Enter")
        try pane.require("down --volumes --images dev finishing with exit 0", seconds: 120) { screen in
            screen.contains("down --volumes --images dev: exit 0")
        }
        try pane.require("dev not created after D", seconds: 60) { screen in
            DashboardEndToEndTests.row("dev", in: screen).contains("not created")
        }

        #expect(try TestEngine.docker(["image", "inspect", image]).exitCode != 0, "the image devenv built is still there")
        #expect(try TestEngine.docker(["image", "inspect", TestEngine.busyboxImage]).exitCode == 0, "the base image was touched")
        #expect(try TestEngine.docker(["volume", "inspect", "\(DevenvNames.container(name, in: path))-cache"]).exitCode != 0, "the volume is still there")
        #expect(try TestEngine.docker(["ps", "--all", "--quiet", "--filter", "name=^/?\(container)$"]).stdoutText.isEmpty)

        try pane.quit()
    }
}
