import Testing
import TestSupport
@testable import TerminalUI

@Suite struct FrameRendererTests {
    static let palette: [Style] = [
        .plain, .bold, Style(fg: .red), Style(fg: .green, bg: .blue), Style(fg: .indexed(200), attributes: [.underline]),
        Style(fg: .rgb(10, 20, 30), bg: .rgb(200, 100, 0), attributes: [.italic, .dim]), .reverse,
        Style(bg: .brightYellow, attributes: [.bold, .reverse]),
    ]
    static let samples = ["a", "bc", "hello", " ", "  ", "日本", "語", "😀", "e\u{301}", "x😀y", "─", "🇩🇪", "☀\u{FE0F}", "ok", "|"]

    static func randomFrame(_ r: inout SplitMix64, width: Int, height: Int, from previous: Screen?) -> Screen {
        var s = previous ?? Screen(width: width, height: height)
        let ops = Int.random(in: 0...8, using: &r)
        for _ in 0..<ops {
            let style = palette.randomElement(using: &r) ?? .plain
            switch Int.random(in: 0..<10, using: &r) {
            case 0:
                let rect = Rect(x: Int.random(in: -2..<width, using: &r), y: Int.random(in: -1..<height, using: &r),
                                width: Int.random(in: 0...width, using: &r), height: Int.random(in: 0...3, using: &r))
                s.fill(rect, with: Cell(" ", style: style))
            case 1:
                s.fill(s.bounds)
            default:
                var text = ""
                for _ in 0..<Int.random(in: 1...4, using: &r) { text += samples.randomElement(using: &r) ?? "" }
                s.put(text, x: Int.random(in: -1..<width, using: &r), y: Int.random(in: 0..<height, using: &r), style: style)
            }
        }
        return s
    }

