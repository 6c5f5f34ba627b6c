import Testing
@testable import TerminalUI

@Suite struct LayoutTests {
    @Test func fixedPercentAndFillShareTheSpace() {
        let parts = Layout.split(Rect(x: 0, y: 0, width: 100, height: 10), .horizontal, [.fixed(10), .percent(20), .fill(1), .fill(3)])
        #expect(parts.map(\.width) == [10, 20, 17, 53])
        #expect(parts.map(\.x) == [0, 10, 30, 47])
        let rows = Layout.split(Rect(x: 2, y: 3, width: 10, height: 10), .vertical, [.fixed(3), .fill(1), .fixed(1)], spacing: 1)
        #expect(rows.map(\.y) == [3, 7, 12])
        #expect(rows.map(\.height) == [3, 4, 1])
    }

    @Test func fixedPartsShrinkWhenSpaceRunsOut() {
        let parts = Layout.split(Rect(x: 0, y: 0, width: 5, height: 1), .horizontal, [.fixed(4), .fixed(4), .fill(1)])
        #expect(parts.map(\.width) == [4, 1, 0])
    }
}

@Suite struct WidgetTests {
    @Test func panelDrawsBorderAndTitle() {
        var s = Screen(width: 12, height: 3)
        Panel(title: "logs").render(in: s.bounds, on: &s)
        #expect(s.lines == ["┌ logs ────┐", "│          │", "└──────────┘"])
        #expect(s[2, 0].style.attributes.contains(.bold))
    }

    static let columns = [TableColumn("NAME", width: .fill(1), priority: 9),
                          TableColumn("STATE", width: .fixed(7), priority: 5),
                          TableColumn("CPU", width: .fixed(4), alignment: .right, priority: 1)]
    static let rows: [[StyledText]] = (1...6).map { [StyledText("svc-\($0)"), StyledText($0 % 2 == 0 ? "exited" : "running"), StyledText("\($0 * 10)%")] }

    @Test func tableAlignsColumnsAndHighlightsTheSelection() {
        var s = Screen(width: 24, height: 4)
        Table(columns: Self.columns, rows: Self.rows, state: TableState(selected: 1)).render(in: s.bounds, on: &s)
        // NAME fills 24 - 7 - 4 - 2 spaces = 11 columns; CPU is right-aligned
        #expect(s.lines == ["NAME        STATE    CPU",
                            "svc-1       running  10%",
                            "svc-2       exited   20%",
                            "svc-3       running  30%"])
        #expect(s[0, 0].style.attributes.contains(.bold))
        #expect(s[3, 2].style.attributes.contains(.reverse))
        #expect(!s[3, 1].style.attributes.contains(.reverse))
    }

    @Test func tableScrollsToKeepTheSelectionVisible() {
        var s = Screen(width: 24, height: 3)
        Table(columns: Self.columns, rows: Self.rows, state: TableState(selected: 4)).render(in: s.bounds, on: &s)
        #expect(s.lines[1].hasPrefix("svc-4"))
        #expect(s.lines[2].hasPrefix("svc-5"))
        var state = TableState(selected: 5)
        state.moveSelection(by: 3, rowCount: 6)
        #expect(state.selected == 5)
        state.moveSelection(by: -10, rowCount: 6)
        #expect(state.selected == 0)
    }

    @Test func narrowTablesDropLowPriorityColumnsFirst() {
        let table = Table(columns: Self.columns, rows: Self.rows)
        #expect(table.visibleColumns(width: 24).map(\.index) == [0, 1, 2])
        #expect(table.visibleColumns(width: 14).map(\.index) == [0, 1])
        #expect(table.visibleColumns(width: 6).map(\.index) == [0])
        var s = Screen(width: 14, height: 2)
        table.render(in: s.bounds, on: &s)
        #expect(s.lines == ["NAME   STATE  ", "svc-1  running"])
    }

    @Test func tableCellsTooLongAreCutWithAnEllipsis() {
        var s = Screen(width: 8, height: 2)
        Table(columns: [TableColumn("NAME", width: .fixed(8))], rows: [["a-very-long-name"]]).render(in: s.bounds, on: &s)
        #expect(s.lines[1] == "a-very-…")
    }

    @Test func statusBarShowsWholeHintsOnly() {
        var s = Screen(width: 20, height: 1)
        StatusBar(message: "ok", hints: [.init("q", "quit"), .init("?", "help"), .init("w", "wrap")]).render(in: s.bounds, on: &s)
        #expect(s.lines == ["ok q quit  ? help   "])
        #expect(s[3, 0].style.attributes.contains(.bold))
        #expect(s[19, 0].style.attributes.contains(.reverse))
    }

    @Test func modalIsCentredOverTheContent() {
        var s = Screen(lines: Array(repeating: "..................", count: 7))
        Modal(title: "quit?", lines: ["stop all?"], hint: "y / n").render(in: s.bounds, on: &s)
        #expect(s.lines == ["..................",
                            "..┌ quit? ────┐...",
                            "..│ stop all? │...",
                            "..│           │...",
                            "..│ y / n     │...",
                            "..└───────────┘...",
                            ".................."])
    }

    @Test func sparklineScalesToTheMaximum() {
        var s = Screen(width: 6, height: 1)
        Sparkline(values: [0, 50, 100, 25], maximum: 100).render(in: s.bounds, on: &s)
        #expect(s.lines == ["  ▁▅█▃"])
    }

    @Test func spinnerCycles() {
        var spinner = Spinner()
        let first = spinner.frame
        for _ in 0..<Spinner.frames.count { spinner.advance() }
        #expect(spinner.frame == first)
        spinner.advance()
        #expect(spinner.frame != first)
    }
}

