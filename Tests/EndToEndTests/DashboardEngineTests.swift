import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The dashboard in tmux (140x30) on Docker and on rootful Podman (issue 11): the header
/// describes the engine (kind, rootful/rootless, where, how users map) from one probe made
/// when it opens; a container started and stopped from outside shows in the list; its CPU
/// shows from the stats stream; after the events stream is cut, the reconnect's `--since` is
/// written as that engine reads it. The CLI is a wrapper that logs each call and execs the
/// real one, so the test can count the probes and read the reconnect's arguments.
@Suite("Dashboard engine header and streams (tmux, Docker and Podman)", .serialized, .podmanImageStoreTurn)
struct DashboardEngineTests {
    @Test("Docker: the header from the probe (once), outside start/stop and stats, events reconnect with seconds.nanoseconds")
    func docker() throws {
        let tmux = try TmuxPane.require("DashboardEngineTests")
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        try Self.session(tmux: tmux, engine: docker, header: ["rootful Docker ", " · context ", " · container UIDs are host UIDs"],
                         probe: "info", since: #"^[0-9]+\.[0-9]{9}$"#)
    }

    @Test("rootful Podman: the header from the probe (once), outside start/stop and stats, events reconnect with RFC 3339")
    func podman() throws {
        let tmux = try TmuxPane.require("DashboardEngineTests")
        try PodmanEngine.rootful.require()
        try Self.session(tmux: tmux, engine: "/usr/bin/podman", header: ["rootful Podman 4.", " · local · container UIDs are host UIDs"],
                         probe: "version", since: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z$"#)
    }

    static func session(tmux: String, engine: String, header: [String], probe: String, since pattern: String) throws {
        let parent = NSTemporaryDirectory() + "devenv-deh-" + UUID().uuidString.prefix(8).lowercased()
        let path = parent + "/proj"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let name = "dh" + String(UUID().uuidString.prefix(8)).lowercased()
        let container = "\(DevenvNames.container(name, in: path))"
        // Spawned as TmuxPane spawns tmux (every fd above 2 closed), output to a file: Podman's
        // conmon keeps the descriptors it inherits, and a pipe (or Foundation's watch on its
        // child) it held would never end.
        func run(_ arguments: [String]) throws -> ProcessResult {
            let out = parent + "/engine-output"
            let status = TmuxPane.runDetached([engine] + arguments, output: out)
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            return ProcessResult(exitCode: status, stdout: Array(text.utf8), stderr: Array(text.utf8))
        }
        defer {
            let label = "label=devenv.project=\(name)"
            if let ids = try? run(["ps", "-aq", "--filter", label]).stdoutText, !ids.isEmpty {
                _ = try? run(["rm", "-f"] + ids.split(separator: "\n").map(String.init))
            }
            try? FileManager.default.removeItem(atPath: parent)
        }
        try BusyboxProject.write(in: path, name: name)
        // Every call the dashboard makes, one line each: "PID ARGS" (exec keeps the PID).
        let calls = parent + "/calls"
        let wrapper = parent + "/engine"
        try "#!/bin/sh\necho \"$$ $*\" >> '\(calls)'\nexec \(engine) \"$@\"\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let pane = try TmuxPane.running("DEVENV_DOCKER='\(wrapper)' '\(DevenvBinary.path)' --project '\(path)'",
                                        in: parent, tmux: tmux, width: 140)
        pane.failureContext = { "calls:\n" + ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "") }
        func loggedCalls() -> [(pid: Int32, words: [String])] {
            ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line in
                let words = line.split(separator: " ").map(String.init)
                return words.first.flatMap { Int32($0) }.map { ($0, Array(words.dropFirst())) }
            }
        }
        func row(_ screen: String) -> String {
            screen.split(separator: "\n").first { $0.hasPrefix("│dev ") }.map(String.init) ?? ""
        }

        try pane.require("the header with \(header) and dev not created", seconds: 60) { screen in
            let top = screen.split(separator: "\n").first.map(String.init) ?? ""
            return header.allSatisfy { top.contains($0) } && row(screen).contains("not created")
        }

        // Started from outside with devenv's labels: the list follows the engine's events.
        let root = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let started = try run(["run", "-d", "--name", container, "--network", "none", "--label", "devenv.project=\(name)",
                               "--label", "devenv.profile=dev", "--label", "devenv.root=\(root)",
                               TestEngine.busyboxImage, "sleep", "600"])
        #expect(started.exitCode == 0, "\(started.stderrText)")
        try pane.require("dev running after `\(engine) run` from outside", seconds: 60) { screen in
            row(screen).contains("running")
        }
        // Its CPU from the stats stream: a percentage in the CPU column.
        try pane.require("a CPU percentage on the dev row", seconds: 60) { screen in
            row(screen).range(of: #" [0-9]+(\.[0-9])?% "#, options: .regularExpression) != nil
        }

        // The events stream follows the first snapshot from the moment before it, and, when it
        // is cut (its process killed), reconnects from the last event's time: both `--since`
        // written as this engine reads it (Podman takes a Unix time for another one).
        func eventCalls() -> [(pid: Int32, words: [String])] { loggedCalls().filter { $0.words.first == "events" } }
        func since(_ call: (pid: Int32, words: [String])) -> String? {
            call.words.firstIndex(of: "--since").flatMap { $0 + 1 < call.words.count ? call.words[$0 + 1] : nil }
        }
        let firstEvents = try #require(eventCalls().last, "an events stream was started")
        let firstSince = try #require(since(firstEvents), "\(firstEvents.words)")
        #expect(firstSince.range(of: pattern, options: .regularExpression) != nil, "first --since \(firstSince)")
        kill(firstEvents.pid, SIGTERM)
        try pane.require("a second events call after the first was cut", seconds: 60) { _ in eventCalls().count >= 2 }
        let lastEvents = try #require(eventCalls().last)
        let again = try #require(since(lastEvents), "\(lastEvents.words)")
        #expect(again.range(of: pattern, options: .regularExpression) != nil, "reconnect --since \(again)")
        #expect(again != firstSince, "the reconnect starts from the last event, not from the start")

        let stopped = try run(["stop", "-t", "0", container])
        #expect(stopped.exitCode == 0, "\(stopped.stderrText)")
        try pane.require("dev exited after `\(engine) stop` from outside", seconds: 60) { screen in
            row(screen).contains("exited")
        }

        // One probe for the dashboard's lifetime, though snapshots and a reconnect came since.
        let probes = loggedCalls().filter { $0.words.first == probe }
        #expect(probes.count == 1, "probes: \(probes.map { $0.words.joined(separator: " ") })")
        #expect(loggedCalls().filter { $0.words.first == "ps" }.count >= 2)

        try pane.quit()
    }
}
