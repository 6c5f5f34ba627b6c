/// Reads JSON with comments (JSONC), the dialect of devcontainer.json and VS Code's settings:
/// RFC 8259 JSON plus `//` and `/* */` comments and a trailing comma before `]` or `}`.
///
///     let root = try JSONCDecoder.decode(bytes, file: ".devcontainer/devcontainer.json")
///
/// Every value keeps its line and column (1-based, columns in Unicode scalars, as the TOML
/// decoder counts). Invalid input throws `DecodeError`
/// (`.devcontainer/devcontainer.json:4:3: expected ',' or '}' after a member, found '"'`),
/// never anything else. One pass, linear in the input; nesting deeper than
/// `maximumNestingDepth` is rejected rather than risking the stack.
public enum JSONCDecoder {
    /// Arrays and objects nested deeper than this are an error. devcontainer.json needs four
    /// or five levels; the bound keeps hostile input from exhausting the stack.
    public static let maximumNestingDepth = 128

    public static func decode(_ bytes: [UInt8], file: String) throws(DecodeError) -> JSONCNode {
        var parser = JSONCParser(bytes: bytes, file: file)
        return try parser.parseDocument()
    }

    public static func decode(_ text: String, file: String) throws(DecodeError) -> JSONCNode {
        try decode(Array(text.utf8), file: file)
    }
}

/// The decoder's state: a byte cursor that keeps its line and column as it moves, so that a
/// location costs nothing to take.
struct JSONCParser {
    let bytes: [UInt8]
    let file: String
    private var pos = 0
    private var line = 1
    private var column = 1

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    mutating func parseDocument() throws(DecodeError) -> JSONCNode {
        try validateEncoding()
        // A byte order mark is not JSON, but editors on Windows write one; VS Code reads it.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
        try skipTrivia()
        let node = try parseValue(depth: 0)
        try skipTrivia()
        if pos < bytes.count { throw error("unexpected \(found()) after the document's value") }
        return node
    }

    // MARK: Positions and errors

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func error(_ message: String, at location: SourceLocation? = nil) -> DecodeError {
        DecodeError(message, at: location ?? here)
    }

    /// Moves past one byte of a line; a UTF-8 continuation byte is not a new column.
    private mutating func advance() {
        if bytes[pos] & 0xC0 != 0x80 { column += 1 }
        pos += 1
    }

    /// Moves past a line feed, a carriage return or both (CRLF is one line end).
    private mutating func advanceLineEnd() {
        if bytes[pos] == UInt8(ascii: "\r"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "\n") { pos += 1 }
        pos += 1
        line += 1
        column = 1
    }

    /// `'x'`, `end of file`, `newline`: what was found instead of what was expected.
    private func found() -> String {
        guard pos < bytes.count else { return "end of file" }
        let b = bytes[pos]
        switch b {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "newline"
        case UInt8(ascii: "'"): return "\"'\""
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(b)))'"
        case UInt8(ascii: " "): return "space"
        case UInt8(ascii: "\t"): return "tab"
        default:
            var end = pos + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let scalar = String(decoding: bytes[pos..<end], as: UTF8.self).unicodeScalars.first.map(\.value) ?? UInt32(b)
            return "U+" + Self.hex(scalar, width: 4)
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The input must be UTF-8 (RFC 8259 section 8.1): found before parsing, with its place.
    private mutating func validateEncoding() throws(DecodeError) {
        if String(validating: bytes, as: UTF8.self) != nil { return }
        // Rare: find the first bad byte and its line and column.
        var i = 0
        while i < bytes.count {
            let length = Self.validSequenceLength(bytes, at: i)
            if length == 0 { break }
            if bytes[i] == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        throw error("the file is not valid UTF-8 (byte 0x\(Self.hex(UInt32(bytes[i]), width: 2)))")
    }

    /// The length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), 0 if none.
    private static func validSequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        func cont(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { i + k < b.count && range.contains(b[i + k]) }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0...0xBF) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80...0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90...0xBF) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80...0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    // MARK: Whitespace and comments

