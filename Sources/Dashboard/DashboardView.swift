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
        Panel(title: Self.safe(title), borderStyle: focused ? Self.focusedBorder : Self.border,
              titleStyle: focused ? Self.focusedBorder : .bold).render(in: area, on: &screen)
    }

    private func drawHeader(_ area: Rect, _ screen: inout Screen) {
        var text = StyledText(" devenv ", style: Style(fg: .black, bg: .cyan, attributes: .bold))
        text.append(" project ", style: Self.label)
        text.append(Self.safe(project), style: .bold)
        let problem = engine.problem.map { "  \($0) " }
        let problemStyle = Style(fg: .white, bg: .red, attributes: .bold)
        if let engineDescription {
            // An engine problem first, then the engine, then the root: the long description
            // (and a long path) must not push "engine not answering" off a narrow screen.
            if let problem { text.append(problem, style: problemStyle) }
            text.append("  \(Self.safe(engineDescription))", style: .plain)
            text.append("  \(Self.safe(root))", style: Self.label)
        } else {
            text.append("  \(Self.safe(root))", style: Self.label)
            if let dockerContext { text.append("  context \(Self.safe(dockerContext))", style: Self.label) }
            if let problem { text.append(problem, style: problemStyle) }
        }
        screen.put(text, x: area.x, y: area.y, maxWidth: area.width)
    }

    /// Untrusted text (from files, the engine, containers) on one line of the dashboard:
    /// control characters and bidi overrides shown escaped (`TerminalSafeText`), not dropped
    /// by the screen, where a title-setting sequence read as "]0;..." and `a\nb` as `ab`.
    static func safe(_ text: String) -> String {
        TerminalSafeText.escaping(text, keepingLineBreaks: false)
    }

    static func stateStyle(_ label: String) -> Style {
        switch label {
        case "running", "healthy": return Style(fg: .green)
        case "building", "starting": return Style(fg: .yellow)
        case "unhealthy", "conflict": return Style(fg: .red, attributes: .bold)
        case "not created", "…": return Self.label
        case "no engine", "engine not answering": return Style(fg: .red, attributes: .bold)
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
        let labels = environments.map { stateLabel(of: $0) + ($0.stale ? ", stale" : "") + ($0.orphaned ? ", orphaned" : "") }
        let rows: [[StyledText]] = environments.map { row in
            let label = stateLabel(of: row)
            var state = StyledText(label, style: Self.stateStyle(label))
            if row.stale { state.append(", stale", style: Style(fg: .yellow)) }
            if row.orphaned { state.append(", orphaned", style: Style(fg: .magenta)) }
            let cpu = row.isRunning ? lastStats[row.container].map { Self.percent($0.cpuPercent) } ?? "…" : "-"
            return [StyledText(Self.safe(row.listName), style: row.service == nil ? .bold : .plain), state, StyledText(row.uptime(now: now)), StyledText(cpu),
                    StyledText(row.imageAge(now: now) ?? "-"), StyledText(row.ports.isEmpty ? "-" : Self.safe(row.ports))]
        }
        // PROFILE and STATE as wide as their longest value; narrow, STATE gives up what it must
        // so that "dev running" still shows at 50 columns.
        let profileWidth = min(16, max(7, environments.map { DisplayWidth.of(Self.safe($0.listName)) }.max() ?? 0))
        let stateWidth = max(5, min(max(7, labels.map(DisplayWidth.of).max() ?? 0), inner.width - profileWidth - 1))
        // Kept longest to dropped first (issue 15): PROFILE, STATE, UPTIME, CPU, IMAGE AGE,
        // PORTS. A lower column still shows when it fits in the room the higher ones left.
        Table(columns: [TableColumn("PROFILE", width: .fixed(profileWidth), priority: 6),
                        TableColumn("STATE", width: .fixed(stateWidth), priority: 5),
                        TableColumn("UPTIME", width: .fixed(7), priority: 4),
                        TableColumn("CPU", width: .fixed(6), alignment: .right, priority: 3),
                        TableColumn("IMAGE AGE", width: .fixed(18), priority: 2),
                        TableColumn("PORTS", width: .fill(1), priority: 1, minWidth: 9)],
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
        // Every value may hold text from files or the engine (a folder's name, a tag): escaped,
        // and cut at `detailCharacters` (a label is any size its maker chose).
        func add(_ label: String, _ value: String, _ style: Style = .plain) {
            let shown = value.count > Self.detailCharacters ? value.prefix(Self.detailCharacters) + "…" : value
            for (k, part) in Self.wordWrap(Self.safe(shown), width: room).enumerated() {
                var text = StyledText((k == 0 ? label : "").padding(10), style: Self.label)
                text.append(part, style: style)
                lines.append(text)
            }
        }
        let label = stateLabel(of: row)
        add("container", "\(row.container) (\(label))", Self.stateStyle(label))
        if let owner = row.owner {
            add("owner", "not devenv's for this project: \(owner); left alone", Style(fg: .red))
        }
        if row.orphaned, let service = row.service {
            add("orphaned", "profile \(row.profile) no longer runs service \(service): \(DashboardKeymap.label(of: .down)) (down \(row.profile)) removes this container; its volumes stay unless \(DashboardKeymap.label(of: .downVolumes))",
                Style(fg: .magenta))
        }
        // Near the top: the first thing to open, and the pane may be short.
        if let url = row.url { add("url", url, Style(fg: .cyan)) }
        if !row.ports.isEmpty { add("ports", row.ports) }
        if row.stale { add("stale", row.staleReason ?? "the configuration changed: `u` brings it up to date", Style(fg: .yellow)) }
        if row.isRunning {
            if let stats = lastStats[row.container] {
                // Both figures padded to one width: the two sparklines after them start in
                // the same column and read against each other.
                let cpu = Self.percent(stats.cpuPercent)
                let memory = "\(stats.memoryUsed) (\(Self.percent(stats.memoryPercent)))"
                let width = max(7, DisplayWidth.of(cpu), DisplayWidth.of(memory)) + 1
                add("cpu", cpu.padding(width))
                add("memory", memory.padding(width))
            } else {
                add("cpu", "…", Self.label)
            }
        }
        if row.orphaned {
            // The configuration of its service is gone: what the container says, and the way out.
            if let image = row.image { add("image", image) }
            if let runsAs = row.runsAs { add("runs as", runsAs) }
            return lines
        }
        let unknownImage = engineEverAnswered ? "not built yet" : "unknown until the engine answers"
        add("image", row.image.map { $0 + (row.imageAge(now: now).map { " · built \($0)" } ?? "") } ?? unknownImage)
        add("user", "\(row.user) from \(row.userSource)")
        if let runsAs = row.runsAs { add("runs as", runsAs) }
        add("mount", row.bindMount ?? "workspace not mounted")
        if row.volumes.isEmpty { add("volumes", "none") }
        for (k, volume) in row.volumes.enumerated() { add(k == 0 ? "volumes" : "", volume) }
        add("env file", row.envFile ?? "none")
        add("security", row.security.isEmpty ? "docker defaults" : row.security.joined(separator: " · "))
        if row.exists && row.health == "none" { add("health", "no healthcheck", Self.label) }

        return lines
    }

    /// The most characters of one value the details pane shows (then "…"): a container's
    /// labels are any size their maker chose, and a 120 KB `devenv.user` label held the loop
    /// thread re-wrapping it on every frame, keys and events unanswered (dash29).
    static let detailCharacters = 1024

    /// Cuts at spaces; a word longer than the width (an image tag, a path) is cut after its
    /// last `/`, `:`, `-`, `_`, `.`, `,`, `=` or `@` that fits, and mid-word only when it has
    /// none (issue 15: "wrap at word or path boundaries, never mid-word"). Linear in the text:
    /// a long word is cut from its front, each cut looking no further than one line's width.
    static func wordWrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if Self.boundaryCut(candidate[...], width: width) == nil {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            var rest = word
            while let cut = Self.boundaryCut(rest, width: width) {
                lines.append(String(rest.prefix(cut)))
                rest = rest.dropFirst(cut)
            }
            line = String(rest)
        }
        lines.append(line)
        return lines
    }

    /// How many characters of `word` go on a line `width` wide: up to its last path or tag
    /// boundary that fits, else as many as fit (at least one); nil when the whole word fits.
    /// Looks at no more of `word` than fits, and one character past it.
    static func boundaryCut(_ word: Substring, width: Int) -> Int? {
        var fits = 0, columns = 0, boundary = 0
        for c in word {
            columns += DisplayWidth.of(c)
            guard columns <= width else { return max(1, boundary > 0 ? boundary : fits) }
            fits += 1
            if "/:-_.,=@".contains(c) { boundary = fits }
        }
        return nil
    }

    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }

    private func drawDetails(_ area: Rect, _ screen: inout Screen) {
        let inner = Panel.inner(area)
        let all = detailLines(width: inner.width)
        let top = min(detailsTop, max(0, all.count - inner.height))
        let lines = Array(all.dropFirst(top))
        var title = selected.map { row in row.service.map { "\(row.profile)/\($0)" } ?? row.profile } ?? "details"
        // More than fits: say where we are, so the user knows Tab and the arrows show the rest.
        if all.count > inner.height {
            title += " · \(top + 1)-\(min(all.count, top + inner.height))/\(all.count)"
        }
        panel(title, .details, area, &screen)
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
            let hint: String
            if let problem = engine.problem, !engineEverAnswered || engine != .notAnswering {
                hint = "\(problem): no logs to follow"
            } else {
                hint = selected.map { "no \($0.profile) container: u starts it" } ?? ""
            }
            screen.put(hint, x: inner.x, y: inner.y, style: Self.label, maxWidth: inner.width)
            return
        }
        LogView(buffer: logs, state: logView).render(in: inner, on: &screen)
    }

    /// What the action pane says before any action ran: the actions it would show, with their keys.
    static let idleActionLine = DashboardKeymap.phrase([.up, .build, .syncDeps, .restart, .down])

    private func drawAction(_ area: Rect, _ screen: inout Screen) {
        guard let run = shownAction else {
            panel("action", .action, area, &screen)
            let inner = Panel.inner(area)
            screen.put(Self.idleActionLine, x: inner.x, y: inner.y, style: Self.label,
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
        view.wrap = actionWrap
        LogView(buffer: run.output, state: view).render(in: Panel.inner(area), on: &screen)
        if let status = run.status, area.width > 4 {
            // The status again in colour at the top right, so it is seen at a glance.
            let word = status == 0 ? " ok " : " failed "
            screen.put(word, x: area.maxX - 2 - DisplayWidth.of(word), y: area.y,
                       style: Style(fg: .black, bg: status == 0 ? .green : .red, attributes: .bold))
        }
    }

    /// Keys that apply now, for the status bar (DashboardKeymap), before fitting.
    public var hints: [StatusBar.Hint] {
        switch overlay {
        case .help: return [.init("↑↓", "scroll"), .init("other", "close")]
        case .confirmDown: return [.init("y", "remove"), .init("other", "cancel")]
        case .confirmQuit: return [.init("y", "quit"), .init("other", "stay")]
        case .confirmDownVolumes, .execPrompt, .search: return [.init("Enter", "ok"), .init("Esc", "cancel")]
        case .pickProfile: return DashboardKeymap.hints(in: .picker)
        case nil: return DashboardKeymap.hints(focus: focus)
        }
    }

    /// The hints that fit in `width` columns: `? help` and `q quit` always, the others in order
    /// while they fit, so a new user can always find help and the way out.
    static func fitting(_ hints: [StatusBar.Hint], width: Int) -> [StatusBar.Hint] {
        func cost(_ hint: StatusBar.Hint) -> Int { DisplayWidth.of(hint.key) + DisplayWidth.of(hint.label) + 3 }
        let essential = hints.filter { $0.label == "help" || $0.label == "quit" }
        var room = width - essential.map(cost).reduce(0, +)
        var kept: [StatusBar.Hint] = []
        for hint in hints where !essential.contains(hint) {
            guard cost(hint) <= room else { continue }
            room -= cost(hint)
            kept.append(hint)
        }
        return kept + essential
    }

    private func drawStatus(_ area: Rect, _ screen: inout Screen) {
        var message = StyledText()
        if case .search(let text) = overlay {
            message.append(" /\(text)▏", style: Style(attributes: [.reverse, .bold]))
        } else if let text = self.message {
            // Messages carry text from files, the engine and containers (an error's key, a
            // file's name): escaped, and cut by columns (wide characters take two).
            let line = Self.safe(String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""))
            // An error takes the line: the key hints can wait until it is read.
            let room = max(10, messageIsError ? area.width - 4 : area.width / 2)
            let shown = DisplayWidth.of(line) > room ? DisplayWidth.prefix(line, columns: room - 1) + "…" : line
            message.append(" " + shown + " ", style: messageIsError ? Style(fg: .white, bg: .red, attributes: .bold) : .reverse)
        }
        let room = area.width - message.displayWidth
        StatusBar(message: message, hints: Self.fitting(hints, width: room)).render(in: area, on: &screen)
    }

    /// The help in two columns, split at the group boundary nearest the middle.
    static func twoColumns(_ lines: [StyledText], columnWidth: Int) -> [StyledText] {
        let blanks = lines.indices.filter { lines[$0].plainText.isEmpty }
        let middle = lines.count / 2
        let split = blanks.min { abs($0 - middle) < abs($1 - middle) } ?? middle
        let left = Array(lines[..<split]), right = Array(lines[min(lines.count, split + 1)...])
        return (0..<max(left.count, right.count)).map { k in
            var line = StyledText(k < left.count ? left[k].spans : [])
            line.append(String(repeating: " ", count: max(0, columnWidth - line.displayWidth)))
            if k < right.count { line.spans += right[k].spans }
            return line
        }
    }

    private func drawOverlay(_ screen: inout Screen) {
        let modal: Modal
        switch overlay {
        case nil, .search: return
        case .help:
            var all = DashboardKeymap.helpLines
            // Border and hint take 4 rows, and the modal keeps a row above and below.
            let rows = max(1, screen.height - 6)
            let column = (all.map(\.displayWidth).max() ?? 0) + 3
            if all.count > rows, screen.width - 8 >= 2 * column {
                all = Self.twoColumns(all, columnWidth: column)
            }
            if all.count <= rows {
                modal = Modal(title: "keys", lines: all, hint: "any key closes")
            } else {
                let top = min(helpTop, all.count - rows)
                modal = Modal(title: "keys \(top + 1)-\(top + rows)/\(all.count)", lines: Array(all[top..<(top + rows)]),
                              hint: "↑↓ PgUp PgDn scroll · any other key closes")
            }
        case .confirmDown(let profile):
            let container = environments.first { $0.profile == profile }?.container ?? profile
            var lines = [StyledText("Stop and remove \(container)?"), "Named volumes are kept."]
            // What `down` does to them: its orphaned services' containers go too.
            let orphans = environments.filter { $0.profile == profile && $0.orphaned }.compactMap(\.service)
            if !orphans.isEmpty {
                lines.insert(StyledText("Also the orphaned service\(orphans.count == 1 ? "" : "s") \(orphans.joined(separator: ", ")).",
                                        style: Style(fg: .magenta)), at: 1)
            }
            modal = Modal(title: "down \(profile)", lines: lines, hint: "y removes it · any other key cancels")
        case .confirmDownVolumes(let profile, let typed):
            modal = Modal(title: "\(DashboardAction.downEverything.title) \(profile)",
                          lines: ["Removes the container, its volumes (virtualenv, caches)",
                                  "AND the images devenv built for it (rebuilt by the next up).",
                                  StyledText("Type the profile name (\(profile)) to confirm:"),
                                  StyledText("> \(typed)▏", style: .bold)],
                          hint: "Enter confirms · Esc cancels")
        case .execPrompt(let profile, let typed):
            modal = Modal(title: "exec in \(profile)", lines: ["Command (run with sh -c):", StyledText("> \(typed)▏", style: .bold)],
                          hint: "Enter runs it · Esc cancels")
        case .pickProfile(let highlighted):
            // One line a profile: its name and state word, as the list says them.
            let profiles = pickerRows.map { environments[$0] }
            let width = profiles.map { DisplayWidth.of($0.profile) }.max() ?? 0
            let lines = profiles.enumerated().map { k, row -> StyledText in
                let label = stateLabel(of: row) + (row.stale ? ", stale" : "")
                var line = StyledText(k == highlighted ? "▸ " : "  ", style: .bold)
                line.append(row.profile.padding(width + 1), style: .bold)
                line.append(label, style: Self.stateStyle(stateLabel(of: row)))
                if k == highlighted {
                    line = StyledText(line.spans.map { StyledSpan($0.text, style: $0.style.with(.reverse)) })
                }
                return line
            }
            // A long list keeps the highlighted row in view.
            let rows = max(1, screen.height - 8)
            let top = max(0, min(highlighted - rows + 1, lines.count - rows))
            modal = Modal(title: "profile", lines: Array(lines.dropFirst(top).prefix(rows)),
                          hint: DashboardKeymap.hints(in: .picker).map { "\($0.key) \($0.label)" }.joined(separator: " · "))
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
