import Testing
import TestSupport
@testable import TerminalUI

@Suite struct KeyDecoderTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func events(_ s: String, atEnd: Bool = true) -> [InputEvent] { KeyDecoder.decode(bytes(s), atEnd: atEnd).events }
    static func key(_ k: Key, _ m: KeyModifiers = []) -> InputEvent { .key(KeyEvent(k, m)) }
    static func char(_ c: Character, _ m: KeyModifiers = []) -> InputEvent { .key(KeyEvent(.character(c), m)) }

    static let keyForms: [(String, InputEvent)] = [
        ("a", char("a")), ("Z", char("Z")), ("~", char("~")), (" ", char(" ")),
        ("\r", key(.enter)), ("\n", key(.enter)), ("\t", key(.tab)), ("\u{7F}", key(.backspace)), ("\u{08}", key(.backspace, .ctrl)),
        ("\u{01}", char("a", .ctrl)), ("\u{03}", char("c", .ctrl)), ("\u{1A}", char("z", .ctrl)), ("\u{00}", char(" ", .ctrl)),
        ("\u{1C}", char("\\", .ctrl)), ("\u{1F}", char("_", .ctrl)),
        ("é", char("é")), ("日", char("日")), ("😀", char("😀")),
        ("\u{1B}a", char("a", .alt)), ("\u{1B}\u{01}", char("a", [.ctrl, .alt])), ("\u{1B}é", char("é", .alt)),
        ("\u{1B}\u{7F}", key(.backspace, .alt)), ("\u{1B}\u{1B}", key(.escape, .alt)),
        // CSI cursor keys, plain and with xterm modifiers
        ("\u{1B}[A", key(.up)), ("\u{1B}[B", key(.down)), ("\u{1B}[C", key(.right)), ("\u{1B}[D", key(.left)),
        ("\u{1B}[H", key(.home)), ("\u{1B}[F", key(.end)),
        ("\u{1B}[1;2A", key(.up, .shift)), ("\u{1B}[1;3B", key(.down, .alt)), ("\u{1B}[1;5C", key(.right, .ctrl)),
        ("\u{1B}[1;6D", key(.left, [.ctrl, .shift])), ("\u{1B}[1;8H", key(.home, [.ctrl, .alt, .shift])),
        ("\u{1B}\u{1B}[A", key(.up, .alt)),
        // SS3 (application cursor mode, VT100 function keys)
        ("\u{1B}OA", key(.up)), ("\u{1B}OB", key(.down)), ("\u{1B}OC", key(.right)), ("\u{1B}OD", key(.left)),
        ("\u{1B}OH", key(.home)), ("\u{1B}OF", key(.end)), ("\u{1B}OM", key(.enter)),
        ("\u{1B}OP", key(.function(1))), ("\u{1B}OQ", key(.function(2))), ("\u{1B}OR", key(.function(3))), ("\u{1B}OS", key(.function(4))),
        ("\u{1B}O5P", key(.function(1), .ctrl)), ("\u{1B}Oa", key(.up, .ctrl)),
        // tilde forms
        ("\u{1B}[1~", key(.home)), ("\u{1B}[2~", key(.insert)), ("\u{1B}[3~", key(.delete)), ("\u{1B}[4~", key(.end)),
        ("\u{1B}[5~", key(.pageUp)), ("\u{1B}[6~", key(.pageDown)), ("\u{1B}[7~", key(.home)), ("\u{1B}[8~", key(.end)),
        ("\u{1B}[3;5~", key(.delete, .ctrl)), ("\u{1B}[5;2~", key(.pageUp, .shift)),
        ("\u{1B}[11~", key(.function(1))), ("\u{1B}[12~", key(.function(2))), ("\u{1B}[13~", key(.function(3))),
        ("\u{1B}[14~", key(.function(4))), ("\u{1B}[15~", key(.function(5))), ("\u{1B}[17~", key(.function(6))),
        ("\u{1B}[18~", key(.function(7))), ("\u{1B}[19~", key(.function(8))), ("\u{1B}[20~", key(.function(9))),
        ("\u{1B}[21~", key(.function(10))), ("\u{1B}[23~", key(.function(11))), ("\u{1B}[24~", key(.function(12))),
        ("\u{1B}[15;5~", key(.function(5), .ctrl)), ("\u{1B}[24;2~", key(.function(12), .shift)),
        ("\u{1B}[1;5P", key(.function(1), .ctrl)), ("\u{1B}[1;2S", key(.function(4), .shift)),
        ("\u{1B}[[A", key(.function(1))), ("\u{1B}[[E", key(.function(5))),
        ("\u{1B}[Z", key(.backTab, .shift)), ("\u{1B}[2^", key(.insert, .ctrl)), ("\u{1B}[a", key(.up, .shift)),
        // CSI u and modifyOtherKeys
        ("\u{1B}[97;5u", char("a", .ctrl)), ("\u{1B}[13;2u", key(.enter, .shift)), ("\u{1B}[27;5;105~", char("i", .ctrl)),
        // focus, mouse
        ("\u{1B}[I", .focus(gained: true)), ("\u{1B}[O", .focus(gained: false)),
        ("\u{1B}[<0;10;5M", .mouse(MouseEvent(button: .left, action: .press, x: 9, y: 4))),
        ("\u{1B}[<0;10;5m", .mouse(MouseEvent(button: .left, action: .release, x: 9, y: 4))),
        ("\u{1B}[<2;1;1M", .mouse(MouseEvent(button: .right, action: .press, x: 0, y: 0))),
        ("\u{1B}[<32;3;4M", .mouse(MouseEvent(button: .left, action: .drag, x: 2, y: 3))),
        ("\u{1B}[<35;3;4M", .mouse(MouseEvent(button: .none, action: .move, x: 2, y: 3))),
        ("\u{1B}[<64;7;8M", .mouse(MouseEvent(button: .wheelUp, action: .press, x: 6, y: 7))),
        ("\u{1B}[<65;7;8M", .mouse(MouseEvent(button: .wheelDown, action: .press, x: 6, y: 7))),
        ("\u{1B}[<16;2;2M", .mouse(MouseEvent(button: .left, action: .press, x: 1, y: 1, modifiers: .ctrl))),
        ("\u{1B}[M !!", .mouse(MouseEvent(button: .left, action: .press, x: 0, y: 0))),
        // paste, with CR LF normalised
        ("\u{1B}[200~hello\r\nworld\u{1B}[201~", .paste("hello\nworld")),
        ("\u{1B}[200~\u{1B}[A ^C\u{03}\u{1B}[201~", .paste("\u{1B}[A ^C\u{03}")),
        // unknown sequences are reported, not dropped
        ("\u{1B}[99~", .unknown(bytes("\u{1B}[99~"))), ("\u{1B}[?1;2c", .unknown(bytes("\u{1B}[?1;2c"))),
        ("\u{1B}[1$y", .unknown(bytes("\u{1B}[1$y"))),
    ]

    @Test func everyKeyFormDecodes() {
        for (input, expected) in Self.keyForms {
            let result = KeyDecoder.decode(Self.bytes(input), atEnd: true)
            #expect(result.events == [expected], "\(input.debugDescription)")
            #expect(result.leftover.isEmpty, "\(input.debugDescription)")
        }
    }

    @Test func everyKeyFormDecodesTheSameWhenSplitAnywhere() {
        for (input, expected) in Self.keyForms {
            let b = Self.bytes(input)
            for cut in 1..<b.count {
                let first = KeyDecoder.decode(Array(b[..<cut]))
                let second = KeyDecoder.decode(first.leftover + Array(b[cut...]), atEnd: true)
                #expect(first.events + second.events == [expected], "\(input.debugDescription) cut at \(cut)")
            }
        }
    }

    @Test func aLoneEscapeWaitsThenResolvesToEscape() {
        let partial = KeyDecoder.decode([0x1B])
        #expect(partial.events.isEmpty)
        #expect(partial.leftover == [0x1B])
        #expect(KeyDecoder.decode(partial.leftover, atEnd: true).events == [Self.key(.escape)])
    }

    @Test func anUnfinishedSequenceIsKeptBack() {
        let r = KeyDecoder.decode(Self.bytes("ab\u{1B}[1;5"))
        #expect(r.events == [Self.char("a"), Self.char("b")])
        #expect(r.leftover == Self.bytes("\u{1B}[1;5"))
        let paste = KeyDecoder.decode(Self.bytes("\u{1B}[200~some text"))
        #expect(paste.events.isEmpty)
        #expect(paste.leftoverIsPaste)
    }

    @Test func utf8SplitAcrossReadsIsJoined() {
        let b = Self.bytes("€")
        let first = KeyDecoder.decode(Array(b[0..<2]))
        #expect(first.events.isEmpty)
        #expect(KeyDecoder.decode(first.leftover + [b[2]]).events == [Self.char("€")])
    }

    @Test func invalidUTF8IsReportedAndTheNextByteSurvives() {
        #expect(Self.events("") == [])
        #expect(KeyDecoder.decode([0xFF, 0x61], atEnd: true).events == [.unknown([0xFF]), Self.char("a")])
        #expect(KeyDecoder.decode([0xE2, 0x82, 0x61], atEnd: true).events == [.unknown([0xE2, 0x82]), Self.char("a")])
        #expect(KeyDecoder.decode([0xC2, 0x9B], atEnd: true).events == [.unknown([0xC2, 0x9B])])
    }

    @Test func aMalformedSequenceEndsAtTheOffendingByte() {
        #expect(Self.events("\u{1B}[1;\u{03}x") == [.unknown(Self.bytes("\u{1B}[1;")), Self.char("c", .ctrl), Self.char("x")])
        #expect(Self.events("\u{1B}[\u{03}") == [Self.char("[", .alt), Self.char("c", .ctrl)])
    }

    @Test func anOverlongSequenceIsCutOff() {
        let long = "\u{1B}[" + String(repeating: "1;", count: 100) + "A"
        let events = Self.events(long)
        #expect(events.first == .unknown(Array(Self.bytes(long).prefix(KeyDecoder.maxSequenceLength))))
    }

    /// 100,000 random inputs (seeded) biased towards escape-sequence bytes: the decoder never
    /// crashes or stalls, decoding in random pieces gives the same events as at once, and
    /// printable input outside escape sequences comes through in order.
    @Test func fuzz() {
        var r = SplitMix64(seed: 42)
        let alphabet: [UInt8] = Array("\u{1B}[O;<~0123456789ABCDHFPQRSZMmuIa~\r\t".utf8) + [0x00, 0x03, 0x7F, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x80]
        let tokens = Self.keyForms.map { Self.bytes($0.0) }
        for _ in 0..<100_000 {
            let length = Int.random(in: 0...24, using: &r)
            var input: [UInt8] = []
            while input.count < length {
                switch Int.random(in: 0..<4, using: &r) {
                case 0: input += tokens.randomElement(using: &r) ?? []
                case 1: input.append(UInt8.random(in: 0...255, using: &r))
                default: input.append(alphabet.randomElement(using: &r) ?? 0x61)
                }
            }
            let whole = KeyDecoder.decode(input, atEnd: true)
            #expect(whole.leftover.isEmpty)
            // the same input in random pieces, leftovers carried over
            var events: [InputEvent] = []
            var carry: [UInt8] = []
            var i = 0
            while i < input.count {
                let n = Int.random(in: 1...8, using: &r)
                let piece = Array(input[i..<min(input.count, i + n)])
                i += n
                let part = KeyDecoder.decode(carry + piece, atEnd: i >= input.count)
                events += part.events
                carry = part.leftover
            }
            if input.isEmpty { continue }
            if events != whole.events {
                Issue.record("split decoding differs for \(input): \(events) vs \(whole.events)")
                return
            }
        }
    }

    @Test func printableInputWithoutEscapesSurvivesAnyGarbage() {
        var r = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            var input: [UInt8] = []
            for _ in 0..<Int.random(in: 1...32, using: &r) {
                var b = UInt8.random(in: 0...255, using: &r)
                if b == 0x1B { b = 0x61 }
                input.append(b)
            }
            let printable = input.filter { $0 >= 0x20 && $0 < 0x7F }.map { Character(Unicode.Scalar($0)) }
            let decoded = KeyDecoder.decode(input, atEnd: true).events.compactMap { e -> Character? in
                if case .key(let k) = e, k.modifiers.isEmpty, case .character(let c) = k.key, c.isASCII { return c }
                return nil
            }
            #expect(decoded == printable, "\(input)")
        }
    }
}
