@testable import Dashboard
import Foundation
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

    @Test("100x30: the published ports in the list, the app's URL in the details")
    func portsAtAHundredColumns() {
        let state = DashboardFixture.state(width: 100, height: 30)
        let screen = state.render(size: Size(width: 100, height: 30))
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("PORTS"), "\(text)")
        #expect(screenRow("dev", text).contains("8000,5678"), "\(text)")
        #expect(text.contains("url       http://127.0.0.1:8000/"), "\(text)")
    }

    @Test("160x48: detail columns, volumes, env file, panes side by side")
    func largeTerminal() {
        var state = DashboardFixture.state(width: 160, height: 48)
        _ = state.update(.message(.logOutput(container: "devenv-demo-dev", bytes: Array("tick 1: hello, ada\ntick 2: hello, ada\n".utf8))))
        let screen = state.render(size: Size(width: 160, height: 48))
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("IMAGE AGE") && text.contains("PORTS") && text.contains("CPU"))
        #expect(screen.lines.contains { $0.contains("dev") && $0.contains("2 hours ago") && $0.contains("8000,5678") }, "\(text)")
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
        #expect(text.contains("D          down --volumes --images (type the profile name to confirm)"), "\(text)")
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

    @Test("the idle action pane names its actions with the keymap's keys and words")
    func idleActionPaneFollowsTheKeymap() {
        #expect(DashboardState.idleActionLine == "u up · b build · y sync · r restart · d down")
        #expect(DashboardKeymap.phrase([.down, .downVolumes]) == "d down · D", "a binding without a hint is its key alone")
        let text = DashboardFixture.text(DashboardFixture.state(width: 200, height: 60), width: 200, height: 60)
        #expect(text.contains(DashboardState.idleActionLine), "\(text)")
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
        for label in ["env file  .env.dev", "security  docker defaults", "health    no healthcheck", "ports     8000,5678", "url       http://127.0.0.1:8000/"] {
            #expect(seen.contains(label), "\(label)")
        }
    }

    /// The header line of the environment list and every column title it shows.
    static func columns(_ text: String) -> [String] {
        let header = text.split(separator: "\n").first { $0.hasPrefix("│PROFILE") }.map(String.init) ?? ""
        return ["PROFILE", "STATE", "UPTIME", "CPU", "IMAGE AGE", "PORTS"].filter { header.contains($0) }
    }

    @Test("columns drop by priority: PROFILE and STATE stay longest, then UPTIME, CPU, IMAGE AGE, PORTS (50x20 to 200x60)")
    func columnsByPriority() {
        let order = ["PROFILE", "STATE", "UPTIME", "CPU", "IMAGE AGE", "PORTS"]
        var shown: [Int: [String]] = [:]
        for (width, height) in [(50, 20), (80, 24), (100, 30), (200, 60)] {
            let state = DashboardFixture.state(width: width, height: height)
            let screen = state.render(size: Size(width: width, height: height))
            let text = screen.lines.joined(separator: "\n")
            #expect(screen.lines.count == height && screen.lines.allSatisfy { DisplayWidth.of($0) == width }, "\(width)x\(height)")
            let columns = Self.columns(text)
            shown[width] = columns
            #expect(columns.starts(with: ["PROFILE", "STATE"]), "\(width)x\(height): \(columns)\n\(text)")
            // Whatever is shown, no column is kept while one above it in the order is dropped,
            // unless that one alone was too wide for the room left.
            #expect(screenRow("dev", text).contains("dev") && screenRow("dev", text).contains("running"), "\(width)x\(height)\n\(text)")
        }
        // 50 columns: "dev running" (the issue: only PROFILE was left).
        #expect(shown[50] == ["PROFILE", "STATE"], "\(shown)")
        #expect(shown[80] == ["PROFILE", "STATE", "UPTIME", "CPU"], "\(shown)")
        // 100: IMAGE AGE does not fit in what CPU left; the narrower PORTS does.
        #expect(shown[100] == ["PROFILE", "STATE", "UPTIME", "CPU", "PORTS"], "\(shown)")
        #expect(shown[200] == order, "\(shown)")
        // At 50 columns a long state is cut with an ellipsis, never dropped.
        let narrow = DashboardFixture.text(DashboardFixture.state(width: 50, height: 20), width: 50, height: 20)
        #expect(screenRow("prod", narrow).contains("exited (3)"), "\(narrow)")
    }

    @Test("CPU and memory sparklines start in the same column, at 80x24, 100x30 and 200x60")
    func sparklinesLineUp() {
        for (width, height) in [(80, 24), (100, 30), (200, 60)] {
            var state = DashboardFixture.state(width: width, height: height)
            for (cpu, memory) in [(5.0, 10.0), (50.0, 20.0), (100.0, 90.0)] {
                _ = state.update(.message(.stats(ContainerStats(name: "devenv-demo-dev", cpuPercent: cpu, memoryPercent: memory,
                                                                memoryUsage: "812.5MiB / 7.6GiB"))))
            }
            let lines = state.render(size: Size(width: width, height: height)).lines
            let sparks: Set<Character> = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
            func sparkColumn(_ label: String) -> Int? {
                guard let line = lines.first(where: { $0.contains("│\(label) ") }),
                      let start = line.range(of: "│\(label) ")?.lowerBound else { return nil }
                let rest = line[start...]
                guard let first = rest.firstIndex(where: { sparks.contains($0) }) else { return nil }
                return DisplayWidth.of(String(line[..<first]))
            }
            let cpu = sparkColumn("cpu"), memory = sparkColumn("memory")
            #expect(cpu != nil && cpu == memory, "\(width)x\(height): cpu at \(String(describing: cpu)), memory at \(String(describing: memory))\n\(lines.joined(separator: "\n"))")
        }
    }

    @Test("IMAGE AGE grows with the clock while the dashboard is open, without a docker call")
    func imageAgeTicks() {
        var rows = DashboardFixture.rows()
        rows[0].imageAge = "59 minutes ago"
        rows[0].imageCreated = DashboardFixture.now - 59 * 60
        var state = DashboardFixture.state(width: 200, height: 60)
        _ = state.update(.message(.snapshot(rows)))
        #expect(screenRow("dev", DashboardFixture.text(state, width: 200, height: 60)).contains("59 minutes ago"))
        // The clock message: no effect at all, the next one asked for a second later (the
        // engine heartbeat, a snapshot after a quiet while, is tested on its own).
        state.heartbeatSeconds = .infinity
        state.now += 60
        let commands = state.update(.message(.clock))
        #expect(DashboardFixture.effects(commands).isEmpty)
        #expect(commands.contains { if case .after(1000, .clock) = $0 { true } else { false } })
        let text = DashboardFixture.text(state, width: 200, height: 60)
        #expect(screenRow("dev", text).contains("About an hour ago"), "\(text)")
        #expect(text.contains("devenv-demo:dev-abc123 · built About an hour ago"), "\(text)")
        state.now += 2 * 3600
        #expect(screenRow("dev", DashboardFixture.text(state, width: 200, height: 60)).contains("3 hours ago"))
        #expect(EnvironmentRow.ago(90 * 60) == "2 hours ago", "go-units rounds hours")
        // Docker's words for the age, as `docker image ls` says them.
        #expect(EnvironmentRow.ago(0.5) == "Less than a second ago")
        #expect(EnvironmentRow.ago(1) == "1 second ago")
        #expect(EnvironmentRow.ago(90) == "About a minute ago")
        #expect(EnvironmentRow.ago(45 * 60) == "45 minutes ago")
        #expect(EnvironmentRow.ago(47 * 3600) == "47 hours ago")
        #expect(EnvironmentRow.ago(3 * 86400) == "3 days ago")
        #expect(EnvironmentRow.ago(20 * 86400) == "2 weeks ago")
        #expect(EnvironmentRow.ago(100 * 86400) == "3 months ago")
        #expect(EnvironmentRow.ago(800 * 86400) == "2 years ago")
        // The clock starts with the dashboard.
        var fresh = DashboardState(project: "demo", root: "/p")
        #expect(fresh.update(.start(Size(width: 80, height: 24))).contains { if case .after(1000, .clock) = $0 { true } else { false } })
    }

    @Test("the profile picker lists every profile with its state, the highlighted one marked, at 50x20 to 200x60")
    func profilePickerView() {
        for (width, height) in [(50, 20), (80, 24), (100, 30), (200, 60)] {
            var state = DashboardFixture.state(width: width, height: height)
            _ = state.update(DashboardFixture.key("p"))
            _ = state.update(DashboardFixture.key(.down))
            let screen = state.render(size: Size(width: width, height: height))
            let text = screen.lines.joined(separator: "\n")
            #expect(screen.lines.allSatisfy { DisplayWidth.of($0) == width }, "\(width)x\(height)")
            #expect(text.contains("┤ profile ├") || text.contains(" profile "), "\(width)x\(height)\n\(text)")
            #expect(text.contains("  dev  running"), "\(width)x\(height)\n\(text)")
            #expect(text.contains("▸ ci   not created"), "\(width)x\(height)\n\(text)")
            #expect(text.contains("  prod exited (3), stale"), "\(width)x\(height)\n\(text)")
            // The status bar shows the picker's keys from the keymap, help and quit are not offered.
            let bar = screen.line(height - 1)
            #expect(bar.contains("Enter select") && bar.contains("cancel"), "\(width): \(bar)")
        }
    }

    /// dash29: a container's labels are any size their maker chose; a 120 KB `devenv.user`
    /// label on a container of the project's name was wrapped whole on every frame (quadratic:
    /// each cut measured and copied the rest), and the loop thread answered nothing else.
    @Test("a huge value from the engine shows its first detailCharacters, then …; the wrap cuts long words from the front")
    func hugeDetailValuesAreCut() {
        var rows = DashboardFixture.rows()
        rows[0].runsAs = String(repeating: "A", count: 20_000)
        var state = DashboardFixture.state(width: 100, height: 30)
        _ = state.update(.message(.snapshot(rows)))
        let lines = state.detailLines(width: 50).map(\.plainText)
        let shown = lines.drop { !$0.hasPrefix("runs as") }.prefix { $0.hasPrefix("runs as") || $0.hasPrefix("  ") }
        #expect(shown.joined().filter { $0 == "A" }.count == DashboardState.detailCharacters, "\(lines.count) lines")
        #expect(shown.last?.hasSuffix("A…") == true)
        #expect(DashboardState.wordWrap(String(repeating: "ab/", count: 4) + " x", width: 5) == ["ab/", "ab/", "ab/", "ab/ x"])
    }

    @Test("the details pane wraps long values at word or path boundaries, never mid-word, at 80x24 and 100x30")
    func detailsWrapAtBoundaries() {
        #expect(DashboardState.wordWrap("/home/ada/projects/very-long-project-name/.env.development", width: 20)
            == ["/home/ada/projects/", "very-long-project-", "name/.env.", "development"])
        #expect(DashboardState.wordWrap("devenv-demo:dev-0123456789abcdef · built 2 hours ago", width: 24)
            == ["devenv-demo:dev-", "0123456789abcdef · built", "2 hours ago"])
        #expect(DashboardState.wordWrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"], "no boundary: cut where it must")
        for (width, height) in [(80, 24), (100, 30)] {
            var rows = DashboardFixture.rows()
            rows[0].bindMount = "/home/ada/projects/a-rather-long-folder-name/demo-application → /app"
            rows[0].image = "registry-less-local-image-name-for-demo:dev-0123456789abcdef"
            var state = DashboardFixture.state(width: width, height: height)
            _ = state.update(.message(.snapshot(rows)))
            _ = state.update(DashboardFixture.key(.tab))
            var seen = ""
            for _ in 0..<25 {
                seen += DashboardFixture.text(state, width: width, height: height) + "\n"
                _ = state.update(DashboardFixture.key(.down))
            }
            // Every piece of the path and tag shows, each line ending at a boundary.
            let inner = state.detailLines(width: 200).map(\.plainText).joined(separator: "\n")
            #expect(inner.contains("a-rather-long-folder-name"))
            for piece in ["/home/ada/projects/", "folder-", "demo-application", "0123456789abcdef"] {
                #expect(seen.contains(piece), "\(width)x\(height): \(piece)\n\(seen)")
            }
        }
    }
}

