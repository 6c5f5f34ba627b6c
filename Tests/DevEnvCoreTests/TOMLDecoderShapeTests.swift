import DevEnvCore
import Testing

/// The decoder's fast paths against the general ones: tables past the size where lookups go
/// through a hash index, `[name]` headers and `name = value` lines read without the general key
/// path, plain integers read directly, and the encoding check that takes eight bytes at a time.
@Suite struct TOMLDecoderShapeTests {
    func failure(_ text: String) -> String? {
        do {
            _ = try TOMLDecoder.decode(text, file: "d.toml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func manyTablesKeepTheirOrderPlacesAndKeys() throws {
        let count = 300
        let text = (0..<count).map { "[t\($0)]\nk = \($0)\n" }.joined()
        let table = try TOMLDecoder.decode(text, file: "d.toml")
        #expect(table.keys == (0..<count).map { "t\($0)" })
        for i in [0, 1, 16, 17, 150, 299] {
            let node = try #require(table["t\(i)"])
            #expect(node.location == SourceLocation(file: "d.toml", line: 2 * i + 1, column: 1))
            #expect(node.keyLocation == SourceLocation(file: "d.toml", line: 2 * i + 1, column: 2))
            guard case .table(let sub) = node.value else {
                Issue.record("t\(i) is not a table")
                continue
            }
            #expect(sub["k"]?.value == .integer(Int64(i)))
            #expect(sub["k"]?.keyLocation == SourceLocation(file: "d.toml", line: 2 * i + 2, column: 1))
        }
        #expect(table["t300"] == nil)
    }

    @Test func manyTablesStillRejectRedefinitions() {
        let tables = (0..<40).map { "[t\($0)]\nk = 1\n" }.joined()
        #expect(failure(tables + "[t33]\n") == "d.toml:81:2: table [t33] is defined twice (first at d.toml:67:2)")
        let nested = (0..<40).map { "[p.t\($0)]\nk = 1\n" }.joined()
        #expect(failure(nested + "[p]\nt7.x = 1\n") == "d.toml:82:1: cannot add to table \"t7\" with a dotted key: it was defined by its header at d.toml:15:1")
        let keys = (0..<40).map { "k\($0) = \($0)\n" }.joined()
        #expect(failure(keys + "k39 = 2\n") == "d.toml:41:1: duplicate key \"k39\" (first defined at d.toml:40:1)")
        #expect(failure("[a]\n" + keys + "[a.k20]\n") == "d.toml:42:4: cannot define [a.k20]: \"a.k20\" is already an integer (defined at d.toml:22:1)")
    }

    /// The bench's table-heavy document (80,000 one-key tables, about 1 MiB) decoded in full:
    /// every table in order, with its key, value and places; the public lookups (which hash a
    /// string) find what the decoder indexed (hashing the document's bytes).
    @Test func eightyThousandOneKeyTablesDecodeCompletely() throws {
        let count = 80_000
        let text = (0..<count).map { "[t\($0)]\nx = \($0)\n" }.joined()
        #expect(text.utf8.count > 1_000_000)
        let table = try TOMLDecoder.decode(text, file: "big.toml")
        #expect(table.count == count)
        #expect(table.keys == (0..<count).map { "t\($0)" })
        var wrong: [String] = []
        for (index, entry) in table.entries.enumerated() {
            let line = 2 * index + 1
            guard case .table(let sub) = entry.node.value, sub.keys == ["x"], let x = sub["x"],
                  x.value == .integer(Int64(index)),
                  entry.node.location == SourceLocation(file: "big.toml", line: line, column: 1),
                  entry.node.keyLocation == SourceLocation(file: "big.toml", line: line, column: 2),
                  x.keyLocation == SourceLocation(file: "big.toml", line: line + 1, column: 1),
                  x.location == SourceLocation(file: "big.toml", line: line + 1, column: 5)
            else {
                wrong.append(entry.key)
                continue
            }
        }
        #expect(wrong.isEmpty, "tables decoded wrongly: \(wrong.prefix(5))")
        for i in [0, 9, 10, 16, 17, 4_096, 65_535, 65_536, 79_999] {
            guard case .table(let sub)? = table["t\(i)"]?.value else {
                Issue.record("t\(i) is not found as a table")
                continue
            }
            #expect(sub["x"]?.value == .integer(Int64(i)))
        }
        #expect(table["t80000"] == nil)
        #expect(table["x"] == nil)
    }

    @Test func manyTablesKeepEveryRuleWhateverTheHeaderLooksLike() throws {
        // The same names written bare (the quick path) and quoted or spaced (the general path)
        // are one and the same key, in a table large enough to be indexed.
        let tables = (0..<2_000).map { "[t\($0)]\nx = 1\n" }.joined()
        let last = 2 * 2_000
        #expect(failure(tables + "[\"t1500\"]\n") == "d.toml:\(last + 1):2: table [t1500] is defined twice (first at d.toml:3001:2)")
        #expect(failure(tables + "[ t1999 ]\n") == "d.toml:\(last + 1):3: table [t1999] is defined twice (first at d.toml:3999:2)")
        #expect(failure(tables + "[t0]\n") == "d.toml:\(last + 1):2: table [t0] is defined twice (first at d.toml:1:2)")
        #expect(failure(tables + "[t7]\ny = 2\nx = 3\n") == "d.toml:\(last + 1):2: table [t7] is defined twice (first at d.toml:15:2)")
        #expect(failure(tables + "[t7.sub]\nx = 1\n[t7]\n") == "d.toml:\(last + 3):2: table [t7] is defined twice (first at d.toml:15:2)")
        #expect(failure("[t]\nx = 1\n'x' = 2\n") == "d.toml:3:1: duplicate key \"x\" (first defined at d.toml:2:1)")
        #expect(failure("[t]\n\"x\" = 1\nx = 2\n") == "d.toml:3:1: duplicate key \"x\" (first defined at d.toml:2:1)")
        #expect(failure("[t]\nx.y = 1\nx = 2\n") == "d.toml:3:1: duplicate key \"x\" (first defined at d.toml:2:1)")
        #expect(failure("a.b = 1\n[a]\n") == "d.toml:2:2: cannot define [a]: it was already created by dotted keys at d.toml:1:1")
        #expect(failure("a = 1\n[a]\n") == "d.toml:2:2: cannot define [a]: \"a\" is already an integer (defined at d.toml:1:1)")
        #expect(failure("[[a]]\n[a]\n") == "d.toml:2:2: cannot define [a]: \"a\" is already an array of tables (defined at d.toml:1:3)")

        // A table made on the way to a deeper header may still be defined by its own, by either path.
        let defined = try TOMLDecoder.decode(tables + "[u.v]\nx = 1\n[u]\ny = 2\n[w . z]\n[\"w\"]\n", file: "d.toml")
        #expect(defined.count == 2_002)
        guard case .table(let u)? = defined["u"]?.value, case .table(let w)? = defined["w"]?.value else {
            Issue.record("u or w is not a table")
            return
        }
        #expect(u.keys == ["v", "y"])
        #expect(defined["u"]?.location == SourceLocation(file: "d.toml", line: last + 3, column: 1))
        #expect(defined["u"]?.keyLocation == SourceLocation(file: "d.toml", line: last + 3, column: 2))
        #expect(w.keys == ["z"])

        // Keys read by the quick path: short and long, ASCII only (bare keys are), beside quoted
        // ones holding other scripts; every one of them findable by the public lookup.
        let keys = try TOMLDecoder.decode("""
            a = "é"
            a_much_longer_bare_key_than_fifteen_bytes = 'x'
            "clé" = 1
            "a key longer than fifteen bytes, with ü" = 2
            z-9_ = "\\u00e9 long enough to be stored on the heap"

            """, file: "d.toml")
        #expect(keys.keys == ["a", "a_much_longer_bare_key_than_fifteen_bytes", "clé",
                              "a key longer than fifteen bytes, with ü", "z-9_"])
        #expect(keys["a"]?.value == .string("é"))
        #expect(keys["a_much_longer_bare_key_than_fifteen_bytes"]?.value == .string("x"))
        #expect(keys["clé"]?.value == .integer(1))
        #expect(keys["a key longer than fifteen bytes, with ü"]?.value == .integer(2))
        #expect(keys["z-9_"]?.value == .string("é long enough to be stored on the heap"))
    }

