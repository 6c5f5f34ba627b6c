import Testing
@testable import DevEnvCore

/// The names devenv gives docker objects (names24): unique per project folder, injective over
/// (folder, project, profile, service, volume), within the engines' rules and lengths, and an
/// earlier devenv's names (no folder tag) still recognised for migration.
@Suite struct ResourceNamesTests {
    /// Docker's container/volume/network name rule (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`) and the
    /// 255-byte file name the engines keep a volume (and Podman a network, plus ".json") under.
    static func isEngineName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return name.utf8.count <= 250 && name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0))
        }
    }

    /// Docker's reference grammar (distribution/reference): a lowercase repository of
    /// components `[a-z0-9]+` joined by `.`, `_`, `__` or dashes, at most 255 characters; a tag
    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    static func isImageReference(_ reference: String) -> Bool {
        guard let colon = reference.lastIndex(of: ":") else { return false }
        let repository = reference[..<colon], tag = reference[reference.index(after: colon)...]
        guard !repository.isEmpty, repository.count <= 255, !tag.isEmpty, tag.count <= 128 else { return false }
        let lowerAlnum: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        guard let first = repository.first, lowerAlnum(first), let last = repository.last, lowerAlnum(last),
              repository.allSatisfy({ lowerAlnum($0) || "._-".contains($0) }),
              !repository.contains(".."), !repository.contains("___") else { return false }
        guard let tagFirst = tag.first, tagFirst.isASCII, tagFirst.isLetter || tagFirst.isNumber || tagFirst == "_" else { return false }
        return tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }

    /// Every name one environment gives, service `svc` with volume `data` and role `venv`.
    static func allNames(_ names: ResourceNames) -> [String] {
        [names.container, names.replacementContainer, names.previousContainer, names.network, names.volume(role: "venv"),
         names.serviceContainer("svc"), names.serviceVolume("svc", "data")]
    }

    @Test func twoFoldersWithOneProjectNameGetDistinctNamesAndKeepTheirLabels() {
        let a = ResourceNames(project: "app", profile: "dev", projectRoot: "/home/ada/a/app")
        let b = ResourceNames(project: "app", profile: "dev", projectRoot: "/home/ada/b/app")
        // Pinned: the tag is a stored identity (a new value would orphan the folder's objects).
        #expect(a.container == "devenv-app-dev-\(a.folderTag)")
        #expect(ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop").folderTag == "497e78ff")
        #expect(a.folderTag.count == 8 && a.folderTag.allSatisfy(\.isHexDigit))
        #expect(a.folderTag != b.folderTag)
        for (x, y) in zip(Self.allNames(a), Self.allNames(b)) { #expect(x != y) }
        #expect(a.image(fingerprint: "0123456789ab") != b.image(fingerprint: "0123456789ab"))
        #expect(a.serviceImage("svc", fingerprint: "0123456789ab") != b.serviceImage("svc", fingerprint: "0123456789ab"))
        // The same folder always gets the same names; profiles of one folder share the tag.
        #expect(ResourceNames(project: "app", profile: "dev", projectRoot: "/home/ada/a/app") == a)
        #expect(ResourceNames(project: "app", profile: "ci", projectRoot: "/home/ada/a/app").folderTag == a.folderTag)
        // Ownership is still by labels: b's objects are never a's.
        #expect(!a.owns(Dictionary(uniqueKeysWithValues: b.labels)))
        // And each folder's image names are its own, for down --images and prune.
        #expect(a.isImageName(a.image(fingerprint: "0123456789ab")))
        #expect(!a.isImageName(b.image(fingerprint: "0123456789ab")))
        #expect(!a.isImageName(b.serviceImage("svc", fingerprint: "0123456789ab")))
    }

    /// The separator cases of the brief: none of them share a name.
    @Test func namesAreInjectiveWhereSeparatorsCouldBlur() {
        let root = "/src/p"
        // project p, profile dev, service x  vs  profile dev-svc-x's app container.
        let p = ResourceNames(project: "p", profile: "dev", projectRoot: root)
        let devSvcX = ResourceNames(project: "p", profile: "dev-svc-x", projectRoot: root)
        #expect(p.serviceContainer("x") != devSvcX.container)
        #expect(p.serviceContainer("x") != devSvcX.network)
        // project p profile dev service x  vs  project p-svc-x (another folder's or the same).
        for other in ["/src/p", "/src/q"] {
            let pSvcX = ResourceNames(project: "p-svc-x", profile: "dev", projectRoot: other)
            #expect(Set(Self.allNames(p)).isDisjoint(with: Self.allNames(pSvcX)))
            #expect(!p.isImageName(pSvcX.image(fingerprint: "0123456789ab")))
        }
        // project a-dev profile x  vs  project a profile dev-x, in one folder (a renamed project)
        // and in two.
        for other in [root, "/src/other"] {
            let aDev = ResourceNames(project: "a-dev", profile: "x", projectRoot: root)
            let a = ResourceNames(project: "a", profile: "dev-x", projectRoot: other)
            #expect(Set(Self.allNames(aDev)).isDisjoint(with: Self.allNames(a)))
        }
        // Profiles with '-' and '.': every pair of a few tricky ones differs everywhere.
        let profiles = ["dev", "dev-x", "dev.x", "dev_x", "x", "dev-svc-x", "dev-venv", "Dev"]
        let all = profiles.map { ResourceNames(project: "a", profile: $0, projectRoot: root) }
        for (i, x) in all.enumerated() {
            for y in all[(i + 1)...] {
                #expect(Set(Self.allNames(x)).isDisjoint(with: Self.allNames(y)), "\(x.profile) / \(y.profile)")
            }
        }
    }

    @Test func theLongestNamesStayWithinTheEnginesRules() {
        let project = String(repeating: "p", count: ProjectName.maximumLength)
        let profile = String(repeating: "F", count: 64)
        let service = String(repeating: "s", count: 32)
        let names = ResourceNames(project: project, profile: profile, projectRoot: "/" + String(repeating: "r", count: 4000))
        for name in Self.allNames(names) + [names.volume(role: String(repeating: "v", count: 64)),
                                            names.serviceVolume(service, String(repeating: "v", count: 64)),
                                            names.serviceContainer(service)] {
            #expect(Self.isEngineName(name), "\(name.count): \(name)")
        }
        #expect(Self.isImageReference(names.image(fingerprint: "0123456789ab")))
        #expect(Self.isImageReference(names.serviceImage(service, fingerprint: "0123456789ab")))
        // Everyday names pass the same checks.
        let shop = ResourceNames(project: "my-app.v2", profile: "dev", projectRoot: "/src/My App")
        #expect(Self.isImageReference(shop.image(fingerprint: "0123456789ab")))
        for name in Self.allNames(shop) { #expect(Self.isEngineName(name)) }
    }

    /// An earlier devenv's names (no folder tag) are what existing users have: found, and its
    /// image names counted as this folder's only where labels say so (ImageSelection).
    @Test func earlierNamesAreKnown() {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        #expect(names.legacy.container == "devenv-shop-dev")
        #expect(names.legacy.volume(role: "venv") == "devenv-shop-dev-venv")
        #expect(names.legacy.serviceContainerPrefix == "devenv-shop-dev-svc-")
        #expect(names.legacy.isImageName("devenv-shop:dev-0123456789ab"))
        #expect(names.legacy.isImageName("localhost/devenv-shop-svc-db:dev-0123456789ab", profile: "dev"))
        // The docker CLI on Podman's socket: Podman lists the short name the CLI gave with
        // docker.io/library/ before it, the same reference by Docker's rule (path29).
        #expect(names.legacy.isImageName("docker.io/library/devenv-shop:dev-0123456789ab", profile: "dev"))
        #expect(ResourceNames.isImageName("docker.io/library/" + names.image(fingerprint: "0123456789ab")))
        #expect(!ResourceNames.isImageName("docker.io/other/devenv-shop:dev-0123456789ab"))
        #expect(!names.legacy.isImageName("devenv-shop:ci-0123456789ab", profile: "dev"))
        #expect(!names.isImageName("devenv-shop:dev-0123456789ab"))
        #expect(!names.legacy.isImageName(names.image(fingerprint: "0123456789ab")))
        #expect(ResourceNames.isImageName("devenv-shop:dev-0123456789ab") && ResourceNames.isImageName(names.image(fingerprint: "0123456789ab")))
        let planner = DockerPlanner.findContainers(cli: "docker", names: [names.container, names.legacy.container])
        #expect(planner.argv.contains("name=^/?devenv-shop-dev$"))
    }

    /// legacy25: an earlier devenv's volume of a role is adopted by labels, never by name alone:
    /// this folder's and profile's (and role's, when labelled), else not.
    @Test func anEarlierVolumeIsAdoptedOnlyByItsLabels() {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        var labels = Dictionary(uniqueKeysWithValues: names.labels)
        func adopted(_ labels: [String: String]?, role: String = "venv") -> String? {
            names.adoptableEarlierVolume(role: role) { $0 == "devenv-shop-dev-\(role)" ? labels : nil }
        }
        #expect(adopted(labels) == "devenv-shop-dev-venv")
        labels[ResourceNames.roleLabel] = "venv"
        #expect(adopted(labels) == "devenv-shop-dev-venv")
        labels[ResourceNames.roleLabel] = "cache"
        #expect(adopted(labels) == nil, "labelled for another role")
        labels[ResourceNames.roleLabel] = nil
        labels[ResourceNames.rootLabel] = "/elsewhere/shop"
        #expect(adopted(labels) == nil, "another folder's")
        #expect(adopted([:]) == nil, "no devenv labels")
        #expect(adopted(nil) == nil, "none")
    }

    /// The volume a role uses: today's when devenv made it for this environment, else the
    /// earlier one `adoptableEarlierVolume` takes; a foreign volume under today's name is none.
    @Test func theVolumeInUseIsTodaysOrTheAdoptedOne() {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        let ours = Dictionary(uniqueKeysWithValues: names.labels)
        func inUse(_ volumes: [String: [String: String]]) -> String? { names.volumeInUse(role: "venv") { volumes[$0] } }
        let (today, earlier) = (names.volume(role: "venv"), names.legacy.volume(role: "venv"))
        #expect(inUse([today: ours, earlier: ours]) == today)
        #expect(inUse([earlier: ours]) == earlier)
        #expect(inUse([today: [:], earlier: ours]) == nil, "today's name held by a volume devenv did not make")
        #expect(inUse([earlier: ["devenv.project": "shop"]]) == nil)
        #expect(inUse([:]) == nil)
    }

    /// break26: a volume is devenv's by its labels AND the name devenv gives the volume they
    /// describe; copied labels under another name make no volume devenv's.
    @Test func aVolumeIsDevenvsByItsLabelsAndItsName() {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        var labels = Dictionary(uniqueKeysWithValues: names.labels)
        labels[ResourceNames.roleLabel] = "venv"
        #expect(names.madeVolume("devenv-shop-dev-497e78ff-venv", labels: labels))
        #expect(names.madeVolume("devenv-shop-dev-venv", labels: labels), "an earlier devenv's")
        #expect(!names.madeVolume("devenv-shop-dev-497e78ff-cache", labels: labels), "another role's name")
        #expect(!names.madeVolume("backup-devenv-shop-dev-497e78ff-venv", labels: labels), "copied labels")
        #expect(!names.madeVolume("devenv-shop-dev-497e78ff-venv", labels: [:]), "no labels")
        var service = labels
        service[ResourceNames.serviceLabel] = "db"
        service[ResourceNames.roleLabel] = "db.data"
        #expect(names.madeVolume("devenv-shop-dev-497e78ff-svc-db-data", labels: service))
        #expect(names.madeVolume("devenv-shop-dev-svc-db-data", labels: service), "an earlier devenv's")
        #expect(!names.madeVolume("devenv-shop-dev-497e78ff-svc-db-data2", labels: service))
        service[ResourceNames.roleLabel] = "data"
        #expect(!names.madeVolume("devenv-shop-dev-497e78ff-svc-db-data", labels: service), "a role not of the service")
        labels[ResourceNames.roleLabel] = nil
        #expect(!names.madeVolume("devenv-shop-dev-497e78ff-venv", labels: labels), "no role label: never devenv's, whatever the name")
        #expect(!names.madeVolume("devenv-shop-dev-497e78ff-backup", labels: labels), "a copy without the role under devenv's prefix")
        #expect(!names.madeVolume("mydata", labels: labels))
    }

    /// The environment's container: today's name first; an earlier devenv's name only when its
    /// labels are this folder's; another folder's container under that old name is no conflict.
    @Test func theEnvironmentsContainerUnderAnEarlierName() {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        let ours = Dictionary(uniqueKeysWithValues: names.labels)
        func container(_ name: String, _ labels: [String: String], id: String = "c1") -> ContainerSnapshot {
            let joined = labels.keys.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",")
            let line = #"{"ID":"\#(id)","Names":"\#(name)","Image":"i","State":"running","Status":"Up","Labels":"\#(joined)","Ports":"","CreatedAt":"now"}"#
            return try! ContainerSnapshot.parseList(line)[0]
        }
        let legacyOurs = container("devenv-shop-dev", ours)
        #expect(ContainerOwnership.environment(names, in: [legacyOurs]) == .ours(legacyOurs))
        #expect(ContainerOwnership.environment(names, in: ContainerIndex([legacyOurs])) == .ours(legacyOurs))
        var elsewhere = ours
        elsewhere[ResourceNames.rootLabel] = "/other/shop"
        #expect(ContainerOwnership.environment(names, in: [container("devenv-shop-dev", elsewhere)]) == .absent)
        #expect(ContainerOwnership.environment(names, in: [container("devenv-shop-dev", [:])]) == .absent)
        // Today's name wins; a foreign holder of it is the conflict, whatever the old name holds.
        let current = container(names.container, ours, id: "c2")
        #expect(ContainerOwnership.environment(names, in: [legacyOurs, current]) == .ours(current))
        let squatter = container(names.container, [:], id: "c3")
        if case .foreign = ContainerOwnership.environment(names, in: [legacyOurs, squatter]) {} else { Issue.record("not foreign") }
        // An earlier devenv's service container of this folder: of a service the profile no longer
        // runs, an orphan; of one it runs, that service's container (legacy25: `up` replaces it),
        // unless one under today's name is there too.
        var service = ours
        service[ResourceNames.serviceLabel] = "db"
        let oldService = container("devenv-shop-dev-svc-db", service, id: "c4")
        #expect(ContainerOwnership.orphanedServices(in: [oldService], names: names, configured: []).map(\.service) == ["db"])
        #expect(ContainerOwnership.orphanedServices(in: [oldService], names: names, configured: ["db"]).isEmpty)
        let newService = container(names.serviceContainer("db"), service, id: "c5")
        #expect(ContainerOwnership.orphanedServices(in: [oldService, newService], names: names, configured: ["db"]).map(\.container.id) == ["c4"])
        #expect(ContainerOwnership(name: names.serviceContainer("db"), earlierName: names.legacy.serviceContainer("db"), in: [oldService],
                                   names: names, service: "db") == .ours(oldService))
        #expect(ContainerOwnership(name: names.serviceContainer("db"), earlierName: names.legacy.serviceContainer("db"), in: [oldService],
                                   names: names, service: "cache") == .absent)
        // A recreate's temporary names, an earlier devenv's too.
        let oldPrevious = container("devenv-shop-dev.previous", ours, id: "c6")
        #expect(ContainerOwnership(name: names.previousContainer, earlierName: names.legacy.previousContainer, in: [oldPrevious],
                                   names: names) == .ours(oldPrevious))
        #expect(ContainerOwnership(name: names.previousContainer, earlierName: names.legacy.previousContainer,
                                   in: [container("devenv-shop-dev.previous", elsewhere, id: "c7")], names: names) == .absent)
        #expect(ContainerOwnership.orphanedServices(in: [newService], names: names, configured: ["db"]).isEmpty)
        #expect(ContainerOwnership.orphanedServices(in: [newService], names: names, configured: []).map(\.service) == ["db"])
    }

    /// Folder names from odd sources become valid names of at most 64 characters.
    @Test func oddFolderNamesBecomeValidNames() {
        let cases: [(String, String)] = [("UPPER", "upper"), ("-lead", "lead"), ("_lead", "lead"), ("a..b", "a.b"), (".hidden", "hidden"),
                                         ("trail.", "trail"), ("a b\tc", "a-b-c"), ("naïve", "na-ve")]
        for (folder, name) in cases { #expect(ProjectName.sanitized(folder) == name, "\(folder)") }
        let long = ProjectName.sanitized(String(repeating: "a", count: 63) + "-" + String(repeating: "b", count: 136))
        #expect(long == String(repeating: "a", count: 63))
        #expect(ProjectName.sanitized(String(repeating: "x", count: 200)).count == 64)
        for folder in ["UPPER", String(repeating: "é-x", count: 100), "日本", "-", "a..b", String(repeating: "z", count: 300)] {
            let name = ProjectName.sanitized(folder)
            #expect(ProjectName.isValid(name), "\(folder) -> \(name)")
            #expect(Self.isImageReference(ResourceNames(project: name, profile: "dev", projectRoot: "/x").image(fingerprint: "0123456789ab")))
        }
    }
}