    /// JSON's four whitespace bytes and JSONC's comments.
    private mutating func skipTrivia() throws(DecodeError) {
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                pos += 1
                column += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                advanceLineEnd()
            case UInt8(ascii: "/"):
                let start = here
                guard pos + 1 < bytes.count else { throw error("unexpected '/' (a comment starts with // or /*)") }
                if bytes[pos + 1] == UInt8(ascii: "/") {
                    while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n"), bytes[pos] != UInt8(ascii: "\r") { advance() }
                } else if bytes[pos + 1] == UInt8(ascii: "*") {
                    pos += 2
                    column += 2
                    while true {
                        guard pos < bytes.count else { throw error("the comment opened at \(start.line):\(start.column) is not closed with */") }
                        if bytes[pos] == UInt8(ascii: "*"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "/") {
                            pos += 2
                            column += 2
                            break
                        }
                        if bytes[pos] == UInt8(ascii: "\n") || bytes[pos] == UInt8(ascii: "\r") { advanceLineEnd() } else { advance() }
                    }
                } else {
                    throw error("unexpected '/' (a comment starts with // or /*)")
                }
            default:
                return
            }
        }
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(DecodeError) -> JSONCNode {
        guard pos < bytes.count else { throw error("expected a value, found end of file") }
        let start = here
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return JSONCNode(.string(try parseString()), at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return JSONCNode(.number(try parseNumber()), at: start)
        case UInt8(ascii: "'"): throw error("strings need double quotes in JSON")
        default:
            let word = identifier()
            switch word {
            case "true": return JSONCNode(.bool(true), at: start)
            case "false": return JSONCNode(.bool(false), at: start)
            case "null": return JSONCNode(.null, at: start)
            case "":
                throw error("expected a value, found \(found())")
            default:
                throw error("unknown word \"\(word)\": a value is a string in double quotes, a number, true, false, null, an array or an object",
                            at: start)
            }
        }
    }

    /// A run of ASCII letters, digits, `_` and `$` (a literal, or the bare word in its place).
    private mutating func identifier() -> String {
        let start = pos
        while pos < bytes.count, pos - start < 64 {
            let b = bytes[pos]
            guard (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                    || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "$")
            else { break }
            pos += 1
            column += 1
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private mutating func checkDepth(_ depth: Int) throws(DecodeError) {
        if depth > JSONCDecoder.maximumNestingDepth {
            throw error("arrays and objects are nested deeper than \(JSONCDecoder.maximumNestingDepth) levels")
        }
    }

    private mutating func parseObject(depth: Int) throws(DecodeError) -> JSONCNode {
        try checkDepth(depth)
        let start = here
        advance()
        var object = JSONCObject()
        try skipTrivia()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            advance()
            return JSONCNode(.object(object), at: start)
        }
        while true {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                let hint = pos < bytes.count && bytes[pos] == UInt8(ascii: "'") ? " (names need double quotes)" : ""
                throw error("expected a member name in double quotes, found \(found())\(hint)\(pos < bytes.count ? "" : opened("object", start))")
            }
            let keyLocation = here
            let name = try parseString()
            try skipTrivia()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw error("expected ':' after the member name \"\(name)\", found \(found())")
            }
            advance()
            try skipTrivia()
            var value = try parseValue(depth: depth)
            value.keyLocation = keyLocation
            object.append(name, value)
            try skipTrivia()
            guard pos < bytes.count else { throw error("expected ',' or '}' after a member, found end of file\(opened("object", start))") }
            if bytes[pos] == UInt8(ascii: "}") { advance(); break }
            guard bytes[pos] == UInt8(ascii: ",") else {
                throw error("expected ',' or '}' after a member, found \(found())")
            }
            advance()
            try skipTrivia()
            // JSONC: one trailing comma before the closing brace.
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { advance(); break }
        }
        return JSONCNode(.object(object), at: start)
    }

    private mutating func parseArray(depth: Int) throws(DecodeError) -> JSONCNode {
        try checkDepth(depth)
        let start = here
        advance()
        var elements: [JSONCNode] = []
        try skipTrivia()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
            advance()
            return JSONCNode(.array(elements), at: start)
        }
        while true {
            guard pos < bytes.count else { throw error("expected a value, found end of file\(opened("array", start))") }
            elements.append(try parseValue(depth: depth))
            try skipTrivia()
            guard pos < bytes.count else { throw error("expected ',' or ']' after an element, found end of file\(opened("array", start))") }
            if bytes[pos] == UInt8(ascii: "]") { advance(); break }
            guard bytes[pos] == UInt8(ascii: ",") else {
                throw error("expected ',' or ']' after an element, found \(found())")
            }
            advance()
            try skipTrivia()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { advance(); break }
        }
        return JSONCNode(.array(elements), at: start)
    }

    private func opened(_ what: String, _ start: SourceLocation) -> String {
        " (the \(what) opened at \(start.line):\(start.column))"
    }

    // MARK: Strings

    /// A string at `"`: every escape of RFC 8259 section 7, surrogate pairs joined, lone
    /// surrogates and raw control characters refused.
    private mutating func parseString() throws(DecodeError) -> String {
        let start = here
        advance()
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw error("the string opened at \(start.line):\(start.column) is not closed", at: start) }
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "\""):
                advance()
                // The input was validated as UTF-8 and escapes add only whole scalars.
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x00..<0x20:
                let named: [UInt8: String] = [0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0C: "\\f"]
                let spelled = named[b] ?? "\\u" + Self.hex(UInt32(b), width: 4)
                if b == 0x0A || b == 0x0D {
                    throw error("the string opened at \(start.line):\(start.column) is not closed on its line (write a line break as \\n)")
                }
                throw error("control character U+\(Self.hex(UInt32(b), width: 4)) in a string; write it as \(spelled)")
            default:
                out.append(b)
                advance()
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(DecodeError) {
        let escapeStart = here
        advance()
        guard pos < bytes.count else { throw error("expected an escape after '\\', found end of file") }
        let b = bytes[pos]
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let byte = simple[b] {
            out.append(byte)
            advance()
            return
        }
        guard b == UInt8(ascii: "u") else {
            throw error("unknown escape \\\(found().trimmingQuotes) (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: escapeStart)
        }
        advance()
        var scalar = try hexQuad(escapeStart)
        if (0xD800...0xDBFF).contains(scalar) {
            // A high surrogate must be followed by \u and a low one: together one scalar.
            guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                throw error("lone surrogate \\u\(Self.hex(scalar, width: 4)): a high surrogate must be followed by a low one (\\uDC00-\\uDFFF)",
                            at: escapeStart)
            }
            let lowStart = here
            advance()
            advance()
            let low = try hexQuad(lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("\\u\(Self.hex(scalar, width: 4)) is a high surrogate followed by \\u\(Self.hex(low, width: 4)), not by a low one (\\uDC00-\\uDFFF)",
                            at: escapeStart)
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw error("lone surrogate \\u\(Self.hex(scalar, width: 4)): a low surrogate must follow a high one", at: escapeStart)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("\\u escape is not a Unicode scalar", at: escapeStart) }
        out.append(contentsOf: String(Character(unicode)).utf8)
    }

    /// Four hex digits after `\u`.
    private mutating func hexQuad(_ escapeStart: SourceLocation) throws(DecodeError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard pos < bytes.count, let digit = Self.hexDigit(bytes[pos]) else {
                throw error("\\u needs four hex digits, found \(found())")
            }
            value = value << 4 | digit
            advance()
        }
        return value
    }

    private static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Numbers

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    private mutating func parseNumber() throws(DecodeError) -> String {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { advance() }
        guard pos < bytes.count, isDigit(bytes[pos]) else { throw error("expected a digit after '-', found \(found())") }
        if bytes[pos] == UInt8(ascii: "0") {
            advance()
            if pos < bytes.count, isDigit(bytes[pos]) { throw error("a JSON number has no leading zeros") }
        } else {
            digits()
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            advance()
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw error("expected a digit after '.', found \(found())") }
            digits()
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            advance()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { advance() }
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw error("expected a digit in the exponent, found \(found())") }
            digits()
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func digits() {
        while pos < bytes.count, isDigit(bytes[pos]) { pos += 1; column += 1 }
    }
}

private extension String {
    /// `'x'` -> `x`, for quoting a found character after a backslash.
    var trimmingQuotes: String {
        hasPrefix("'") && hasSuffix("'") && count == 3 ? String(dropFirst().dropLast()) : self
    }
}