    @Test func largeTablesCanBeEditedAfterDecoding() throws {
        let text = (0..<50).map { "k\($0) = \($0)\n" }.joined()
        var table = try TOMLDecoder.decode(text, file: "d.toml")
        let place = SourceLocation(file: "e.toml", line: 1, column: 1)
        table["k10"] = nil
        table["new"] = TOMLNode(.boolean(true), at: place)
        table["k49"] = TOMLNode(.string("x"), at: place)
        #expect(table.count == 50)
        #expect(table["k10"] == nil)
        #expect(table["k11"]?.value == .integer(11))
        #expect(table["k49"]?.value == .string("x"))
        #expect(table["new"]?.value == .boolean(true))
        #expect(table.keys.last == "new")
        for i in 0..<10 { table["k\(i)"] = nil }
        #expect(table.count == 40)
        #expect(table["k30"]?.value == .integer(30))
        #expect(table["k5"] == nil)
    }

    @Test func plainIntegersEndWhereValuesEnd() throws {
        let rest = """
        c = [1,22, 333 ,4444]
        d = { x = 55}
        e = 999999999999999999
        f = 1000000000000000000
        g = 12 # comment
        h = 3\r
        i = 9\t
        """
        // `b = 7,` is not valid: only what the general reader would accept passes.
        #expect(failure("a = 0\nb = 7,\n" + rest) == "d.toml:2:6: expected a newline or comment after value, found ','")
        let table = try TOMLDecoder.decode("a = 0\nb = 7\n" + rest, file: "d.toml")
        #expect(table["a"]?.value == .integer(0))
        #expect(table["b"]?.value == .integer(7))
        guard case .array(let c)? = table["c"]?.value, case .table(let d)? = table["d"]?.value else {
            Issue.record("unexpected shape: \(table)")
            return
        }
        #expect(c.map(\.value) == [.integer(1), .integer(22), .integer(333), .integer(4444)])
        #expect(c[2].location == SourceLocation(file: "d.toml", line: 3, column: 12))
        #expect(d["x"]?.value == .integer(55))
        #expect(table["e"]?.value == .integer(999_999_999_999_999_999))
        #expect(table["f"]?.value == .integer(1_000_000_000_000_000_000))
        #expect(table["g"]?.value == .integer(12))
        #expect(table["h"]?.value == .integer(3))
        #expect(table["i"]?.value == .integer(9))
        #expect(failure("a = 012\n") == "d.toml:1:5: leading zeros are not allowed in a number")
        #expect(failure("a = 9223372036854775808\n") == "d.toml:1:5: integer does not fit in 64 bits")
        #expect(failure("a = 1979-05-27\nb = 1e3\nc = 07:32:00\nd = 1_0\ne = 0x10\n") == nil)
    }

    @Test func controlCharactersAmongLineFeedsAndTabs() {
        // Words of eight bytes with line feeds and tabs pass whole; anything else among them is
        // still found at its place.
        #expect(failure("a = 1\n\tb = 2\n\tc = 3\n") == nil)
        #expect(failure("a = 1\n\tb\u{01} = 2\n") == "d.toml:2:3: control character U+0001 is not allowed")
        #expect(failure("a = 1\n\u{0B}b = 2\n") == "d.toml:2:1: control character U+000B is not allowed")
        #expect(failure("a = 1\r\nb = 2\rc = 3\n") == "d.toml:2:6: carriage return must be followed by a line feed")
        #expect(failure("a\t=\t1\n\n\n\n\n\n\n\u{1F}") == "d.toml:8:1: control character U+001F is not allowed")
    }
}
