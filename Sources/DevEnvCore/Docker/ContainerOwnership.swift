/// Whose container holds a name devenv uses: the one ownership rule behind `status`, `up`,
/// `down`, `exec`, `logs`, `shell` and the dashboard, so none of them can disagree (one says
/// "not created" while another refuses with exit 4).
public enum ContainerOwnership: Sendable, Hashable {
    /// No container has the name.
    case absent
    /// devenv made it for this project folder and profile (its labels say so).
    case ours(ContainerSnapshot)
    /// Someone else's: devenv never touches it. `owner` says who, as far as its labels tell
    /// (`owner(of:)`: one line, escaped).
    case foreign(ContainerSnapshot, owner: OneLine)

    /// The container named `name` among `containers` (one `docker ps`), judged by `names`'
    /// labels.
    /// `service`: the container is that service's (`ResourceNames.ownsService`), not the app's.
    public init(name: String, in containers: [ContainerSnapshot], names: ResourceNames, service: String? = nil) {
        self.init(holder: containers.first(where: { ContainerIndex.holds($0, name: name) }), names: names, service: service)
    }

    /// The same judgement, the container found through `index` (one dictionary look-up, not a
    /// scan of the answer): for callers that judge many names against one `docker ps`.
    public init(name: String, in index: ContainerIndex, names: ResourceNames, service: String? = nil) {
        self.init(holder: index.named(name), names: names, service: service)
    }

    /// The rule itself: whoever holds the name, judged by `names`' labels (a service's too).
    private init(holder: ContainerSnapshot?, names: ResourceNames, service: String?) {
        guard let found = holder else {
            self = .absent
            return
        }
        let owned = service.map { names.ownsService($0, found.labels) } ?? names.owns(found.labels)
        self = owned ? .ours(found) : .foreign(found, owner: Self.owner(of: found.labels))
    }

    /// The environment's own container among `containers` (one `docker ps` that asked for
    /// `names.container` and `names.legacy.container`): whoever holds its name; when nobody
    /// does, the container an earlier devenv named `devenv-PROJECT-PROFILE` (no folder tag)
    /// when its labels say it is this folder's and profile's, so it is shown, stopped and
    /// removed, and `up` replaces it. Another folder's container under that old name is not
    /// this environment's business: absent, never a conflict (the names differ now).
    public static func environment(_ names: ResourceNames, in containers: [ContainerSnapshot]) -> ContainerOwnership {
        environment(names, in: ContainerIndex(containers))
    }

    /// The same judgement, through `index`.
    public static func environment(_ names: ResourceNames, in index: ContainerIndex) -> ContainerOwnership {
        ContainerOwnership(name: names.container, earlierName: names.legacy.container, in: index, names: names)
    }

    /// The earlier-devenv rule, written here only, for every name devenv looks a container up
    /// by (the app's, a service's, a recreate's `.replacement` and `.previous`): whoever holds
    /// `name`; when nobody does, the container under `earlierName` (an earlier devenv's, without
    /// the folder's tag) when its labels say it is this folder's and profile's (and `service`'s),
    /// so it is acted on as devenv's own. Another folder's container under the old name is
    /// absent here, never a conflict: the names differ now.
    public init(name: String, earlierName: String, in index: ContainerIndex, names: ResourceNames, service: String? = nil) {
        let current = ContainerOwnership(name: name, in: index, names: names, service: service)
        guard case .absent = current else {
            self = current
            return
        }
        let earlier = ContainerOwnership(name: earlierName, in: index, names: names, service: service)
        if case .ours = earlier { self = earlier } else { self = .absent }
    }

    /// The same, among the containers of one `docker ps`.
    public init(name: String, earlierName: String, in containers: [ContainerSnapshot], names: ResourceNames, service: String? = nil) {
        self.init(name: name, earlierName: earlierName, in: ContainerIndex(containers), names: names, service: service)
    }

    /// A container devenv made for one of this environment's services that the profile no
    /// longer runs (removed from devenv.toml, or from the profile's `services`): what Compose
    /// calls an orphan. Ours only when its labels name this project folder and profile and a
    /// service (`ResourceNames.owns`, `serviceLabel`), and it holds that service's container name;
    /// a container someone else made, or one of another project, never is. `down` removes
    /// them (by ID), `up` says they are there, `status` lists them.
    public struct OrphanedService: Sendable, Hashable {
        /// The service named by its `devenv.service` label.
        public var service: String
        public var container: ContainerSnapshot

