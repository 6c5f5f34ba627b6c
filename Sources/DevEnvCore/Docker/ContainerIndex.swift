/// One `docker ps` answer indexed once, for callers that judge many names against it: `status`
/// and the dashboard judge every profile's container, its services' and its orphans against the
/// one answer that lists them all. Scanning the whole answer per name made `status` quadratic
/// in profiles (40 profiles: 49 K instructions a profile spent in these scans; 160 profiles:
/// 189 K, callgrind, issue 14). The rule stays `ContainerOwnership`'s; this only finds the
/// candidates.
public struct ContainerIndex: Sendable {
    /// The answer as docker gave it, in its order.
    public let all: [ContainerSnapshot]
    /// Position in `all` of the first container by name, without the "/" docker may put first.
    private let byName: [String: Int]
    /// Positions in `all` by the value of the `devenv.profile` label (`ResourceNames.profileLabel`).
    private let byProfileLabel: [String: [Int]]

    public init(_ containers: [ContainerSnapshot]) {
        all = containers
        var byName = [String: Int](minimumCapacity: containers.count)
        var byProfileLabel: [String: [Int]] = [:]
        for (position, container) in containers.enumerated() {
            let name = container.name.utf8.first == UInt8(ascii: "/") ? String(container.name.dropFirst()) : container.name
            // The first holder wins, as `containers.first(where:)` found it.
            if byName[name] == nil { byName[name] = position }
            if let profile = container.labels[ResourceNames.profileLabel] { byProfileLabel[profile, default: []].append(position) }
        }
        self.byName = byName
        self.byProfileLabel = byProfileLabel
    }

    /// The container named `name` (docker's leading "/" or not), the first one when docker listed
    /// two; nil when none is.
    public func named(_ name: String) -> ContainerSnapshot? {
        // devenv's names never start with "/"; one that does is looked for as the scan looks.
        if name.utf8.first == UInt8(ascii: "/") { return all.first { Self.holds($0, name: name) } }
        return byName[name].map { all[$0] }
    }

    /// Whether `container` holds the name `name`: docker prints it with or without a leading "/".
    public static func holds(_ container: ContainerSnapshot, name: String) -> Bool {
        // No "/" + name per comparison: `status` asked this for every profile of every
        // container, and the allocations were most of its cost with 40 profiles (issue 14).
        container.name == name || container.name.utf8.first == UInt8(ascii: "/") && container.name.dropFirst() == name
    }

    /// The containers whose `devenv.profile` label is `profile`, in the answer's order: the only
    /// ones that can be devenv's for an environment of that profile (`ResourceNames.owns` asks
    /// for that label among others).
    public func labelled(profile: String) -> [ContainerSnapshot] {
        (byProfileLabel[profile] ?? []).map { all[$0] }
    }
}
