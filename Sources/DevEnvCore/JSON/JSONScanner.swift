/// A JSON value as `JSONScanner` reads it. Numbers stay as written (only their grammar is
/// checked): devenv reads strings, lists and string maps from the engine, rarely a number.
public enum JSONScanValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONScanValue])
    /// Members by name; a name written twice keeps its last value, as Foundation's
    /// JSONSerialization does on Linux (Swift 6.3: `{"a":2,"a":1,"a":3}` reads a = 3), the
    /// reader the scanner stands in for. Foundation's JSONDecoder keeps the first (a = 2): the
    /// two disagree, so "as Foundation does" is said of JSONSerialization only
    /// (`JSONScannerTests.aNameWrittenTwiceKeepsItsLastValueAsJSONSerializationDoes`).
    case object([String: JSONScanValue])

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A member of an object; nil for a missing member and for any other kind of value.
    public subscript(key: String) -> JSONScanValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// An object whose values are all strings (`null` reads as nil); throws for any other shape.
    public func stringMap() throws -> [String: String]? {
        switch self {
        case .null: return nil
        case .object(let members):
            var out: [String: String] = [:]
            out.reserveCapacity(members.count)
            for (key, value) in members {
                guard case .string(let s) = value else { throw JSONScanner.Failure(offset: 0, reason: "\(key): not a string") }
                out[key] = s
            }
            return out
        default: throw JSONScanner.Failure(offset: 0, reason: "not an object")
        }
    }

    /// An array whose items are all strings (`null` reads as nil); throws for any other shape.
    public func stringList() throws -> [String]? {
        switch self {
        case .null: return nil
        case .array(let items):
            return try items.map {
                guard case .string(let s) = $0 else { throw JSONScanner.Failure(offset: 0, reason: "item not a string") }
                return s
            }
        default: throw JSONScanner.Failure(offset: 0, reason: "not an array")
        }
    }
}