/// The header with the engine described (issue 11): the description after the project, a
/// problem with the engine before it, so neither a long description nor a path hides it.
@Suite struct DashboardEngineHeaderTests {
    @Test func engineDescriptionAndProblemInTheHeader() {
        var state = DashboardState(project: "demo", root: "/home/ada/a/long/path/to/the/demo/project")
        state.engineDescription = "rootless Docker 20.10.24 · context rootless · container root is host 1000:1000"
        let top = state.render(size: Size(width: 80, height: 24)).lines[0]
        #expect(top.hasPrefix(" devenv  project demo  rootless Docker 20.10.24 · context rootless · container r"), "\(top)")
        state.engine = .notAnswering
        let away = state.render(size: Size(width: 80, height: 24)).lines[0]
        #expect(away.hasPrefix(" devenv  project demo  engine not answering   rootless Docker"), "\(away)")
        // Text from the engine is data: control characters come out escaped.
        state.engineDescription = "rootful Docker \u{1B}]0;pwned\u{07}"
        #expect(!state.render(size: Size(width: 80, height: 24)).lines[0].contains("\u{1B}"))
    }
}

/// Orphaned service containers (devenv's, for a service the profile no longer runs) as rows:
/// marked in the list, explained in the details with the key that removes them, named in the
/// down confirmation, and `y` runs down of their environment: what `devenv down` does to them.
@Suite("Dashboard orphaned service rows")
struct DashboardOrphanRowTests {
    static func state() -> DashboardState {
        var cache = EnvironmentRow(profile: "dev", container: "devenv-demo-dev-svc-cache", dockerState: "running",
                                   image: "devenv-test/redis:latest", startedAt: DashboardFixture.now - 65, ports: "26379")
        cache.service = "cache"
        cache.orphaned = true
        cache.runsAs = "999:999"
        var old = EnvironmentRow(profile: "dev", container: "devenv-demo-dev-svc-old", dockerState: "exited", exitCode: 0)
        old.service = "old"
        old.orphaned = true
        var rows = DashboardFixture.rows()
        rows.insert(contentsOf: [cache, old], at: 1)
        var state = DashboardState(project: "demo", root: "/home/ada/demo")
        state.now = DashboardFixture.now
        _ = state.update(.start(Size(width: 100, height: 30)))
        _ = state.update(.message(.snapshot(rows)))
        return state
    }

