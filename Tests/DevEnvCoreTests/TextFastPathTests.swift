import DevEnvCore
import Testing

/// DevEnvCore's byte-level fast paths for ASCII text (issue 14: `status` laid out its table and
/// read docker's Mounts Character by Character) give what the standard library gives.
@Suite struct TextFastPathTests {
    static let texts = ["", "a", "dev", "running (1), stale", "a\r\nb", "\r\n", "\n\r", "\r", "é", "e\u{301}x",
                        "👩‍👩‍👧 x", "1001:1001 (planned)", "tab\there", ",\u{301}", "a,\u{301}b"]

    @Test func characterCountIsCount() {
        for text in Self.texts {
            #expect(text.characterCount == text.count, "\(text.debugDescription)")
        }
    }

    @Test func paddedAddsSpacesUpToTheWidthInCharacters() {
        for text in Self.texts {
            for width in [0, text.count, text.count + 1, text.count + 7] {
                let expected = width > text.count ? text + String(repeating: " ", count: width - text.count) : text
                #expect(text.padded(toCount: width) == expected, "\(text.debugDescription) \(width)")
                #expect(text.padded(toCount: width).utf8.elementsEqual(expected.utf8))
            }
        }
    }

    @Test func splitASCIIGivesSplitsPieces() {
        let texts = Self.texts + [",", ",,", "a,,b", ",a,b,", "vol-1,vol-2,/home/u/p", "/home/ü/p,vol", "a,\r\n,b"]
        for text in texts {
            #expect(text.splitASCII(UInt8(ascii: ",")) == text.split(separator: ",").map(String.init), "\(text.debugDescription)")
        }
    }

    /// "\r\n" is one Character, neither "\r" nor "\n": split by either, it stays whole, as
    /// `split` leaves it (bytes alone would cut it in two).
    @Test func splitASCIIByALineBreakKeepsCRLFWhole() {
        for text in ["a\r\nb", "a\nb\r\nc", "\r\n", "a\rb\r\n\rc", "a\n\nb"] {
            for separator in ["\n", "\r"] as [Character] {
                #expect(text.splitASCII(separator.asciiValue!) == text.split(separator: separator).map(String.init),
                        "\(text.debugDescription) by \(separator.debugDescription)")
            }
        }
    }
}
