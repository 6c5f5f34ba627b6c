import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14: the dashboard's first `docker ps` runs alone and its events stream starts only
/// once that answered, `--since` the moment before the ps (DESIGN.md section 4). A state change
/// in between, after the ps saw the container and before the stream started, must still reach
/// the screen. Made to happen on the real engine (tmux, 100x30, Docker and rootful Podman): the
/// CLI is a wrapper whose first `ps` asks the engine, then stops the container, and only then
/// answers (so the answer says running while the engine has sent `die`); every later `ps`
/// never answers, so only the events stream's replay can show the container exited.
@Suite("Dashboard: a change between the first ps and the events stream is not lost (tmux)", .serialized, .podmanImageStoreTurn)
struct DashboardEventWindowTests {
    @Test("Docker: stopped after the first ps answered, before the events stream started: shown exited")
    func docker() throws {
        let tmux = try TmuxPane.require("DashboardEventWindowTests")
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        try Self.session(tmux: tmux, engine: docker)
    }

    @Test("rootful Podman: stopped after the first ps answered, before the events stream started: shown exited")
    func podman() throws {
        let tmux = try TmuxPane.require("DashboardEventWindowTests")
        try PodmanEngine.rootful.require()
        try Self.session(tmux: tmux, engine: "/usr/bin/podman")
    }

    static func session(tmux: String, engine: String) throws {
        let parent = NSTemporaryDirectory() + "devenv-window-" + UUID().uuidString.prefix(8).lowercased()
        let path = parent + "/proj"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let name = "win" + String(UUID().uuidString.prefix(8)).lowercased()
        let container = "\(DevenvNames.container(name, in: path))"
        let marker = "devenv-window-\(name)"
        // Spawned as TmuxPane spawns tmux, output to a file (Podman's conmon keeps what it inherits).
        func run(_ arguments: [String]) -> ProcessResult {
            let out = parent + "/engine-output"
            let status = TmuxPane.runDetached([engine] + arguments, output: out)
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            return ProcessResult(exitCode: status, stdout: Array(text.utf8), stderr: Array(text.utf8))
        }
        defer {
            let ids = run(["ps", "-aq", "--filter", "label=devenv.project=\(name)"]).stdoutText
            if !ids.isEmpty {
                _ = run(["rm", "-f"] + ids.split(separator: "\n").map(String.init))
            }
            try? FileManager.default.removeItem(atPath: parent)
        }
        try BusyboxProject.write(in: path, name: name)
        // A running container with devenv's labels, as in DashboardEngineTests (no build needed).
        let root = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let started = run(["run", "-d", "--name", container, "--network", "none", "--label", "devenv.project=\(name)",
                           "--label", "devenv.profile=dev", "--label", "devenv.root=\(root)",
                           TestEngine.busyboxImage, "sleep", "600"])
        try #require(started.exitCode == 0, "\(started.stderrText)")

        // The first ps: asked, then the container stopped (and that logged), then answered.
        // Every later ps hangs until devenv ends it. The project is new: no lookup was
        // remembered for it, so the dashboard's first ps is its snapshot's own.
        let calls = parent + "/calls"
        let wrapper = parent + "/engine"
        try """
            #!/bin/sh
            echo "$$ $*" >> '\(calls)'
            if [ "$1" = ps ]; then
              if mkdir '\(parent)/first-ps' 2>/dev/null; then
                out=$(\(engine) "$@"); status=$?
                \(engine) stop -t 0 \(container) </dev/null >/dev/null 2>&1
                echo "window: stopped" >> '\(calls)'
                printf '%s\\n' "$out"
                exit $status
              fi
              exec python3 -c 'import time; time.sleep(300)' \(marker)
            fi
            exec \(engine) "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(wrapper)' '\(DevenvBinary.path)' --project '\(path)'",
                                        in: parent, tmux: tmux)
        let log = { (try? String(contentsOfFile: calls, encoding: .utf8)) ?? "" }
        pane.failureContext = { "calls:\n" + log() }
        func row(_ screen: String) -> String {
            screen.split(separator: "\n").first { $0.hasPrefix("│dev ") }.map(String.init) ?? ""
        }

        try pane.require("dev exited (from the events stream's replay: later ps calls never answer)", seconds: 60) { screen in
            row(screen).contains("exited")
        }
        // The stop fell in the window: after the ps was asked, before the events stream started.
        let lines = log().split(separator: "\n").map(String.init)
        let firstPS = lines.firstIndex { $0.split(separator: " ").dropFirst().first == "ps" }
        let stopped = lines.firstIndex(of: "window: stopped")
        let events = lines.firstIndex { $0.split(separator: " ").dropFirst().first == "events" }
        #expect(firstPS != nil && stopped != nil && events != nil && firstPS! < stopped! && stopped! < events!, "calls:\n\(log())")
        if let events {
            #expect(lines[events].contains(" --since "), "the first events stream replays from before the ps: \(lines[events])")
        }
        try pane.quit()
        pane.expectNoneLeft("hung ps (\(marker))") { DashboardEarlyLookupTests.processes(holding: marker) }
    }
}
