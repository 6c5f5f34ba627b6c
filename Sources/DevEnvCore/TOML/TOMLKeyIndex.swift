/// Where each key of a large table stands: an open-addressing hash table of positions into the
/// table's entries. It keeps each key's hash next to its position, so growing never hashes a key
/// again, and it holds no keys of its own (no copies, no reference counting). Keys are hashed
/// with a per-process random seed (see `tag(utf8:)`), so crafted keys cannot make lookups degrade.
struct TOMLKeyIndex: Sendable {
    /// 0 is an empty slot; otherwise the upper 32 bits of the key's hash and the position + 1.
    /// Its count is a power of two. It is the only stored property, so that an index adds one
    /// word to every table value (the number of keys is the table's).
    private var slots: [UInt64]

    private var mask: Int { slots.count - 1 }

    /// An index of `entries`, whose keys are unique.
    init<Value>(_ entries: [TOMLOrderedEntries<Value>.Entry]) {
        var capacity = 16
        while capacity < entries.count * 4 { capacity *= 2 }
        slots = [UInt64](repeating: 0, count: capacity)
        for (position, entry) in entries.enumerated() {
            insert(tag: Self.tag(entry.key), at: position)
        }
    }

    /// 32 bits of the key's hash, in the upper half (the lower half holds a position). Callers
    /// that look a key up and then add it pass the tag along rather than hash the key twice.
    static func tag(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { tag(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The tag of the key whose UTF-8 bytes are `utf8` (the parser hashes keys where they stand
    /// in the document, before a string is made).
    ///
    /// The hash is a folded multiply (as foldhash and ahash use) over eight bytes at a time,
    /// keyed by `seed`: a few multiplications for a short key, where the standard library's
    /// SipHash (`String.hashValue`) took about 230 instructions, a tenth of decoding a one-key
    /// table, and a large table hashes every key it is asked for. The seed is random per
    /// process, so crafted keys cannot aim at colliding slots.
    static func tag(utf8: UnsafeRawBufferPointer) -> UInt64 {
        let count = utf8.count
        var hash = seed.0 ^ UInt64(count)
        var offset = 0
        while offset + 8 <= count {
            hash = fold(hash ^ utf8.loadUnaligned(fromByteOffset: offset, as: UInt64.self), seed.1)
            offset += 8
        }
        if offset < count {
            var last: UInt64 = 0
            withUnsafeMutableBytes(of: &last) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: utf8[offset...])) }
            hash = fold(hash ^ last, seed.1)
        }
        return fold(hash, seed.2) & 0xFFFF_FFFF_0000_0000
    }

    /// The full 128-bit product of `a` and `b`, its halves xor-ed: every input bit reaches the
    /// upper bits, which are the ones a tag keeps.
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Three random odd words, from the standard library's per-process random hashing seed
    /// (so `SWIFT_DETERMINISTIC_HASHING` makes them fixed, as it does for `Hasher`).
    private static let seed: (UInt64, UInt64, UInt64) = {
        func word(_ n: UInt64) -> UInt64 {
            var hasher = Hasher()
            hasher.combine(n)
            return UInt64(UInt(bitPattern: hasher.finalize())) | 1
        }
        return (word(1), word(2), word(3))
    }()

    /// Where probing for a key starts: from its tag alone, so that growing can place a slot
    /// again without its key.
    private func start(_ tag: UInt64) -> Int {
        Int(truncatingIfNeeded: tag >> 32) & mask
    }

    func position<Value>(of key: String, tag: UInt64, in entries: [TOMLOrderedEntries<Value>.Entry]) -> Int? {
        let mask = self.mask
        var i = start(tag)
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                while true {
                    let slot = slots[i]
                    if slot == 0 { return nil }
                    if slot & 0xFFFF_FFFF_0000_0000 == tag {
                        let position = Int(slot & 0xFFFF_FFFF) - 1
                        if entries[position].key == key { return position }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// Adds a key that is not there yet, standing at `position` (after all the others: the
    /// index then holds `position + 1` keys).
    mutating func insert(tag: UInt64, at position: Int) {
        if (position + 1) * 2 > slots.count { grow() }
        place(tag | UInt64(position + 1))
    }

    private mutating func place(_ slot: UInt64) {
        let mask = self.mask
        var i = start(slot & 0xFFFF_FFFF_0000_0000)
        slots.withUnsafeMutableBufferPointer { slots in
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// Twice the room; each slot's tag says where it goes, no key is hashed again.
    private mutating func grow() {
        var grown = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = grown.count - 1
        slots.withUnsafeBufferPointer { old in
            grown.withUnsafeMutableBufferPointer { new in
                for slot in old where slot != 0 {
                    var i = Int(truncatingIfNeeded: slot >> 32) & mask
                    while new[i] != 0 { i = (i + 1) & mask }
                    new[i] = slot
                }
            }
        }
        slots = grown
    }
}
