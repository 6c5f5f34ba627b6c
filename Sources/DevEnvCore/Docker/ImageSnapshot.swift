#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One local image as `DockerPlanner.inspectImages` describes it, and the facts by which
/// `down --images` and `prune` pick the images devenv built (`ImageSelection`, README
/// "Images"). devenv labels every image it builds (`devenv.project`, `devenv.profile`,
/// `devenv.root`, set by `DockerPlanner.build` and `ServicePlanner.build`) and names it
/// (`ResourceNames.image`, `serviceImage`). Neither alone proves whose it is: an image the user
/// built FROM one of devenv's inherits its labels but not its name, and a build cache that
/// ignores `--label` (Podman 4.3 when `--target` is not the last stage: podman#10340,
/// buildah#4632) hands a second project the first one's image, labelled for the first and
/// named for both. Removal is by `id`, or by name when other names stay on it.
public struct ImageSnapshot: Sendable, Hashable {
    /// The full ID ("sha256:...").
    public var id: String
    public var labels: [String: String]
    /// "REPOSITORY:TAG" names; empty for an untagged image. Podman prefixes local names with
    /// "localhost/".
    public var tags: [String]
    /// Bytes, as the engine reports it (layers shared with other images are counted in each).
    public var size: Int

    public init(id: String, labels: [String: String], tags: [String], size: Int) {
        self.id = id
        self.labels = labels
        self.tags = tags
        self.size = size
    }

    /// `DockerPlanner.inspectImages`'s output: one JSON object a line (Id, Labels, Tags, Size),
    /// read by `JSONScanner`. Throws exit 1 on a line it cannot read.
    public static func parseList(_ output: String) throws -> [ImageSnapshot] {
        try ContainerSnapshot.lines(output).map { line in
            do {
                let raw = try JSONScanner.parse(line)
                var size = 0
                if let value = raw["Size"], !value.isNull {
                    guard case .number(let text) = value, let bytes = Int(text) else {
                        throw JSONScanner.Failure(offset: 0, reason: "Size is not an integer")
                    }
                    size = bytes
                }
                return ImageSnapshot(id: try ContainerSnapshot.required(raw, "Id"),
                                     labels: try raw["Labels"]?.stringMap() ?? [:],
                                     tags: try raw["Tags"]?.stringList() ?? [], size: size)
            } catch {
                throw DevEnvError.failure("cannot read docker's image description", detail: "unexpected line: \(line.prefix(200))")
            }
        }
    }

    /// A name as reports show it and devenv compares it: without Podman's "localhost/" prefix,
    /// nor "docker.io/library/", which Podman's Docker-compatible API puts before a short name
    /// the docker CLI gave (DOCKER_HOST on Podman's socket: `docker build --tag devenv-x:dev-…`
    /// lists as `docker.io/library/devenv-x:dev-…`). That is the same reference by Docker's own
    /// rule (a name without a registry is docker.io/library's), not another name: read as one,
    /// it left `down --images` and `prune` saying the image was "also named" it and keeping it.
    public static func plain(_ tag: String) -> String {
        if tag.hasPrefix("localhost/") { return String(tag.dropFirst("localhost/".count)) }
        if tag.hasPrefix("docker.io/library/") { return String(tag.dropFirst("docker.io/library/".count)) }
        return tag
    }

    /// Whether devenv built it, for some project: all three of devenv's labels are there. A
    /// look-alike (`docker tag busybox devenv-shop:dev-000000000000`) has a devenv name and no
    /// labels: devenv never touches it.
    public var isBuiltByDevenv: Bool {
        labels[ResourceNames.projectLabel] != nil && labels[ResourceNames.profileLabel] != nil
            && labels[ResourceNames.rootLabel] != nil
    }

    /// Whether devenv built it for this project folder (any profile): labels checked.
    public func builtForProject(_ names: ResourceNames) -> Bool {
        labels[ResourceNames.projectLabel] == names.project && labels[ResourceNames.rootLabel] == names.projectRoot
            && labels[ResourceNames.profileLabel] != nil
    }

    /// How a report names it: its first name, else its short ID.
    public var display: String {
        if let tag = tags.first { return Self.plain(tag) }
        return "untagged image " + Self.shortID(id)
    }

    /// An image ID as `docker image ls` shows it and `docker image rm` takes it: its first 12
    /// hex digits, without "sha256:" (`bareID`).
    public static func shortID(_ id: String) -> String { String(bareID(id).prefix(12)) }

    /// An image ID without its "sha256:": Docker's inspect, every engine's `image ls --no-trunc`
    /// and `build --iidfile` say "sha256:HEX", Podman's inspect says HEX. The one form IDs are
    /// compared in (`BuiltImages`, `ImageSelection`).
    public static func bareID(_ id: String) -> String {
        id.hasPrefix("sha256:") ? String(id.dropFirst("sha256:".count)) : id
    }
}
