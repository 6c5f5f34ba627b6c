/// A container, volume or image devenv made for this project that this folder's environments no
/// longer name: made in a folder that no longer exists on this machine (the project was moved or
/// renamed: names carry the folder's tag, `ResourceNames`, so the new place starts its own
/// environment; or the folder was deleted), or made in this folder under another project name
/// (the project was renamed in devenv.toml, or its folder-derived name changed). `prune` lists
/// them with how to remove them; nothing removes them by itself: a folder that is missing here
/// (an unmounted disk, another machine's engine through DOCKER_HOST) is not proof that nobody
/// uses them, and another project name may be a second configuration's in the same folder.
public struct LeftBehind: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case container, volume, image }

    /// Why this folder's environments do not name it.
    public enum Reason: String, Sendable, Hashable {
        /// This project's, made in a folder that no longer exists.
        case folderGone
        /// Made in this folder for another project name.
        case renamed
    }

    public var kind: Kind
    /// A container's or volume's name; an image's first name, else its short ID.
    public var name: String
    /// The container's or image's ID; a volume's name.
    public var id: String
    /// The folder it was made for (its `devenv.root` label).
    public var root: String
    /// Its `devenv.profile` label.
    public var profile: String
    /// Its `devenv.project` label.
    public var project: String = ""
    public var reason: Reason = .folderGone
    /// An image's names that are left behind with it, as the engine lists them (empty for an
    /// untagged image and for the other kinds): not this folder's.
    public var imageNames: [String] = []
    /// The image also carries names of this folder (Podman 4.3's build cache gives a second
    /// folder's build the first folder's image): those stay, so it is removed by its other
    /// names only, never by ID.
    public var keepsThisFoldersNames = false

    /// The objects among `containers` and `volumes` (listed by the `devenv.project` label and by
    /// the `devenv.root` label; one listed twice counts once) and `images` that devenv made (all
    /// three of its labels there) for `names.project` in another folder, an absolute path for
    /// which `folderExists` says no, or in `names.projectRoot` for another project; sorted by
    /// reason, folder, kind and name. A volume only under the name devenv gives the volume its
    /// labels describe (`ResourceNames.madeVolume`). An image only when it is devenv's alone
    /// (`ImageSelection.notDevenvsAlone`, with `built`): an image the user built FROM one of
    /// devenv's inherits the labels, and one they named is theirs too.
    public static func find(containers: [ContainerSnapshot], volumes: [VolumeSnapshot], images: [ImageSnapshot],
                            built: Set<String>, names: ResourceNames, folderExists: (String) -> Bool) -> [LeftBehind] {
        func left(_ labels: [String: String]) -> (root: String, profile: String, project: String, reason: Reason)? {
            guard let project = labels[ResourceNames.projectLabel], !project.isEmpty, let root = labels[ResourceNames.rootLabel],
                  root.hasPrefix("/"), let profile = labels[ResourceNames.profileLabel], !profile.isEmpty else { return nil }
            if root == names.projectRoot { return project == names.project ? nil : (root, profile, project, .renamed) }
            guard project == names.project, !folderExists(root) else { return nil }
            return (root, profile, project, .folderGone)
        }
        var seen: Set<String> = []
        var found: [LeftBehind] = containers.compactMap { container in
            guard seen.insert("c" + container.id).inserted, let why = left(container.labels) else { return nil }
            return LeftBehind(kind: .container, name: ContainerSnapshot.plainName(container.name), id: container.id,
                              root: why.root, profile: why.profile, project: why.project, reason: why.reason)
        }
        found += volumes.compactMap { volume in
            // Named as devenv names the volume its labels describe (`madeVolume`): copied labels
            // on a volume of another name (a backup) make it no volume devenv left.
            guard seen.insert("v" + volume.name).inserted, let why = left(volume.labels),
                  ResourceNames(project: why.project, profile: why.profile, projectRoot: why.root).madeVolume(volume.name, labels: volume.labels)
            else { return nil }
            return LeftBehind(kind: .volume, name: volume.name, id: volume.name, root: why.root, profile: why.profile,
                              project: why.project, reason: why.reason)
        }
        found += images.compactMap { image in
            guard image.isBuiltByDevenv, let why = left(image.labels),
                  ImageSelection.notDevenvsAlone(image, built: built) == nil else { return nil }
            // This folder's names on it are this folder's (`ImageSelection` judges them), not left behind.
            let others = image.tags.filter { !names.isImageName($0) }
            guard others.count == image.tags.count || !others.isEmpty else { return nil }
            return LeftBehind(kind: .image, name: others.first.map(ImageSnapshot.plain) ?? ImageSnapshot.shortID(image.id), id: image.id,
                              root: why.root, profile: why.profile, project: why.project, reason: why.reason, imageNames: others,
                              keepsThisFoldersNames: others.count != image.tags.count)
        }
        return found.sorted {
            ($0.reason.rawValue, $0.root, $0.kind.rawValue, $0.name) < ($1.reason.rawValue, $1.root, $1.kind.rawValue, $1.name)
        }
    }

    /// The command that removes it (`cli`: the docker CLI devenv runs): a container by ID; an
    /// image by ID when it has one name or none, else by its names (the engine refuses to remove
    /// an image with several names by ID unforced, and devenv never suggests `--force`); by its
    /// left names when it keeps this folder's (`keepsThisFoldersNames`).
    public func removal(cli: String) -> [String] {
        switch kind {
        case .container: return [cli, "rm", "--force", String(id.prefix(12))]
        case .volume: return [cli, "volume", "rm", name]
        case .image:
            return [cli, "image", "rm"] + (imageNames.count > 1 || keepsThisFoldersNames ? imageNames : [ImageSnapshot.shortID(id)])
        }
    }
}
