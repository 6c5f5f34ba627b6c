/// Who a container runs as and who that is on the host (issue 11): what `status` and the
/// dashboard call "user". The container side is what the container has (`--user` as devenv
/// gave it, from its `devenv.user` label, or `.Config.User` where the dashboard inspects it);
/// the host side comes from the engine description (`EngineFacts.userMapping`) at the time the
/// container was made, which `up` stores on it as the `devenv.user-mapping` label
/// (`labelValue`), so that `status` stays one `docker ps` and says what was done, not what a
/// probe of today's engine would guess.
public struct ContainerUser: Sendable, Hashable, Codable {
    /// How the container's IDs map to the host's, as it was made.
    public enum Mapping: String, Sendable, Hashable, Codable {
        /// Rootful Docker or Podman: container UID n is host UID n.
        case direct
        /// Rootless Docker, or rootless Podman without keep-id: container UID 0 is the host user
        /// who runs the engine; other IDs are that user's subordinate IDs (/etc/subuid).
        case rootless
        /// Rootless Podman with `--userns=keep-id`: the host user keeps its own UID:GID inside.
        case keepID = "keep-id"
    }

    /// "UID:GID" (or a name) the container runs as; nil when it runs as its image's USER and
    /// that is not known (status reads no image).
    public var container: String?
    /// Nil for a container made before devenv recorded the mapping.
    public var mapping: Mapping?
    /// "UID:GID" of the host user who runs a rootless engine (the one container root, or the
    /// keep-id user, stands for); nil for a direct mapping (the same IDs) or when unknown.
    public var hostUser: String?

    public init(container: String?, mapping: Mapping?, hostUser: String? = nil) {
        self.container = container
        self.mapping = mapping
        self.hostUser = hostUser
    }

    /// The label that records the mapping on a container: "direct", "rootless 1000:1000",
    /// "keep-id 1000:1000".
    public static let label = "devenv.user-mapping"

    public var labelValue: String {
        [mapping?.rawValue, hostUser].compactMap { $0 }.joined(separator: " ")
    }

    /// Reads a container: `--user` from the `devenv.user` label (or `configured`, what the
    /// container's own configuration says, when known), the mapping from `devenv.user-mapping`.
    public static func of(labels: [String: String], configured: String? = nil) -> ContainerUser {
        let words = (labels[label] ?? "").split(separator: " ").map(String.init)
        let given = configured.flatMap { $0.isEmpty ? nil : $0 } ?? labels[DockerPlanner.userLabel].flatMap { $0.isEmpty ? nil : $0 }
        return ContainerUser(container: given, mapping: words.first.flatMap(Mapping.init(rawValue:)),
                             hostUser: words.count > 1 ? words[1] : nil)
    }

    /// "1000:1000"; "0:0 (host 1000:1000, rootless)"; "1001:1001 (a subordinate ID of host
    /// 1000:1000, rootless)"; "1000:1000 (host 1000:1000, keep-id)"; "the image's USER" when
    /// the container side is not known. One line, escaped (`OneLine`): both sides come from
    /// labels (or the image's USER), which may hold a newline, and the text is a table cell.
    public var text: String { OneLine(rawText).description }

    private var rawText: String {
        let inside = container ?? "the image's USER"
        guard let mapping, mapping != .direct else { return inside }
        let host = hostUser ?? "the engine's user"
        switch mapping {
        case .direct: return inside
        case .rootless:
            if let container, Self.isRoot(container) { return "\(inside) (host \(host), rootless)" }
            return "\(inside) (a subordinate ID of host \(host), rootless)"
        case .keepID:
            if let container, let hostUser, container == hostUser { return "\(inside) (host \(host), keep-id)" }
            return "\(inside) (keep-id: host \(host) is itself inside, other IDs subordinate)"
        }
    }

    /// "0", "0:0", "root", "root:root".
    static func isRoot(_ user: String) -> Bool {
        let name = user.split(separator: ":", maxSplits: 1).first.map(String.init) ?? user
        return name == "0" || name == "root"
    }
}

extension DockerPlanner {
    /// Who this planner's container runs as and how that maps to the host, as `create` makes
    /// it: keep-id only where it is added (rootless Podman, `user = "host"`), otherwise
    /// rootless Podman maps like rootless Docker.
    public var containerUser: ContainerUser {
        let host = "\(identity.uid):\(identity.gid)"
        switch userMapping {
        case .direct: return ContainerUser(container: userArgument, mapping: .direct)
        case .rootless: return ContainerUser(container: userArgument, mapping: .rootless, hostUser: host)
        case .podmanKeepID:
            // `keepIDArguments` goes on the container exactly when it runs as the synced user.
            return ContainerUser(container: userArgument, mapping: spec.user == .host ? .keepID : .rootless, hostUser: host)
        }
    }
}
