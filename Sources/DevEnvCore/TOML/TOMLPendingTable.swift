/// A table while the document is still being read. It is a class so that `[headers]` and dotted
/// keys can reach into it and extend it in place; how it came to exist decides who may extend it
/// later (TOML 1.0 "tables" and "array of tables" rules).
final class TOMLPendingTable {
    enum Origin {
        /// Created on the way to a deeper header, `a` in `[a.b]`: a later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` (or as an element of `[[header]]`): never again.
        case header
        /// Created by a dotted key `a.b = 1`: other dotted keys may extend it, no header may define it.
        case dotted
    }

    enum Entry {
        /// A finished value: scalar, static array or inline table. Nothing may extend it.
        case value(TOMLNode)
        case table(TOMLPendingTable)
        case tableArray(TOMLPendingTableArray)
    }

    var origin: Origin
    /// How deep this table sits (the root is 0), to bound nesting.
    let depth: Int
    var location: SourceLocation
    var keyLocation: SourceLocation?
    private(set) var keys: [String] = []
    private var entries: [String: Entry] = [:]

    init(origin: Origin, depth: Int, location: SourceLocation, keyLocation: SourceLocation?) {
        self.origin = origin
        self.depth = depth
        self.location = location
        self.keyLocation = keyLocation
    }

    subscript(key: String) -> Entry? {
        entries[key]
    }

    /// Adds a key that is not there yet (callers check first).
    func add(_ key: String, _ entry: Entry) {
        keys.append(key)
        entries[key] = entry
    }

    /// The immutable table. Recursion depth is bounded by the parser's nesting limit.
    func finished() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            guard let entry = entries[key] else { continue }
            switch entry {
            case .value(let node):
                table[key] = node
            case .table(let sub):
                table[key] = sub.finishedNode()
            case .tableArray(let array):
                table[key] = TOMLNode(.array(array.tables.map { $0.finishedNode() }),
                                      at: array.location, keyLocation: array.keyLocation)
            }
        }
        return table
    }

    func finishedNode() -> TOMLNode {
        TOMLNode(.table(finished()), at: location, keyLocation: keyLocation)
    }
}

/// The tables of a `[[header]]`, in order; later headers and keys extend the last one.
final class TOMLPendingTableArray {
    var tables: [TOMLPendingTable]
    let location: SourceLocation
    let keyLocation: SourceLocation?

    init(first: TOMLPendingTable, location: SourceLocation, keyLocation: SourceLocation?) {
        self.tables = [first]
        self.location = location
        self.keyLocation = keyLocation
    }
}
