/// Cuts a byte stream into lines (docker events and stats print one JSON object a line).
struct LineSplitter {
    private var partial: [UInt8] = []

    mutating func lines(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        for byte in bytes {
            if byte == 0x0A {
                out.append(String(decoding: partial, as: UTF8.self))
                partial.removeAll(keepingCapacity: true)
            } else {
                partial.append(byte)
            }
        }
        if partial.count > 1 << 20 { partial.removeAll() } // not a line protocol after all
        return out
    }

    /// The unfinished last line, when the stream ended.
    mutating func rest() -> String {
        defer { partial.removeAll() }
        return String(decoding: partial, as: UTF8.self)
    }
}
