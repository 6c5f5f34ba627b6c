/// A container or volume devenv made for this project in a folder that no longer exists on this
/// machine: the project was moved or renamed (names carry the folder's tag, `ResourceNames`, so
/// the new place starts its own environment), or the folder was deleted. `prune` lists them with
/// how to remove them; nothing removes them by itself: a folder that is missing here (an unmounted
/// disk, another machine's engine through DOCKER_HOST) is not proof that nobody uses them.
public struct LeftBehind: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case container, volume }

    public var kind: Kind
    public var name: String
    /// The container's ID; a volume's name.
    public var id: String
    /// The folder it was made for (its `devenv.root` label).
    public var root: String
    /// Its `devenv.profile` label.
    public var profile: String

    /// The objects among `containers` and `volumes` (listed by the `devenv.project` label) that
    /// devenv made for `names.project` in another folder, an absolute path for which
    /// `folderExists` says no; sorted by folder, kind and name.
    public static func find(containers: [ContainerSnapshot], volumes: [VolumeSnapshot], names: ResourceNames,
                            folderExists: (String) -> Bool) -> [LeftBehind] {
        func gone(_ labels: [String: String]) -> (root: String, profile: String)? {
            guard labels[ResourceNames.projectLabel] == names.project, let root = labels[ResourceNames.rootLabel],
                  root.hasPrefix("/"), root != names.projectRoot, !folderExists(root) else { return nil }
            return (root, labels[ResourceNames.profileLabel] ?? "")
        }
        var found: [LeftBehind] = containers.compactMap { container in
            gone(container.labels).map { LeftBehind(kind: .container, name: ContainerSnapshot.plainName(container.name), id: container.id,
                                                     root: $0.root, profile: $0.profile) }
        }
        found += volumes.compactMap { volume in
            gone(volume.labels).map { LeftBehind(kind: .volume, name: volume.name, id: volume.name, root: $0.root, profile: $0.profile) }
        }
        return found.sorted { ($0.root, $0.kind.rawValue, $0.name) < ($1.root, $1.kind.rawValue, $1.name) }
    }

    /// The command that removes it, by ID for a container (`cli`: the docker CLI devenv runs).
    public func removal(cli: String) -> [String] {
        switch kind {
        case .container: return [cli, "rm", "--force", String(id.prefix(12))]
        case .volume: return [cli, "volume", "rm", name]
        }
    }
}
