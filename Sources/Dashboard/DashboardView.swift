import DevEnvCore
import TerminalUI

extension DashboardState {
    static let focusedBorder = Style(fg: .cyan, attributes: .bold)
    static let border = Style(fg: .brightBlack)
    static let label = Style(attributes: .dim)

    public func view(into screen: inout Screen) {
        let layout = DashboardLayout(size: Size(width: screen.width, height: screen.height),
                                     environmentCount: environments.count)
        drawHeader(layout.header, &screen)
        drawEnvironments(layout.environments, &screen)
        drawDetails(layout.details, &screen)
        drawLogs(layout.logs, &screen)
        drawAction(layout.action, &screen)
        drawStatus(layout.status, &screen)
        drawOverlay(&screen)
    }

    private func panel(_ title: String, _ pane: Pane?, _ area: Rect, _ screen: inout Screen) {
        let focused = pane != nil && pane == focus
        Panel(title: title, borderStyle: focused ? Self.focusedBorder : Self.border,
              titleStyle: focused ? Self.focusedBorder : .bold).render(in: area, on: &screen)
    }

    private func drawHeader(_ area: Rect, _ screen: inout Screen) {
        var text = StyledText(" devenv ", style: Style(fg: .black, bg: .cyan, attributes: .bold))
        text.append(" project ", style: Self.label)
        text.append(project, style: .bold)
        text.append("  \(root)", style: Self.label)
        if let dockerContext { text.append("  context \(dockerContext)", style: Self.label) }
        screen.put(text, x: area.x, y: area.y, maxWidth: area.width)
    }

    static func stateStyle(_ label: String) -> Style {
        switch label {
        case "running", "healthy": return Style(fg: .green)
        case "building", "starting": return Style(fg: .yellow)
        case "unhealthy": return Style(fg: .red, attributes: .bold)
        case "not created": return Self.label
        default: return label.hasPrefix("exited") ? Style(fg: .red) : .plain
        }
    }

    private func drawEnvironments(_ area: Rect, _ screen: inout Screen) {
        panel("environments", .environments, area, &screen)
        let inner = Panel.inner(area)
        guard loaded || !environments.isEmpty else {
            screen.put("\(spinner.frame) reading the environments…", x: inner.x, y: inner.y, style: Self.label, maxWidth: inner.width)
            return
        }
        let rows: [[StyledText]] = environments.map { row in
            // Until the first snapshot the state is unknown, not "not created".
            let label = loaded ? row.stateLabel(phase: phase(of: row.profile)) : "…"
            var state = StyledText(label, style: Self.stateStyle(label))
            if row.stale { state.append(", stale", style: Style(fg: .yellow)) }
            let cpu = row.isRunning ? lastStats[row.container].map { Self.percent($0.cpuPercent) } ?? "…" : "-"
            return [StyledText(row.profile, style: .bold), state, StyledText(row.uptime(now: now)), StyledText(cpu),
                    StyledText(row.imageAge ?? "-"), StyledText(row.ports.isEmpty ? "-" : row.ports)]
        }
        Table(columns: [TableColumn("PROFILE", width: .fixed(8), priority: 9),
                        TableColumn("STATE", width: .fixed(17), priority: 8),
                        TableColumn("UPTIME", width: .fixed(7), priority: 3),
                        TableColumn("CPU", width: .fixed(6), alignment: .right, priority: 2),
                        TableColumn("IMAGE AGE", width: .fixed(14), priority: 1),
                        TableColumn("PORTS", width: .fill(1), priority: 0, minWidth: 6)],
              rows: rows, state: table, headerStyle: Self.label,
              selectedStyle: focus == .environments ? .reverse : Style(attributes: .underline))
            .render(in: inner, on: &screen)
    }