    @Test("marked orphaned in the list; the details say what it is and that d removes it; nothing configured is shown")
    func rowAndDetails() {
        var state = Self.state()
        _ = state.update(DashboardFixture.key("j"))
        #expect(state.selected?.container == "devenv-demo-dev-svc-cache")
        let screen = state.render(size: Size(width: 100, height: 30))
        // The list and the details, line by line (100x30).
        #expect(Array(screen.lines[1...10]) == [
            "┌ environments ───────────────────────────────────────┐┌ dev/cache · 1-8/10 ───────────────────────┐",
            "│PROFILE STATE                UPTIME     CPU PORTS    ││container devenv-demo-dev-svc-cache        │",
            "│dev     running              2m05s        … 8000,5678││          (running)                        │",
            "│└ cache running, orphaned    1m05s        … 26379    ││orphaned  profile dev no longer runs       │",
            "│└ old   exited (0), orphaned -            - -        ││          service cache: d (down dev)      │",
            "│ci      not created          -            - -        ││          removes this container; its      │",
            "│prod    exited (3), stale    -            - -        ││          volumes stay unless D            │",
            "│                                                     ││ports     26379                            │",
            "│                                                     ││cpu       …                                │",
            "└─────────────────────────────────────────────────────┘└───────────────────────────────────────────┘",
        ], "\(screen.lines.joined(separator: "\n"))")
        // The rest of the details: what the container says; its service's configuration is gone,
        // so no user, mount, volumes or env file from it.
        let details = state.detailLines(width: 43).map(\.plainText)
        #expect(details.suffix(2) == ["image     devenv-test/redis:latest", "runs as   999:999"], "\(details)")
        #expect(!details.contains { $0.hasPrefix("mount") || $0.hasPrefix("env file") || $0.hasPrefix("user ") }, "\(details)")
        #expect(screen.lines[11].hasPrefix("┌ logs devenv-demo-dev-svc-cache · follow"), "its log is followed")
    }

    @Test("d on an orphaned row asks to down its environment, naming the orphans; y runs down of that profile")
    func downRemovesThem() {
        var state = Self.state()
        _ = state.update(DashboardFixture.key("j"))
        _ = state.update(DashboardFixture.key("d"))
        let text = DashboardFixture.text(state, width: 100, height: 30)
        #expect(text.contains("Stop and remove devenv-demo-dev?"), "\(text)")
        #expect(text.contains("Also the orphaned services cache, old."), "\(text)")
        let effects = DashboardFixture.effects(state.update(DashboardFixture.key("y")))
        #expect(effects.contains(.run(.down(volumes: false), profile: "dev")), "\(effects)")
        // The orphans are gone after it: the next snapshot has no such rows.
        _ = state.update(.message(.snapshot(DashboardFixture.rows())))
        #expect(!DashboardFixture.text(state, width: 100, height: 30).contains("orphaned"))
    }
}