    static func expectMatches(_ vt: VTEmulator, _ screen: Screen, mode: ColorMode, context: String) -> Bool {
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let want = screen[x, y], got = vt[x, y]
                let wantStyle = SGREncoder.lowered(want.style, mode)
                if want.grapheme != got.grapheme || want.width != got.width || wantStyle != got.style {
                    Issue.record("\(context): cell (\(x),\(y)) want \(want.grapheme.debugDescription)/\(want.width) \(wantStyle), got \(got.grapheme.debugDescription)/\(got.width) \(got.style)\nwant:\n\(screen.lines.joined(separator: "\n"))\ngot:\n\(vt.lines.joined(separator: "\n"))")
                    return false
                }
            }
        }
        return true
    }

    @Test(arguments: [ColorMode.truecolor, .indexed256, .ansi16, .none])
    func randomFrameSequencesReachTheIntendedScreen(mode: ColorMode) {
        var r = SplitMix64(seed: 0xC0FFEE &+ UInt64(mode.rawValue))
        for sequence in 0..<150 {
            var width = Int.random(in: 1...24, using: &r), height = Int.random(in: 1...8, using: &r)
            var renderer = FrameRenderer(colorMode: mode)
            var vt = VTEmulator(width: width, height: height, garbage: true)
            var screen: Screen? = nil
            for frame in 0..<25 {
                if Int.random(in: 0..<20, using: &r) == 0 {
                    let w = Int.random(in: 1...24, using: &r), h = Int.random(in: 1...8, using: &r)
                    if w != width || h != height {
                        // A resized terminal shows leftovers: the renderer must clear them.
                        width = w; height = h
                        vt = VTEmulator(width: width, height: height, garbage: true)
                        screen = nil
                    }
                }
                if Int.random(in: 0..<30, using: &r) == 0 { renderer.invalidate() }
                let next = Self.randomFrame(&r, width: width, height: height, from: screen)
                let bytes = renderer.render(next)
                vt.feed(bytes)
                let context = "mode \(mode) sequence \(sequence) frame \(frame) \(width)x\(height)"
                #expect(vt.problems.isEmpty, "\(context): \(vt.problems)")
                if !vt.problems.isEmpty || !Self.expectMatches(vt, next, mode: mode, context: context) { return }
                screen = next
            }
        }
    }

    @Test func anUnchangedFrameWritesNothing() {
        var renderer = FrameRenderer(colorMode: .truecolor)
        let screen = Screen(lines: ["hello", "world"])
        #expect(!renderer.render(screen).isEmpty)
        #expect(renderer.render(screen).isEmpty)
    }

    @Test func aFrameIsWrappedInSynchronizedOutput() {
        var renderer = FrameRenderer(colorMode: .truecolor)
        let bytes = renderer.render(Screen(lines: ["x"]))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}[?2026h"))
        #expect(text.hasSuffix("\u{1B}[?2026l"))
    }

    @Test func oneChangedCellCostsOneMoveAndTheCell() {
        var renderer = FrameRenderer(colorMode: .truecolor)
        var screen = Screen(width: 80, height: 24)
        screen.put("status: running", x: 2, y: 5)
        _ = renderer.render(screen)
        screen.put("R", x: 10, y: 5)
        let text = String(decoding: renderer.render(screen), as: UTF8.self)
        // the cursor is still on that row after the first frame: moving back 7 is shortest
        #expect(text == "\u{1B}[?2026h\u{1B}[7DR\u{1B}[?2026l")
    }

    @Test func nearbyChangesOnOneRowReuseTheCursor() {
        var renderer = FrameRenderer(colorMode: .truecolor)
        var screen = Screen(lines: ["abcdefghij"])
        _ = renderer.render(screen)
        screen.put("X", x: 1, y: 0)
        screen.put("Y", x: 3, y: 0)
        let text = String(decoding: renderer.render(screen), as: UTF8.self)
        // c is rewritten (1 byte) rather than moved over (4 bytes)
        #expect(text == "\u{1B}[?2026h\u{1B}[1;2HXcY\u{1B}[?2026l")
    }

    @Test func aBlankedLineTailIsErasedWithEL() {
        var renderer = FrameRenderer(colorMode: .truecolor)
        var screen = Screen(width: 40, height: 1)
        screen.put(String(repeating: "x", count: 40), x: 0, y: 0)
        _ = renderer.render(screen)
        screen.fill(Rect(x: 5, y: 0, width: 35, height: 1))
        let text = String(decoding: renderer.render(screen), as: UTF8.self)
        #expect(text == "\u{1B}[?2026h\u{1B}[1;6H\u{1B}[K\u{1B}[?2026l")
    }

    @Test func noColorModeWritesAttributesButNoColours() {
        var renderer = FrameRenderer(colorMode: .none)
        var screen = Screen(width: 4, height: 1)
        screen.put("ab", x: 0, y: 0, style: Style(fg: .red, bg: .rgb(1, 2, 3), attributes: .bold))
        let text = String(decoding: renderer.render(screen), as: UTF8.self)
        #expect(text.contains("\u{1B}[1m"))
        #expect(!text.contains("31"))
        #expect(!text.contains("38;"))
        #expect(!text.contains("48;"))
    }

    @Test func coloursAreLoweredToTheMode() {
        var out: [UInt8] = []
        SGREncoder.transition(from: .plain, to: Style(fg: .rgb(255, 0, 0)), mode: .indexed256, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\u{1B}[38;5;196m")
        out = []
        SGREncoder.transition(from: .plain, to: Style(fg: .rgb(250, 0, 0)), mode: .ansi16, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\u{1B}[91m")
        out = []
        SGREncoder.transition(from: .plain, to: Style(fg: .rgb(1, 2, 3)), mode: .truecolor, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\u{1B}[38;2;1;2;3m")
    }

    @Test func sgrChangesOnlyWhatDiffers() {
        var out: [UInt8] = []
        SGREncoder.transition(from: Style(fg: .red, attributes: [.bold, .underline]), to: Style(fg: .red, attributes: [.underline]), mode: .truecolor, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\u{1B}[22m")
        out = []
        SGREncoder.transition(from: Style(fg: .red, attributes: [.bold, .dim]), to: Style(fg: .red, attributes: [.dim]), mode: .truecolor, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\u{1B}[22;2m")
    }

    @Test func sgrTakesAResetWhenItIsShorterThanTheDelta() {
        // Behind bytes already in the frame, as in a real frame: the parameter list starts after them.
        var out: [UInt8] = Array("ab".utf8)
        SGREncoder.transition(from: Style(fg: .red, bg: .blue, attributes: [.bold, .italic, .underline]),
                              to: Style(fg: .green), mode: .truecolor, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "ab\u{1B}[0;32m")
        out = Array("ab".utf8)
        // Dropping bold alone: "0;38;5;200" is one byte shorter than "22;38;5;200".
        SGREncoder.transition(from: Style(fg: .red, attributes: [.bold]), to: Style(fg: .indexed(200)), mode: .indexed256, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "ab\u{1B}[0;38;5;200m")
        // Keeping bold, the delta is the shorter.
        out = Array("ab".utf8)
        SGREncoder.transition(from: Style(fg: .red, attributes: [.bold]), to: Style(fg: .indexed(200), attributes: [.bold]), mode: .indexed256, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "ab\u{1B}[38;5;200m")
    }

    @Test(arguments: [(0, "0"), (9, "9"), (10, "10"), (99, "99"), (100, "100"), (255, "255"), (999, "999"),
                      (1000, "1000"), (1001, "1001"), (65535, "65535"), (1_000_000, "1000000")])
    func decimalsAreWrittenDigitForDigit(value: Int, text: String) {
        var out: [UInt8] = [0x3B]
        appendDecimal(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == ";" + text)
    }
}
