/// Which of the project's images go, and how: the pure half of `down --images` and `prune`.
///
/// The rule (README, "Images"), for the images that carry devenv's labels (`ImageSnapshot
/// .isBuiltByDevenv`; a look-alike name without them is never considered) and are labelled for
/// this environment (`down`) or project folder (`prune`), OR carry a name devenv gives this
/// project in that scope (`ResourceNames.isImageName`: this profile for `down`; for `prune` any
/// profile, less the names devenv would run now):
/// 1. A name an earlier devenv gave (`ResourceNames.legacy`, no folder tag) is the same for
///    every folder of the project, and only the label tells them apart: it counts as this
///    scope's only on an image labelled for this folder. An image labelled for this project in
///    ANOTHER folder loses only this folder's own names (rule 4): a build cache that ignores
///    `--label` (Podman 4.3) gives a second folder's build the first folder's image, and the
///    second folder's name on it was left for ever (break25).
/// 2. A name devenv did not give (the user's `docker tag`) on it: left whole, reported.
/// 3. Labelled for this scope and carrying no name but the ones this command removes (or none):
///    removed by ID, unforced (the engine refuses an image a container uses, or, Docker and
///    Podman alike, one that has gained another name since). One with no name at all only when
///    devenv recorded building it (`built`: `BuiltImages`, by this engine): an image the user
///    built FROM devenv's inherits all three labels, and nothing else tells it apart; one not
///    recorded is left, reported (`notDevenvsAlone`).
/// 4. Otherwise it carries names of another devenv project or profile (or the current image's),
///    or its labels are another project's (a build cache that ignored `--label` gave it this
///    project's name): only this scope's names are removed, one `image rm NAME` each, unforced.
///    The image stays while another name is on it and goes with its last name, unless a
///    container uses it (the engine refuses then, whoever's container it is).
/// 5. Labelled for this scope but named only for others: not this command's to touch.
/// Never `rmi -f`: a forced removal takes an image out from under another project's container.
public enum ImageSelection {
    /// What to do with one image.
    public enum Action: Sendable, Hashable {
        /// `image rm ID`.
        case removeImage
        /// `image rm NAME` for each, as the engine lists them (Podman's "localhost/" kept).
        case removeNames([String])
        /// Left, with why.
        case leave(String)
    }

    public struct Verdict: Sendable, Hashable {
        public var image: ImageSnapshot
        public var action: Action

        /// nil when something is removed; else why it is left.
        public var leftBecause: String? {
            if case .leave(let reason) = action { return reason }
            return nil
        }

        /// Whether the image itself goes (by ID, or with its last name), not only some names.
        public var removesImage: Bool {
            switch action {
            case .removeImage: return true
            case .removeNames(let names): return names.count == image.tags.count
            case .leave: return false
            }
        }

        /// The names removed while the image stays (empty when it goes or is left).
        public var namesOnly: [String] {
            if case .removeNames(let names) = action, !removesImage { return names }
            return []
        }
    }

    /// Why an image with devenv's labels is not devenv's alone, and is left whole: it carries a
    /// name devenv did not give (rule 2), or no name at all and devenv has no record of building
    /// it on this engine (rule 3: `built`, `BuiltImages`); nil when it is devenv's. `LeftBehind`
    /// asks the same of a gone folder's images. `unreadRecords`: the records folder and why
    /// devenv cannot read them (`built` is empty then): said as the reason, not "no record".
    public static func notDevenvsAlone(_ image: ImageSnapshot, built: Set<String>, unreadRecords: String? = nil) -> String? {
        let foreign = image.tags.filter { !ResourceNames.isImageName($0) }
        if !foreign.isEmpty { return "it is also named \(foreign.joined(separator: ", ")), which devenv did not give it" }
        if image.tags.isEmpty && !built.contains(ImageSnapshot.bareID(image.id)) {
            if let unreadRecords {
                return "devenv cannot read its records of the images it built (\(unreadRecords)), and only a record proves it built an image without a name"
            }
            return "devenv has no record of building it (an image built FROM devenv's carries the same labels, as does one an earlier devenv built: it kept no records)"
        }
        return nil
    }

    /// `down --images`: every image devenv built for this environment's profile (the app's and
    /// its services'), whatever its fingerprint, by the rule above. `built`: the IDs devenv
    /// recorded building on this engine (`ImageSnapshot.bareID` form).
    public static func forDown(_ images: [ImageSnapshot], names: ResourceNames, built: Set<String>,
                               unreadRecords: String? = nil) -> [Verdict] {
        images.compactMap { image in
            verdict(image, names: names, labelledForScope: names.owns(image.labels), built: built, unreadRecords: unreadRecords) { tag in
                names.isImageName(tag, profile: names.profile)
                    || image.builtForProject(names) && names.legacy.isImageName(tag, profile: names.profile)
            }
        }
    }

    /// `prune`: the images built for this project folder (any profile) that are not the
    /// current image of any profile or service (`current`: the names devenv would run now),
    /// by the rule above; a current name is never removed, and an image that carries one stays.
    public static func forPrune(_ images: [ImageSnapshot], names: ResourceNames, current: Set<String>,
                                built: Set<String>, unreadRecords: String? = nil) -> [Verdict] {
        let currentNames = Set(current.map(ImageSnapshot.plain))
        return images.compactMap { image in
            verdict(image, names: names, labelledForScope: image.builtForProject(names), built: built, unreadRecords: unreadRecords) { tag in
                (names.isImageName(tag) || image.builtForProject(names) && names.legacy.isImageName(tag))
                    && !currentNames.contains(ImageSnapshot.plain(tag))
            }
        }
    }

    /// "0 B", "812 kB", "45.3 MB", "1.2 GB": decimal units, as docker prints sizes.
    public static func sizeText(_ bytes: Int) -> String {
        let units: [(Double, String)] = [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (scale, unit) in units where Double(bytes) >= scale {
            let value = Double(bytes) / scale
            let rounded = (value * 10).rounded() / 10
            return (value >= 100 ? String(Int(value.rounded())) : (rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded))) + " " + unit
        }
        return "\(bytes) B"
    }

    /// The rule for one image; nil when it is not this command's to consider. `inScope`: the
    /// names this command removes.
    private static func verdict(_ image: ImageSnapshot, names: ResourceNames, labelledForScope: Bool, built: Set<String>,
                                unreadRecords: String?, inScope: (String) -> Bool) -> Verdict? {
        guard image.isBuiltByDevenv else { return nil }
        let ours = image.tags.filter(inScope)   // 1: `inScope` admits legacy names only by this folder's label
        let others = image.tags.filter { !inScope($0) }
        guard labelledForScope || !ours.isEmpty else { return nil }
        if let reason = notDevenvsAlone(image, built: built, unreadRecords: unreadRecords) { return Verdict(image: image, action: .leave(reason)) }   // 2, 3
        if labelledForScope && others.isEmpty { return Verdict(image: image, action: .removeImage) }   // 3
        guard !ours.isEmpty else { return nil }   // 5
        return Verdict(image: image, action: .removeNames(ours))   // 4
    }
}
