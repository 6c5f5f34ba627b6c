#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an image declares about the paths devenv mounts new volumes on: the label
/// `devenv.volume-owner = "UID:GID PATH..."` (the generated Dockerfile sets it in its dev stage,
/// after creating those paths and giving them to UID:GID). Docker gives a new volume, when a
/// container first mounts it on a path the image has, that path's owner; for those paths
/// devenv's one-shot chown container is not needed (it costs about half a second).
public struct ImageVolumeOwner: Sendable, Hashable {
    public static let label = "devenv.volume-owner"

    /// "UID:GID", as in `docker run --user`.
    public var owner: String
    /// Absolute container paths.
    public var paths: Set<String>

    public init(owner: String, paths: Set<String>) {
        self.owner = owner
        self.paths = paths
    }

    /// From the label's value; nil when it is not "UID:GID PATH..." with numeric ids.
    public init?(label value: String) {
        let words = value.split(separator: " ").map(String.init)
        guard let owner = words.first else { return nil }
        let ids = owner.split(separator: ":", omittingEmptySubsequences: false)
        guard ids.count == 2, ids.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && UInt32($0) != nil }) else { return nil }
        self.owner = owner
        self.paths = Set(words.dropFirst().filter { $0.hasPrefix("/") })
    }

    /// From `DockerPlanner.imageExists`'s output ("sha256:ID {labels as JSON}"); nil when the
    /// image has no such label.
    public static func parse(inspectOutput: String) -> ImageVolumeOwner? {
        guard let space = inspectOutput.firstIndex(of: " ") else { return nil }
        let rest = inspectOutput[inspectOutput.index(after: space)...]
        let json = rest.prefix { $0 != "\t" }.trimmingWhitespace
        // "null" when the image has no labels at all.
        guard let labels = try? JSONScanner.parse(json).stringMap(),
              let value = labels[label] else { return nil }
        return ImageVolumeOwner(label: value)
    }

    /// The image's Config.User from the same output (the field after the first tab, as JSON):
    /// "" when the image sets none; nil when the output does not say.
    public static func configUser(inspectOutput: String) -> String? {
        guard let json = field(1, of: inspectOutput) else { return nil }
        return (try? JSONScanner.parse(json))?.string
    }

    /// Field `index` of `DockerPlanner.imageExists`'s tab-separated output, trimmed; nil when
    /// the output has fewer fields.
    static func field(_ index: Int, of inspectOutput: String) -> String? {
        let line = inspectOutput.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard index < fields.count else { return nil }
        // The line has no newline left: trimming whitespace is trimming blanks.
        return fields[index].trimmingWhitespace
    }

    /// Whether a new volume mounted at `path` for a container run as `user` needs no chown.
    public func covers(path: String, user: String) -> Bool {
        user == owner && paths.contains(path)
    }
}