@Suite struct LogTests {
    @Test func sgrIsKeptAndEverythingElseDropped() {
        let line = "\u{1B}[31mred\u{1B}[0m \u{1B}[1;4mbold\u{1B}[22;24m \u{1B}[2J\u{1B}[10;10H\u{1B}]0;title\u{07}\u{1B}]8;;http://example.com\u{1B}\\link\u{1B}P1$r\u{1B}\\\u{1B}[?1049h\u{1B}c\u{1B}(B\u{9B}5A\u{08}\r!"
        let text = ANSILineParser.parse(line)
        #expect(text.plainText == "red bold link!")
        #expect(text.spans.first == StyledSpan("red", style: Style(fg: .red)))
        #expect(text.spans.contains(StyledSpan("bold", style: Style(attributes: [.bold, .underline]))))
        let stripped = ANSILineParser.parse(line, keepStyles: false)
        #expect(stripped.spans == [StyledSpan("red bold link!")])
    }

    @Test func extendedColoursAndTabsParse() {
        let text = ANSILineParser.parse("a\tb\u{1B}[38;5;200;48;2;1;2;3mc")
        #expect(text.plainText == "a       bc")
        #expect(text.spans.last?.style == Style(fg: .indexed(200), bg: .rgb(1, 2, 3)))
    }

    @Test func anUnterminatedSequenceIsDroppedNotShown() {
        #expect(ANSILineParser.parse("ok\u{1B}[12;").plainText == "ok")
        #expect(ANSILineParser.parse("ok\u{1B}]0;never ends").plainText == "ok")
        #expect(ANSILineParser.parse("ok\u{1B}").plainText == "ok")
    }

    @Test func bufferKeepsTheLastLinesOnly() {
        var log = LogBuffer(capacity: 3)
        for k in 1...5 { log.append(line: "line \(k)") }
        #expect(log.count == 3)
        #expect((0..<3).map { log[$0] } == ["line 3", "line 4", "line 5"])
        #expect(log.firstLineNumber == 2)
        #expect(log.line(number: 1) == nil)
        #expect(log.line(number: 4) == "line 5")
    }

    @Test func bytesAreSplitIntoLinesAcrossChunks() {
        var log = LogBuffer(capacity: 10)
        log.append(bytes: Array("one\r\ntw".utf8))
        log.append(bytes: Array("o\nthree".utf8))
        #expect((0..<log.count).map { log[$0] } == ["one", "two", "three"])
        log.flush()
        #expect((0..<log.count).map { log[$0] } == ["one", "two", "three"])
    }

