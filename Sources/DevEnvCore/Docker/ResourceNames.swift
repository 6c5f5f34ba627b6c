/// The names and labels by which devenv finds its own containers, volumes and images. A docker
/// object with one of these names but without matching labels is someone else's: devenv never
/// touches it (exit 4).
public struct ResourceNames: Sendable, Hashable {
    /// What every label devenv reads from the engine starts with. `docker ps` and `volume ls`
    /// read these only from the exact labels devenv asks for one by one
    /// (`DockerPlanner.ownLabels`), never from Docker's comma-joined `Labels`.
    public static let labelPrefix = "devenv."
    public static let projectLabel = "devenv.project"
    public static let profileLabel = "devenv.profile"
    public static let rootLabel = "devenv.root"
    public static let configHashLabel = "devenv.config-hash"
    public static let roleLabel = "devenv.role"
    /// On a service's container and volumes: the service's name (README, "Services").
    public static let serviceLabel = "devenv.service"

    public let project: String
    public let profile: String
    public let projectRoot: String
    /// 8 hex digits naming this project folder: the first 32 bits of the 64-bit FNV-1a digest
    /// (`Fingerprint`) of the canonical project folder and the project's name. Two folders with
    /// the same project name (two clones or `git worktree`s of one repository, `~/a/app` and
    /// `~/b/app`) get different names, so both run side by side, each with its own volumes; the
    /// same folder always gets the same tag. The devcontainer CLI names its images
    /// `vsc-FOLDER-HASH` from the folder path the same way (docker-compose does not: two
    /// folders named alike share a compose project). The name is in the digest too, so a
    /// folder whose project is renamed from `a-dev` (profile `x`) to `a` (profile `dev-x`)
    /// does not give its old and new environments one name. Moving or renaming the folder
    /// changes the tag: the objects made in the old place keep their labels (`devenv.root`)
    /// and names, and are no longer this folder's (README, "Names and ownership").
    public let folderTag: String

    public init(project: String, profile: String, projectRoot: String) {
        self.project = project
        self.profile = profile
        self.projectRoot = projectRoot
        self.folderTag = Self.folderTag(projectRoot: projectRoot, project: project)
    }

    public init(_ spec: EnvironmentSpec) {
        self.init(project: spec.project, profile: spec.profile, projectRoot: spec.projectRoot)
    }

    /// `folderTag`'s rule, for a folder and project name.
    public static func folderTag(projectRoot: String, project: String) -> String {
        var digest = Fingerprint()
        digest.add(projectRoot)
        digest.add(project)
        return String(digest.hex.prefix(8))
    }

    /// `devenv-PROJECT-PROFILE-TAG`: the app's container, and the start of every other name of
    /// the environment. The folder's tag comes last, so the names are injective: two distinct
    /// (folder, project, profile) give two names (up to a 32-bit digest collision, which the
    /// labels then catch: exit 4, never a touch), and a profile `dev-svc-x` never takes the
    /// name of profile `dev`'s service `x` (`devenv-P-dev-svc-x-TAG` against
    /// `devenv-P-dev-TAG-svc-x`).
    public var container: String { "devenv-\(project)-\(profile)-\(folderTag)" }

    /// A recreate makes the new container under this name, then swaps names with the old one
    /// (kept under `previousContainer` until the new one runs), so a failed replacement never
    /// costs the working container.
    public var replacementContainer: String { container + ".replacement" }
    public var previousContainer: String { container + ".previous" }

    public func volume(role: String) -> String { "\(container)-\(role)" }

    /// The project network of a profile with services: the app and its services join it, each
    /// service under its name as DNS alias.
    public var network: String { container }

    /// A service's container: `devenv-PROJECT-PROFILE-TAG-svc-NAME`.
    public func serviceContainer(_ service: String) -> String { serviceContainerPrefix + service }

    /// What every service container's name of this environment starts with, configured or not:
    /// `docker ps` asks for it to find the containers of services no longer configured.
    public var serviceContainerPrefix: String { "\(container)-svc-" }

    /// A service's named volume.
    public func serviceVolume(_ service: String, _ volume: String) -> String { "\(container)-svc-\(service)-\(volume)" }

    /// The repository of the app's images: `devenv-PROJECT-TAG` (the profile is in the tag).
    public var imageRepository: String { "devenv-\(project)-\(folderTag)" }

