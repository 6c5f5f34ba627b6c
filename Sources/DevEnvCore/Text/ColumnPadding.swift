/// Text columns padded with spaces, counted in Characters as `String.count` counts them.
///
/// Why (issue 14, callgrind on the static release build): `status --no-tui` lays out its table
/// after docker has answered, so every instruction there is on the path between docker's exit
/// and devenv's. `count` breaks graphemes one Character at a time, and `String(repeating:count:)`
/// went through generic code; both for every cell: about 0.1 M instructions of the table.
extension String {
    /// The number of Characters, the same as `count`: for ASCII text one per byte (a "\r\n"
    /// pair being one Character), without grapheme breaking; otherwise `count` itself.
    public var characterCount: Int {
        var characters = 0
        var previous: UInt8 = 0
        for byte in utf8 {
            guard byte < 0x80 else { return count }
            if !(previous == 0x0D && byte == 0x0A) { characters += 1 }
            previous = byte
        }
        return characters
    }

    /// The text followed by spaces up to `width` Characters (`characterCount`); unchanged when
    /// it is that long already.
    public func padded(toCount width: Int) -> String {
        let missing = width - characterCount
        guard missing > 0 else { return self }
        var text = self
        return text.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count + missing) { buffer in
                guard let target = buffer.baseAddress else { return 0 }
                if let source = bytes.baseAddress { target.update(from: source, count: bytes.count) }
                (target + bytes.count).initialize(repeating: UInt8(ascii: " "), count: missing)
                return bytes.count + missing
            }
        }
    }
}
