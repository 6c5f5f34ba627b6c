/// Reads what `CompactEncoder` wrote, through the type's own `Decodable` conformance. Bytes that
/// are not such a value (cut short, a wrong tag, a count past the end, text that is not UTF-8)
/// throw `DecodingError.dataCorrupted`: never a crash, and never a value made up.
public struct CompactDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let input = CompactInput(bytes)
        let decoding = CompactDecoding(input: input, offset: 0, codingPath: [])
        guard try input.skip(0) == bytes.count else { throw input.corrupt("bytes after the value", []) }
        return try decoding.value(type)
    }
}

/// The bytes being decoded, read with bounds checked everywhere.
final class CompactInput {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func corrupt(_ what: String, _ path: [any CodingKey]) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "cache: \(what)"))
    }

    func byte(_ offset: Int) throws -> UInt8 {
        guard offset >= 0, offset < bytes.count else { throw corrupt("cut short", []) }
        return bytes[offset]
    }

    /// The varint at `offset` and the offset after it.
    func varint(_ offset: Int) throws -> (UInt64, Int) {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var at = offset
        while true {
            let next = try byte(at)
            at += 1
            guard shift < 64 else { throw corrupt("number too long", []) }
            result |= UInt64(next & 0x7f) << shift
            if next < 0x80 { return (result, at) }
            shift += 7
        }
    }

    /// A length or count at `offset` that fits in what is left.
    func length(_ offset: Int) throws -> (Int, Int) {
        let (value, after) = try varint(offset)
        guard value <= UInt64(bytes.count - after) else { throw corrupt("length past the end", []) }
        return (Int(value), after)
    }

    /// The string's UTF-8 range at `offset` (length-prefixed) and the offset after it.
    func stringRange(_ offset: Int) throws -> (Range<Int>, Int) {
        let (count, start) = try length(offset)
        return (start..<start + count, start + count)
    }

    func string(_ range: Range<Int>) throws -> String {
        guard let text = bytes.withUnsafeBufferPointer({ String(validating: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }) else {
            throw corrupt("text that is not UTF-8", [])
        }
        return text
    }

    /// The offset after the value at `offset`.
    func skip(_ offset: Int) throws -> Int {
        switch try byte(offset) {
        case CompactFormat.null, CompactFormat.isFalse, CompactFormat.isTrue: return offset + 1
        case CompactFormat.signed, CompactFormat.unsigned: return try varint(offset + 1).1
        case CompactFormat.double:
            guard offset + 9 <= bytes.count else { throw corrupt("cut short", []) }
            return offset + 9
        case CompactFormat.string, CompactFormat.keyed, CompactFormat.unkeyed:
            let (count, start) = try length(offset + 1)
            return start + count
        default: throw corrupt("unknown tag", [])
        }
    }

    /// The key ranges and value offsets of the keyed container at `offset`.
    func entries(_ offset: Int, _ path: [any CodingKey]) throws -> [(key: Range<Int>, value: Int)] {
        guard try byte(offset) == CompactFormat.keyed else { throw corrupt("expected a keyed container", path) }
        let (size, body) = try length(offset + 1)
        let (count, first) = try length(body)
        var at = first
        var entries: [(key: Range<Int>, value: Int)] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let (key, value) = try stringRange(at)
            at = try skip(value)
            entries.append((key, value))
        }
        guard at == body + size else { throw corrupt("container length", path) }
        return entries
    }

    /// The value offsets of the unkeyed container at `offset`.
    func items(_ offset: Int, _ path: [any CodingKey]) throws -> [Int] {
        guard try byte(offset) == CompactFormat.unkeyed else { throw corrupt("expected an unkeyed container", path) }
        let (size, body) = try length(offset + 1)
        let (count, first) = try length(body)
        var at = first
        var items: [Int] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            items.append(at)
            at = try skip(at)
        }
        guard at == body + size else { throw corrupt("container length", path) }
        return items
    }

    func keyEquals(_ range: Range<Int>, _ key: String) -> Bool {
        var key = key
        return key.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[range]).elementsEqual(wanted) }
        }
    }

    // Primitive values at an offset.

    func isNull(_ offset: Int) throws -> Bool { try byte(offset) == CompactFormat.null }

    func bool(_ offset: Int, _ path: [any CodingKey]) throws -> Bool {
        switch try byte(offset) {
        case CompactFormat.isTrue: return true
        case CompactFormat.isFalse: return false
        default: throw corrupt("expected a Bool", path)
        }
    }

    func string(_ offset: Int, _ path: [any CodingKey]) throws -> String {
        guard try byte(offset) == CompactFormat.string else { throw corrupt("expected a String", path) }
        return try string(stringRange(offset + 1).0)
    }

    func double(_ offset: Int, _ path: [any CodingKey]) throws -> Double {
        guard try byte(offset) == CompactFormat.double, offset + 9 <= bytes.count else { throw corrupt("expected a Double", path) }
        var bits: UInt64 = 0
        for index in (1...8).reversed() { bits = bits << 8 | UInt64(bytes[offset + index]) }
        return Double(bitPattern: bits)
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ offset: Int, _ path: [any CodingKey]) throws -> T {
        let tag = try byte(offset)
        let (raw, _) = try varint(offset + 1)
        let converted: T?
        switch tag {
        case CompactFormat.signed:
            let value = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
            converted = T(exactly: value)
        case CompactFormat.unsigned: converted = T(exactly: raw)
        default: throw corrupt("expected an integer", path)
        }
        guard let converted else { throw corrupt("integer out of range", path) }
        return converted
    }
}

