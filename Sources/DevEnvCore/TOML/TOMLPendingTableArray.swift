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
