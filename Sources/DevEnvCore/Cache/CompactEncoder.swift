/// A small binary `Encoder` for the configuration cache (`CompactDecoder` reads it back): what a
/// type's `Codable` conformance writes, written as it comes, so that a field added to a
/// synthesized conformance is stored without anyone listing it (the cache's round-trip test
/// fills every field).
///
/// Why not Foundation's JSONEncoder/Decoder: decoding JSON builds a map of the whole text and
/// looks each key up by string, where this format keeps entries in the order the conformance
/// asks for them; the cache is there to save instructions (issue 14).
///
/// The format (`CompactFormat`): each value is a tag byte then its payload; containers carry
/// their byte length, so a reader skips a value without decoding it.
public struct CompactEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = CompactFormat.Slot()
        try value.encode(to: CompactEncoding(slot: root, codingPath: []))
        var bytes: [UInt8] = []
        root.write(into: &bytes)
        return bytes
    }
}

/// The byte format `CompactEncoder` writes and `CompactDecoder` reads.
enum CompactFormat {
    static let null: UInt8 = 0, isFalse: UInt8 = 1, isTrue: UInt8 = 2, signed: UInt8 = 3, unsigned: UInt8 = 4,
               string: UInt8 = 5, double: UInt8 = 6, keyed: UInt8 = 7, unkeyed: UInt8 = 8

    /// One value while encoding: containers hand out slots that nested encoders fill later.
    final class Slot {
        enum Value {
            case null, bool(Bool), signed(Int64), unsigned(UInt64), double(Double), string(String)
            case keyed(Keyed), unkeyed(Unkeyed)
        }
        var value: Value = .null

        func write(into bytes: inout [UInt8]) {
            switch value {
            case .null: bytes.append(CompactFormat.null)
            case .bool(let flag): bytes.append(flag ? isTrue : isFalse)
            case .signed(let number):
                bytes.append(signed)
                // Zigzag: small negative numbers stay short.
                writeVarint(UInt64(bitPattern: (number << 1) ^ (number >> 63)), into: &bytes)
            case .unsigned(let number):
                bytes.append(unsigned)
                writeVarint(number, into: &bytes)
            case .double(let number):
                bytes.append(double)
                var bits = number.bitPattern
                for _ in 0..<8 {
                    bytes.append(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                }
            case .string(let text):
                bytes.append(string)
                writeString(text, into: &bytes)
            case .keyed(let container):
                var body: [UInt8] = []
                writeVarint(UInt64(container.entries.count), into: &body)
                for (key, slot) in container.entries {
                    writeString(key, into: &body)
                    slot.write(into: &body)
                }
                bytes.append(keyed)
                writeVarint(UInt64(body.count), into: &bytes)
                bytes += body
            case .unkeyed(let container):
                var body: [UInt8] = []
                writeVarint(UInt64(container.items.count), into: &body)
                for slot in container.items { slot.write(into: &body) }
                bytes.append(unkeyed)
                writeVarint(UInt64(body.count), into: &bytes)
                bytes += body
            }
        }
    }

    final class Keyed { var entries: [(String, Slot)] = [] }
    final class Unkeyed { var items: [Slot] = [] }

