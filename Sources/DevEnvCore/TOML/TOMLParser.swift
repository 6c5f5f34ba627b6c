/// The TOML 1.0.0 reader behind `TOMLDecoder`: one pass over UTF-8 bytes (no `Character`
/// indexing, for speed), after a first pass that validates the encoding and rejects control
/// characters, which TOML forbids everywhere except tab and the line endings.
struct TOMLParser {
    private let bytes: [UInt8]
    private let file: String
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    /// The last column computed on the current line, so that many values on one long line do
    /// not make column counting quadratic.
    private var columnCacheOffset = 0
    private var columnCacheColumn = 1
    /// Reused buffer for strings with escapes.
    private var scratch: [UInt8] = []
    /// The segments of the key being read (see `parseKeyPath`).
    private var keyPath: [KeySegment] = []
    /// The tables being read, named by position (the root is 0).
    private var pending: TOMLPendingTables
    private let maxDepth = TOMLDecoder.maximumNestingDepth

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        pending = TOMLPendingTables(file: file)
    }

    // MARK: Document

    mutating func parseDocument() throws(DecodeError) -> TOMLTable {
        try validateEncoding()
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            pos = 3
            lineStart = 3
        }
        let rootLocation = SourceLocation(file: file, line: 1, column: 1)
        let root = pending.newTable(origin: .header, depth: 0, location: rootLocation, keyLocation: nil)
        var current = root
        while true {
            skipWhitespace()
            guard pos < bytes.count else { break }
            switch bytes[pos] {
            case UInt8(ascii: "#"):
                skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
            case UInt8(ascii: "["):
                current = try parseHeader(root: root)
                try expectLineEnd(after: "table header")
            default:
                try parseKeyValue(into: current)
                try expectLineEnd(after: "value")
            }
        }
        return pending.finish(root)
    }

    // MARK: Locations and errors

    private mutating func location(at offset: Int) -> SourceLocation {
        let (line, column) = position(at: offset)
        return SourceLocation(file: file, line: line, column: column)
    }

    /// The line and column of `offset`, without the file name: keys and values keep these and
    /// make a `SourceLocation` only when one is needed (copying the file name costs reference
    /// counting).
    private mutating func position(at offset: Int) -> (line: Int, column: Int) {
        // Headers and keys mostly start their line.
        if offset == lineStart { return (line, 1) }
        guard offset >= lineStart else {
            let location = locationByScanning(offset)
            return (location.line, location.column)
        }
        var from = lineStart
        var column = 1
        if columnCacheOffset >= lineStart, columnCacheOffset <= offset {
            from = columnCacheOffset
            column = columnCacheColumn
        }
        let end = min(offset, bytes.count)
        var i = from
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        columnCacheOffset = end
        columnCacheColumn = column
        return (line, column)
    }

    /// For places off the current line (only ever needed for errors).
    private func locationByScanning(_ offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        // A byte order mark takes no column.
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) && offset >= 3 ? 3 : 0
        let end = min(offset, bytes.count)
        while i < end {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private mutating func error(_ message: String, at offset: Int) -> DecodeError {
        DecodeError(message, at: location(at: offset))
    }

    /// `'x'`, `end of file`, `newline`: what was found instead of what was expected.
    private func found(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let b = bytes[offset]
        switch b {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "newline"
        case UInt8(ascii: "'"): return "\"'\""
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(b)))'"
        case UInt8(ascii: " "): return "space"
        case UInt8(ascii: "\t"): return "tab"
        default:
            var i = offset + 1
            while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
            return "'\(String(decoding: bytes[offset..<i], as: UTF8.self))'"
        }
    }

    // MARK: Encoding

    /// UTF-8 as the Unicode standard's table 3-7 allows it (no overlongs, no surrogates), and no
    /// control characters other than tab, LF and CR before LF.
    private func validateEncoding() throws(DecodeError) {
        let problem: (offset: Int, message: String)? = bytes.withUnsafeBufferPointer { buffer in
            let n = buffer.count
            var i = 0
            let raw = UnsafeRawBufferPointer(buffer)
            while i < n {
                // Eight printable ASCII bytes at a time (no high bit, nothing below 0x20, no 0x7F).
                if i + 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let high: UInt64 = 0x8080_8080_8080_8080
                    let below20 = (w &- 0x2020_2020_2020_2020) & ~w & high
                    let x = w ^ 0x7F7F_7F7F_7F7F_7F7F
                    let del = (x &- 0x0101_0101_0101_0101) & ~x & high
                    if (w & high) | below20 | del == 0 {
                        i += 8
                        continue
                    }
                    // Short lines put a line feed in most words: control bytes that are all line
                    // feeds or tabs pass too. These masks are exact per byte (no carries between
                    // bytes, as no byte has its high bit set here).
                    if (w & high) | del == 0 {
                        let low = w & 0x7F7F_7F7F_7F7F_7F7F
                        let control = ~(low &+ 0x6060_6060_6060_6060) & high
                        let lf = w ^ 0x0A0A_0A0A_0A0A_0A0A
                        let isLF = ~((lf & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F | lf) & high
                        let tab = w ^ 0x0909_0909_0909_0909
                        let isTab = ~((tab & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F | tab) & high
                        if control & ~(isLF | isTab) == 0 {
                            i += 8
                            continue
                        }
                    }
                }
                let b = buffer[i]
                if b < 0x80 {
                    if b >= 0x20 && b != 0x7F || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") {
                        i += 1
                        continue
                    }
                    if b == UInt8(ascii: "\r") {
                        if i + 1 < n, buffer[i + 1] == UInt8(ascii: "\n") {
                            i += 2
                            continue
                        }
                        return (i, "carriage return must be followed by a line feed")
                    }
                    let hex = String(b, radix: 16, uppercase: true)
                    return (i, "control character U+\(hex.count < 2 ? "000" : "00")\(hex) is not allowed")
                }
                var length = 0
                var low: UInt8 = 0x80
                var high: UInt8 = 0xBF
                switch b {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xE1...0xEC, 0xEE, 0xEF: length = 3
                case 0xED: length = 3; high = 0x9F
                case 0xF0: length = 4; low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; high = 0x8F
                default: length = 0
                }
                var valid = length > 0 && i + length <= n
                if valid {
                    let second = buffer[i + 1]
                    valid = second >= low && second <= high
                    var k = 2
                    while valid, k < length {
                        valid = buffer[i + k] & 0xC0 == 0x80
                        k += 1
                    }
                }
                if !valid {
                    return (i, "invalid UTF-8 byte 0x\(String(b, radix: 16, uppercase: true))")
                }
                i += length
            }
            return nil
        }
        if let problem {
            throw DecodeError(problem.message, at: locationByScanning(problem.offset))
        }
    }

    // MARK: Whitespace, comments, line ends

    private mutating func skipWhitespace() {
        while pos < bytes.count, bytes[pos] == UInt8(ascii: " ") || bytes[pos] == UInt8(ascii: "\t") {
            pos += 1
        }
    }

    /// Skips `#...` up to, not including, the line end (control characters were rejected up front).
    private mutating func skipComment() {
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n"), bytes[pos] != UInt8(ascii: "\r") {
            pos += 1
        }
    }

    private mutating func consumeNewline() throws(DecodeError) {
        if bytes[pos] == UInt8(ascii: "\r") {
            guard pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "\n") else {
                throw error("carriage return must be followed by a line feed", at: pos)
            }
            pos += 1
        }
        pos += 1
        line += 1
        lineStart = pos
    }

    private func atNewline() -> Bool {
        pos < bytes.count && (bytes[pos] == UInt8(ascii: "\n") || bytes[pos] == UInt8(ascii: "\r"))
    }

    /// After a key/value pair or a header only a comment may follow on the same line.
    private mutating func expectLineEnd(after what: String) throws(DecodeError) {
        // Most lines end right after their value or header: one compare instead of the checks
        // below (a table-heavy document ends two lines per table).
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "\n") {
            pos += 1
            line += 1
            lineStart = pos
            return
        }
        skipWhitespace()
        guard pos < bytes.count else { return }
        if bytes[pos] == UInt8(ascii: "#") { skipComment() }
        guard pos < bytes.count else { return }
        if atNewline() { return try consumeNewline() }
        throw error("expected a newline or comment after \(what), found \(found(at: pos))", at: pos)
    }

    /// Inside arrays: whitespace, newlines and comments in any number.
    private mutating func skipBlank() throws(DecodeError) {
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): pos += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            case UInt8(ascii: "#"): skipComment()
            default: return
            }
        }
    }

    // MARK: Keys

    private struct KeySegment {
        var name: String
        var offset: Int
        var line: Int
        var column: Int
    }

    /// Where a key segment was written.
    private func place(_ segment: KeySegment) -> SourceLocation {
        SourceLocation(file: file, line: segment.line, column: segment.column)
    }

    private static func isBareKeyByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// `a.b."c d".'e'`, with whitespace allowed around the dots.
    /// Fills `keyPath` (a reused buffer: no allocation per key).
    private mutating func parseKeyPath(startingDepth: Int) throws(DecodeError) {
        // One segment at a time: `removeAll(keepingCapacity:)` goes through a generic, slower path.
        while !keyPath.isEmpty { keyPath.removeLast() }
        while true {
            skipWhitespace()
            let start = pos
            let name: String
            guard pos < bytes.count else { throw error("expected a key, found end of file", at: pos) }
            switch bytes[pos] {
            case UInt8(ascii: "\""):
                if pos + 2 < bytes.count, bytes[pos + 1] == UInt8(ascii: "\""), bytes[pos + 2] == UInt8(ascii: "\"") {
                    throw error("a multi-line string cannot be a key", at: pos)
                }
                name = try parseBasicString()
            case UInt8(ascii: "'"):
                if pos + 2 < bytes.count, bytes[pos + 1] == UInt8(ascii: "'"), bytes[pos + 2] == UInt8(ascii: "'") {
                    throw error("a multi-line string cannot be a key", at: pos)
                }
                name = try parseLiteralString()
            default:
                while pos < bytes.count, Self.isBareKeyByte(bytes[pos]) { pos += 1 }
                guard pos > start else {
                    throw error("expected a key, found \(found(at: pos))", at: pos)
                }
                name = decoded(start, pos)
            }
            let (line, column) = position(at: start)
            keyPath.append(KeySegment(name: name, offset: start, line: line, column: column))
            if startingDepth + keyPath.count > maxDepth {
                throw error("key nested deeper than \(maxDepth) levels", at: start)
            }
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ".") else { return }
            pos += 1
        }
    }

    /// How a key is written in messages: `ports`, `tool.devenv`, `"a b".c`.
    private static func display(_ segments: some Collection<KeySegment>) -> String {
        segments.map { segment in
            let bare = !segment.name.isEmpty && segment.name.utf8.allSatisfy(isBareKeyByte)
            if bare { return segment.name }
            var quoted = "\""
            for scalar in segment.name.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case "\n": quoted += "\\n"
                case "\t": quoted += "\\t"
                default: quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }

    /// A key as messages name it: `"ports"`, `"tool.devenv"`; keys that need quoting in TOML
    /// are shown in their TOML form: `"a b".c`.
    private static func quoted(_ segments: some Collection<KeySegment>) -> String {
        let text = display(segments)
        return text.contains("\"") ? text : "\"" + text + "\""
    }

    // MARK: Tables

    /// `[a.b]` or `[[a.b]]`; returns the table that the following keys go into.
    private mutating func parseHeader(root: Int) throws(DecodeError) -> Int {
        if let table = parseNewBareHeader(root: root) { return table }
        let headerStart = pos
        let headerLocation = location(at: pos)
        pos += 1
        let isArray = pos < bytes.count && bytes[pos] == UInt8(ascii: "[")
        if isArray { pos += 1 }
        try parseKeyPath(startingDepth: 0)
        let path = keyPath
        let closing = isArray ? "]]" : "]"
        if isArray {
            guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "]"), bytes[pos + 1] == UInt8(ascii: "]") else {
                throw error("expected ']]' after array of tables header [[\(Self.display(path))", at: pos)
            }
            pos += 2
        } else {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "]") else {
                throw error("expected ']' after table header [\(Self.display(path))", at: pos)
            }
            pos += 1
        }
        var name: String { (isArray ? "[[" : "[") + Self.display(path) + closing }

        var table = root
        for (index, segment) in path.dropLast().enumerated() {
            let found = pending.lookup(segment.name, in: table)
            if let entry = found.entry {
                switch entry {
                case .table(let sub):
                    table = sub
                case .tableArray(let array):
                    table = pending.arrays[array].tables[pending.arrays[array].tables.count - 1]
                case .value(let node):
                    let prefix = Self.quoted(path[...index])
                    throw DecodeError("cannot define \(name): key \(prefix) is already \(node.value.typeDescription) (defined at \(node.keyLocation ?? node.location))",
                                          at: place(segment))
                }
            } else {
                let sub = pending.newTable(origin: .implicit, depth: pending.depth(of: table) + 1,
                                           location: place(segment), keyLocation: place(segment))
                pending.tables[table].add(segment.name, .table(sub), tag: found.tag)
                table = sub
            }
        }
        guard let last = path.last else { throw error("expected a key in table header", at: headerStart) }
        let (existing, tag) = pending.lookup(last.name, in: table)
        if isArray {
            switch existing {
            case nil:
                let element = pending.newTable(origin: .header, depth: pending.depth(of: table) + 1,
                                               location: headerLocation, keyLocation: place(last))
                let array = pending.newArray(first: element, location: headerLocation, keyLocation: place(last))
                pending.tables[table].add(last.name, .tableArray(array), tag: tag)
                return element
            case .tableArray(let array):
                let element = pending.newTable(origin: .header, depth: pending.depth(of: table) + 1,
                                               location: headerLocation, keyLocation: place(last))
                pending.arrays[array].tables.append(element)
                return element
            case .table(let sub):
                throw DecodeError("cannot define \(name): \(Self.quoted(path)) is already a table (defined at \(pending.definedAt(sub)))",
                                      at: place(last))
            case .value(let node):
                throw DecodeError("cannot define \(name): \(Self.quoted(path)) is already \(node.value.typeDescription) (defined at \(node.keyLocation ?? node.location))",
                                      at: place(last))
            }
        }
        switch existing {
        case nil:
            let sub = pending.newTable(origin: .header, depth: pending.depth(of: table) + 1,
                                       location: headerLocation, keyLocation: place(last))
            pending.tables[table].add(last.name, .table(sub), tag: tag)
            return sub
        case .table(let sub):
            switch pending.origin(of: sub) {
            case .implicit:
                pending.tables[sub].define(at: headerLocation, keyLocation: place(last))
                return sub
            case .header:
                throw DecodeError("table \(name) is defined twice (first at \(pending.definedAt(sub)))",
                                      at: place(last))
            case .dotted:
                throw DecodeError("cannot define \(name): it was already created by dotted keys at \(pending.definedAt(sub))",
                                      at: place(last))
            }
        case .tableArray(let array):
            let array = pending.arrays[array]
            throw DecodeError("cannot define \(name): \(Self.quoted(path)) is already an array of tables (defined at \(array.keyLocation ?? array.location))",
                                  at: place(last))
        case .value(let node):
            throw DecodeError("cannot define \(name): \(Self.quoted(path)) is already \(node.value.typeDescription) (defined at \(node.keyLocation ?? node.location))",
                                  at: place(last))
        }
    }

    /// `[name]`, a bare name and nothing else inside, naming a table not seen before: the shape
    /// of nearly every header, read here without the general key path (which gathers segments
    /// into `keyPath` and resolves them one by one: about as costly as the rest of such a line,
    /// and table-heavy documents are mostly headers).
    /// Returns nil, having read nothing, for any other shape or an existing name; `parseHeader`
    /// then reads the header again in full and reports what is wrong with it.
    private mutating func parseNewBareHeader(root: Int) -> Int? {
        let open = pos
        let end = bytes.count
        var close = open + 1
        while close < end, Self.isBareKeyByte(bytes[close]) { close += 1 }
        guard close > open + 1, close < end, bytes[close] == UInt8(ascii: "]") else { return nil }
        let name = decoded(open + 1, close)
        let found = findBareKey(name, open + 1, close, in: root)
        guard found.position == nil else { return nil }
        let header = position(at: open)
        pos = close + 1
        // The name starts right after the bracket, on the same line: one column on.
        let sub = pending.newTable(origin: .header, depth: 1, line: header.line, column: header.column,
                                   keyLine: header.line, keyColumn: header.column + 1)
        pending.tables[root].add(name, .table(sub), tag: found.tag)
        return sub
    }

    /// `name = value`, a bare name not yet in `table`: the shape of nearly every key/value line,
    /// read here without the general key path, as `parseNewBareHeader`. Returns false, having
    /// read nothing, for any other shape or an existing name; `parseKeyValue` then reads the line
    /// in full and reports what is wrong with it. Errors in the value are the value's own and
    /// are thrown from here as the general path would.
    private mutating func parseNewBareKeyValue(into table: Int) throws(DecodeError) -> Bool {
        let start = pos
        let end = bytes.count
        var nameEnd = start
        while nameEnd < end, Self.isBareKeyByte(bytes[nameEnd]) { nameEnd += 1 }
        var equals = nameEnd
        while equals < end, bytes[equals] == UInt8(ascii: " ") || bytes[equals] == UInt8(ascii: "\t") { equals += 1 }
        guard nameEnd > start, equals < end, bytes[equals] == UInt8(ascii: "=") else { return false }
        let depth = pending.depth(of: table) + 1
        guard depth <= maxDepth else { return false }
        let name = decoded(start, nameEnd)
        let found = findBareKey(name, start, nameEnd, in: table)
        guard found.position == nil else { return false }
        let key = position(at: start)
        pos = equals + 1
        skipWhitespace()
        var node = try parseValue(depth: depth)
        node.setKeyLocation(line: key.line, column: key.column)
        pending.tables[table].add(name, consume node, tag: found.tag)
        return true
    }

    /// `key = value` into `table`, creating the tables of a dotted key on the way. The key is
    /// resolved before the value is read, so that `keyPath` is free again for inline tables.
    private mutating func parseKeyValue(into table: Int) throws(DecodeError) {
        if try parseNewBareKeyValue(into: table) { return }
        try parseKeyPath(startingDepth: pending.depth(of: table))
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "=") else {
            throw error("expected '=' after key \(Self.quoted(keyPath))", at: pos)
        }
        pos += 1
        skipWhitespace()

        var target = table
        for index in 0..<(keyPath.count - 1) {
            let segment = keyPath[index]
            let found = pending.lookup(segment.name, in: target)
            if let entry = found.entry {
                switch entry {
                case .table(let sub) where pending.origin(of: sub) != .header:
                    pending.tables[sub].origin = .dotted
                    target = sub
                case .table(let sub):
                    throw DecodeError("cannot add to table \(Self.quoted(keyPath[...index])) with a dotted key: it was defined by its header at \(pending.location(of: sub))",
                                          at: place(segment))
                case .tableArray(let array):
                    let array = pending.arrays[array]
                    throw DecodeError("cannot add to array of tables \(Self.quoted(keyPath[...index])) with a dotted key (defined at \(array.location))",
                                          at: place(segment))
                case .value(let node):
                    throw DecodeError("key \(Self.quoted(keyPath[...index])) is already \(node.value.typeDescription) (defined at \(node.keyLocation ?? node.location)), it cannot hold keys",
                                          at: place(segment))
                }
            } else {
                let sub = pending.newTable(origin: .dotted, depth: pending.depth(of: target) + 1,
                                           location: place(segment), keyLocation: place(segment))
                pending.tables[target].add(segment.name, .table(sub), tag: found.tag)
                target = sub
            }
        }
        let last = keyPath[keyPath.count - 1]
        let (existing, tag) = pending.lookup(last.name, in: target)
        if let existing {
            let previous: SourceLocation
            switch existing {
            case .value(let node): previous = node.keyLocation ?? node.location
            case .table(let sub): previous = pending.definedAt(sub)
            case .tableArray(let array): previous = pending.arrays[array].keyLocation ?? pending.arrays[array].location
            }
            throw DecodeError("duplicate key \(Self.quoted(keyPath)) (first defined at \(previous))", at: place(last))
        }
        var node = try parseValue(depth: pending.depth(of: target) + 1)
        // `node.keyLocation = place(last)`, without making the location: both are in this file.
        node.setKeyLocation(line: last.line, column: last.column)
        pending.tables[target].add(last.name, node, tag: tag)
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(DecodeError) -> TOMLNode {
        let start = pos
        let here = position(at: start)
        guard pos < bytes.count else { throw error("expected a value, found end of file", at: pos) }
        let value: TOMLValue
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            if pos + 2 < bytes.count, bytes[pos + 1] == UInt8(ascii: "\""), bytes[pos + 2] == UInt8(ascii: "\"") {
                value = .string(try parseMultilineBasicString())
            } else {
                value = .string(try parseBasicString())
            }
        case UInt8(ascii: "'"):
            if pos + 2 < bytes.count, bytes[pos + 1] == UInt8(ascii: "'"), bytes[pos + 2] == UInt8(ascii: "'") {
                value = .string(try parseMultilineLiteralString())
            } else {
                value = .string(try parseLiteralString())
            }
        case UInt8(ascii: "t"):
            try expectWord("true")
            value = .boolean(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            value = .boolean(false)
        case UInt8(ascii: "["):
            value = try parseArray(depth: depth + 1)
        case UInt8(ascii: "{"):
            value = try parseInlineTable(depth: depth + 1)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "i"), UInt8(ascii: "n"):
            value = try parseNumberOrDateTime()
        default:
            throw error("expected a value, found \(found(at: pos))", at: pos)
        }
        return TOMLNode(value, file: file, line: here.line, column: here.column, keyLine: 0, keyColumn: 0)
    }

    private mutating func expectWord(_ word: String) throws(DecodeError) {
        let count = word.utf8.count
        guard pos + count <= bytes.count, bytes[pos..<(pos + count)].elementsEqual(word.utf8) else {
            throw error("expected a value, found \(found(at: pos))", at: pos)
        }
        pos += count
    }

    private mutating func parseArray(depth: Int) throws(DecodeError) -> TOMLValue {
        if depth > maxDepth { throw error("array nested deeper than \(maxDepth) levels", at: pos) }
        pos += 1
        var items: [TOMLNode] = []
        while true {
            try skipBlank()
            guard pos < bytes.count else { throw error("expected ']' to close the array, found end of file", at: pos) }
            if bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                return .array(items)
            }
            items.append(try parseValue(depth: depth))
            try skipBlank()
            guard pos < bytes.count else { throw error("expected ']' to close the array, found end of file", at: pos) }
            switch bytes[pos] {
            case UInt8(ascii: ","):
                pos += 1
            case UInt8(ascii: "]"):
                pos += 1
                return .array(items)
            default:
                throw error("expected ',' or ']' after array element, found \(found(at: pos))", at: pos)
            }
        }
    }

    /// `{ a = 1, b.c = 2 }`: on one line, no trailing comma, and closed for good once read.
    private mutating func parseInlineTable(depth: Int) throws(DecodeError) -> TOMLValue {
        if depth > maxDepth { throw error("inline table nested deeper than \(maxDepth) levels", at: pos) }
        let table = pending.newTable(origin: .header, depth: depth, location: location(at: pos), keyLocation: nil)
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            return .table(finishInline(table))
        }
        while true {
            if atNewline() { throw error("newlines are not allowed in an inline table", at: pos) }
            try parseKeyValue(into: table)
            skipWhitespace()
            guard pos < bytes.count else { throw error("expected '}' to close the inline table, found end of file", at: pos) }
            switch bytes[pos] {
            case UInt8(ascii: ","):
                pos += 1
                skipWhitespace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
                    throw error("trailing comma is not allowed in an inline table", at: pos)
                }
            case UInt8(ascii: "}"):
                pos += 1
                return .table(finishInline(table))
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error("newlines are not allowed in an inline table", at: pos)
            default:
                throw error("expected ',' or '}' in inline table, found \(found(at: pos))", at: pos)
            }
        }
    }

    private mutating func finishInline(_ table: Int) -> TOMLTable {
        let finished = pending.finish(table)
        pending.discard(from: table)
        return finished
    }

    // MARK: Strings

    /// The text of `start..<end` (validated up front). Read through a buffer pointer: decoding
    /// an array slice takes a slower, generic path. Made by copying the bytes into a string's
    /// own storage rather than by `String(decoding:as:)`: for the short ASCII text most keys are
    /// (stored inline, up to 15 bytes), the standard library then checks only that the bytes
    /// are ASCII instead of validating them as UTF-8 again (about 140 instructions a key, two
    /// keys per line of a table-heavy document); longer or non-ASCII text is validated as before.
    private func decoded(_ start: Int, _ end: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            let text = UnsafeBufferPointer(rebasing: buffer[start..<end])
            return String(unsafeUninitializedCapacity: text.count) { storage in
                storage.initialize(fromContentsOf: text)
            }
        }
    }

    /// Where the bare key `name`, written at `start..<end`, stands in `table` (see
    /// `TOMLPendingTables.find`): hashed from the document's bytes, if hashed at all.
    private func findBareKey(_ name: String, _ start: Int, _ end: Int, in table: Int) -> (position: Int?, tag: UInt64?) {
        bytes.withUnsafeBytes { pending.find(name, utf8: UnsafeRawBufferPointer(rebasing: $0[start..<end]), in: table) }
    }

    /// `"..."` with escapes, on one line.
    private mutating func parseBasicString() throws(DecodeError) -> String {
        let open = pos
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return decoded(start, pos - 1)
            }
            if b == UInt8(ascii: "\\") { break }
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                throw error("newline in a single-line string (use \"\"\" for multi-line strings)", at: pos)
            }
            pos += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[start..<pos])
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "\""):
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error("newline in a single-line string (use \"\"\" for multi-line strings)", at: pos)
            default:
                scratch.append(b)
                pos += 1
            }
        }
        throw error("unterminated string: expected '\"' before end of file", at: open)
    }

    /// At a backslash: appends the escaped scalar to `scratch`.
    private mutating func parseEscape() throws(DecodeError) {
        let start = pos
        pos += 1
        guard pos < bytes.count else { throw error("unterminated escape sequence", at: start) }
        let b = bytes[pos]
        pos += 1
        switch b {
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = b == UInt8(ascii: "u") ? 4 : 8
            var code: UInt32 = 0
            for _ in 0..<digits {
                guard pos < bytes.count, let digit = Self.hexValue(bytes[pos]) else {
                    throw error("expected \(digits) hexadecimal digits after \\\(Character(Unicode.Scalar(b)))", at: start)
                }
                code = code << 4 | UInt32(digit)
                pos += 1
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw error("escape \(decoded(start, pos)) is not a Unicode scalar value", at: start)
            }
            if let encoded = UTF8.encode(scalar) { scratch.append(contentsOf: encoded) }
        case 0x21...0x7E:
            throw error("invalid escape sequence \\\(Character(Unicode.Scalar(b)))", at: start)
        default:
            throw error("invalid escape sequence: '\\' followed by \(found(at: pos - 1))", at: start)
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A newline right after the opening delimiter is not part of the string.
    private mutating func skipFirstNewline() throws(DecodeError) {
        if atNewline() { try consumeNewline() }
    }

    /// At one of `delimiter`, in a multi-line string: 1 or 2 are content, 3 to 5 close the
    /// string (the extra ones are content), more is an error. Returns true when closed.
    private mutating func multilineQuotes(_ delimiter: UInt8) throws(DecodeError) -> Bool {
        var count = 0
        while pos + count < bytes.count, bytes[pos + count] == delimiter { count += 1 }
        if count < 3 {
            for _ in 0..<count { scratch.append(delimiter) }
            pos += count
            return false
        }
        if count > 5 {
            throw error("too many quotes in a row: at most two may stand before the closing delimiter", at: pos)
        }
        for _ in 0..<(count - 3) { scratch.append(delimiter) }
        pos += count
        return true
    }

    /// `"""..."""` with escapes and line-ending backslashes; CRLF is read as LF.
    private mutating func parseMultilineBasicString() throws(DecodeError) -> String {
        let open = pos
        pos += 3
        try skipFirstNewline()
        scratch.removeAll(keepingCapacity: true)
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "\""):
                if try multilineQuotes(b) { return String(decoding: scratch, as: UTF8.self) }
            case UInt8(ascii: "\\"):
                var after = pos + 1
                while after < bytes.count, bytes[after] == UInt8(ascii: " ") || bytes[after] == UInt8(ascii: "\t") {
                    after += 1
                }
                if after < bytes.count, bytes[after] == UInt8(ascii: "\n") || bytes[after] == UInt8(ascii: "\r") {
                    // Line-ending backslash: drop it and all whitespace and newlines after it.
                    pos = after
                    while pos < bytes.count {
                        let c = bytes[pos]
                        if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                            pos += 1
                        } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                            try consumeNewline()
                        } else {
                            break
                        }
                    }
                } else {
                    try parseEscape()
                }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                scratch.append(UInt8(ascii: "\n"))
            default:
                scratch.append(b)
                pos += 1
            }
        }
        throw error("unterminated multi-line string: expected '\"\"\"' before end of file", at: open)
    }

    /// `'...'`: no escapes, on one line.
    private mutating func parseLiteralString() throws(DecodeError) -> String {
        let open = pos
        pos += 1
        let start = pos
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "'") {
                pos += 1
                return decoded(start, pos - 1)
            }
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                throw error("newline in a single-line literal string (use ''' for multi-line strings)", at: pos)
            }
            pos += 1
        }
        throw error("unterminated literal string: expected \"'\" before end of file", at: open)
    }

    /// `'''...'''`: no escapes; CRLF is read as LF.
    private mutating func parseMultilineLiteralString() throws(DecodeError) -> String {
        let open = pos
        pos += 3
        try skipFirstNewline()
        scratch.removeAll(keepingCapacity: true)
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "'"):
                if try multilineQuotes(b) { return String(decoding: scratch, as: UTF8.self) }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                scratch.append(UInt8(ascii: "\n"))
            default:
                scratch.append(b)
                pos += 1
            }
        }
        throw error("unterminated multi-line literal string: expected \"'''\" before end of file", at: open)
    }

    // MARK: Numbers, dates and times

    private func isDigit(_ offset: Int) -> Bool {
        offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
    }

    private func digitsAhead(_ count: Int, from offset: Int) -> Bool {
        (0..<count).allSatisfy { isDigit(offset + $0) }
    }

    private mutating func parseNumberOrDateTime() throws(DecodeError) -> TOMLValue {
        if let value = plainInteger() { return .integer(value) }
        if digitsAhead(4, from: pos), pos + 4 < bytes.count, bytes[pos + 4] == UInt8(ascii: "-") {
            return try parseDateTime()
        }
        if digitsAhead(2, from: pos), pos + 2 < bytes.count, bytes[pos + 2] == UInt8(ascii: ":") {
            return .localTime(try parseTime())
        }
        return try parseNumber()
    }

    /// The common case read directly: a decimal integer of at most 18 digits, without sign,
    /// underscores or leading zero, followed by what may end a value (so that it cannot be the
    /// start of a float, a date or a time). Anything else is left to the general readers.
    private mutating func plainInteger() -> Int64? {
        let start = pos
        let read = bytes.withUnsafeBufferPointer { buffer -> (value: Int64, end: Int)? in
            let pos = start
            var i = pos
            var value: Int64 = 0
            // At most 18 digits: no overflow; a 19th digit is not an end below, so it goes the long way.
            while i < buffer.count, i - pos < 18, buffer[i] >= UInt8(ascii: "0"), buffer[i] <= UInt8(ascii: "9") {
                value = value * 10 + Int64(buffer[i] - UInt8(ascii: "0"))
                i += 1
            }
            let count = i - pos
            guard count >= 1, count == 1 || buffer[pos] != UInt8(ascii: "0") else { return nil }
            if i < buffer.count {
                switch buffer[i] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                     UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "#"):
                    break
                default:
                    return nil
                }
            }
            return (value, i)
        }
        guard let read else { return nil }
        pos = read.end
        return read.value
    }

    /// Digits in `radix` with single underscores between them; returns their span (underscores
    /// included, callers skip them).
    private mutating func scanDigits(radix: UInt8, what: String) throws(DecodeError) -> Range<Int> {
        let start = pos
        var previousWasDigit = false
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "_") {
                guard previousWasDigit else { throw error("'_' must stand between digits in \(what)", at: pos) }
                previousWasDigit = false
            } else if let v = Self.hexValue(b), v < radix {
                previousWasDigit = true
            } else {
                break
            }
            pos += 1
        }
        if pos == start { throw error("expected digits in \(what), found \(found(at: pos))", at: pos) }
        if !previousWasDigit { throw error("'_' must stand between digits in \(what)", at: pos - 1) }
        return start..<pos
    }

    /// The integer written in `span` (validated by `scanDigits`), or nil when it does not fit.
    private func integerValue(_ span: Range<Int>, radix: UInt8, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for i in span where bytes[i] != UInt8(ascii: "_") {
            let digit = Int64(Self.hexValue(bytes[i]) ?? 0)
            let (shifted, o1) = value.multipliedReportingOverflow(by: Int64(radix))
            let (sum, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    private mutating func parseNumber() throws(DecodeError) -> TOMLValue {
        let start = pos
        var negative = false
        var signed = false
        if bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") {
            negative = bytes[pos] == UInt8(ascii: "-")
            signed = true
            pos += 1
        }
        if pos + 3 <= bytes.count, bytes[pos] == UInt8(ascii: "i"), bytes[pos + 1] == UInt8(ascii: "n"), bytes[pos + 2] == UInt8(ascii: "f") {
            pos += 3
            return .float(negative ? -.infinity : .infinity)
        }
        if pos + 3 <= bytes.count, bytes[pos] == UInt8(ascii: "n"), bytes[pos + 1] == UInt8(ascii: "a"), bytes[pos + 2] == UInt8(ascii: "n") {
            pos += 3
            return .float(negative ? -.nan : .nan)
        }
        guard isDigit(pos) else { throw error("expected a value, found \(found(at: start))", at: start) }
        if !signed, bytes[pos] == UInt8(ascii: "0"), pos + 1 < bytes.count {
            let radix: UInt8
            switch bytes[pos + 1] {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: radix = 0
            }
            if radix != 0 {
                pos += 2
                let span = try scanDigits(radix: radix, what: "an integer")
                guard let value = integerValue(span, radix: radix, negative: false) else {
                    throw error("integer does not fit in 64 bits", at: start)
                }
                return .integer(value)
            }
        }
        let integerSpan = try scanDigits(radix: 10, what: "a number")
        if integerSpan.count > 1, bytes[integerSpan.lowerBound] == UInt8(ascii: "0") {
            throw error("leading zeros are not allowed in a number", at: integerSpan.lowerBound)
        }
        var isFloat = false
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            isFloat = true
            _ = try scanDigits(radix: 10, what: "the fraction of a float")
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            isFloat = true
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") {
                pos += 1
            }
            _ = try scanDigits(radix: 10, what: "the exponent of a float")
        }
        if isFloat {
            // The span is validated: only digits, '.', 'e', signs and underscores remain.
            var text = ""
            text.unicodeScalars.reserveCapacity(pos - start)
            for i in start..<pos where bytes[i] != UInt8(ascii: "_") {
                text.unicodeScalars.append(Unicode.Scalar(bytes[i]))
            }
            guard let value = Double(text) else { throw error("invalid float", at: start) }
            return .float(value)
        }
        guard let value = integerValue(integerSpan, radix: 10, negative: negative) else {
            throw error("integer does not fit in 64 bits", at: start)
        }
        return .integer(value)
    }

    /// Exactly `count` digits as a number.
    private mutating func fixedDigits(_ count: Int, _ what: String) throws(DecodeError) -> Int {
        var value = 0
        for _ in 0..<count {
            guard isDigit(pos) else { throw error("expected \(count) digits for the \(what), found \(found(at: pos))", at: pos) }
            value = value * 10 + Int(bytes[pos] - UInt8(ascii: "0"))
            pos += 1
        }
        return value
    }

    private mutating func expectByte(_ b: UInt8, _ what: String) throws(DecodeError) {
        guard pos < bytes.count, bytes[pos] == b else {
            throw error("expected \(what), found \(found(at: pos))", at: pos)
        }
        pos += 1
    }

    private mutating func parseDateTime() throws(DecodeError) -> TOMLValue {
        let start = pos
        let year = try fixedDigits(4, "year")
        try expectByte(UInt8(ascii: "-"), "'-' in date")
        let month = try fixedDigits(2, "month")
        try expectByte(UInt8(ascii: "-"), "'-' in date")
        let day = try fixedDigits(2, "day")
        guard (1...12).contains(month) else { throw error("month \(month) is out of range 01-12", at: start) }
        let daysInMonth: Int
        switch month {
        case 2: daysInMonth = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: daysInMonth = 30
        default: daysInMonth = 31
        }
        guard (1...daysInMonth).contains(day) else {
            throw error("day \(day) is out of range for \(year)-\(month < 10 ? "0" : "")\(month)", at: start)
        }
        let date = TOMLDate(year: year, month: month, day: day)
        guard pos < bytes.count else { return .localDate(date) }
        let separator = bytes[pos]
        if separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") {
            pos += 1
        } else if separator == UInt8(ascii: " "), digitsAhead(2, from: pos + 1) {
            pos += 1
        } else {
            return .localDate(date)
        }
        let time = try parseTime()
        guard pos < bytes.count else { return .localDateTime(date, time) }
        switch bytes[pos] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            pos += 1
            return .offsetDateTime(date, time, offsetMinutes: 0)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[pos] == UInt8(ascii: "-") ? -1 : 1
            let offsetStart = pos
            pos += 1
            let hours = try fixedDigits(2, "offset hours")
            try expectByte(UInt8(ascii: ":"), "':' in time offset")
            let minutes = try fixedDigits(2, "offset minutes")
            guard hours < 24, minutes < 60 else { throw error("time offset is out of range", at: offsetStart) }
            return .offsetDateTime(date, time, offsetMinutes: sign * (hours * 60 + minutes))
        default:
            return .localDateTime(date, time)
        }
    }

    private mutating func parseTime() throws(DecodeError) -> TOMLTime {
        let start = pos
        let hour = try fixedDigits(2, "hour")
        try expectByte(UInt8(ascii: ":"), "':' in time")
        let minute = try fixedDigits(2, "minute")
        try expectByte(UInt8(ascii: ":"), "':' and seconds in time")
        let second = try fixedDigits(2, "second")
        guard hour < 24, minute < 60, second <= 60 else { throw error("time is out of range", at: start) }
        var nanosecond = 0
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard isDigit(pos) else { throw error("expected digits after '.' in time, found \(found(at: pos))", at: pos) }
            var scale = 100_000_000
            while isDigit(pos) {
                nanosecond += Int(bytes[pos] - UInt8(ascii: "0")) * scale
                scale /= 10
                pos += 1
            }
        }
        return TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }
}
