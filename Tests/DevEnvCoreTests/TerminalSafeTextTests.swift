import DevEnvCore
import Foundation
import Testing

/// The one rule for untrusted text on its way to a terminal (issue 9 section 6).
@Suite struct TerminalSafeTextTests {
    @Test("OSC 52 (clipboard) and OSC 0 (title) are shown escaped, never as sequences")
    func oscSequences() {
        #expect(TerminalSafeText.escaping("key\u{1B}]52;c;aGVsbG8=\u{07}") == "key\\x1b]52;c;aGVsbG8=\\x07")
        #expect(TerminalSafeText.escaping("\u{1B}]0;pwned\u{1B}\\") == "\\x1b]0;pwned\\x1b\\")
    }

    @Test("C1 controls (a one-character CSI or OSC), DEL and the bidi overrides are escaped too")
    func otherControls() {
        #expect(TerminalSafeText.escaping("a\u{9B}?1049h") == "a\\x9b?1049h")
        #expect(TerminalSafeText.escaping("\u{9D}0;t\u{9C}") == "\\x9d0;t\\x9c")
        #expect(TerminalSafeText.escaping("x\u{7F}\u{08}\r") == "x\\x7f\\x08\\x0d")
        #expect(TerminalSafeText.escaping("admin\u{202E}txt.exe") == "admin\\u{202e}txt.exe")
        #expect(TerminalSafeText.escaping("\u{2066}x\u{2069}") == "\\u{2066}x\\u{2069}")
    }

    /// hostile24: invisible format characters passed: `image = "python:3.12\u{200B}"` or an
    /// env value with a right-to-left mark read the same as the honest text in `config`,
    /// errors and `--dry-run`, and U+2028 breaks a line in some terminals and editors.
    @Test("zero width space, word joiner, bidi marks, BOM and line separators are escaped; the joiners of emoji and scripts pass")
    func invisibleCharacters() {
        #expect(TerminalSafeText.escaping("python:3.12\u{200B}") == "python:3.12\\u{200b}")
        #expect(TerminalSafeText.escaping("a\u{200E}b\u{200F}c\u{061C}d") == "a\\u{200e}b\\u{200f}c\\u{61c}d")
        #expect(TerminalSafeText.escaping("\u{FEFF}x\u{2060}y\u{2028}z\u{2029}") == "\\u{feff}x\\u{2060}y\\u{2028}z\\u{2029}")
        for text in ["👨\u{200D}👩\u{200D}👧", "می\u{200C}خواهم", "ﾃｽﾄ", "ｆｕｌｌ", "ؠ"] {
            #expect(TerminalSafeText.escaping(text) == text)
        }
        #expect(JSONText.quote("a\u{200B}\u{FEFF}") == "\"a\\u200b\\ufeff\"")
    }

    @Test("newline and tab stay in text; inside one line they are escaped as well")
    func lineBreaks() {
        #expect(TerminalSafeText.escaping("a\tb\nc") == "a\tb\nc")
        #expect(TerminalSafeText.escaping("a\tb\nc", keepingLineBreaks: false) == "a\\x09b\\x0ac")
    }

    @Test("the quick look (`needsEscaping`) agrees with the escaping: kept newlines and tabs alone need none, any control beside them does")
    func quickLookAgreesWithTheEscaping() {
        let texts = ["PROFILE  STATE\ndev\trunning\n", "a\u{1B}[2J\nb\n", "a\nb\u{7F}\n", "\u{202E}x\ny", "\r\n", "é\n\t", "x\u{85}\n", ""]
        for text in texts {
            for keeping in [true, false] {
                #expect(TerminalSafeText.needsEscaping(text, keepingLineBreaks: keeping)
                        == (TerminalSafeText.escaping(text, keepingLineBreaks: keeping) != text), "\(text.debugDescription) keeping: \(keeping)")
            }
        }
        #expect(!TerminalSafeText.needsEscaping("PROFILE  STATE\ndev\trunning\n"))
        #expect(TerminalSafeText.needsEscaping("PROFILE  STATE\ndev\trunning\n", keepingLineBreaks: false))
        #expect(TerminalSafeText.needsEscaping("a\nb\u{1B}c"))
    }

    @Test("a line of a program's output as plain text: colours and cursor moves gone, the last state after a carriage return, controls dropped, tab kept")
    func plainLine() {
        func plain(_ text: String) -> String { TerminalSafeText.plainLine(Array(text.utf8)) }
        #expect(plain("\u{1B}[1;31mERROR\u{1B}[0m: no\tway") == "ERROR: no\tway")
        #expect(plain(" 10%\r 50%\r100% done") == "100% done")
        #expect(plain("a\u{1B}[2K\u{1B}[1Gb\u{1B}7c\u{1B}") == "abc")
        #expect(plain("x\u{0}\u{7}\u{8}y\n") == "xy")
        #expect(plain("café 東京") == "café 東京")
        // Left for `escaping`, which the console applies to every write: DEL, C1 and bidi.
        #expect(TerminalSafeText.escaping(plain("a\u{7F}\u{9B}31m\u{202E}b")) == "a\\x7f\\x9b31m\\u{202e}b")
    }

    @Test("ordinary text, accents, CJK and emoji pass unchanged")
    func safeText() {
        for text in ["devenv: error: devenv.toml:5:1", "café → 東京 🐍", "", "|→ ├─ ✓"] {
            #expect(TerminalSafeText.escaping(text) == text)
            #expect(!TerminalSafeText.needsEscaping(text))
        }
    }

    @Test("JSON strings carry every such character as \\uXXXX: the console leaves them alone and the JSON stays valid")
    func jsonQuoting() throws {
        let hostile = "k\u{1B}]52;c;aGk=\u{07}\u{9B}31m\u{7F}\u{202E}é"
        let quoted = JSONText.quote(hostile)
        #expect(!TerminalSafeText.needsEscaping(quoted))
        #expect(TerminalSafeText.escaping(quoted) == quoted)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(decoded == [hostile])
    }

    @Test("shell quoting of a word with escapes: $'...' with \\xHH, safe to print, and bash reads back the very bytes")
    func shellQuoting() throws {
        let words = ["A=x\u{1B}]52;c;aGk=\u{07}y", "\u{9B}?1049h", "txt\u{202E}exe", "it's \\ \u{1B}[31m\ttab\nline", "plain word"]
        for word in words {
            let quoted = ShellQuoting.quote(word)
            #expect(!TerminalSafeText.needsEscaping(quoted), "\(quoted.debugDescription)")
            let bash = Process()
            bash.executableURL = URL(fileURLWithPath: "/bin/bash")
            bash.arguments = ["-c", "printf %s " + quoted]
            let out = Pipe()
            bash.standardOutput = out
            try bash.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            bash.waitUntilExit()
            #expect(Array(data) == Array(word.utf8), "\(quoted) read back as \(String(decoding: data, as: UTF8.self).debugDescription)")
        }
        #expect(ShellQuoting.quote("a\u{1B}b") == "$'a\\x1bb'")
        #expect(ShellQuoting.quote("two words") == "'two words'")
    }
}
