import DevEnvCore
import Testing

/// Invalid documents: each error names the place (1-based line and column, columns in Unicode
/// scalars) and what was expected there.
@Suite struct TOMLDecoderErrorTests {
    /// The error's `file:line:col: message`, or nil when the text decodes.
    func failure(_ text: String) -> String? {
        failure(Array(text.utf8))
    }

    func failure(_ bytes: [UInt8]) -> String? {
        do {
            _ = try TOMLDecoder.decode(bytes, file: "devenv.toml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func missingEqualsSign() {
        let text = "[project]\nname = \"demo\"\n\n[services.web]\nimage = \"x\"\n\n      ports [80]\n"
        #expect(failure(text) == #"devenv.toml:7:13: expected '=' after key "ports""#)
        #expect(failure("a.\"b c\" 1") == #"devenv.toml:1:9: expected '=' after key a."b c""#)
    }

    @Test func columnsCountUnicodeScalars() {
        #expect(failure("\"héllo wörld\" = 1 2") == "devenv.toml:1:19: expected a newline or comment after value, found '2'")
        #expect(failure("k = \"😀\" x") == "devenv.toml:1:9: expected a newline or comment after value, found 'x'")
    }

    @Test func missingAndBrokenValues() {
        #expect(failure("a =\n") == "devenv.toml:1:4: expected a value, found newline")
        #expect(failure("a = ") == "devenv.toml:1:5: expected a value, found end of file")
        #expect(failure("a = yes") == "devenv.toml:1:5: expected a value, found 'y'")
        #expect(failure("a = [1 2]") == "devenv.toml:1:8: expected ',' or ']' after array element, found '2'")
        #expect(failure("a = [1,\n2") == "devenv.toml:2:2: expected ']' to close the array, found end of file")
        #expect(failure("a = {b = 1,}") == "devenv.toml:1:12: trailing comma is not allowed in an inline table")
        #expect(failure("a = {b = 1\n}") == "devenv.toml:1:11: newlines are not allowed in an inline table")
        #expect(failure("= 1") == "devenv.toml:1:1: expected a key, found '='")
        #expect(failure("[a") == "devenv.toml:1:3: expected ']' after table header [a")
        #expect(failure("[[a]") == "devenv.toml:1:4: expected ']]' after array of tables header [[a")
    }

    @Test func stringErrors() {
        #expect(failure("s = \"abc\n\"") == "devenv.toml:1:9: newline in a single-line string (use \"\"\" for multi-line strings)")
        #expect(failure("s = \"abc") == "devenv.toml:1:5: unterminated string: expected '\"' before end of file")
        #expect(failure("s = '''abc''") == "devenv.toml:1:5: unterminated multi-line literal string: expected \"'''\" before end of file")
        #expect(failure(#"s = "a\qb""#) == #"devenv.toml:1:7: invalid escape sequence \q"#)
        #expect(failure("s = \"\"\"a\\ b\"\"\"") == #"devenv.toml:1:9: invalid escape sequence: '\' followed by space"#)
        #expect(failure(#"s = "\uD800""#) == #"devenv.toml:1:6: escape \uD800 is not a Unicode scalar value"#)
        #expect(failure(#"s = "\u12""#) == #"devenv.toml:1:6: expected 4 hexadecimal digits after \u"#)
        #expect(failure("s = \"\"\"a\"\"\"\"\"\"") == "devenv.toml:1:9: too many quotes in a row: at most two may stand before the closing delimiter")
        #expect(failure("\"\"\"k\"\"\" = 1") == "devenv.toml:1:1: a multi-line string cannot be a key")
    }

    @Test func numberErrors() {
        #expect(failure("n = 9223372036854775808") == "devenv.toml:1:5: integer does not fit in 64 bits")
        #expect(failure("n = 0x8000000000000000") == "devenv.toml:1:5: integer does not fit in 64 bits")
        #expect(failure("n = 012") == "devenv.toml:1:5: leading zeros are not allowed in a number")
        #expect(failure("n = 1__0") == "devenv.toml:1:7: '_' must stand between digits in a number")
        #expect(failure("n = 1_") == "devenv.toml:1:6: '_' must stand between digits in a number")
        #expect(failure("n = 1.") == "devenv.toml:1:7: expected digits in the fraction of a float, found end of file")
        #expect(failure("n = 1e") == "devenv.toml:1:7: expected digits in the exponent of a float, found end of file")
        #expect(failure("n = +0x1") == "devenv.toml:1:7: expected a newline or comment after value, found 'x'")
        #expect(failure("n = 0xg") == "devenv.toml:1:7: expected digits in an integer, found 'g'")
    }

    @Test func dateTimeErrors() {
        #expect(failure("d = 2023-02-29") == "devenv.toml:1:5: day 29 is out of range for 2023-02")
        #expect(failure("d = 2023-13-01") == "devenv.toml:1:5: month 13 is out of range 01-12")
        #expect(failure("d = 2023-01-01T24:00:00") == "devenv.toml:1:16: time is out of range")
        #expect(failure("d = 07:32") == "devenv.toml:1:10: expected ':' and seconds in time, found end of file")
        #expect(failure("d = 1979-05-27T07:32:00+25:00") == "devenv.toml:1:24: time offset is out of range")
        #expect(failure("d = 1979-05-27T07:32:00.Z") == "devenv.toml:1:25: expected digits after '.' in time, found 'Z'")
    }

    @Test func redefinitions() {
        #expect(failure("a = 1\na = 2") == #"devenv.toml:2:1: duplicate key "a" (first defined at devenv.toml:1:1)"#)
        #expect(failure("[a]\nb = 1\n[a]") == "devenv.toml:3:2: table [a] is defined twice (first at devenv.toml:1:2)")
        #expect(failure("[a.b]\n[a]\n[a]") == "devenv.toml:3:2: table [a] is defined twice (first at devenv.toml:2:2)")
        // An inline table is complete: neither headers nor dotted keys may add to it.
        #expect(failure("a = {b = 1}\n[a]") == "devenv.toml:2:2: cannot define [a]: \"a\" is already a table (defined at devenv.toml:1:1)")
        #expect(failure("a = {b = 1}\n[a.c]") == "devenv.toml:2:2: cannot define [a.c]: key \"a\" is already a table (defined at devenv.toml:1:1)")
        #expect(failure("a = {b = 1}\na.c = 2") == #"devenv.toml:2:1: key "a" is already a table (defined at devenv.toml:1:1), it cannot hold keys"#)
        #expect(failure("a = {b = 1, b = 2}") == #"devenv.toml:1:13: duplicate key "b" (first defined at devenv.toml:1:6)"#)
        // A static array cannot become an array of tables.
        #expect(failure("a = [1]\n[[a]]") == "devenv.toml:2:3: cannot define [[a]]: \"a\" is already an array (defined at devenv.toml:1:1)")
        #expect(failure("[[a]]\n[a]") == "devenv.toml:2:2: cannot define [a]: \"a\" is already an array of tables (defined at devenv.toml:1:3)")
        #expect(failure("[a]\n[[a]]") == "devenv.toml:2:3: cannot define [[a]]: \"a\" is already a table (defined at devenv.toml:1:2)")
        // Dotted keys may not reach into a table defined by a header, nor a header define a
        // table that dotted keys created.
        #expect(failure("[a.b]\nc = 1\n[a]\nb.d = 2") == "devenv.toml:4:1: cannot add to table \"b\" with a dotted key: it was defined by its header at devenv.toml:1:1")
        #expect(failure("a.b = 1\n[a]") == "devenv.toml:2:2: cannot define [a]: it was already created by dotted keys at devenv.toml:1:1")
        #expect(failure("a = 1\na.b = 2") == #"devenv.toml:2:1: key "a" is already an integer (defined at devenv.toml:1:1), it cannot hold keys"#)
        #expect(failure("a = 1\n[a.b]") == "devenv.toml:2:2: cannot define [a.b]: key \"a\" is already an integer (defined at devenv.toml:1:1)")
    }

    @Test func thingsTheRulesAllow() {
        // Sub-tables below dotted keys, implicit tables defined later, extending arrays of tables.
        #expect(failure("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true") == nil)
        #expect(failure("[a.b.c]\n[a]\nd = 1") == nil)
        #expect(failure("[[a]]\n[a.b]\n[[a]]\n[a.b]") == nil)
        #expect(failure("[[a.b]]\n[a]\nc = 1") == nil)
    }

    @Test func encodingErrors() {
        #expect(failure([0x61, 0x20, 0x3D, 0x20, 0x22, 0xC3, 0x28, 0x22]) == "devenv.toml:1:6: invalid UTF-8 byte 0xC3")
        #expect(failure([0x61, 0x3D, 0x22, 0xED, 0xA0, 0x80, 0x22]) == "devenv.toml:1:4: invalid UTF-8 byte 0xED")
        #expect(failure([0x61, 0x3D, 0x22, 0xC0, 0xAF, 0x22]) == "devenv.toml:1:4: invalid UTF-8 byte 0xC0")
        #expect(failure("a = 1 # bell \u{07}") == "devenv.toml:1:14: control character U+0007 is not allowed")
        #expect(failure("a = \"\u{7F}\"") == "devenv.toml:1:6: control character U+007F is not allowed")
        #expect(failure("a = 1\rb = 2") == "devenv.toml:1:6: carriage return must be followed by a line feed")
        #expect(failure("a = \"x\0\"") == "devenv.toml:1:7: control character U+0000 is not allowed")
        #expect(failure([0xEF, 0xBB, 0xBF, 0x61, 0x3D, 0x01]) == "devenv.toml:1:3: control character U+0001 is not allowed")
        #expect(failure("\u{FEFF}a = 1 2") == "devenv.toml:1:7: expected a newline or comment after value, found '2'")
    }

    /// The encoding check reads eight bytes at a time: a bad byte must be caught at any offset.
    @Test func badBytesAreFoundAtEveryOffset() {
        let line = Array("# a comment, long enough to span several words".utf8)
        for bad: [UInt8] in [[0x00], [0x01], [0x1F], [0x7F], [0x0D], [0x80], [0xC3], [0xFF]] {
            for offset in 1..<line.count {
                var bytes = line
                bytes.replaceSubrange(offset..<(offset + 1), with: bad)
                let message = failure(bytes)
                #expect(message?.hasPrefix("devenv.toml:1:\(offset + 1): ") == true, "\(bad) at \(offset): \(message ?? "accepted")")
            }
        }
    }

    @Test func nestingIsBounded() {
        let limit = TOMLDecoder.maximumNestingDepth
        #expect(failure("a = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)) == nil)
        #expect(failure("a = " + String(repeating: "[", count: 100_000))
            == "devenv.toml:1:\(5 + limit - 1): array nested deeper than \(limit) levels")
        // Each inline table and each key in it is one level: 50 tables of `{b = ` reach 101.
        #expect(failure("a = " + String(repeating: "{b = ", count: 49) + "1" + String(repeating: "}", count: 49)) == nil)
        #expect(failure("a = " + String(repeating: "{b = ", count: 100_000))
            == "devenv.toml:1:251: key nested deeper than \(limit) levels")
        #expect(failure("a = [" + String(repeating: "{b = [", count: 100_000))?.hasSuffix("nested deeper than \(limit) levels") == true)
        let dotted = failure(Array(repeating: "a", count: 100_000).joined(separator: ".") + " = 1")
        #expect(dotted == "devenv.toml:1:\(2 * limit + 1): key nested deeper than \(limit) levels")
        let header = failure("[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]")
        #expect(header == "devenv.toml:1:\(2 * limit + 2): key nested deeper than \(limit) levels")
        // Depth adds up across headers, dotted keys and values.
        let deepHeader = Array(repeating: "a", count: limit - 1).joined(separator: ".")
        #expect(failure("[\(deepHeader)]\nb = 1") == nil)
        #expect(failure("[\(deepHeader)]\nb.c = 1")?.hasSuffix("key nested deeper than \(limit) levels") == true)
        #expect(failure("[\(deepHeader)]\nb = [1]")?.hasSuffix("array nested deeper than \(limit) levels") == true)
        #expect(failure(String(repeating: "[", count: 100_000)) == "devenv.toml:1:3: expected a key, found '['")
    }
}
