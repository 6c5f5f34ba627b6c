import TerminalUI

/// A small program on the toolkit: a table of fake services over a log that grows on a timer.
/// The terminal-restore tests drive it under tmux.
struct DemoProgram: Program {
    enum Message { case tick, line(String) }
    enum Effect { case runShell(String), trap, stackOverflow }

    var size = Size(width: 80, height: 24)
    var services: [[String]] = (1...40).map { ["svc-\($0)", $0 % 3 == 0 ? "exited" : "running", "\($0 * 7 % 100)%", "\($0)h"] }
    var table = TableState(selected: 0)
    var log = LogBuffer(capacity: 5000)
    var logState = LogViewState()
    var cpu: [Double] = []
    var spinner = Spinner()
    var showHelp = false
    var shellCommand: String?
    var allowTrap = false
    var lastKey = ""
    var resumes = 0

    mutating func update(_ event: ProgramEvent<Message>) -> [ProgramCommand<Message, Effect>] {
        switch event {
        case .start(let s):
            size = s
            log.append(line: "\u{1B}[1mtui-demo\u{1B}[0m started: q quits, ? help")
            return [.after(milliseconds: 250, .tick)]
        case .resize(let s):
            size = s
            return []
        case .resumed:
            resumes += 1
            log.append(line: "resumed (\(resumes))")
            return []
        case .message(.tick):
            spinner.advance()
            cpu.append(Double((spinner.tick * 37) % 100))
            if cpu.count > 200 { cpu.removeFirst(cpu.count - 200) }
            let level = ["\u{1B}[32mINFO\u{1B}[0m", "\u{1B}[33mWARN\u{1B}[0m", "\u{1B}[31mERROR\u{1B}[0m"][spinner.tick % 7 == 0 ? 2 : spinner.tick % 3 == 0 ? 1 : 0]
            log.append(line: "\(level) request \(spinner.tick) handled in \(spinner.tick % 90 + 3) ms")
            return [.after(milliseconds: 250, .tick)]
        case .message(.line(let l)):
            log.append(line: l)
            return []
        case .input(let input):
            return handle(input)
        }
    }

    private var logRows: Int { max(1, size.height - 3 - tableHeight - 2) }
    private var tableHeight: Int { max(3, (size.height - 1) / 2) }

    private mutating func handle(_ input: InputEvent) -> [ProgramCommand<Message, Effect>] {
        guard case .key(let key) = input else {
            if case .paste(let text) = input { log.append(line: "pasted: \(text)") }
            return []
        }
        lastKey = key.description
        if showHelp { showHelp = false; return [] }
        switch (key.key, key.modifiers) {
        case (.character("q"), []), (.character("c"), .ctrl): return [.quit]
        case (.character("?"), _): showHelp = true
        case (.up, _), (.character("k"), []): table.moveSelection(by: -1, rowCount: services.count)
        case (.down, _), (.character("j"), []): table.moveSelection(by: 1, rowCount: services.count)
        case (.pageUp, _): logState.scroll(by: -logRows, buffer: log, visibleRows: logRows)
        case (.pageDown, _): logState.scroll(by: logRows, buffer: log, visibleRows: logRows)
        case (.character("w"), []): logState.wrap.toggle()
        case (.character("f"), []): logState.follow = true
        case (.character("l"), .ctrl): return [.redraw]
        case (.character("!"), _):
            if let shellCommand { return [.effect(.runShell(shellCommand))] }
        case (.character("X"), _):
            if allowTrap { return [.effect(.trap)] }
        case (.character("S"), _):
            if allowTrap { return [.effect(.stackOverflow)] }
        default: break
        }
        return []
    }

    func view(into screen: inout Screen) {
        let rows = Layout.split(screen.bounds, .vertical, [.fixed(tableHeight), .fill(1), .fixed(1)])
        Panel(title: "\(spinner.frame) services", borderStyle: Style(fg: .cyan)).render(in: rows[0], on: &screen)
        let tableArea = Panel.inner(rows[0])
        let parts = Layout.split(tableArea, .horizontal, [.fill(3), .fixed(22)], spacing: 1)
        Table(columns: [TableColumn("NAME", width: .fill(2), priority: 9),
                        TableColumn("STATE", width: .fixed(8), priority: 5),
                        TableColumn("CPU", width: .fixed(5), alignment: .right, priority: 2),
                        TableColumn("UPTIME", width: .fixed(7), alignment: .right, priority: 1)],
              rows: services.map { row in
                  row.enumerated().map { k, v in
                      k == 1 ? StyledText(v, style: Style(fg: v == "running" ? .green : .red)) : StyledText(v)
                  }
              },
              state: table).render(in: parts[0], on: &screen)
        screen.put("cpu", x: parts[1].x, y: parts[1].y, style: .dim)
        Sparkline(values: cpu, maximum: 100, style: Style(fg: .yellow))
            .render(in: Rect(x: parts[1].x, y: parts[1].y + 1, width: parts[1].width, height: 1), on: &screen)
        screen.put("last key: \(lastKey)", x: parts[1].x, y: parts[1].y + 3, maxWidth: parts[1].width)

        let title = "log" + (logState.follow ? " (follow)" : "") + (logState.wrap ? " (wrap)" : "")
        Panel(title: title).render(in: rows[1], on: &screen)
        LogView(buffer: log, state: logState).render(in: Panel.inner(rows[1]), on: &screen)
        StatusBar(message: " tui-demo ", hints: [.init("q", "quit"), .init("↑↓", "select"), .init("w", "wrap"),
                                                 .init("PgUp", "scroll"), .init("?", "help")]).render(in: rows[2], on: &screen)
        if showHelp {
            Modal(title: "help", lines: ["q        quit", "↑ ↓ j k  select a row", "w        wrap log lines",
                                         "f        follow the log", "^Z       suspend"],
                  hint: "any key closes").render(in: screen.bounds, on: &screen)
        }
    }
}
