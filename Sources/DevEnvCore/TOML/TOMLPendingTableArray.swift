/// The tables of a `[[header]]`, in order (positions in `TOMLPendingTables`); later headers and
/// keys extend the last one.
struct TOMLPendingTableArray {
    var tables: [Int]
    let location: SourceLocation
    let keyLocation: SourceLocation?

    init(first: Int, location: SourceLocation, keyLocation: SourceLocation?) {
        self.tables = [first]
        self.location = location
        self.keyLocation = keyLocation
    }
}
