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
    /// The nodes already in their final form; a table or array of tables still being read has a
    /// placeholder here and its pending form at the same position in `children`. Finishing
    /// fills the placeholders in place, so values are never copied from one container to
    /// another.
    private var nodes = TOMLOrderedEntries<TOMLNode>()
    /// Shorter than `nodes` when the last keys hold plain values (a leaf table allocates none).
    private var children: [Child?] = []

    private enum Child {
        case table(TOMLPendingTable)
        case tableArray(TOMLPendingTableArray)
    }

    init(origin: Origin, depth: Int, location: SourceLocation, keyLocation: SourceLocation?) {
        self.origin = origin
        self.depth = depth
        self.location = location
        self.keyLocation = keyLocation
    }

    subscript(key: String) -> Entry? {
        guard let position = nodes.position(of: key) else { return nil }
        switch position < children.count ? children[position] : nil {
        case .table(let table)?: return .table(table)
        case .tableArray(let array)?: return .tableArray(array)
        case nil: return .value(nodes.values[position])
        }
    }

    /// Adds a key that is not there yet (callers check first).
    func add(_ key: String, _ entry: Entry) {
        let child: Child
        switch entry {
        case .value(let node):
            nodes.append(key, node)
            return
        case .table(let table):
            nodes.append(key, TOMLNode(.boolean(false), at: table.location))
            child = .table(table)
        case .tableArray(let array):
            nodes.append(key, TOMLNode(.boolean(false), at: array.location))
            child = .tableArray(array)
        }
        while children.count < nodes.count - 1 { children.append(nil) }
        children.append(child)
    }

    /// The immutable table; call once, it empties this one. Recursion depth is bounded by the
    /// parser's nesting limit.
    func finished() -> TOMLTable {
        var finished = TOMLOrderedEntries<TOMLNode>()
        swap(&finished, &nodes)
        for (position, child) in children.enumerated() {
            switch child {
            case .table(let table)?:
                finished.replaceValue(at: position, with: table.finishedNode())
            case .tableArray(let array)?:
                finished.replaceValue(at: position, with: TOMLNode(.array(array.tables.map { $0.finishedNode() }),
                                                                   at: array.location, keyLocation: array.keyLocation))
            case nil:
                break
            }
        }
        children = []
        return TOMLTable(storage: finished)
    }

    func finishedNode() -> TOMLNode {
        TOMLNode(.table(finished()), at: location, keyLocation: keyLocation)
    }
}
