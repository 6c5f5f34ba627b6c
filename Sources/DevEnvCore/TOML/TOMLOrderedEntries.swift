/// Keys in definition order with their values. Keys and values sit side by side in one array
/// (one allocation per table: documents can hold tens of thousands of tiny tables). Most TOML
/// tables hold a handful of keys, so small ones are searched linearly and only larger ones get
/// a hash index.
struct TOMLOrderedEntries<Value> {
    struct Entry {
        var key: String
        var value: Value
    }

    private(set) var entries: [Entry] = []
    /// Position of each key; nil while the table is small.
    private var index: TOMLKeyIndex?

    /// Beyond this many keys, lookups go through `index`.
    private static var linearLimit: Int { 16 }

    init() {}

    var count: Int { entries.count }
    var keys: [String] { entries.map(\.key) }

    func position(of key: String) -> Int? {
        find(key).position
    }

    /// Where `key` stands, and its hash tag when the table is indexed: adding the key right
    /// after a miss can pass it to `append` instead of hashing the key again.
    func find(_ key: String) -> (position: Int?, tag: UInt64?) {
        if let index {
            let tag = TOMLKeyIndex.tag(key)
            return (index.position(of: key, tag: tag, in: entries), tag)
        }
        let position = entries.withUnsafeBufferPointer { buffer -> Int? in
            for i in buffer.indices where buffer[i].key == key { return i }
            return nil
        }
        return (position, nil)
    }

    /// `find` for a key whose UTF-8 bytes are at hand (the parser's, in the document): they are
    /// hashed only if the table is indexed, and hashing them needs no string.
    func find(_ key: String, utf8: UnsafeRawBufferPointer) -> (position: Int?, tag: UInt64?) {
        guard let index else { return find(key) }
        let tag = TOMLKeyIndex.tag(utf8: utf8)
        return (index.position(of: key, tag: tag, in: entries), tag)
    }

    subscript(key: String) -> Value? {
        position(of: key).map { entries[$0].value }
    }

    func value(at position: Int) -> Value {
        entries[position].value
    }

    /// Adds a key that is not there yet; `tag` is what `find` said for it, if it was just asked.
    mutating func append(_ key: consuming String, _ value: consuming Value, tag: UInt64? = nil) {
        if entries.isEmpty {
            // An array literal takes the quickest allocation path, and many tables keep one key;
            // tables with more then grow 1, 4, 8 (growing 1, 2, 4, 8 costs a reallocation more).
            entries = [Entry(key: key, value: value)]
            return
        }
        if entries.count == 1 { entries.reserveCapacity(4) }
        if index != nil {
            index?.insert(tag: tag ?? TOMLKeyIndex.tag(key), at: entries.count)
        }
        entries.append(Entry(key: key, value: value))
        if index == nil, entries.count > Self.linearLimit {
            index = TOMLKeyIndex(entries)
        }
    }

    mutating func replaceValue(at position: Int, with value: consuming Value) {
        entries[position].value = value
    }

    mutating func remove(at position: Int) {
        entries.remove(at: position)
        if index != nil {
            index = entries.count > Self.linearLimit ? TOMLKeyIndex(entries) : nil
        }
    }

    /// Equal when the same keys, in the same order, hold equal values.
    static func sameEntries(_ a: Self, _ b: Self, by equal: (Value, Value) -> Bool) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && equal($0.value, $1.value) }
    }
}

extension TOMLOrderedEntries: Sendable where Value: Sendable {}
extension TOMLOrderedEntries.Entry: Sendable where Value: Sendable {}