/// break22: the status line, where errors are said, in short terminals and with hostile text.
@Suite("Dashboard view: the status line and untrusted text")
struct DashboardStatusLineTests {
    /// Below 8 rows the panes took every row and the status line (a configuration error, an
    /// action's failure) was not drawn at all.
    @Test("a short terminal keeps the status line: 20x5, 80x6, 80x7, 40x2")
    func shortTerminals() {
        for (width, height) in [(20, 5), (80, 6), (80, 7), (40, 2)] {
            var state = DashboardFixture.state(width: width, height: height)
            state.message = "devenv.toml:10:8: expected a value"
            state.messageIsError = true
            let screen = state.render(size: Size(width: width, height: height))
            #expect(screen.lines.count == height)
            #expect(screen.line(height - 1).contains("devenv.t"), "\(width)x\(height):\n\(screen.lines.joined(separator: "\n"))")
        }
    }

    /// Text from files, the engine or containers on the dashboard: control characters shown
    /// escaped (TerminalSafeText), as everywhere else, not dropped (a title-setting sequence
    /// read as "]0;PWNED", a folder "a\nb" as "ab").
    @Test("the status line, the header's folder and the details show control characters escaped")
    func untrustedTextEscaped() {
        var state = DashboardState(project: "demo", root: "/tmp/p\u{1b}]0;T\u{07}\u{202e}x")
        state.now = DashboardFixture.now
        _ = state.update(.start(Size(width: 200, height: 40)))
        var rows = DashboardFixture.rows()
        rows[0].bindMount = "/tmp/p\u{1b}]0;T\u{07}\u{202e}x → /app"
        rows[0].envFile = "e\u{1b}[31m.env"
        _ = state.update(.message(.snapshot(rows)))
        state.message = "devenv.toml:7:1: unknown key \"\u{1b}]0;PWNED\u{07}\" in [profiles.dev]"
        state.messageIsError = true
        let screen = state.render(size: Size(width: 200, height: 40))
        let text = screen.lines.joined(separator: "\n")
        #expect(screen.line(0).contains("/tmp/p\\x1b]0;T\\x07\\u{202e}x"), "\(screen.line(0))")
        #expect(text.contains("mount     /tmp/p\\x1b]0;T\\x07\\u{202e}x → /app"), "\(text)")
        #expect(text.contains("env file  e\\x1b[31m.env"), "\(text)")
        #expect(screen.line(39).contains("unknown key \"\\x1b]0;PWNED\\x07\" in [profiles.dev]"), "\(screen.line(39))")
    }

    /// A message of wide characters was cut by characters, not columns: twice too wide, it
    /// pushed `? help` and `q quit` off the line (a message) or lost its "…" (an error).
    @Test("a long message of wide characters is cut to the room it has, with its …; ? help and q quit stay beside a message")
    func wideMessageCut() {
        var state = DashboardFixture.state()
        state.message = "uv.lock changed: " + String(repeating: "鍵", count: 60)
        let line = state.render(size: Size(width: 80, height: 24)).line(23)
        #expect(DisplayWidth.of(line) == 80)
        #expect(line.contains("…") && line.contains("? help") && line.contains("q Ctrl-C quit"), "\(line)")
        state.message = "devenv.toml:3:1: unknown key \"" + String(repeating: "鍵", count: 60) + "\""
        state.messageIsError = true
        let error = state.render(size: Size(width: 80, height: 24)).line(23)
        #expect(DisplayWidth.of(error) == 80)
        #expect(error.contains("…"), "\(error)")
    }
}
