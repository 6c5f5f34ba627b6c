import Testing
@testable import TerminalUI

/// engine30: readers of a child's output decoded each read on its own (`devenv test`'s output),
/// or cut a long line at a byte count (`devenv logs` on a terminal, the logs pane, progress
/// lines), so a character cut in two showed as U+FFFD. One rule now: `UTF8StreamDecoder`.
@Suite struct UTF8StreamDecoderTests {
    /// Every character of 1 to 4 bytes, split at every byte of it, comes out whole.
    @Test func everySplitOfEveryLengthIsDecodedWhole() {
        let text = "a é € 🐍 z"
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            var decoder = UTF8StreamDecoder()
            let joined = decoder.decode(Array(bytes[..<cut])) + decoder.decode(Array(bytes[cut...])) + decoder.finish()
            #expect(joined == text, "cut at \(cut)")
        }
        // One byte a read.
        var decoder = UTF8StreamDecoder()
        #expect(bytes.map { decoder.decode([$0]) }.joined() + decoder.finish() == text)
    }

    /// What is not UTF-8 is U+FFFD as `String(decoding:)` makes it; only a possible start of a
    /// character is held, and an unfinished one at the end is one U+FFFD.
    @Test func invalidBytesAreReplacedNotHeld() {
        var decoder = UTF8StreamDecoder()
        #expect(decoder.decode([0x61, 0xFF]) == "a\u{FFFD}")
        #expect(decoder.decode([0x80, 0x62]) == "\u{FFFD}b")
        #expect(decoder.decode([0xC0]) == "\u{FFFD}")
        #expect(decoder.decode([0xF0, 0x9F]) == "")
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(decoder.finish() == "")
        #expect(UTF8StreamDecoder.completeLength([0x61, 0xE2, 0x82]) == 1)
        #expect(UTF8StreamDecoder.completeLength([0x61, 0xE2, 0x82, 0xAC]) == 4)
        #expect(UTF8StreamDecoder.completeLength([0x80, 0x80, 0x80, 0x80]) == 4)
        #expect(UTF8StreamDecoder.completeLength(Array("x€".utf8)[1..<3]) == 0)
    }

    /// A line longer than what `devenv logs` filters in one piece is cut where a character
    /// starts: the character comes whole with the next read.
    @Test func theLogFilterCutsALongLineBetweenCharacters() {
        var filter = TerminalLogFilter()
        let long = [UInt8](repeating: 0x61, count: 1 << 16) + Array("€".utf8).prefix(2)
        let first = filter.feed(long)
        #expect(!first.contains("\u{FFFD}"))
        #expect(first.utf8.count == 1 << 16)
        #expect(filter.feed([0xAC, 0x0A]) == "€\n")
    }

    /// The logs pane: an over-long line is cut between characters, and a runaway line stored in
    /// pieces does not cut one in two.
    @Test func theLogBufferCutsBetweenCharacters() {
        var buffer = LogBuffer(capacity: 10, maxLineBytes: 16)
        buffer.append(line: String(repeating: "a", count: 15) + "€")
        #expect(buffer[0] == String(repeating: "a", count: 15))
        var runaway = LogBuffer(capacity: 10, maxLineBytes: 16)
        runaway.append(bytes: [UInt8](repeating: 0x62, count: 64) + Array("€".utf8).prefix(1))
        runaway.append(bytes: Array(Array("€".utf8).dropFirst()) + [0x0A])
        #expect(runaway.count == 2)
        #expect(runaway[1] == "€", "\(runaway[1])")
    }
}
