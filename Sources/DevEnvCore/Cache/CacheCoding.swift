/// A value the configuration cache stores (`ConfigurationCache`): written field by field in
/// declaration order, read back in the same order, no keys and no boxes.
///
/// Why not `Codable`: decoding the same entry through synthesized `Codable` conformances (a
/// small binary format of our own, no JSON) cost 2.6 million instructions, each field behind a
/// type-erased container, where reading and resolving the configuration it replaced cost 1.0
/// million (callgrind, `status`, issue 14). Written by hand, a field could be left out: the
/// round-trip test (`ConfigurationCacheFormatTests`) sets every stored property of every stored
/// type to a non-default value, checked by reflection, so a field added and not written fails it.
public protocol CacheCoding {
    func write(to writer: inout CacheWriter)
    init(from reader: inout CacheReader) throws
}

/// The bytes being written.
public struct CacheWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func put<T: CacheCoding>(_ value: T) { value.write(to: &self) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func append(_ text: String) { bytes += text.utf8 }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

/// The bytes being read: every read is bounds-checked, and bytes that are not what was written
/// throw `CacheReader.Corrupt` (the cache is then ignored), never crash.
public struct CacheReader {
    public struct Corrupt: Error, Sendable {
        public init() {}
    }

    let bytes: [UInt8]
    var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func get<T: CacheCoding>(_ type: T.Type = T.self) throws -> T { try T(from: &self) }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Corrupt() }
        offset += 1
        return bytes[offset - 1]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Corrupt() }
            result |= UInt64(next & 0x7f) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    /// A count of things each at least one byte long: never more than the bytes left.
    mutating func count() throws -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - offset) else { throw Corrupt() }
        return Int(value)
    }

    /// Not validated as UTF-8 again (what was written was a String): the cache file's checksum
    /// (`ConfigurationCache`) stands for its bytes, and validating every text cost a third of
    /// reading the entry.
    mutating func string() throws -> String {
        let length = try count()
        let text = bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + length]), as: UTF8.self)
        }
        offset += length
        return text
    }
}

extension String: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.varint(UInt64(utf8.count))
        writer.append(self)
    }
    public init(from reader: inout CacheReader) throws { self = try reader.string() }
}

extension Bool: CacheCoding {
    public func write(to writer: inout CacheWriter) { writer.byte(self ? 1 : 0) }
    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = false
        case 1: self = true
        default: throw CacheReader.Corrupt()
        }
    }
}

extension Int64: CacheCoding {
    /// Zigzag, so small negative numbers stay short.
    public func write(to writer: inout CacheWriter) { writer.varint(UInt64(bitPattern: (self << 1) ^ (self >> 63))) }
    public init(from reader: inout CacheReader) throws {
        let raw = try reader.varint()
        self = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}

extension Int: CacheCoding {
    public func write(to writer: inout CacheWriter) { Int64(self).write(to: &writer) }
    public init(from reader: inout CacheReader) throws {
        guard let value = Int(exactly: try Int64(from: &reader)) else { throw CacheReader.Corrupt() }
        self = value
    }
}

extension UInt64: CacheCoding {
    public func write(to writer: inout CacheWriter) { writer.varint(self) }
    public init(from reader: inout CacheReader) throws { self = try reader.varint() }
}

extension UInt32: CacheCoding {
    public func write(to writer: inout CacheWriter) { writer.varint(UInt64(self)) }
    public init(from reader: inout CacheReader) throws {
        guard let value = UInt32(exactly: try reader.varint()) else { throw CacheReader.Corrupt() }
        self = value
    }
}

extension Optional: CacheCoding where Wrapped: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        switch self {
        case .none: writer.byte(0)
        case .some(let value):
            writer.byte(1)
            value.write(to: &writer)
        }
    }
    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = .none
        case 1: self = .some(try Wrapped(from: &reader))
        default: throw CacheReader.Corrupt()
        }
    }
}

extension Array: CacheCoding where Element: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.varint(UInt64(count))
        for element in self { element.write(to: &writer) }
    }
    public init(from reader: inout CacheReader) throws {
        let count = try reader.count()
        self = []
        reserveCapacity(count)
        for _ in 0..<count { append(try Element(from: &reader)) }
    }
}

extension Set: CacheCoding where Element: CacheCoding {
    public func write(to writer: inout CacheWriter) { Array(self).write(to: &writer) }
    public init(from reader: inout CacheReader) throws { self = Set(try [Element](from: &reader)) }
}

extension Dictionary: CacheCoding where Key: CacheCoding, Value: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.varint(UInt64(count))
        for (key, value) in self {
            key.write(to: &writer)
            value.write(to: &writer)
        }
    }
    public init(from reader: inout CacheReader) throws {
        let count = try reader.count()
        self = [:]
        reserveCapacity(count)
        for _ in 0..<count {
            let key = try Key(from: &reader)
            self[key] = try Value(from: &reader)
        }
    }
}

/// Enums with a text raw value are stored as it.
extension CacheCoding where Self: RawRepresentable, RawValue == String {
    public func write(to writer: inout CacheWriter) { rawValue.write(to: &writer) }
    public init(from reader: inout CacheReader) throws {
        guard let value = Self(rawValue: try String(from: &reader)) else { throw CacheReader.Corrupt() }
        self = value
    }
}