/// The coding path is not kept (always empty): an error only means "read the configuration
/// again", and a path built for every field cost an array for each.
struct CompactDecoding: Decoder {
    let input: CompactInput
    let offset: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedContainer<Key>(input: input, entries: try input.entries(offset, codingPath), codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedContainer(input: input, items: try input.items(offset, codingPath), codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValue(decoding: self) }

    /// The value here: the common primitives without a decoder of their own.
    func value<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self, let text = try input.string(offset, codingPath) as? T { return text }
        if T.self == Bool.self, let flag = try input.bool(offset, codingPath) as? T { return flag }
        if T.self == Int.self, let number = try input.integer(Int.self, offset, codingPath) as? T { return number }
        return try T(from: self)
    }

    struct SingleValue: SingleValueDecodingContainer {
        let decoding: CompactDecoding
        var codingPath: [any CodingKey] { decoding.codingPath }
        private var input: CompactInput { decoding.input }
        private var offset: Int { decoding.offset }

        func decodeNil() -> Bool { (try? input.isNull(offset)) ?? false }
        func decode(_ type: Bool.Type) throws -> Bool { try input.bool(offset, codingPath) }
        func decode(_ type: String.Type) throws -> String { try input.string(offset, codingPath) }
        func decode(_ type: Double.Type) throws -> Double { try input.double(offset, codingPath) }
        func decode(_ type: Float.Type) throws -> Float { Float(try input.double(offset, codingPath)) }
        func decode(_ type: Int.Type) throws -> Int { try input.integer(type, offset, codingPath) }
        func decode(_ type: Int8.Type) throws -> Int8 { try input.integer(type, offset, codingPath) }
        func decode(_ type: Int16.Type) throws -> Int16 { try input.integer(type, offset, codingPath) }
        func decode(_ type: Int32.Type) throws -> Int32 { try input.integer(type, offset, codingPath) }
        func decode(_ type: Int64.Type) throws -> Int64 { try input.integer(type, offset, codingPath) }
        func decode(_ type: UInt.Type) throws -> UInt { try input.integer(type, offset, codingPath) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try input.integer(type, offset, codingPath) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try input.integer(type, offset, codingPath) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try input.integer(type, offset, codingPath) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try input.integer(type, offset, codingPath) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoding.value(type) }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let input: CompactInput
        let entries: [(key: Range<Int>, value: Int)]
        let codingPath: [any CodingKey]
        /// Where the last key was found: conformances ask in the order they wrote, so the next
        /// key is usually the next entry. (A box: the protocol's methods are not mutating.)
        private final class Cursor { var next = 0 }
        private let cursor = Cursor()

