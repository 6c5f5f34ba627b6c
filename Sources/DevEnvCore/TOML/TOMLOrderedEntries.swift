/// Keys in definition order with their values. Most TOML tables hold a handful of keys, so
/// small ones are searched linearly and only larger ones get a hash index; the index maps a
/// key to its position, so a table with the same keys in the same order can share it as is
/// (a finished `TOMLTable` reuses the index of the table it was read into: no rehashing).
struct TOMLOrderedEntries<Value> {
    private(set) var keys: [String] = []
    private(set) var values: [Value] = []
    /// Position of each key; nil while the table is small.
    private(set) var index: [String: Int]?

    /// Beyond this many keys, lookups go through `index`.
    private static var linearLimit: Int { 16 }
    /// Room reserved on the first key.
    private static var initialCapacity: Int { 2 }

    init() {}

    /// The same keys with other values (`values.count` must equal `keys.count`).
    init<Other>(keysOf other: TOMLOrderedEntries<Other>, values: [Value]) {
        self.keys = other.keys
        self.values = values
        self.index = other.index
    }

    var count: Int { keys.count }

    func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in keys.indices where keys[i] == key { return i }
        return nil
    }

    subscript(key: String) -> Value? {
        position(of: key).map { values[$0] }
    }

    /// Adds a key that is not there yet.
    mutating func append(_ key: String, _ value: Value) {
        if keys.isEmpty {
            // Growing 1, 2, 4, 8 one reallocation at a time costs more than this.
            keys.reserveCapacity(Self.initialCapacity)
            values.reserveCapacity(Self.initialCapacity)
        }
        keys.append(key)
        values.append(value)
        if index != nil {
            index?[key] = keys.count - 1
        } else if keys.count > Self.linearLimit {
            var built = [String: Int](minimumCapacity: keys.count * 2)
            for (i, k) in keys.enumerated() { built[k] = i }
            index = built
        }
    }

    mutating func replaceValue(at position: Int, with value: Value) {
        values[position] = value
    }

    mutating func remove(at position: Int) {
        keys.remove(at: position)
        values.remove(at: position)
        if index != nil {
            var built = [String: Int](minimumCapacity: keys.count * 2)
            for (i, k) in keys.enumerated() { built[k] = i }
            index = keys.count > Self.linearLimit ? built : nil
        }
    }
}

extension TOMLOrderedEntries: Sendable where Value: Sendable {}
