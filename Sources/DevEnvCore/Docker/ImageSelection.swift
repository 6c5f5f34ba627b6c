/// Which of the project's images go: the pure half of `down --images` and `prune`.
public enum ImageSelection {
    /// What to do with one image.
    public struct Verdict: Sendable, Hashable {
        public var image: ImageSnapshot
        /// nil: remove it; else why it is left.
        public var leftBecause: String?
    }

    /// `down --images`: every image built for this environment's profile (the app's and its
    /// services'), whatever its fingerprint. Images of other projects, folders or profiles are
    /// not considered at all; a devenv-labelled image carrying a name devenv did not give it
    /// is left, saying so.
    public static func forDown(_ images: [ImageSnapshot], names: ResourceNames) -> [Verdict] {
        images.filter { names.owns($0.labels) }.map { verdict($0, names: names) }
    }

    /// `prune`: the images built for this project folder (any profile) that are not the
    /// current image of any profile or service (`current`: the names devenv would run now).
    public static func forPrune(_ images: [ImageSnapshot], names: ResourceNames, current: Set<String>) -> [Verdict] {
        images.filter { $0.builtForProject(names) && !current.contains(where: $0.isNamed) }.map { verdict($0, names: names) }
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

    private static func verdict(_ image: ImageSnapshot, names: ResourceNames) -> Verdict {
        let foreign = image.foreignTags(project: names.project)
        guard foreign.isEmpty else {
            return Verdict(image: image, leftBecause: "it is also named \(foreign.joined(separator: ", ")), which devenv did not give it")
        }
        return Verdict(image: image, leftBecause: nil)
    }
}