        init(input: CompactInput, entries: [(key: Range<Int>, value: Int)], codingPath: [any CodingKey]) {
            self.input = input
            self.entries = entries
            self.codingPath = codingPath
        }

        var allKeys: [Key] { entries.compactMap { (try? input.string($0.key)).flatMap(Key.init(stringValue:)) } }

        private func find(_ key: Key) -> Int? {
            let name = key.stringValue
            if cursor.next < entries.count, input.keyEquals(entries[cursor.next].key, name) { return entries[cursor.next].value }
            return entries.first { input.keyEquals($0.key, name) }?.value
        }

        private func offset(_ key: Key) throws -> Int {
            let name = key.stringValue
            let next = cursor.next
            if next < entries.count, input.keyEquals(entries[next].key, name) {
                cursor.next = next + 1
                return entries[next].value
            }
            guard let index = entries.firstIndex(where: { input.keyEquals($0.key, name) }) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "cache: no such key"))
            }
            cursor.next = index + 1
            return entries[index].value
        }

        func contains(_ key: Key) -> Bool { find(key) != nil }
        func decodeNil(forKey key: Key) throws -> Bool { try find(key).map(input.isNull) ?? true }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try input.bool(offset(key), codingPath) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try input.string(offset(key), codingPath) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try input.double(offset(key), codingPath) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try input.double(offset(key), codingPath)) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try input.integer(type, offset(key), codingPath) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try input.integer(type, offset(key), codingPath) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try CompactDecoding(input: input, offset: offset(key), codingPath: codingPath).value(type)
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                                            forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try CompactDecoding(input: input, offset: offset(key), codingPath: codingPath).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try CompactDecoding(input: input, offset: offset(key), codingPath: codingPath).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder {
            guard let entry = entries.first(where: { input.keyEquals($0.key, "super") }) else {
                throw input.corrupt("no super value", codingPath)
            }
            return CompactDecoding(input: input, offset: entry.value, codingPath: codingPath)
        }
        func superDecoder(forKey key: Key) throws -> any Decoder {
            CompactDecoding(input: input, offset: try offset(key), codingPath: codingPath)
        }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let input: CompactInput
        let items: [Int]
        let codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        init(input: CompactInput, items: [Int], codingPath: [any CodingKey]) {
            self.input = input
            self.items = items
            self.codingPath = codingPath
        }

        private mutating func take() throws -> Int {
            guard currentIndex < items.count else { throw input.corrupt("fewer items than asked for", codingPath) }
            currentIndex += 1
            return items[currentIndex - 1]
        }

        mutating func decodeNil() throws -> Bool {
            guard currentIndex < items.count else { throw input.corrupt("fewer items than asked for", codingPath) }
            guard try input.isNull(items[currentIndex]) else { return false }
            currentIndex += 1
            return true
        }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try input.bool(take(), codingPath) }
        mutating func decode(_ type: String.Type) throws -> String { try input.string(take(), codingPath) }
        mutating func decode(_ type: Double.Type) throws -> Double { try input.double(take(), codingPath) }
        mutating func decode(_ type: Float.Type) throws -> Float { Float(try input.double(take(), codingPath)) }
        mutating func decode(_ type: Int.Type) throws -> Int { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try input.integer(type, take(), codingPath) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try input.integer(type, take(), codingPath) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try CompactDecoding(input: input, offset: take(), codingPath: codingPath).value(type)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try CompactDecoding(input: input, offset: take(), codingPath: codingPath).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try CompactDecoding(input: input, offset: take(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superDecoder() throws -> any Decoder {
            CompactDecoding(input: input, offset: try take(), codingPath: codingPath)
        }
    }
}
