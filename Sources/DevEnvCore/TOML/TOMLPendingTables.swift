/// Every table and array of tables of a document being read, side by side in two arrays and
/// named by position: one growing array instead of an object per table keeps table creation
/// cheap in documents made of many small tables.
struct TOMLPendingTables {
    /// The document's file, where every table stands.
    let file: String
    var tables: [TOMLPendingTable] = []
    var arrays: [TOMLPendingTableArray] = []

    init(file: String) {
        self.file = file
    }

    // Lookups are `mutating` to reach the table in place: a read (`tables[table][key]`) copies
    // the whole pending table, retaining and releasing its arrays, for every lookup.

    /// What `key` holds in `table`, if anything, and what adding it there needs (see
    /// `TOMLPendingTable.lookup`).
    mutating func lookup(_ key: String, in table: Int) -> (entry: TOMLPendingTable.Entry?, tag: UInt64?) {
        tables[table].lookup(key)
    }

    /// Where `key`, whose UTF-8 bytes are `utf8`, stands in `table` if it is there, and its hash
    /// tag for `add` (see `TOMLOrderedEntries.find(_:utf8:)`); what holds the key is not copied
    /// out (copying an entry holding a node costs reference counting), nor is the table.
    func find(_ key: String, utf8: UnsafeRawBufferPointer, in table: Int) -> (position: Int?, tag: UInt64?) {
        withTable(table) { $0.pointee.nodes.find(key, utf8: utf8) }
    }

    func depth(of table: Int) -> Int {
        withTable(table) { $0.pointee.depth }
    }

    func origin(of table: Int) -> TOMLPendingTable.Origin {
        withTable(table) { $0.pointee.origin }
    }

    func location(of table: Int) -> SourceLocation {
        withTable(table) { $0.pointee.location(in: file) }
    }

    /// Where `table` was defined, for messages: its key, or its header.
    func definedAt(_ table: Int) -> SourceLocation {
        withTable(table) { $0.pointee.keyLocation(in: file) ?? $0.pointee.location(in: file) }
    }

    /// Reads a table where it stands: through a pointer, not a copy of the whole table.
    private func withTable<Result>(_ table: Int, _ body: (UnsafePointer<TOMLPendingTable>) -> Result) -> Result {
        precondition(tables.indices.contains(table), "no pending table \(table)")
        return tables.withUnsafeBufferPointer { buffer in
            // A non-empty buffer (checked above) always has a base address.
            body(buffer.baseAddress.unsafelyUnwrapped + table)
        }
    }

    /// Adds a table and returns its position.
    mutating func newTable(origin: TOMLPendingTable.Origin, depth: Int, location: SourceLocation,
                           keyLocation: SourceLocation?) -> Int {
        newTable(origin: origin, depth: depth, line: location.line, column: location.column,
                 keyLine: keyLocation?.line ?? 0, keyColumn: keyLocation?.column ?? 0)
    }

    /// Adds a table standing at `line`:`column` of this file, its key at `keyLine`:`keyColumn`
    /// (0: no key); no location (and its file name) is made.
    mutating func newTable(origin: TOMLPendingTable.Origin, depth: Int, line: Int, column: Int,
                           keyLine: Int, keyColumn: Int) -> Int {
        tables.append(TOMLPendingTable(origin: origin, depth: depth, line: line, column: column,
                                       keyLine: keyLine, keyColumn: keyColumn))
        return tables.count - 1
    }

    /// Adds an array of tables holding `first` and returns its position.
    mutating func newArray(first: Int, location: SourceLocation, keyLocation: SourceLocation?) -> Int {
        arrays.append(TOMLPendingTableArray(first: first, location: location, keyLocation: keyLocation))
        return arrays.count - 1
    }

    /// The immutable table; call once, it empties the pending one. Recursion depth is bounded
    /// by the parser's nesting limit.
    mutating func finish(_ table: Int) -> TOMLTable {
        var finished = TOMLOrderedEntries<TOMLNode>()
        swap(&finished, &tables[table].nodes)
        var children: [TOMLPendingTable.Child] = []
        swap(&children, &tables[table].children)
        for position in children.indices {
            switch children[position] {
            case .table(let sub):
                finished.replaceValue(at: position, with: finishNode(sub))
            case .tableArray(let array):
                let elements = arrays[array].tables
                var nodes: [TOMLNode] = []
                nodes.reserveCapacity(elements.count)
                for element in elements { nodes.append(finishNode(element)) }
                finished.replaceValue(at: position, with: TOMLNode(.array(nodes), at: arrays[array].location,
                                                                   keyLocation: arrays[array].keyLocation))
            case .none:
                break
            }
        }
        return TOMLTable(storage: finished)
    }

    mutating func finishNode(_ table: Int) -> TOMLNode {
        let finished = finish(table)
        let (line, column, keyLine, keyColumn) = withTable(table) {
            ($0.pointee.line, $0.pointee.column, $0.pointee.keyLine, $0.pointee.keyColumn)
        }
        return TOMLNode(.table(finished), file: file, line: line, column: column, keyLine: keyLine, keyColumn: keyColumn)
    }

    /// Forgets the tables from `table` on (an inline table once finished: every table after it
    /// belongs to it, and no array of tables can stand in one), so that documents full of
    /// inline tables do not grow the arrays.
    mutating func discard(from table: Int) {
        tables.removeSubrange(table...)
    }
}