    /// A service image devenv builds (`build`), tagged by fingerprint like the app's.
    public func serviceImage(_ service: String, fingerprint: String) -> String {
        "\(imageRepository)-svc-\(service):\(profile)-\(fingerprint)"
    }

    /// True when labels say devenv made the object for this environment's service `service`.
    public func ownsService(_ service: String, _ labels: [String: String]) -> Bool {
        owns(labels) && labels[Self.serviceLabel] == service
    }

    /// Tagged by fingerprint, so "is the image current?" is one `docker image inspect`.
    public func image(fingerprint: String) -> String { "\(imageRepository):\(profile)-\(fingerprint)" }

    /// Whether `name` ("REPOSITORY:TAG", Podman's "localhost/" prefix allowed) is a name devenv
    /// gives this folder's images: `devenv-PROJECT-TAG:PROFILE-FINGERPRINT` (`image`) or
    /// `devenv-PROJECT-TAG-svc-SERVICE:PROFILE-FINGERPRINT` (`serviceImage`), of profile `profile`
    /// (any profile when nil). Names of earlier versions (`legacy`) are not: they carry no
    /// folder, and only an image labelled for this folder may lose one (`ImageSelection`).
    public func isImageName(_ name: String, profile: String? = nil) -> Bool {
        Self.isImageName(name, repository: imageRepository, profile: profile)
    }

    /// The same for the names of `repository` and its services' repositories.
    static func isImageName(_ name: String, repository own: String, profile: String?) -> Bool {
        guard let (repository, tagProfile) = imageNameParts(name) else { return false }
        guard repository == own || (repository.hasPrefix(own + "-svc-") && repository.count > own.count + 5) else { return false }
        return profile.map { $0 == tagProfile } ?? true
    }

    /// The names devenv gave before they carried the folder's tag (`devenv-PROJECT-PROFILE`):
    /// what an existing user's containers, volumes and images are called. Found by these names
    /// and owned by their labels as before (project, profile and this folder), so `status`,
    /// the dashboard, `down` and `prune` still see them and `up` replaces them; a name that
    /// another folder's container holds is not this folder's and is no conflict any more.
    public var legacy: Legacy { Legacy(project: project, profile: profile) }

    /// What `status` and the dashboard ask `docker ps` for, per environment: the container
    /// under today's name and an earlier devenv's (`ContainerOwnership.environment` decides).
    public var lookupNames: [String] { [container, legacy.container] }
    /// The same for the services' containers, by name prefix.
    public var lookupPrefixes: [String] { [serviceContainerPrefix, legacy.serviceContainerPrefix] }

    /// The earlier devenv's volume of `role` that this environment takes over (adopts) instead of
    /// making a new one: its name is `legacy.volume(role:)` and its labels (`labelsOf`, nil when
    /// there is no volume of that name) say devenv made it for this very folder and profile
    /// (`owns`) and, when it carries a role label, for this role. The caller asks only when
    /// today's name is free. A volume under the old name with any other labels (another
    /// folder's, another tool's) is never taken: a name alone proves nothing. The one rule for
    /// `up` and `test` (README, "Names and ownership").
    public func adoptableEarlierVolume(role: String, labelsOf: (String) -> [String: String]?) -> String? {
        let name = legacy.volume(role: role)
        guard let labels = labelsOf(name), owns(labels), labels[Self.roleLabel].map({ $0 == role }) ?? true else { return nil }
        return name
    }

    /// The volume this environment uses for `role`, the one rule for `up`, `test`, `status` and
    /// the dashboard: today's name when a volume devenv made for this folder and profile holds it
    /// (`owns`); when no volume holds today's name, the earlier devenv's that
    /// `adoptableEarlierVolume` takes over; nil otherwise (none, or today's name held by a volume
    /// devenv did not make for this environment: `up` refuses it, exit 4). `labelsOf`: a volume's
    /// labels by name, nil when no volume has the name (a `volume ls`; for the volumes a
    /// container of this environment mounts, that container's labels: devenv mounted them).
    public func volumeInUse(role: String, labelsOf: (String) -> [String: String]?) -> String? {
        let name = volume(role: role)
        if let labels = labelsOf(name) { return owns(labels) ? name : nil }
        return adoptableEarlierVolume(role: role, labelsOf: labelsOf)
    }