    static func writeVarint(_ value: UInt64, into bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func writeString(_ text: String, into bytes: inout [UInt8]) {
        writeVarint(UInt64(text.utf8.count), into: &bytes)
        bytes += text.utf8
    }
}

private struct CompactEncoding: Encoder {
    let slot: CompactFormat.Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed(let existing) = slot.value {
            return KeyedEncodingContainer(KeyedContainer(store: existing, codingPath: codingPath))
        }
        let store = CompactFormat.Keyed()
        slot.value = .keyed(store)
        return KeyedEncodingContainer(KeyedContainer(store: store, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed(let existing) = slot.value { return UnkeyedContainer(store: existing, codingPath: codingPath) }
        let store = CompactFormat.Unkeyed()
        slot.value = .unkeyed(store)
        return UnkeyedContainer(store: store, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValue(slot: slot, codingPath: codingPath) }

    /// A value into `slot`: primitives directly, anything else through its conformance.
    static func put<T: Encodable>(_ value: T, into slot: CompactFormat.Slot, codingPath: [any CodingKey]) throws {
        switch value {
        case let text as String: slot.value = .string(text)
        case let flag as Bool: slot.value = .bool(flag)
        case let number as Int: slot.value = .signed(Int64(number))
        default: try value.encode(to: CompactEncoding(slot: slot, codingPath: codingPath))
        }
    }

    struct SingleValue: SingleValueEncodingContainer {
        let slot: CompactFormat.Slot
        let codingPath: [any CodingKey]
        mutating func encodeNil() throws { slot.value = .null }
        mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
        mutating func encode(_ value: String) throws { slot.value = .string(value) }
        mutating func encode(_ value: Double) throws { slot.value = .double(value) }
        mutating func encode(_ value: Float) throws { slot.value = .double(Double(value)) }
        mutating func encode(_ value: Int) throws { slot.value = .signed(Int64(value)) }
        mutating func encode(_ value: Int8) throws { slot.value = .signed(Int64(value)) }
        mutating func encode(_ value: Int16) throws { slot.value = .signed(Int64(value)) }
        mutating func encode(_ value: Int32) throws { slot.value = .signed(Int64(value)) }
        mutating func encode(_ value: Int64) throws { slot.value = .signed(value) }
        mutating func encode(_ value: UInt) throws { slot.value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { slot.value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { slot.value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { slot.value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { slot.value = .unsigned(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try CompactEncoding.put(value, into: slot, codingPath: codingPath) }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let store: CompactFormat.Keyed
        let codingPath: [any CodingKey]

        private func slot(_ key: Key) -> CompactFormat.Slot {
            let slot = CompactFormat.Slot()
            store.entries.append((key.stringValue, slot))
            return slot
        }
        mutating func encodeNil(forKey key: Key) throws { _ = slot(key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { slot(key).value = .bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { slot(key).value = .string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { slot(key).value = .double(value) }
        mutating func encode(_ value: Float, forKey key: Key) throws { slot(key).value = .double(Double(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { slot(key).value = .signed(Int64(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { slot(key).value = .signed(Int64(value)) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { slot(key).value = .signed(Int64(value)) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { slot(key).value = .signed(Int64(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { slot(key).value = .signed(value) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { slot(key).value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { slot(key).value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { slot(key).value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { slot(key).value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { slot(key).value = .unsigned(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try CompactEncoding.put(value, into: slot(key), codingPath: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            CompactEncoding(slot: slot(key), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            CompactEncoding(slot: slot(key), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            let slot = CompactFormat.Slot()
            store.entries.append(("super", slot))
            return CompactEncoding(slot: slot, codingPath: codingPath)
        }
        mutating func superEncoder(forKey key: Key) -> any Encoder { CompactEncoding(slot: slot(key), codingPath: codingPath) }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let store: CompactFormat.Unkeyed
        let codingPath: [any CodingKey]
        var count: Int { store.items.count }

        private func slot() -> CompactFormat.Slot {
            let slot = CompactFormat.Slot()
            store.items.append(slot)
            return slot
        }
        mutating func encodeNil() throws { _ = slot() }
        mutating func encode(_ value: Bool) throws { slot().value = .bool(value) }
        mutating func encode(_ value: String) throws { slot().value = .string(value) }
        mutating func encode(_ value: Double) throws { slot().value = .double(value) }
        mutating func encode(_ value: Float) throws { slot().value = .double(Double(value)) }
        mutating func encode(_ value: Int) throws { slot().value = .signed(Int64(value)) }
        mutating func encode(_ value: Int8) throws { slot().value = .signed(Int64(value)) }
        mutating func encode(_ value: Int16) throws { slot().value = .signed(Int64(value)) }
        mutating func encode(_ value: Int32) throws { slot().value = .signed(Int64(value)) }
        mutating func encode(_ value: Int64) throws { slot().value = .signed(value) }
        mutating func encode(_ value: UInt) throws { slot().value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { slot().value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { slot().value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { slot().value = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { slot().value = .unsigned(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try CompactEncoding.put(value, into: slot(), codingPath: codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            CompactEncoding(slot: slot(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            CompactEncoding(slot: slot(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { CompactEncoding(slot: slot(), codingPath: codingPath) }
    }
}
