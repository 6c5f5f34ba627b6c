import Testing
@testable import TerminalUI

@Suite struct ScreenTests {
    @Test func widthsFollowTheTable() {
        #expect(DisplayWidth.of("a" as Character) == 1)
        #expect(DisplayWidth.of("日" as Character) == 2)          // East Asian Wide
        #expect(DisplayWidth.of("Ａ" as Character) == 2)          // Fullwidth
        #expect(DisplayWidth.of("😀" as Character) == 2)          // Emoji_Presentation
        #expect(DisplayWidth.of("☀" as Character) == 1)           // text presentation by default
        #expect(DisplayWidth.of("☀\u{FE0F}" as Character) == 2)   // VS16 makes it an emoji
        #expect(DisplayWidth.of("e\u{301}" as Character) == 1)    // combining mark adds nothing
        #expect(DisplayWidth.of("👩\u{200D}💻" as Character) == 2) // ZWJ sequence: parts after ZWJ add nothing
        #expect(DisplayWidth.of("🇩🇪" as Character) == 2)          // flag
        #expect(DisplayWidth.of("α" as Character) == 1)           // ambiguous counts 1
        #expect(DisplayWidth.of("\u{1B}" as Character) == 0)
        #expect(DisplayWidth.of("한" as Character) == 2)
        #expect(DisplayWidth.of("\u{1100}\u{1161}" as Character) == 2) // jamo: the medial vowel is 0
        #expect(DisplayWidth.of("ab日😀") == 6)
    }

    @Test func putWritesGraphemesAndReportsColumns() {
        var s = Screen(width: 10, height: 1)
        #expect(s.put("a日b", x: 0, y: 0) == 4)
        #expect(s.lines == ["a日b      "])
        #expect(s[1, 0].width == 2)
        #expect(s[2, 0].isContinuation)
    }

    @Test func aWideGraphemeNeverSplitsAtTheRightEdge() {
        var s = Screen(width: 4, height: 1)
        s.put("abc日", x: 0, y: 0)
        #expect(s.lines == ["abc "])
        #expect(s[3, 0].width == 1)
        var clipped = Screen(width: 10, height: 1)
        clipped.put("ab日日", x: 0, y: 0, maxWidth: 5)
        #expect(clipped.lines == ["ab日      "])
    }

    @Test func overwritingHalfAWideGraphemeBlanksTheOtherHalf() {
        var s = Screen(width: 6, height: 1)
        s.put("日本", x: 0, y: 0)
        s.put("x", x: 1, y: 0)
        #expect(s.lines == [" x本  "])
        s.put("y", x: 2, y: 0)
        #expect(s.lines == [" xy   "])
        #expect(s.cells.allSatisfy { $0.width == 1 })
    }

    @Test func controlCharactersNeverReachTheScreen() {
        var s = Screen(width: 12, height: 1)
        s.put("a\u{1B}[2Jb\u{07}c\u{9B}d\r\n", x: 0, y: 0)
        #expect(s.lines == ["a[2Jbcd     "])
    }

    @Test func styledTextKeepsItsStyles() {
        var s = Screen(width: 6, height: 1)
        s.put(StyledText([StyledSpan("ab", style: .bold), StyledSpan("cd", style: Style(fg: .red))]), x: 1, y: 0)
        #expect(s.lines == [" abcd "])
        #expect(s[1, 0].style == .bold)
        #expect(s[3, 0].style.fg == .red)
        #expect(s[5, 0].style == .plain)
    }

    @Test func negativeAndOffscreenWritesAreClipped() {
        var s = Screen(width: 4, height: 2)
        s.put("日abc", x: -1, y: 0)
        s.put("zz", x: 0, y: 5)
        s.fill(Rect(x: -3, y: -3, width: 4, height: 4), with: Cell("#"))
        #expect(s.lines == ["#abc", "    "])
    }
}

@Suite struct TerminalCapabilitiesTests {
    @Test func coloursFollowTheEnvironment() throws {
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"], isTerminal: true) == .truecolor)
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "xterm-256color", "COLORTERM": "24bit"], isTerminal: true) == .truecolor)
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "xterm-256color"], isTerminal: true) == .indexed256)
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "tmux-256color"], isTerminal: true) == .indexed256)
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "xterm"], isTerminal: true) == .ansi16)
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "linux"], isTerminal: true) == .ansi16)
    }

    @Test func noColorSetAndNonEmptyTurnsColourOff() throws {
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"], isTerminal: true) == .none)
        #expect(try TerminalCapabilities.colorMode(environment: ["TERM": "xterm-256color", "NO_COLOR": ""], isTerminal: true) == .indexed256)
    }

    @Test func dumbOrNoTerminalIsRefused() {
        #expect(throws: TerminalRefusal.dumbTerminal) { try TerminalCapabilities.colorMode(environment: ["TERM": "dumb"], isTerminal: true) }
        #expect(throws: TerminalRefusal.dumbTerminal) { try TerminalCapabilities.colorMode(environment: [:], isTerminal: true) }
        #expect(throws: TerminalRefusal.notATerminal) { try TerminalCapabilities.colorMode(environment: ["TERM": "xterm"], isTerminal: false) }
        #expect(TerminalRefusal.dumbTerminal.description.contains("--no-tui"))
    }
}

@Suite struct ScreenCellCheckTests {
    @Test func setNeverStoresControlsAndMeasuresWidthItself() {
        var s = Screen(width: 6, height: 1)
        s.set(Cell("\u{1B}[2J"), x: 0, y: 0)
        s.set(Cell("\u{9B}"), x: 1, y: 0)
        s.set(Cell("日", width: 1), x: 2, y: 0)
        s.set(Cell("ab"), x: 4, y: 0)
        #expect(s.lines == ["  日  "])
        #expect(s[2, 0].width == 2)
        #expect(s[3, 0].isContinuation)
        var f = Screen(width: 5, height: 1)
        f.fill(f.bounds, with: Cell("日"))
        #expect(f.lines == ["日日 "])
    }
}
