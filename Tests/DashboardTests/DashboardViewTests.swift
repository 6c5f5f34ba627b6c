import Dashboard
import DevEnvCore
import TerminalUI
import Testing

@Suite("Dashboard view")
struct DashboardViewTests {
    func screenRow(_ profile: String, _ text: String) -> String {
        text.split(separator: "\n").first { $0.hasPrefix("│\(profile) ") }.map(String.init) ?? ""
    }

    @Test("80x24: every environment with its state, the selected one's details, key hints")
    func smallTerminal() {
        let state = DashboardFixture.state()
        let screen = state.render(size: Size(width: 80, height: 24))
        let text = screen.lines.joined(separator: "\n")
        #expect(screen.lines.count == 24)
        #expect(screen.lines.allSatisfy { DisplayWidth.of($0) == 80 })
        #expect(screen.line(0).contains("project demo"))
        #expect(text.contains("environments"))
        let dev = screen.lines.first { $0.contains("│dev ") } ?? ""
        #expect(dev.contains("running") && dev.contains("2m05s"), "\(text)")
        #expect(screen.lines.contains { $0.contains("ci ") && $0.contains("not created") }, "\(text)")
        #expect(screen.lines.contains { $0.contains("prod") && $0.contains("exited (3), stale") }, "\(text)")
        // Narrow: the image age and ports columns are dropped, the details pane stays.
        #expect(!text.contains("IMAGE AGE"))
        #expect(!text.contains(" CPU "))
        #expect(!text.contains("PORTS"))
        #expect(text.contains("container devenv-demo-dev (running)"))
        #expect(text.contains("user      ada 4242:4242 from"))
        #expect(text.contains("logs devenv-demo-dev · follow"))
        #expect(screen.line(23).contains("u up") && screen.line(23).contains("d down"))
    }