    /// The selected environment in full: container, image, user, mounts, env file, security,
    /// health, CPU/memory, and when stale why and what fixes it.
    func detailLines(width: Int) -> [StyledText] {
        guard let row = selected else { return [StyledText("no environment selected", style: Self.label)] }
        var lines: [StyledText] = []
        // Long values wrap under their label rather than being cut.
        let room = max(8, width - 10)
        func add(_ label: String, _ value: String, _ style: Style = .plain) {
            for (k, part) in Self.wordWrap(value, width: room).enumerated() {
                var text = StyledText((k == 0 ? label : "").padding(10), style: Self.label)
                text.append(part, style: style)
                lines.append(text)
            }
        }
        let label = row.stateLabel(phase: phase(of: row.profile))
        add("container", "\(row.container) (\(label))", Self.stateStyle(label))
        if row.stale { add("stale", row.staleReason ?? "the configuration changed: `u` brings it up to date", Style(fg: .yellow)) }
        if row.isRunning {
            if let stats = lastStats[row.container] {
                add("cpu", Self.percent(stats.cpuPercent).padding(7))
                add("memory", "\(stats.memoryUsed) (\(Self.percent(stats.memoryPercent)))".padding(18))
            } else {
                add("cpu", "…", Self.label)
            }
        }
        add("image", row.image.map { $0 + (row.imageAge.map { " · built \($0)" } ?? "") } ?? "not built yet")
        add("user", "\(row.user) from \(row.userSource)")
        add("mount", row.bindMount ?? "workspace not mounted")
        if row.volumes.isEmpty { add("volumes", "none") }
        for (k, volume) in row.volumes.enumerated() { add(k == 0 ? "volumes" : "", volume) }
        add("env file", row.envFile ?? "none")
        add("security", row.security.isEmpty ? "docker defaults" : row.security.joined(separator: " · "))
        if row.exists && row.health == "none" { add("health", "no healthcheck", Self.label) }
        if !row.ports.isEmpty { add("ports", row.ports) }
        return lines
    }

