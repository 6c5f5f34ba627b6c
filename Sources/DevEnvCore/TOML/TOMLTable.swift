/// A table with its keys in the order they were first defined.
public struct TOMLTable: Sendable, Equatable {
    private var storage = TOMLOrderedEntries<TOMLNode>()

    public init() {}

    /// A table from entries read in order (the keys are unique).
    init(storage: TOMLOrderedEntries<TOMLNode>) {
        self.storage = storage
    }

    public var keys: [String] { storage.keys }

    public subscript(key: String) -> TOMLNode? {
        get { storage[key] }
        set {
            let position = storage.position(of: key)
            switch (position, newValue) {
            case (let position?, let newValue?): storage.replaceValue(at: position, with: newValue)
            case (nil, let newValue?): storage.append(key, newValue)
            case (let position?, nil): storage.remove(at: position)
            case (nil, nil): break
            }
        }
    }

    public var isEmpty: Bool { storage.count == 0 }
    public var count: Int { storage.count }

    /// The entries in definition order.
    public var entries: [(key: String, node: TOMLNode)] {
        storage.entries.map { (key: $0.key, node: $0.value) }
    }

    /// Equal when the same keys, in the same order, hold equal nodes.
    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        TOMLOrderedEntries.sameEntries(a.storage, b.storage, by: ==)
    }
}