    @Test("160x48: detail columns, volumes, env file, panes side by side")
    func largeTerminal() {
        var state = DashboardFixture.state(width: 160, height: 48)
        _ = state.update(.message(.logOutput(container: "devenv-demo-dev", bytes: Array("tick 1: hello, ada\ntick 2: hello, ada\n".utf8))))
        let screen = state.render(size: Size(width: 160, height: 48))
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("IMAGE AGE") && text.contains("PORTS") && text.contains("CPU"))
        #expect(screen.lines.contains { $0.contains("dev") && $0.contains("2 hours ago") && $0.contains("0.0.0.0:8000->8000/tcp") }, "\(text)")
        #expect(text.contains("volumes   devenv-demo-dev-venv → /venv"))
        #expect(text.contains("          devenv-demo-dev-cache → /home/dev/.cache"))
        #expect(text.contains("env file  .env.dev"))
        #expect(text.contains("mount     /home/ada/demo → /app"))
        // The logs pane and the action pane share a row at this width.
        let logRow = screen.lines.firstIndex { $0.contains("tick 2: hello, ada") }
        #expect(logRow != nil)
        #expect(screen.lines.contains { $0.contains("logs devenv-demo-dev") && $0.contains("action") }, "\(text)")
    }

    @Test("a stale environment says why and what fixes it; security flags are listed")
    func staleDetails() {
        var state = DashboardFixture.state(width: 160, height: 48)
        _ = state.update(DashboardFixture.key(.down))
        _ = state.update(DashboardFixture.key(.down))
        let text = DashboardFixture.text(state, width: 160, height: 48)
        #expect(text.contains("container devenv-demo-prod (exited (3))"))
        #expect(text.contains("stale     the Dockerfile, dependency files or build args changed:"))
        #expect(text.contains("          `devenv up` rebuilds and recreates"))
        #expect(text.contains("security  read-only · cap-drop ALL · no-new-privileges"))
        #expect(text.contains("no prod container") == false)
    }

    @Test("a running action shows spinner and elapsed time; its last lines and exit status stay")
    func actionPane() {
        var state = DashboardFixture.state(width: 100, height: 30)
        _ = state.update(DashboardFixture.key("y"))
        state.now += 2.5
        _ = state.update(.message(.actionOutput(profile: "dev", text: "devenv: uv sync --frozen\n  Installed 1 package\n")))
        var text = DashboardFixture.text(state, width: 100, height: 30)
        #expect(text.contains("sync-deps dev 2.5s"), "\(text)")
        #expect(text.contains("Installed 1 package"))
        state.now += 1
        _ = state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))
        text = DashboardFixture.text(state, width: 100, height: 30)
        #expect(text.contains("sync-deps dev: exit 0 in 3.5s"), "\(text)")
        #expect(text.contains("Installed 1 package"))
        #expect(text.contains("sync-deps dev: done in 3.5s (exit 0)"))
    }

    @Test("a docker error is in the action pane in full and one line in the status bar")
    func dockerError() {
        var state = DashboardFixture.state(width: 100, height: 30)
        _ = state.update(DashboardFixture.key("u"))
        let report = "devenv: error: starting devenv-demo-dev failed\n  hint: the port is in use\n  | docker: Error response from daemon: driver failed\n"
        _ = state.update(.message(.actionFinished(profile: "dev", status: 125, error: report)))
        let screen = state.render(size: Size(width: 100, height: 30))
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("hint: the port is in use"))
        #expect(text.contains("| docker: Error response from daemon: driver failed"))
        #expect(screen.line(29).contains("up dev failed (exit 125): starting devenv-demo-dev"), "\(screen.line(29))")
        #expect(screen.lines.allSatisfy { DisplayWidth.of($0) == 100 })
    }

    @Test("a shell that could not start: the error in full in the action pane, one line below")
    func handOverError() {
        var state = DashboardFixture.state(width: 100, height: 30)
        _ = state.update(DashboardFixture.key("j"))
        let report = "devenv: error: the ci container devenv-demo-ci does not exist\n  hint: start it with `devenv up --profile ci`\n"
        let commands = state.update(.message(.handOverFinished(.shell, profile: "ci", status: 1, error: report)))
        #expect(DashboardFixture.effects(commands).contains(.refresh))
        let screen = state.render(size: Size(width: 100, height: 30))
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("shell ci: exit 1"), "\(text)")
        #expect(text.contains("hint: start it with `devenv up --profile ci`"))
        #expect(screen.line(29).contains("shell ci: the ci container devenv-demo-ci does not"), "\(screen.line(29))")
    }

    @Test("help overlay lists the keys; the down confirmations name what goes")
    func overlays() {
        var state = DashboardFixture.state()
        _ = state.update(DashboardFixture.key("?"))
        var text = DashboardFixture.text(state, width: 80, height: 24)
        #expect(text.contains("D          down --volumes (type the profile name to confirm)"), "\(text)")
        _ = state.update(DashboardFixture.key("x"))
        _ = state.update(DashboardFixture.key("D"))
        DashboardFixture.type("de", into: &state)
        text = DashboardFixture.text(state, width: 80, height: 24)
        #expect(text.contains("Type the profile name (dev) to confirm:"))
        #expect(text.contains("> de▏"))
    }

    @Test("before the first snapshot the list says it is reading; CPU and memory show with a sparkline")
    func loadingAndStats() {
        var state = DashboardState(project: "demo", root: "/p")
        _ = state.update(.start(Size(width: 80, height: 24)))
        #expect(DashboardFixture.text(state, width: 80, height: 24).contains("reading the environments"))
        state = DashboardFixture.state(width: 120, height: 30)
        for cpu in [5.0, 50.0, 100.0] {
            _ = state.update(.message(.stats(ContainerStats(name: "devenv-demo-dev", cpuPercent: cpu, memoryPercent: 1.5,
                                                            memoryUsage: "12MiB / 8GiB"))))
        }
        let text = DashboardFixture.text(state, width: 120, height: 30)
        #expect(text.contains("cpu       100.0%"), "\(text)")
        #expect(text.contains("▁▅█"))
        #expect(text.contains("memory    12MiB (1.5%)"))
        // The list has a CPU column for every running container.
        #expect(screenRow("dev", text).contains("100.0%"), "\(text)")
    }

    /// Every screen of the help overlay at a size, scrolled with ↓ until its last line shows.
    static func helpPages(width: Int, height: Int) -> String {
        var state = DashboardFixture.state(width: width, height: height)
        _ = state.update(DashboardFixture.key("?"))
        var pages = DashboardFixture.text(state, width: width, height: height)
        for _ in 0..<DashboardKeymap.helpLines.count {
            _ = state.update(DashboardFixture.key(.down))
            pages += "\n" + DashboardFixture.text(state, width: width, height: height)
        }
        #expect(state.overlay == .help, "arrows scroll the help, they do not close it")
        return pages
    }

    @Test("the help overlay lists every key of the keymap, grouped by context, at 80x24 and 200x60")
    func helpListsEveryKey() {
        for (width, height) in [(80, 24), (200, 60)] {
            let pages = Self.helpPages(width: width, height: height)
            for binding in DashboardKeymap.bindings {
                #expect(pages.contains(binding.helpLine), "\(width)x\(height): \(binding.label)")
            }
            for context in KeyBinding.Context.allCases { #expect(pages.contains(context.title)) }
            for label in ["Home g", "End G", "PgUp", "PgDn", "Shift-Tab", "Ctrl-L", "Ctrl-Z"] {
                #expect(pages.contains(label), "\(label)")
            }
        }
        // At 200x60 it fits on one screen.
        var state = DashboardFixture.state(width: 200, height: 60)
        _ = state.update(DashboardFixture.key("?"))
        #expect(DashboardFixture.text(state, width: 200, height: 60).contains("any key closes"))
    }

    @Test("the status bar keeps `? help` and `q quit` at 80 and 100 columns, in every pane, with a message")
    func statusBarKeepsHelpAndQuit() {
        for width in [80, 100, 200] {
            for tabs in 0..<4 {
                var state = DashboardFixture.state(width: width, height: 30)
                for _ in 0..<tabs { _ = state.update(DashboardFixture.key(.tab)) }
                for message in [nil, "build dev: started", String(repeating: "a long message ", count: 3)] {
                    state.message = message
                    let bar = state.render(size: Size(width: width, height: 30)).line(29)
                    #expect(bar.contains("? help") && bar.contains("q Ctrl-C quit"), "\(width) \(state.focus): \(bar)")
                }
            }
        }
        // The list's own hints come first; at 200 columns they all fit.
        let wide = DashboardFixture.state(width: 200, height: 30).render(size: Size(width: 200, height: 30)).line(29)
        for hint in ["u up", "d down", "b build", "r restart", "s shell", "e exec", "y sync", "c clean", "p profile"] {
            #expect(wide.contains(hint), "\(hint): \(wide)")
        }
    }

    @Test("the details pane can be focused and scrolled: at 100x30 health, env file and security are reachable")
    func detailsPaneScrolls() {
        var state = DashboardFixture.state(width: 100, height: 30)
        _ = state.update(DashboardFixture.key(.tab))
        var seen = DashboardFixture.text(state, width: 100, height: 30)
        for _ in 0..<20 {
            _ = state.update(DashboardFixture.key(.down))
            seen += DashboardFixture.text(state, width: 100, height: 30)
        }
        for label in ["env file  .env.dev", "security  docker defaults", "health    no healthcheck", "ports     0.0.0.0:8000"] {
            #expect(seen.contains(label), "\(label)")
        }
    }
}
