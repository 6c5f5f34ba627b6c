import DevEnvCore
import Testing
import TestSupport

/// The JSONC reader over JSONTestSuite-style cases (y_: must be accepted, n_: must be
/// rejected), JSONC's additions (comments, trailing commas), positions and errors.
@Suite struct JSONCDecoderTests {
    func decode(_ text: String) throws -> JSONCNode { try JSONCDecoder.decode(text, file: "d.json") }

    /// The error's `file:line:col: message`, or nil when the text decodes.
    func failure(_ bytes: [UInt8]) -> String? {
        do {
            _ = try JSONCDecoder.decode(bytes, file: "d.json")
            return nil
        } catch {
            return error.description
        }
    }

    func failure(_ text: String) -> String? { failure(Array(text.utf8)) }

    /// Valid JSON (the y_ cases of JSONTestSuite that a reader can get wrong).
    static let accepted: [String] = [
        "[[]   ]", "[\"\"]", "[]", "[\"a\"]", "[false]", "[null, 1, \"1\", {}]", "[null]", "[1\n]", " [1]",
        "[1,null,null,null,2]", "[2] ", "[123e65]", "[0e+1]", "[0e1]", "[ 4]", "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]\n",
        "[20e1]", "[-0]", "[-123]", "[-1]", "[1E22]", "[1E-2]", "[1E+2]", "[123e45]", "[123.456e78]", "[1e-2]",
        "[1e+2]", "[123]", "[123.456789]", "[100000000000000000000000000000000000000000000000000000000000000]",
        "[1e400]", "[-1e-400]", "{\"asd\":\"sdf\", \"dfg\":\"fgh\"}", "{\"asd\":\"sdf\"}", "{\"a\":\"b\",\"a\":\"c\"}",
        "{\"a\":\"b\",\"a\":\"b\"}", "{}", "{\"\":0}", "{\"foo\\u0000bar\": 42}", "{ \"min\": -1.0e+28, \"max\": 1.0e+28 }",
        "{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}], \"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
        "{\"a\":[]}", "{\"title\":\"\\u041f\\u043e\\u043b\\u0442\\u043e\\u0440\\u0430 \\u0417\\u0435\\u043c\\u043b\\u0435\\u043a\\u043e\\u043f\\u0430\" }",
        "{\n\"a\": \"b\"\n}", "[\"\\u0060\\u012a\\u12AB\"]", "[\"\\uD801\\udc37\"]", "[\"\\ud83d\\ude39\\ud83d\\udc8d\"]",
        "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "[\"\\\\u0000\"]", "[\"\\\"\"]", "[\"a/*b*/c/*d//e\"]", "[\"\\\\a\"]",
        "[\"\\\\n\"]", "[\"\\u0012\"]", "[\"\\uFFFF\"]", "[\"asd\"]", "[ \"asd\"]", "[\"\\uDBFF\\uDFFF\"]",
        "[\"new\\u00A0line\"]", "[\"\u{10FFFF}\"]", "[\"\u{1BFFF}\"]", "[\"\\u0000\"]", "[\"\\u002c\"]", "[\"π\"]",
        "[\"\u{1D11E}\"]", "[\"asd \"]", "\" \"", "[\"\\uD834\\uDd1e\"]", "[\"\\u0821\"]", "[\"\\u0123\"]",
        "[\"\u{2028}\"]", "[\"\u{2029}\"]", "[\"\\u0061\\u30af\\u30EA\\u30b9\"]", "[\"new\\u000Aline\"]", "[\"\u{7F}\"]",
        "[\"\\uA66D\"]", "[\"\\u005C\"]", "[\"⍂㈴⍂\"]", "[\"\\uDBFF\\uDFFE\"]", "[\"\\uD83F\\uDFFE\"]", "[\"\\u200B\"]",
        "[\"\\u2064\"]", "[\"\\uFDD0\"]", "[\"\\uFFFE\"]", "[\"\\u0022\"]", "[\"€𝄞\"]", "[\"aa\"]", "false", "42", "-0.1",
        "\"asd\"", "null", "true", "\"\"", "[\"a\"]\n", "[true]", " [] ", "[]\r\n", "\u{FEFF}{}",
        // JSONC: comments and one trailing comma.
        "// leading\n{\"a\": 1, // after\n/* block\n spanning */ \"b\": [1, 2,],}", "[1, /* in */ 2]/**/", "{}//end",
        "[1,\r\n2,\r\n]", "/**/[]", "/***/[]", "/* a * b / c */ 1",
    ]

    /// Invalid JSON (n_ cases) and invalid JSONC.
    static let rejected: [String] = [
        "[1 true]", "[a\u{E5}]", "[\"\": 1]", "[\"\"],", "[,1]", "[1,,2]", "[\"x\",,]", "[\"x\"]]", "[\"\",]x", "[x",
        "[3[4]]", "[\u{FF}]", "[1:2]", "[,]", "[-]", "[   , \"\"]", "[\"a\",\n4\n,1,", "[1,]x", "[\"\u{0B}a\"\\f]",
        "[*]", "[\"\"", "[1,", "[1,\n1\n,1", "[{}", "[fals]", "[nul]", "[tru]", "123\0", "[++1234]", "[+1]", "[+Inf]",
        "[-01]", "[-1.0.]", "[-2.]", "[-NaN]", "[.-1]", "[.2e-3]", "[0.1.2]", "[0.3e+]", "[0.3e]", "[0.e1]", "[0E+]",
        "[0E]", "[0e+]", "[0e]", "[1.0e+]", "[1.0e-]", "[1.0e]", "[1 000.0]", "[1eE2]", "[2.e+3]", "[2.e-3]", "[2.e3]",
        "[9.e+]", "[Inf]", "[NaN]", "[\u{FF11}]", "[1+2]", "[0x1]", "[0x42]", "[Infinity]", "[0e+-1]", "[-123.123foo]",
        "[123\u{E5}]", "[1e1\u{E5}]", "[0\u{E5}]", "[-Infinity]", "[-foo]", "[- 1]", "[-012]", "[-.123]", "[-1x]",
        "[1ea]", "[1e\u{E5}]", "[1.]", "[.123]", "[1.2a-3]", "[1.8011670033376514H-308]", "[012]",
        "[\"x\", truth]", "{[: \"x\"}\n", "{\"x\", null}", "{\"x\"::\"b\"}", "{🇨🇭}", "{\"a\":\"a\" 123}", "{key: 'value'}",
        "{\"\u{B9}\":\"0\",}x", "{\"a\" b}", "{:\"b\"}", "{\"a\" \"b\"}", "{\"a\":", "{\"a\"", "{1:1}", "{9999E9999:1}",
        "{null:null,null:null}", "{\"id\":0,,,,,}", "{'a':0}", "{\"id\":0,}x", "{\"a\":\"b\"}/**/x", "{\"a\":\"b\"}/**//",
        "{\"a\":\"b\"}/", "{\"a\":\"b\",,\"c\":\"d\"}", "{a: \"b\"}", "{\"a\":\"a", "{ \"foo\" : \"bar\", \"a\" }",
        "{\"a\":\"b\"}#", " ", "[\"\\uD800\\\"]", "[\"\\uD800\\u\"]", "[\"\\uD800\\u1\"]", "[\"\\uD800\\u1x\"]",
        "[é]", "[\"\\x00\"]", "[\"\\\\\\\"]", "[\"\\\t\"]", "[\"\\🌀\"]", "[\"\\\"]", "[\"\\u00A\"]", "[\"\\uD834\\uDd\"]",
        "[\"\\uD800\\uD800\\x\"]", "[\"\\u\u{E5}\"]", "[\"\\a\"]", "[\"\\uqqqq\"]", "[\"\\u\u{1F600}\"]", "[\\u0020\"asd\"]",
        "[\\n]", "\"", "[\"new\nline\"]", "[\"\t\"]", "\"\\UA66D\"", "\"\"x", "[\"\\uD800\"]", "[\"\\uDC00\"]",
        "[\"\\uD800\\u0041\"]", "<.>", "[<null>]", "[1]x", "[1]]", "[\"asd]", "a\u{E5}", "[True]", "1]", "{\"x\": true,",
        "[][]", "]", "\u{FEFF}", "[", "", "[\"\\u0000\"]]", "\u{2060}[]", "[\"a\"\u{0C}]", "[\u{0C}]", "{\"a\":true} \"x\"",
        "['", "[\"a\",", "{\"a", "{'a'", "[\"a", "{\"asd\":\"asd\"", "[⁠]", "{\"a\":/*x*/}", "[/*unclosed]", "/* x",
        "{,}", "[1,,]", "{\"a\":1,,}", "//only a comment", "[1] // ok\n x", "[\"\u{1}\"]", "{\"a\":1}\u{0}",
        "[1]\u{0B}", "[\u{A0}1]", "[1,\u{85}2]",
    ]

    @Test(arguments: accepted) func accepts(_ text: String) {
        #expect(failure(text) == nil, "should decode: \(text.debugDescription)")
    }

    @Test(arguments: rejected) func rejects(_ text: String) {
        #expect(failure(text) != nil, "should be rejected: \(text.debugDescription)")
    }

    /// Invalid UTF-8 anywhere (n_ / i_ cases of JSONTestSuite), refused with its place.
    @Test func invalidUTF8() {
        let cases: [[UInt8]] = [
            Array("[\"".utf8) + [0xFF] + Array("\"]".utf8), Array("[\"".utf8) + [0xC0, 0xAF] + Array("\"]".utf8),
            Array("[\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"]".utf8), Array("[\"".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\"]".utf8),
            Array("[\"".utf8) + [0xE2, 0x82] + Array("\"]".utf8), Array("[\"".utf8) + [0x80] + Array("\"]".utf8),
            [0xEF, 0xBB], Array("//".utf8) + [0xFE] + Array("\n[]".utf8),
        ]
        for bytes in cases { #expect(failure(bytes) != nil, "\(bytes)") }
        #expect(failure(Array("{\n  \"a\": \"".utf8) + [0xFF] + Array("\"}".utf8))
                == "d.json:2:9: the file is not valid UTF-8 (byte 0xFF)")
    }

    @Test func values() throws {
        let root = try decode("""
            {
              "s": "tab\\tquote\\" slash\\/ \\u00e9 \\ud83d\\ude00 é",
              "n": [0, -12, 3.5, 1e3, 123456789012345678901234567890],
              "b": [true, false, null],
              "nested": {"x": {"y": []}},
            }
            """)
        guard case .object(let object) = root.value else { Issue.record("not an object"); return }
        #expect(object.names == ["s", "n", "b", "nested"])
        #expect(object["s"]?.value == .string("tab\tquote\" slash/ é 😀 é"))
        guard case .array(let numbers)? = object["n"]?.value else { Issue.record("n"); return }
        #expect(numbers.map(\.int) == [0, -12, nil, nil, nil])
        #expect(numbers.map(\.double) == [0, -12, 3.5, 1000, 1.2345678901234568e29])
        guard case .array(let literals)? = object["b"]?.value else { Issue.record("b"); return }
        #expect(literals.map(\.value) == [.bool(true), .bool(false), .null])
    }

    @Test func duplicateNamesKeepTheLastAndAreListed() throws {
        let root = try decode("{\"a\": 1,\n \"b\": 2,\n \"a\": 3}")
        guard case .object(let object) = root.value else { Issue.record("not an object"); return }
        #expect(object["a"]?.int == 3)
        #expect(object.effectiveMembers.map(\.name) == ["b", "a"])
        #expect(object.duplicates.map(\.name) == ["a"])
        #expect(object.duplicates.first?.at == SourceLocation(file: "d.json", line: 3, column: 2))
    }

    @Test func locationsOfNamesAndValues() throws {
        let root = try decode("// c\n{\n  /* é */ \"héllo\":\r\n    [1,\n  \"😀x\", \"z\"]\n}")
        #expect(root.location == SourceLocation(file: "d.json", line: 2, column: 1))
        guard case .object(let object) = root.value, let member = object["héllo"] else { Issue.record("shape"); return }
        #expect(member.keyLocation == SourceLocation(file: "d.json", line: 3, column: 11))
        #expect(member.location == SourceLocation(file: "d.json", line: 4, column: 5))
        guard case .array(let elements) = member.value else { Issue.record("array"); return }
        #expect(elements.map(\.location.column) == [6, 3, 9])
        #expect(elements.map(\.location.line) == [4, 5, 5])
    }

    @Test func errorsSayWhatAndWhere() {
        #expect(failure("{\n  \"image\": \"x\"\n  \"name\": \"y\"\n}") == "d.json:3:3: expected ',' or '}' after a member, found '\"'")
        #expect(failure("{\"a\": 1,,}") == "d.json:1:9: expected a member name in double quotes, found ','")
        #expect(failure("{'a': 1}") == "d.json:1:2: expected a member name in double quotes, found \"'\" (names need double quotes)")
        #expect(failure("{a: 1}") == "d.json:1:2: expected a member name in double quotes, found 'a'")
        #expect(failure("{\"a\" 1}") == "d.json:1:6: expected ':' after the member name \"a\", found '1'")
        #expect(failure("[1,\n 2") == "d.json:2:3: expected ',' or ']' after an element, found end of file (the array opened at 1:1)")
        #expect(failure("{\"a\": [1]") == "d.json:1:10: expected ',' or '}' after a member, found end of file (the object opened at 1:1)")
        #expect(failure("{\"a\": tru}") == "d.json:1:7: unknown word \"tru\": a value is a string in double quotes, a number, true, false, null, an array or an object")
        #expect(failure("[\"é\u{1}\"]") == "d.json:1:4: control character U+0001 in a string; write it as \\u0001")
        #expect(failure("[\"a\nb\"]") == "d.json:1:4: the string opened at 1:2 is not closed on its line (write a line break as \\n)")
        #expect(failure("[\"abc") == "d.json:1:2: the string opened at 1:2 is not closed")
        #expect(failure("[\"\\q\"]") == "d.json:1:3: unknown escape \\q (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        #expect(failure("[\"\\ud800x\"]") == "d.json:1:3: lone surrogate \\uD800: a high surrogate must be followed by a low one (\\uDC00-\\uDFFF)")
        #expect(failure("[\"\\udc00\"]") == "d.json:1:3: lone surrogate \\uDC00: a low surrogate must follow a high one")
        #expect(failure("[\"\\u12g4\"]") == "d.json:1:7: \\u needs four hex digits, found 'g'")
        #expect(failure("[012]") == "d.json:1:3: a JSON number has no leading zeros")
        #expect(failure("[1.]") == "d.json:1:4: expected a digit after '.', found ']'")
        #expect(failure("[1e+]") == "d.json:1:5: expected a digit in the exponent, found ']'")
        #expect(failure("[-x]") == "d.json:1:3: expected a digit after '-', found 'x'")
        #expect(failure("{} x") == "d.json:1:4: unexpected 'x' after the document's value")
        #expect(failure("/* open\n\n  ") == "d.json:3:3: the comment opened at 1:1 is not closed with */")
        #expect(failure("[1 / 2]") == "d.json:1:4: unexpected '/' (a comment starts with // or /*)")
        #expect(failure("") == "d.json:1:1: expected a value, found end of file")
        #expect(failure("  // nothing\n") == "d.json:2:1: expected a value, found end of file")
        #expect(failure("['a']") == "d.json:1:2: strings need double quotes in JSON")
        #expect(failure("[\u{A0}1]") == "d.json:1:2: expected a value, found U+00A0")
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: JSONCDecoder.maximumNestingDepth) + String(repeating: "]", count: JSONCDecoder.maximumNestingDepth)
        #expect(failure(deep) == nil)
        let deeper = "[" + deep + "]"
        #expect(failure(deeper)?.hasSuffix("arrays and objects are nested deeper than \(JSONCDecoder.maximumNestingDepth) levels") == true)
        // Far deeper than the stack could take without the bound.
        #expect(failure(String(repeating: "{\"a\":", count: 200_000)) != nil)
        #expect(failure(String(repeating: "[", count: 200_000)) != nil)
    }

