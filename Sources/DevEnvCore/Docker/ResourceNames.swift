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

    public init(project: String, profile: String, projectRoot: String) {
        self.project = project
        self.profile = profile
        self.projectRoot = projectRoot
    }

    public init(_ spec: EnvironmentSpec) {
        self.init(project: spec.project, profile: spec.profile, projectRoot: spec.projectRoot)
    }

    public var container: String { "devenv-\(project)-\(profile)" }

    /// A recreate makes the new container under this name, then swaps names with the old one
    /// (kept under `previousContainer` until the new one runs), so a failed replacement never
    /// costs the working container.
    public var replacementContainer: String { container + ".replacement" }
    public var previousContainer: String { container + ".previous" }

    public func volume(role: String) -> String { "devenv-\(project)-\(profile)-\(role)" }

    /// The project network of a profile with services: the app and its services join it, each
    /// service under its name as DNS alias.
    public var network: String { container }

    /// A service's container: `devenv-PROJECT-PROFILE-svc-NAME`.
    public func serviceContainer(_ service: String) -> String { serviceContainerPrefix + service }

    /// What every service container's name of this environment starts with, configured or not:
    /// `docker ps` asks for it to find the containers of services no longer configured.
    public var serviceContainerPrefix: String { "\(container)-svc-" }

    /// A service's named volume.
    public func serviceVolume(_ service: String, _ volume: String) -> String { "\(container)-svc-\(service)-\(volume)" }

    /// A service image devenv builds (`build`), tagged by fingerprint like the app's.
    public func serviceImage(_ service: String, fingerprint: String) -> String {
        "devenv-\(project)-svc-\(service):\(profile)-\(fingerprint)"
    }

    /// True when labels say devenv made the object for this environment's service `service`.
    public func ownsService(_ service: String, _ labels: [String: String]) -> Bool {
        owns(labels) && labels[Self.serviceLabel] == service
    }

    /// Tagged by fingerprint, so "is the image current?" is one `docker image inspect`.
    public func image(fingerprint: String) -> String { "devenv-\(project):\(profile)-\(fingerprint)" }

    /// Whether `name` ("REPOSITORY:TAG", Podman's "localhost/" prefix allowed) is a name devenv
    /// gives this project's images: `devenv-PROJECT:PROFILE-FINGERPRINT` (`image`) or
    /// `devenv-PROJECT-svc-SERVICE:PROFILE-FINGERPRINT` (`serviceImage`), of profile `profile`
    /// (any profile when nil). The name carries no project folder: two folders with the same
    /// name give the same names (their labels tell them apart, `devenv.root`).
    public func isImageName(_ name: String, profile: String? = nil) -> Bool {
        guard let (repository, tagProfile) = Self.imageNameParts(name) else { return false }
        guard repository == "devenv-\(project)" || (repository.hasPrefix("devenv-\(project)-svc-")
                                                    && repository.count > "devenv-\(project)-svc-".count) else { return false }
        return profile.map { $0 == tagProfile } ?? true
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