    /// Whether the volume `name`, labelled `labels`, is one devenv made for this environment
    /// (`down --volumes` removes it): its labels are this folder's and profile's (`owns`) AND it
    /// has the name devenv gives the volume they describe: `volume(role:)` of its `devenv.role`,
    /// or for a service (`devenv.service` S, role "S.VOLUME") `serviceVolume(S, VOLUME)`, or an
    /// earlier devenv's name for either (`legacy`). One without a `devenv.role` label is never
    /// devenv's: every devenv, the first one included, labels each volume it creates with its role
    /// (`DockerPlanner`, `ServicePlanner`), so such a volume is a copy, whatever its name. Labels alone are no proof: anyone can
    /// copy them (`docker volume create --label ...`, a script that clones a volume with its
    /// labels into `backup-devenv-...`), and such a volume is the user's, never removed.
    public func madeVolume(_ name: String, labels: [String: String]) -> Bool {
        guard owns(labels) else { return false }
        guard let role = labels[Self.roleLabel] else { return false }
        guard let service = labels[Self.serviceLabel] else { return name == volume(role: role) || name == legacy.volume(role: role) }
        guard role.hasPrefix(service + ".") else { return false }
        let volume = String(role.dropFirst(service.count + 1))
        return name == serviceVolume(service, volume) || name == legacy.serviceVolume(service, volume)
    }

    public struct Legacy: Sendable, Hashable {
        public let project: String
        public let profile: String

        public var container: String { "devenv-\(project)-\(profile)" }
        /// A recreate's temporary names, as an earlier devenv gave them (`replacementContainer`).
        public var replacementContainer: String { container + ".replacement" }
        public var previousContainer: String { container + ".previous" }
        public func volume(role: String) -> String { "\(container)-\(role)" }
        public var serviceContainerPrefix: String { "\(container)-svc-" }
        public func serviceContainer(_ service: String) -> String { serviceContainerPrefix + service }
        public func serviceVolume(_ service: String, _ volume: String) -> String { "\(container)-svc-\(service)-\(volume)" }
        public var imageRepository: String { "devenv-\(project)" }

        /// `devenv-PROJECT:PROFILE-FINGERPRINT` or `devenv-PROJECT-svc-SERVICE:...`.
        public func isImageName(_ name: String, profile: String? = nil) -> Bool {
            ResourceNames.isImageName(name, repository: imageRepository, profile: profile)
        }
    }

    /// Whether `name` has the shape of a name devenv gives an image, for any project:
    /// `devenv-NAME:PROFILE-FINGERPRINT` (twelve hex digits). A name of another shape
    /// (`docker tag` by the user, `devenv-test/busybox`) is not one.
    public static func isImageName(_ name: String) -> Bool { imageNameParts(name) != nil }

    /// "REPOSITORY:PROFILE-FINGERPRINT" -> (repository, profile), Podman's "localhost/" dropped;
    /// nil for any other shape.
    private static func imageNameParts(_ name: String) -> (repository: String, profile: String)? {
        let plain = Substring(ImageSnapshot.plain(name))
        guard let colon = plain.lastIndex(of: ":") else { return nil }
        let repository = plain[..<colon], tag = plain[plain.index(after: colon)...]
        guard repository.hasPrefix("devenv-"), !repository.contains("/"), tag.count > 13 else { return nil }
        let fingerprint = tag.suffix(12)
        guard tag.dropLast(12).last == "-", fingerprint.allSatisfy(\.isHexDigit) else { return nil }
        return (String(repository), String(tag.dropLast(13)))
    }

    /// The labels every object devenv creates for this environment carries.
    public var labels: [(String, String)] {
        [(Self.projectLabel, project), (Self.profileLabel, profile), (Self.rootLabel, projectRoot)]
    }

    /// `--label KEY=VALUE` for each of `labels`. Every container devenv runs gets them, its
    /// one-shot root containers too: a container takes its image's labels unless given its
    /// own, and a build cache that ignores `--label` (Podman 4.3, podman#10340) may have
    /// labelled this project's image for another project.
    public var labelArguments: [String] { labels.flatMap { ["--label", "\($0.0)=\($0.1)"] } }

    /// True when labels say devenv created the object for this very project folder and profile.
    public func owns(_ labels: [String: String]) -> Bool {
        labels[Self.projectLabel] == project && labels[Self.profileLabel] == profile
            && labels[Self.rootLabel] == projectRoot
    }
}