    /// No input may crash the reader or make it fail other than with an error pointing into
    /// the input: random bytes and mutations of valid documents, from a fixed seed.
    @Test func fuzzOnlyDecodesOrThrows() {
        var random = SplitMix64(seed: 0x15_0C0D_E5EE_D0C5)
        let seeds = (Self.accepted + [Self.sample]).map { Array($0.utf8) }
        let tokens: [[UInt8]] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\uD83D", "\\uDE00", "//", "/*", "*/",
                                 "\n", "\r\n", "\r", " ", "\t", "-", "0", "1e", ".", "true", "null", "é", "😀", "\0", "'"]
            .map { Array($0.utf8) } + [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]]
        let count = 30_000
        var accepted = 0, rejected = 0
        var misplaced: [String] = []
        for i in 0..<count {
            var bytes: [UInt8]
            if i % 10 == 0 {
                bytes = (0..<random.below(48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = seeds[random.below(seeds.count)]
                for _ in 0...random.below(3) {
                    let at = random.below(bytes.count + 1)
                    switch random.below(5) {
                    case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << random.below(8))
                    case 1, 2: bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: at)
                    case 3: bytes.removeSubrange(at..<min(bytes.count, at + random.below(8) + 1))
                    default: bytes.removeSubrange(at...)
                    }
                }
            }
            do {
                _ = try JSONCDecoder.decode(bytes, file: "fuzz")
                accepted += 1
            } catch {
                let lines = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") || $1 == UInt8(ascii: "\r") ? 1 : 0) }
                let l = error.location
                if l.file != "fuzz" || l.line < 1 || l.line > lines || l.column < 1 || l.column > bytes.count + 1 || error.message.isEmpty {
                    if misplaced.count < 5 { misplaced.append("\(error): \(String(decoding: bytes, as: UTF8.self).debugDescription)") }
                }
                rejected += 1
            }
        }
        #expect(misplaced.isEmpty, "errors pointing outside the input: \(misplaced)")
        #expect(accepted > count / 20)
        #expect(rejected > count / 3)
    }

    static let sample = """
        // For format details, see https://example.com/devcontainer-json
        {
          "name": "Python 3",
          "build": { "dockerfile": "Dockerfile", "context": "..", "args": { "VARIANT": "3.12" }, },
          /* ports */ "forwardPorts": [8000, 5678],
          "containerEnv": { "A": "b\\u00e9" },
          "postCreateCommand": ["uv", "sync"],
        }
        """
}