    /// dash29: output without its newline yet (a prompt, a progress line) was held back until
    /// the newline came; `docker logs -f` shows it at once. It is the last line, and keeps its
    /// line number when finished; a character cut between chunks waits for its other bytes.
    @Test func anUnfinishedLineIsShownAsTheLastLine() {
        var log = LogBuffer(capacity: 2)
        log.append(bytes: Array("ready\nwaiting for the database".utf8))
        #expect(log.count == 2)
        #expect(log.totalAppended == 2)
        #expect(log.line(number: 1) == "waiting for the database")
        #expect(log.find("database", from: 0, forward: true) == 1)
        log.append(bytes: Array("... ok \u{6F22}".utf8.dropLast(2)))
        #expect(log.line(number: 1) == "waiting for the database... ok ")
        log.append(bytes: Array("\u{6F22}".utf8.suffix(2)) + Array("\nnext\n".utf8))
        #expect(log.totalAppended == 3)
        #expect((0..<log.count).map { log[$0] } == ["waiting for the database... ok \u{6F22}", "next"])
        #expect(log.firstLineNumber == 1)
        #expect(log.line(number: 3) == nil)

        var prompt = LogBuffer()
        prompt.append(bytes: Array("a\nPassword: ".utf8))
        var s = Screen(width: 12, height: 3)
        LogView(buffer: prompt, state: LogViewState()).render(in: s.bounds, on: &s)
        #expect(s.lines == ["a           ", "Password:   ", "            "])
    }

    @Test func longLinesAreCapped() {
        var log = LogBuffer(capacity: 2, maxLineBytes: 16)
        log.append(line: String(repeating: "x", count: 100))
        #expect(log[0].utf8.count == 16)
    }

    static func filled(_ n: Int) -> LogBuffer {
        var log = LogBuffer(capacity: 100)
        for k in 1...n { log.append(line: "line \(k)") }
        return log
    }

    @Test func followShowsTheNewestLines() {
        var s = Screen(width: 10, height: 3)
        LogView(buffer: Self.filled(10), state: LogViewState()).render(in: s.bounds, on: &s)
        #expect(s.lines == ["line 8    ", "line 9    ", "line 10   "])
    }

    @Test func scrollingUpLeavesFollowAndTheEndResumesIt() {
        let log = Self.filled(10)
        var state = LogViewState()
        state.scroll(by: -2, buffer: log, visibleRows: 3)
        #expect(!state.follow)
        var s = Screen(width: 10, height: 3)
        LogView(buffer: log, state: state).render(in: s.bounds, on: &s)
        #expect(s.lines == ["line 6    ", "line 7    ", "line 8    "])
        state.scroll(by: 5, buffer: log, visibleRows: 3)
        #expect(state.follow)
        state.scrollToTop(buffer: log)
        s = Screen(width: 10, height: 2)
        LogView(buffer: log, state: state).render(in: s.bounds, on: &s)
        #expect(s.lines == ["line 1    ", "line 2    "])
    }

    @Test func wrapCutsLongLinesIntoRows() {
        var log = LogBuffer()
        log.append(line: "first")
        log.append(line: "abcdefghij日本")
        var s = Screen(width: 4, height: 4)
        LogView(buffer: log, state: LogViewState(wrap: true)).render(in: s.bounds, on: &s)
        #expect(s.lines == ["abcd", "efgh", "ij日", "本  "])
        var top = Screen(width: 4, height: 3)
        LogView(buffer: log, state: LogViewState(follow: false, wrap: true, topLine: 0)).render(in: top.bounds, on: &top)
        #expect(top.lines == ["firs", "t   ", "abcd"])
    }

    @Test func searchMatchesAreHighlighted() {
        var log = LogBuffer()
        log.append(line: "an Error and an error")
        var s = Screen(width: 22, height: 1)
        let hl = Style(fg: .black, bg: .yellow)
        LogView(buffer: log, state: LogViewState(search: "error"), highlightStyle: hl).render(in: s.bounds, on: &s)
        #expect(s.lines == ["an Error and an error "])
        #expect((3..<8).allSatisfy { s[$0, 0].style == hl })
        #expect((16..<21).allSatisfy { s[$0, 0].style == hl })
        #expect(s[9, 0].style == .plain)
        #expect(log.find("ERROR", from: 0, forward: true) == 0)
        #expect(log.find("absent", from: 0, forward: true) == nil)
    }
}

