/// Text of a byte stream that arrives in reads (a child's output, a container's log), decoded as
/// UTF-8 across the reads' boundaries: a read may end inside a character (2 to 4 bytes), and
/// decoding each read on its own turns both halves into U+FFFD. The 1 to 3 bytes that may
/// begin a character still to be completed are held for the next read; anything else that is
/// not UTF-8 is replaced with U+FFFD as `String(decoding:as:)` does. The one rule for every
/// reader that decodes a stream in pieces, and for a cut of a byte run to a length
/// (`completeLength`: a line cut at its longest shows no half character).
public struct UTF8StreamDecoder: Sendable {
    private var held: [UInt8] = []

    public init() {}

    /// The text of what was held and `bytes`, up to the last character that is complete; the
    /// start of one that is not yet (at most 3 bytes) is held.
    public mutating func decode(_ bytes: [UInt8]) -> String {
        if held.isEmpty {
            let end = Self.completeLength(bytes)
            if end < bytes.count { held = Array(bytes[end...]) }
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
        var joined = held
        joined += bytes
        let end = Self.completeLength(joined)
        held = Array(joined[end...])
        return String(decoding: joined[..<end], as: UTF8.self)
    }

    /// What is held at the stream's end (an unfinished character, shown as U+FFFD), then nothing.
    public mutating func finish() -> String {
        defer { held.removeAll() }
        return String(decoding: held, as: UTF8.self)
    }

    /// The length of `bytes` without a last character that has not all come: its lead byte
    /// (C2-F4) and fewer continuation bytes (80-BF) than the lead says. Bytes that cannot
    /// begin a character are not held back (they are U+FFFD whatever follows).
    public static func completeLength<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8, Bytes.Index == Int {
        let end = bytes.endIndex
        var lead = end - 1
        // At most 3 continuation bytes can follow a lead that is still waiting for more.
        while lead >= bytes.startIndex, end - lead <= 3, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= bytes.startIndex else { return bytes.count }
        let byte = bytes[lead]
        let length: Int
        switch byte {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return bytes.count
        }
        return end - lead < length ? lead - bytes.startIndex : bytes.count
    }
}
