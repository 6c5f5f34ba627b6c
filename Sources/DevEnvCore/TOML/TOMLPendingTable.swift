/// A table while the document is still being read. It lives in `TOMLPendingTables` and is
/// named by its position there, so that `[headers]` and dotted keys can reach into it and extend
/// it in place without a class instance (and its reference counting) per table; how it came to
/// exist decides who may extend it later (TOML 1.0 "tables" and "array of tables" rules).
struct TOMLPendingTable {
    enum Origin {
        /// Created on the way to a deeper header, `a` in `[a.b]`: a later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` (or as an element of `[[header]]`): never again.
        case header
        /// Created by a dotted key `a.b = 1`: other dotted keys may extend it, no header may define it.
        case dotted
    }

    /// What a key holds; tables and arrays of tables by their position in `TOMLPendingTables`.
    enum Entry {
        /// A finished value: scalar, static array or inline table. Nothing may extend it.
        case value(TOMLNode)
        case table(Int)
        case tableArray(Int)
    }

    var origin: Origin
    /// How deep this table sits (the root is 0), to bound nesting.
    let depth: Int
    /// Where it stands (its header, or its key for tables made on the way) and where its key
    /// was written (0: no key, the root and inline tables); the file is the document's, so it is
    /// not kept per table.
    var line: Int
    var column: Int
    var keyLine: Int
    var keyColumn: Int
    /// The nodes already in their final form; a table or array of tables still being read has a
    /// placeholder here and its pending form at the same position in `children`. Finishing
    /// fills the placeholders in place, so values are never copied from one container to
    /// another.
    var nodes = TOMLOrderedEntries<TOMLNode>()
    /// Shorter than `nodes` when the last keys hold plain values (a leaf table allocates none).
    var children: [Child] = []

    enum Child {
        case none
        case table(Int)
        case tableArray(Int)
    }

    /// `keyLine` 0: no key.
    init(origin: Origin, depth: Int, line: Int, column: Int, keyLine: Int, keyColumn: Int) {
        self.origin = origin
        self.depth = depth
        self.line = line
        self.column = column
        self.keyLine = keyLine
        self.keyColumn = keyColumn
    }

    func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    func keyLocation(in file: String) -> SourceLocation? {
        keyLine == 0 ? nil : SourceLocation(file: file, line: keyLine, column: keyColumn)
    }

    /// A table made on the way to a deeper header, now defined by its own header.
    mutating func define(at location: SourceLocation, keyLocation: SourceLocation) {
        origin = .header
        line = location.line
        column = location.column
        keyLine = keyLocation.line
        keyColumn = keyLocation.column
    }

    /// What `key` holds, and its hash tag for `add` when it holds nothing (see
    /// `TOMLOrderedEntries.find`). `mutating` only so that callers reach the table in place rather
    /// than through a copy.
    mutating func lookup(_ key: String) -> (entry: Entry?, tag: UInt64?) {
        let found = nodes.find(key)
        guard let position = found.position else { return (nil, found.tag) }
        switch position < children.count ? children[position] : .none {
        case .table(let table): return (.table(table), nil)
        case .tableArray(let array): return (.tableArray(array), nil)
        case .none: return (.value(nodes.value(at: position)), nil)
        }
    }

    /// Adds a key that is not there yet (callers check first, with `lookup` or
    /// `TOMLPendingTables.find`: `tag` is their answer). The node is taken, not copied.
    mutating func add(_ key: consuming String, _ node: consuming TOMLNode, tag: UInt64?) {
        nodes.append(key, node, tag: tag)
    }

    /// Adds a key that is not there yet for a table or array of tables still being read, with a
    /// placeholder node until it is finished; `tag` as for values.
    mutating func add(_ key: consuming String, _ child: Child, tag: UInt64?) {
        // Never seen: finishing replaces it (so it need not hold the file name).
        nodes.append(key, TOMLNode(.boolean(false), file: "", line: 0, column: 0, keyLine: 0, keyColumn: 0), tag: tag)
        if children.count < nodes.count - 1 {
            children.append(contentsOf: repeatElement(.none, count: nodes.count - 1 - children.count))
        }
        children.append(child)
    }
}