/// The one reader of the engine's JSON lines (`docker ps`/`volume ls`/`image inspect`
/// `--format '{{json .}}'`): RFC 8259 read straight from UTF-8 bytes. Foundation's
/// JSONDecoder cost about 2.2 million instructions on the first `docker ps` line of a
/// `status` (set-up plus ≈460k a line, issue 14); this reads a line in a few thousand.
/// Reads what Foundation's JSONSerialization and JSONDecoder read (a unit test fuzzes the two
/// against each other): no comments, no leading zeros, no number beyond a Double's range, no
/// raw control characters in strings, escaped surrogates only in valid pairs, at most
/// `maximumDepth` nested levels; like Foundation, one trailing comma before `]` or `}` is
/// allowed (devenv read the engine's lines with Foundation before, and reads the same set).
public enum JSONScanner {
    /// Foundation's limit too: deeper input is refused, not a stack overflow.
    public static let maximumDepth = 512

    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// Byte offset into the text where reading stopped.
        public var offset: Int
        public var reason: String
        public var description: String { "JSON at byte \(offset): \(reason)" }
    }

    /// Reads `text` as exactly one JSON value, with optional whitespace around it.
    /// Throws `Failure` for anything else.
    public static func parse<S: StringProtocol>(_ text: S) throws -> JSONScanValue {
        if let result = try text.utf8.withContiguousStorageIfAvailable({ try parse(bytes: $0) }) { return result }
        return try Array(text.utf8).withUnsafeBufferPointer { try parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) throws -> JSONScanValue {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.at == bytes.count else { throw reader.fail("text after the value") }
        return value
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        func fail(_ reason: String) -> Failure { Failure(offset: at, reason: reason) }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSONScanValue) throws -> JSONScanValue {
            let count = word.utf8CodeUnitCount
            guard bytes.count - at >= count else { throw fail("unknown word") }
            let expected = word.utf8Start
            for i in 0..<count where bytes[at + i] != expected[i] { throw fail("unknown word") }
            at += count
            return value
        }

        mutating func value(depth: Int) throws -> JSONScanValue {
            guard at < bytes.count else { throw fail("a value is missing") }
            switch bytes[at] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw fail("not a JSON value")
            }
        }

        mutating func object(depth: Int) throws -> JSONScanValue {
            guard depth <= JSONScanner.maximumDepth else { throw fail("nested too deeply") }
            at += 1
            var members: [String: JSONScanValue] = [:]
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
            // Room for a `docker ps` line's members (ten, and nine own labels) from the start:
            // grown from empty, the table was copied and rehashed at each doubling, about 20 K
            // instructions of reading the one line `status` waits for (issue 14).
            members.reserveCapacity(12)
            while true {
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("a member name is missing") }
                let key = try string()
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw fail("':' is missing") }
                at += 1
                skipSpace()
                members[key] = try value(depth: depth)
                skipSpace()
                guard at < bytes.count else { throw fail("'}' is missing") }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                    skipSpace()
                    if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                    continue
                }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                throw fail("',' or '}' is missing")
            }
        }

        mutating func array(depth: Int) throws -> JSONScanValue {
            guard depth <= JSONScanner.maximumDepth else { throw fail("nested too deeply") }
            at += 1
            var items: [JSONScanValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth))
                skipSpace()
                guard at < bytes.count else { throw fail("']' is missing") }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                    skipSpace()
                    if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                    continue
                }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                throw fail("',' or ']' is missing")
            }
        }

        mutating func digits() -> Int {
            let start = at
            while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") { at += 1 }
            return at - start
        }

        /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        mutating func number() throws -> JSONScanValue {
            let start = at
            if bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < bytes.count else { throw fail("a number has no digits") }
            if bytes[at] == UInt8(ascii: "0") {
                at += 1
                if at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") {
                    throw fail("a number starts with 0")
                }
            } else if digits() == 0 {
                throw fail("a number has no digits")
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { throw fail("no digits after '.'") }
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { throw fail("no digits in the exponent") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            // Foundation refuses what a Double cannot hold ("1e400").
            guard let double = Double(text), double.isFinite else { throw fail("a number out of range") }
            return .number(text)
        }

        func hex(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }

        /// The four hex digits after `\u` (at points at them).
        mutating func hex4() throws -> UInt32 {
            guard bytes.count - at >= 4 else { throw fail("\\u needs four hex digits") }
            var value: UInt32 = 0
            for i in 0..<4 {
                guard let digit = hex(bytes[at + i]) else { throw fail("\\u needs four hex digits") }
                value = value << 4 | digit
            }
            at += 4
            return value
        }

        /// A string literal (at points at its opening quote). The bytes between escapes are
        /// copied as they are: the text came from a Swift String, so they are valid UTF-8.
        mutating func string() throws -> String {
            at += 1
            let start = at
            // Fast path: no escape, the common case for the engine's lines.
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                    at += 1
                    return s
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw fail("a control character in a string") }
                at += 1
            }
            var out = Array(bytes[start..<at])
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    at += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if byte < 0x20 { throw fail("a control character in a string") }
                guard byte == UInt8(ascii: "\\") else { out.append(byte); at += 1; continue }
                at += 1
                guard at < bytes.count else { break }
                let escape = bytes[at]
                at += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800, code < 0xDC00 {
                        guard bytes.count - at >= 2, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                            throw fail("a high surrogate without its low one")
                        }
                        at += 2
                        let low = try hex4()
                        guard low >= 0xDC00, low < 0xE000 else { throw fail("a high surrogate without its low one") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if code >= 0xDC00, code < 0xE000 {
                        throw fail("a low surrogate without its high one")
                    }
                    guard let scalar = Unicode.Scalar(code), let encoded = UTF8.encode(scalar) else { throw fail("not a Unicode scalar") }
                    out.append(contentsOf: encoded)
                default:
                    at -= 1
                    throw fail("unknown escape")
                }
            }
            throw fail("a string is not closed")
        }
    }
}
