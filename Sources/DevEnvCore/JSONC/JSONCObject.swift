/// An object's members in the order written. JSON leaves duplicate names open; like VS Code,
/// the last one wins for lookups, and `duplicates` lets a reader report them.
public struct JSONCObject: Sendable, Equatable {
    public private(set) var members: [(name: String, node: JSONCNode)] = []
    private var index: [String: Int] = [:]
    /// Names written more than once, with the place of each later occurrence.
    public private(set) var duplicates: [(name: String, at: SourceLocation)] = []

    public init() {}

    public mutating func append(_ name: String, _ node: JSONCNode) {
        if index[name] != nil { duplicates.append((name, node.place)) }
        index[name] = members.count
        members.append((name, node))
    }

    public subscript(name: String) -> JSONCNode? { index[name].map { members[$0].node } }

    public var names: [String] { members.map(\.name) }
    public var isEmpty: Bool { members.isEmpty }

    /// The members a lookup sees: the last of each name, in the order first written.
    public var effectiveMembers: [(name: String, node: JSONCNode)] {
        members.enumerated().filter { index[$0.element.name] == $0.offset }.map(\.element)
    }

    public static func == (a: JSONCObject, b: JSONCObject) -> Bool {
        a.members.count == b.members.count
            && zip(a.members, b.members).allSatisfy { $0.name == $1.name && $0.node == $1.node }
    }
}
