import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14: the dashboard starts its first `docker ps` before it reads the configuration
/// (`LookupSpeculation`, the lookup `status` remembered). After a profile was added, that early
/// call asks for the old names: the dashboard must end it and show the real states, the added
/// profile's included, and leave no process behind when it quits. A real terminal (tmux,
/// 100x30), the real engine (busybox project); the stale early call is made to hang by a
/// DEVENV_DOCKER wrapper, so only ending it lets the first frame come.
@Suite("Dashboard with a lookup started ahead (tmux, real engine)", .serialized)
struct DashboardEarlyLookupTests {
    @Test("a profile added since the remembered lookup: the dashboard shows its real state; the early call is ended")
    func aProfileAddedSinceShowsItsRealState() throws {
        let tmux = try TmuxPane.require("DashboardEarlyLookupTests")
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        let parent = NSTemporaryDirectory() + "devenv-early-" + UUID().uuidString.prefix(8).lowercased()
        let project = parent + "/proj"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        let name = "early" + String(UUID().uuidString.prefix(8)).lowercased()
        defer {
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
        func config(extra: Bool) throws {
            try BusyboxProject.write(in: project, name: name, devLines: [#"command = ["sleep", "600"]"#],
                                     after: extra ? "[profiles.extra]\nextends = \"dev\"\n" : "")
        }
        // While `hang` exists, a `docker ps` without the extra profile's name never answers.
        let marker = "devenv-early-\(name)"
        let wrapper = parent + "/docker"
        try """
            #!/bin/sh
            if [ "$1" = ps ] && [ -e "\(parent)/hang" ]; then
              case "$*" in *-extra*) ;; *) exec python3 -c 'import time; time.sleep(120)' \(marker) ;; esac
            fi
            exec \(docker) "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        func devenv(_ arguments: String...) throws -> ProcessResult {
            try TestEngine.run([DevenvBinary.path, "--project", project] + arguments, environment: ["DEVENV_DOCKER": wrapper],
                               timeoutSeconds: 180)
        }
        try config(extra: false)
        let up = try devenv("up")
        try #require(up.succeeded, "devenv up: \(up.stderrText)")
        // status remembers the lookup the dashboard makes too (every profile, none chosen).
        try #require(try devenv("status").succeeded)
        try config(extra: true)
        let extra = try devenv("up", "--profile", "extra")
        try #require(extra.succeeded, "devenv up --profile extra: \(extra.stderrText)")
        try "".write(toFile: parent + "/hang", atomically: true, encoding: .utf8)

        let pane = try TmuxPane.running("DEVENV_DOCKER='\(wrapper)' '\(DevenvBinary.path)' --project '\(project)'",
                                        in: parent, tmux: tmux)
        try pane.require("dev and extra running", seconds: 60) { screen in
            DashboardEndToEndTests.row("dev", in: screen).contains("running")
                && DashboardEndToEndTests.row("extra", in: screen).contains("running")
        }
        try pane.quit()
        pane.expectNoneLeft("early docker ps (\(marker))") { Self.processes(holding: marker) }
    }

    /// The processes whose command line holds `marker` (pid and command line).
    static func processes(holding marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains(marker) ? "\(pid): \(line)" : nil
        }
    }
}