    /// Cuts at spaces; a word longer than the width is cut where it must be.
    static func wordWrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if DisplayWidth.of(candidate) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = String(word)
            while DisplayWidth.of(line) > width {
                lines.append(String(line.prefix(width)))
                line = String(line.dropFirst(width))
            }
        }
        lines.append(line)
        return lines
    }

    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }

    private func drawDetails(_ area: Rect, _ screen: inout Screen) {
        panel(selected.map { "\($0.profile)" } ?? "details", nil, area, &screen)
        let inner = Panel.inner(area)
        let lines = detailLines(width: inner.width)
        TextBlock(lines).render(in: inner, on: &screen)
        // Sparklines right after the numbers, on the cpu and memory lines.
        for (k, line) in lines.prefix(inner.height).enumerated() {
            let text = line.plainText
            let history: [Double]
            guard let row = selected, lastStats[row.container] != nil else { break }
            if text.hasPrefix("cpu ") { history = cpuHistory[row.container] ?? [] } else if text.hasPrefix("memory ") { history = memoryHistory[row.container] ?? [] } else { continue }
            let x = inner.x + DisplayWidth.of(text)
            guard x < inner.maxX else { continue }
            Sparkline(values: history, maximum: text.hasPrefix("cpu") ? max(100, history.max() ?? 0) : 100, style: Style(fg: .yellow))
                .render(in: Rect(x: x, y: inner.y + k, width: min(30, inner.maxX - x), height: 1), on: &screen)
        }
    }

    private func drawLogs(_ area: Rect, _ screen: inout Screen) {
        var title = "logs"
        if let container = followedContainer {
            title += " \(container)"
            title += logView.follow ? " · follow" : " · paused"
            if !logStreaming { title += " · ended" }
        }
        if logView.wrap { title += " · wrap" }
        if let term = logView.search { title += " · /\(term)" }
        panel(title, .logs, area, &screen)
        let inner = Panel.inner(area)
        if followedContainer == nil {
            let hint = selected.map { "no \($0.profile) container: u starts it" } ?? ""
            screen.put(hint, x: inner.x, y: inner.y, style: Self.label, maxWidth: inner.width)
            return
        }
        LogView(buffer: logs, state: logView).render(in: inner, on: &screen)
    }

    private func drawAction(_ area: Rect, _ screen: inout Screen) {
        guard let run = shownAction else {
            panel("action", .action, area, &screen)
            let inner = Panel.inner(area)
            screen.put("u up · b build · y sync-deps · r restart · d down", x: inner.x, y: inner.y, style: Self.label,
                       maxWidth: inner.width)
            return
        }
        let title: String
        if let status = run.status {
            let elapsed = Self.seconds((run.finishedAt ?? now) - run.startedAt)
            title = "\(run.action.title) \(run.profile): exit \(status) in \(elapsed)"
        } else {
            title = "\(spinner.frame) \(run.action.title) \(run.profile) \(Self.seconds(now - run.startedAt))"
        }
        panel(title, .action, area, &screen)
        var view = run.view
        view.wrap = logView.wrap
        LogView(buffer: run.output, state: view).render(in: Panel.inner(area), on: &screen)
        if let status = run.status, area.width > 4 {
            // The status again in colour at the top right, so it is seen at a glance.
            let word = status == 0 ? " ok " : " failed "
            screen.put(word, x: area.maxX - 2 - DisplayWidth.of(word), y: area.y,
                       style: Style(fg: .black, bg: status == 0 ? .green : .red, attributes: .bold))
        }
    }

    /// Keys that apply now, for the status bar.
    public var hints: [StatusBar.Hint] {
        switch overlay {
        case .help: return [.init("any key", "close")]
        case .confirmDown: return [.init("y", "remove"), .init("other", "cancel")]
        case .confirmQuit: return [.init("y", "quit"), .init("other", "stay")]
        case .confirmDownVolumes, .execPrompt, .search: return [.init("Enter", "ok"), .init("Esc", "cancel")]
        case nil: break
        }
        var hints: [StatusBar.Hint] = []
        switch focus {
        case .environments:
            hints = [.init("↑↓", "select"), .init("u", "up"), .init("d", "down"), .init("b", "build"),
                     .init("r", "restart"), .init("s", "shell"), .init("e", "exec"), .init("y", "sync"),
                     .init("c", "clean"), .init("l", "logs")]
        case .logs:
            hints = [.init("↑↓", "scroll"), .init("f", logView.follow ? "pause" : "follow"), .init("/", "search"),
                     .init("n/N", "next"), .init("w", "wrap")]
        case .action:
            hints = [.init("↑↓", "scroll"), .init("w", "wrap")]
        }
        return hints + [.init("Tab", "pane"), .init("?", "help"), .init("q", "quit")]
    }

    private func drawStatus(_ area: Rect, _ screen: inout Screen) {
        var message = StyledText()
        if case .search(let text) = overlay {
            message.append(" /\(text)▏", style: Style(attributes: [.reverse, .bold]))
        } else if let text = self.message {
            let line = String(text.split(separator: "\n").first ?? "")
            // An error takes the line: the key hints can wait until it is read.
            let room = max(10, messageIsError ? area.width - 4 : area.width / 2)
            let shown = DisplayWidth.of(line) > room ? String(line.prefix(room - 1)) + "…" : line
            message.append(" " + shown + " ", style: messageIsError ? Style(fg: .white, bg: .red, attributes: .bold) : .reverse)
        }
        StatusBar(message: message, hints: hints).render(in: area, on: &screen)
    }

    static let helpLines: [StyledText] = [
        "↑ ↓ j k    select an environment (or scroll the focused pane)",
        "Enter Tab  next pane · Esc back to the list · mouse click selects",
        "u          up: build if needed, create volumes, start",
        "d / D      down / down --volumes (type the profile name)",
        "r          restart          b  build the image",
        "s          shell in the container   e  exec a command",
        "y          sync-deps (uv sync)       c  clean-cache",
        "l          focus the logs: f follow, / search, n N, w wrap",
        "p          next profile     q Ctrl-C  quit",
    ]

    private func drawOverlay(_ screen: inout Screen) {
        let modal: Modal
        switch overlay {
        case nil, .search: return
        case .help:
            modal = Modal(title: "keys", lines: Self.helpLines, hint: "any key closes")
        case .confirmDown(let profile):
            let container = environments.first { $0.profile == profile }?.container ?? profile
            modal = Modal(title: "down \(profile)", lines: [StyledText("Stop and remove \(container)?"), "Named volumes are kept."],
                          hint: "y removes it · any other key cancels")
        case .confirmDownVolumes(let profile, let typed):
            modal = Modal(title: "down --volumes \(profile)",
                          lines: ["Removes the container AND its volumes (virtualenv, caches).",
                                  StyledText("Type the profile name (\(profile)) to confirm:"),
                                  StyledText("> \(typed)▏", style: .bold)],
                          hint: "Enter confirms · Esc cancels")
        case .execPrompt(let profile, let typed):
            modal = Modal(title: "exec in \(profile)", lines: ["Command (run with sh -c):", StyledText("> \(typed)▏", style: .bold)],
                          hint: "Enter runs it · Esc cancels")
        case .confirmQuit:
            let running = actions.values.filter(\.isRunning).map { "\($0.action.title) \($0.profile)" }.sorted()
            modal = Modal(title: "quit?", lines: [StyledText("Still running: \(running.joined(separator: ", "))"),
                                                   "Quitting stops it and cleans up, as Ctrl-C would."],
                          hint: "y quits · any other key stays")
        }
        modal.render(in: screen.bounds, on: &screen)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self + " " : self + String(repeating: " ", count: width - w)
    }
}
