import DevEnvCore
import Testing

/// Representative values of every TOML 1.0 type, and where the decoder says they stood.
@Suite struct TOMLDecoderValueTests {
    func decode(_ text: String) throws -> TOMLTable {
        try TOMLDecoder.decode(text, file: "t.toml")
    }

    func value(_ text: String, _ key: String = "v") throws -> TOMLValue? {
        try decode(text)[key]?.value
    }

    @Test func basicStringEscapes() throws {
        #expect(try value(#"v = "a\tb\n\"q\" \\ \u00E9 \U0001F600 \b\f\r""#)
            == .string("a\tb\n\"q\" \\ é 😀 \u{08}\u{0C}\r"))
        #expect(try value(#"v = """#) == .string(""))
    }

    @Test func multiLineBasicString() throws {
        // The first newline is dropped; a line-ending backslash eats whitespace and newlines.
        let text = "v = \"\"\"\none \\\n    two\r\nthree\"\"\"\"\""
        #expect(try value(text) == .string("one two\nthree\"\""))
    }

    @Test func literalStrings() throws {
        #expect(try value(#"v = 'C:\Users\nodejs'"#) == .string(#"C:\Users\nodejs"#))
        #expect(try value("v = '''\nI [dw]on't need \\d{2} apples'''") == .string("I [dw]on't need \\d{2} apples"))
        #expect(try value("v = ''''That,' she said, 'is it.''''") == .string("'That,' she said, 'is it.'"))
    }

    @Test func integers() throws {
        #expect(try value("v = +99") == .integer(99))
        #expect(try value("v = -17") == .integer(-17))
        #expect(try value("v = 1_000_000") == .integer(1_000_000))
        #expect(try value("v = 0xDEAD_beef") == .integer(0xDEAD_BEEF))
        #expect(try value("v = 0o755") == .integer(0o755))
        #expect(try value("v = 0b1101_0110") == .integer(0b1101_0110))
        #expect(try value("v = 9223372036854775807") == .integer(Int64.max))
        #expect(try value("v = -9223372036854775808") == .integer(Int64.min))
        #expect(try value("v = 0x7FFFFFFFFFFFFFFF") == .integer(Int64.max))
    }

    @Test func floats() throws {
        #expect(try value("v = 3.1415") == .float(3.1415))
        #expect(try value("v = -0.01") == .float(-0.01))
        #expect(try value("v = 5e+22") == .float(5e22))
        #expect(try value("v = 1E06") == .float(1e6))
        #expect(try value("v = -2E-2") == .float(-2e-2))
        #expect(try value("v = 6.626e-34") == .float(6.626e-34))
        #expect(try value("v = 224_617.445_991") == .float(224_617.445_991))
        #expect(try value("v = -inf") == .float(-.infinity))
        #expect(try value("v = +inf") == .float(.infinity))
        guard case .float(let nan)? = try value("v = -nan") else {
            Issue.record("nan is not a float")
            return
        }
        #expect(nan.isNaN)
        guard case .float(let zero)? = try value("v = -0.0") else {
            Issue.record("-0.0 is not a float")
            return
        }
        #expect(zero == 0 && zero.sign == .minus)
    }

    @Test func booleans() throws {
        #expect(try value("v = true") == .boolean(true))
        #expect(try value("v = false") == .boolean(false))
    }

    @Test func datesAndTimes() throws {
        let date = TOMLDate(year: 1979, month: 5, day: 27)
        #expect(try value("v = 1979-05-27T07:32:00Z")
            == .offsetDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: 0))
        #expect(try value("v = 1979-05-27 00:32:00.999999-07:00")
            == .offsetDateTime(date, TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 999_999_000), offsetMinutes: -420))
        #expect(try value("v = 1979-05-27t07:32:00+05:30")
            == .offsetDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: 330))
        #expect(try value("v = 1979-05-27T07:32:00") == .localDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0)))
        #expect(try value("v = 1979-05-27") == .localDate(date))
        #expect(try value("v = 2024-02-29 # leap day") == .localDate(TOMLDate(year: 2024, month: 2, day: 29)))
        #expect(try value("v = 00:32:00.1234567891") == .localTime(TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 123_456_789)))
        #expect("\(TOMLTime(hour: 7, minute: 5, second: 9, nanosecond: 120_000_000))" == "07:05:09.12")
        #expect("\(TOMLDate(year: 987, month: 1, day: 2))" == "0987-01-02")
        #expect(TOMLValue.offsetDescription(minutes: -420) == "-07:00")
    }

    @Test func arraysMayMixTypesAndSpanLines() throws {
        let array = try value("v = [\n  1, # one\n  \"two\",\n  [3.0],\n  { four = 4 },\n]")
        guard case .array(let items)? = array else {
            Issue.record("not an array: \(String(describing: array))")
            return
        }
        #expect(items.map(\.value.typeDescription) == ["an integer", "a string", "an array", "a table"])
        #expect(items[1].location == SourceLocation(file: "t.toml", line: 3, column: 3))
        #expect(items[1].keyLocation == nil)
    }

    @Test func inlineTablesAndDottedKeys() throws {
        let table = try decode(#"point = { x = 1, y.z = 2, "q k" = 'v' }"#)
        guard case .table(let point)? = table["point"]?.value, case .table(let y)? = point["y"]?.value else {
            Issue.record("point is not a table with a table y")
            return
        }
        #expect(point.keys == ["x", "y", "q k"])
        #expect(y["z"]?.value == .integer(2))
        #expect(point["q k"]?.value == .string("v"))
    }

    @Test func tablesArraysOfTablesAndKeyOrder() throws {
        let text = """
        title = "t"
        [server]
        host = "h"
        [server.tls]
        on = true
        [[fruit]]
        name = "apple"
        [fruit.physical]
        color = "red"
        [[fruit]]
        name = "banana"
        [a.b.c]
        d = 1
        [a]
        e = 2
        """
        let table = try decode(text)
        #expect(table.keys == ["title", "server", "fruit", "a"])
        guard case .array(let fruit)? = table["fruit"]?.value, fruit.count == 2,
              case .table(let apple) = fruit[0].value, case .table(let banana) = fruit[1].value,
              case .table(let a)? = table["a"]?.value else {
            Issue.record("unexpected shape: \(table)")
            return
        }
        #expect(apple["name"]?.value == .string("apple"))
        #expect(apple.keys == ["name", "physical"])
        #expect(banana.keys == ["name"])
        #expect(a.keys == ["b", "e"])
    }

    @Test func locationsOfKeysAndValues() throws {
        let ok = try decode("# c\n  ports = [80]\n[tool]\n\"ké\" = \"é\"\n")
        let ports = try #require(ok["ports"])
        #expect(ports.keyLocation == SourceLocation(file: "t.toml", line: 2, column: 3))
        #expect(ports.location == SourceLocation(file: "t.toml", line: 2, column: 11))
        let tool = try #require(ok["tool"])
        #expect(tool.location == SourceLocation(file: "t.toml", line: 3, column: 1))
        #expect(tool.keyLocation == SourceLocation(file: "t.toml", line: 3, column: 2))
        guard case .table(let inner) = tool.value else {
            Issue.record("tool is not a table")
            return
        }
        // Columns count Unicode scalars, not bytes.
        #expect(inner["ké"]?.location == SourceLocation(file: "t.toml", line: 4, column: 8))
    }

    @Test func crlfBomAndEmptyDocuments() throws {
        #expect(try decode("").isEmpty)
        #expect(try decode("\u{FEFF}a = 1\r\nb = 2\r\n").keys == ["a", "b"])
        #expect(try decode("\r\n# only a comment\r\n\t \n").isEmpty)
        #expect(try TOMLDecoder.decode([0xEF, 0xBB, 0xBF], file: "t.toml").isEmpty)
    }

    @Test func tableMutationKeepsOrder() {
        var table = TOMLTable()
        let here = SourceLocation(file: "t.toml", line: 1, column: 1)
        for i in 0..<20 { table["k\(i)"] = TOMLNode(.integer(Int64(i)), at: here) }
        table["k3"] = nil
        table["k5"] = TOMLNode(.boolean(true), at: here)
        #expect(table.count == 19)
        #expect(table.keys.prefix(4) == ["k0", "k1", "k2", "k4"])
        #expect(table["k5"]?.value == .boolean(true))
        #expect(table["k19"]?.value == .integer(19))
        #expect(table["k3"] == nil)
        #expect(table.entries.map(\.key) == table.keys)
    }

    @Test func nodesKeepBothPlacesEvenAcrossFiles() {
        let value = SourceLocation(file: "a.toml", line: 3, column: 9)
        let key = SourceLocation(file: "b.toml", line: 2, column: 1)
        var node = TOMLNode(.integer(1), at: value, keyLocation: key)
        #expect(node.location == value)
        #expect(node.keyLocation == key)
        node.location = SourceLocation(file: "b.toml", line: 7, column: 2)
        #expect(node.keyLocation == key)
        node.keyLocation = nil
        #expect(node.keyLocation == nil)
        #expect(node.location == SourceLocation(file: "b.toml", line: 7, column: 2))
        #expect(node != TOMLNode(.integer(1), at: node.location, keyLocation: key))
        #expect(node == TOMLNode(.integer(1), at: node.location))
    }
}
