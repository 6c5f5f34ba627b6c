/// A stable 64-bit FNV-1a digest, for "did this change?" questions (image inputs, container
/// settings). Swift's Hasher is seeded per process, so it cannot be stored in a label.
public struct Fingerprint: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { add(buffer: $0) }
    }

    /// The text's UTF-8 bytes, as `add(Array(text.utf8))` (the same digest) without the copy.
    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(buffer: $0) }
    }

    private mutating func add(buffer bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01b3
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        state ^= 0xff
        state = state &* 0x0000_0100_0000_01b3
    }

    /// The digest as a number.
    public var value: UInt64 { state }

    /// 16 lowercase hex digits.
    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The first 12 digits, as image tags show them.
    public var short: String { String(hex.prefix(12)) }
}