        public init(service: String, container: ContainerSnapshot) {
            self.service = service
            self.container = container
        }
    }

    /// The orphaned service containers among `containers` (one `docker ps`), sorted by service;
    /// `configured`: the services the profile runs now.
    public static func orphanedServices(in containers: [ContainerSnapshot], names: ResourceNames,
                                        configured: [String]) -> [OrphanedService] {
        // An array, not any sequence: a `Set` made from a generic sequence across modules was
        // unspecialised code whose first use scanned every protocol conformance (0.18 M
        // instructions after docker's answer to an unchanged `up`, issue 14).
        var running = Set<String>(minimumCapacity: configured.count)
        for name in configured { running.insert(name) }
        return containers.compactMap { container -> OrphanedService? in
            guard let service = container.labels[ResourceNames.serviceLabel], !service.isEmpty,
                  names.ownsService(service, container.labels) else { return nil }
            // Under its name, or under an earlier devenv's (no folder tag).
            let name = names.serviceContainer(service), legacy = names.legacy.serviceContainer(service)
            let isLegacy = ContainerIndex.holds(container, name: legacy)
            guard isLegacy || ContainerIndex.holds(container, name: name) else { return nil }
            // A service the profile runs: its container (`ContainerOwnership(name:earlierName:)`),
            // which `up` replaces and `down` removes as the service's, unless one under
            // today's name is there too; then the earlier one is left over.
            if running.contains(service) && (!isLegacy || !containers.contains { ContainerIndex.holds($0, name: name) }) { return nil }
            return OrphanedService(service: service, container: container)
        }.sorted { $0.service < $1.service }
    }

    /// The same, among the containers `index` holds: only those labelled for this environment's
    /// profile can be its orphans (`ResourceNames.ownsService` asks for that label), so each
    /// environment looks at its own containers, not at the whole answer.
    public static func orphanedServices(in index: ContainerIndex, names: ResourceNames,
                                        configured: [String]) -> [OrphanedService] {
        orphanedServices(in: index.labelled(profile: names.profile), names: names, configured: configured)
    }

    /// devenv's own container, nil when the name is free or someone else's.
    public var ours: ContainerSnapshot? {
        if case .ours(let container) = self { return container }
        return nil
    }

    /// Whatever holds the name, whoever made it.
    public var container: ContainerSnapshot? {
        switch self {
        case .absent: return nil
        case .ours(let container), .foreign(let container, _): return container
        }
    }

    /// Who made a container, from its labels, for messages: "devenv made it for /other/path
    /// (project shop, profile dev)", "it carries devenv labels (...) but not this project's",
    /// "Docker Compose project web made it", or "it has no devenv labels" only when it has none.
    /// The folder this project was in when devenv made the object, when its labels name this
    /// project and profile but another folder: the project was moved or renamed since (its
    /// name comes from devenv.toml or the folder's name, its root label from where it was).
    /// The label's value, for the conflict's hint (one line, escaped).
    public static func movedFrom(_ labels: [String: String], names: ResourceNames) -> OneLine? {
        guard labels[ResourceNames.projectLabel] == names.project, labels[ResourceNames.profileLabel] == names.profile,
              let root = labels[ResourceNames.rootLabel], !root.isEmpty, root != names.projectRoot else { return nil }
        return OneLine(root)
    }

    /// Said inside one line ("a container named X exists that devenv did not create for this
    /// project (OWNER)", status' conflict line): the labels' values come escaped, newlines too.
    public static func owner(of labels: [String: String]) -> OneLine { OneLine(ownerText(labels)) }

    private static func ownerText(_ labels: [String: String]) -> String {
        let own = labels.filter { $0.key.hasPrefix("devenv.") && !$0.value.isEmpty }
        if let root = own[ResourceNames.rootLabel] {
            var about = [own[ResourceNames.projectLabel].map { "project \($0)" } ?? "no project label"]
            if let profile = own[ResourceNames.profileLabel] { about.append("profile \(profile)") }
            return "devenv made it for \(root) (\(about.joined(separator: ", ")))"
        }
        if !own.isEmpty {
            let shown = own.keys.sorted().map { "\($0)=\(own[$0] ?? "")" }.joined(separator: ", ")
            return "it carries devenv labels (\(shown)) but not this project's"
        }
        if let compose = labels["com.docker.compose.project"], !compose.isEmpty {
            return "Docker Compose project \(compose) made it"
        }
        return "it has no devenv labels"
    }
}