@Suite struct LineEditorTests {
    @Test func editingKeys() {
        var e = LineEditor()
        for c in "hello world" { let handled = e.handle(.char(c)); #expect(handled) }
        #expect(e.string == "hello world")
        _ = e.handle(.char("w", .ctrl))
        #expect(e.string == "hello ")
        _ = e.handle(KeyEvent(.backspace))
        _ = e.handle(KeyEvent(.home))
        _ = e.handle(.char(">"))
        #expect(e.string == ">hello")
        _ = e.handle(KeyEvent(.right))
        _ = e.handle(.char("k", .ctrl))
        #expect(e.string == ">h")
        _ = e.handle(KeyEvent(.left))
        _ = e.handle(KeyEvent(.delete))
        #expect(e.string == ">")
        let enterHandled = e.handle(KeyEvent(.enter))
        #expect(!enterHandled)
        e.insert("a\nb")
        #expect(e.string == ">ab")
        _ = e.handle(.char("u", .ctrl))
        #expect(e.string == "")
    }

    @Test func rendersWithTheCursorVisible() {
        var e = LineEditor("abcdefghij")
        var s = Screen(width: 8, height: 1)
        e.render(prompt: "/", in: s.bounds, on: &s)
        // the cursor after the last character takes a cell of its own
        #expect(s.lines == ["/efghij "])
        #expect(s[7, 0].style.attributes.contains(.reverse))
        #expect(!s[6, 0].style.attributes.contains(.reverse))
        _ = e.handle(KeyEvent(.home))
        s = Screen(width: 8, height: 1)
        e.render(prompt: "/", in: s.bounds, on: &s)
        #expect(s.lines == ["/abcdefg"])
        #expect(s[1, 0].style.attributes.contains(.reverse))
    }
}

/// `devenv logs` on a terminal: the dashboard's logs-pane rule, as text (issue 9 section 6).
@Suite struct TerminalSafeLogTests {
    @Test("colours stay; OSC 52, OSC 0, the alternate screen and cursor moves are dropped")
    func terminalSafeLine() {
        let line = "\u{1B}]52;c;aGVsbG8=\u{07}\u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{1B}\\\u{1B}[?1049h\u{1B}[2J\u{1B}[Hplain\u{1B}[38;5;208mo"
        #expect(ANSILineParser.terminalSafe(line) == "\u{1B}[31mred\u{1B}[0m plain\u{1B}[38;5;208mo")
    }

    @Test("C1 sequences, private-mode lookalikes of SGR, DCS and lone controls are dropped; tabs stay")
    func otherSequences() {
        #expect(ANSILineParser.terminalSafe("a\u{9B}?1049hb\u{9D}0;t\u{07}c") == "abc")
        #expect(ANSILineParser.terminalSafe("a\u{1B}[?1m\u{1B}[>4;2mb") == "ab")
        #expect(ANSILineParser.terminalSafe("\u{1B}Pq#0;2;0;0;0\u{1B}\\x\u{08}\u{7F}\r\ty") == "x\ty")
        #expect(ANSILineParser.terminalSafe("\u{1B}(0lqk\u{1B}(B") == "lqk")
    }

    @Test("a sequence cut between two reads is still recognised; finish resets the colours")
    func streamed() {
        var filter = TerminalLogFilter()
        var out = filter.feed(Array("one\n\u{1B}]52;c;aG".utf8))
        out += filter.feed(Array("k=\u{07}two \u{1B}[3".utf8))
        out += filter.feed(Array("2mgreen\n\u{1B}[?1049hlast".utf8))
        out += filter.finish()
        #expect(out == "one\ntwo \u{1B}[32mgreen\nlast\u{1B}[0m")
    }

    @Test("plain output passes unchanged and gets no reset")
    func plain() {
        var filter = TerminalLogFilter()
        let out = filter.feed(Array("tick 1: hello\n\tindented\n".utf8)) + filter.finish()
        #expect(out == "tick 1: hello\n\tindented\n")
    }
}
