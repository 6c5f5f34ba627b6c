import Testing
@testable import DevEnvCore

/// `prune`'s listing of what this project left in folders that are gone (`LeftBehind`).
@Suite struct LeftBehindTests {
    static let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
    static let old = ["devenv.project": "shop", "devenv.profile": "dev", "devenv.root": "/old/shop"]

    static func found(_ tags: [String]) -> [LeftBehind] {
        let image = ImageSnapshot(id: "sha256:" + String(repeating: "a", count: 64), labels: old, tags: tags, size: 1)
        return LeftBehind.find(containers: [], volumes: [], images: [image], built: [], names: names, folderExists: { _ in false })
    }

    /// Podman 4.3's build cache gives this folder's build the gone folder's image: its command
    /// removed both folders' names, this folder's current image's among them. Now this folder's
    /// names are not listed, and the command removes the gone folder's names only.
    @Test func thisFoldersNamesOnAGoneFoldersImageAreNotInItsRemoval() throws {
        let mine = "devenv-shop-497e78ff:dev-0123456789ab"
        let gone = "devenv-shop-0badf00d:dev-0123456789ab"
        #expect(Self.names.isImageName(mine) && !Self.names.isImageName(gone))
        let left = try #require(Self.found([gone, mine]).first)
        #expect(left.imageNames == [gone])
        #expect(left.removal(cli: "docker") == ["docker", "image", "rm", gone], "by ID it would go whole, this folder's name with it")
        // Only this folder's names: nothing of it is left behind.
        #expect(Self.found([mine]).isEmpty)
        // The gone folder's alone, as before: by ID when one name, by names when several.
        #expect(Self.found([gone]).first?.removal(cli: "docker") == ["docker", "image", "rm", "aaaaaaaaaaaa"])
        let second = "devenv-shop-0badf00d-svc-db:dev-0123456789ab"
        #expect(Self.found([gone, second]).first?.removal(cli: "docker") == ["docker", "image", "rm", gone, second])
    }

    /// break26: a volume with a gone folder's labels copied onto it under a name devenv never
    /// gives (a backup) is not listed with `docker volume rm`; the one devenv made there is.
    @Test func aVolumeIsListedOnlyUnderTheNameDevenvGaveIt() throws {
        let old = ResourceNames(project: "shop", profile: "dev", projectRoot: "/old/shop")
        let labels = Self.old.merging([ResourceNames.roleLabel: "venv"]) { $1 }
        let volumes = [VolumeSnapshot(name: old.volume(role: "venv"), labels: labels, mountpoint: ""),
                       VolumeSnapshot(name: "backup-" + old.volume(role: "venv"), labels: labels, mountpoint: "")]
        let found = LeftBehind.find(containers: [], volumes: volumes, images: [], built: [], names: Self.names, folderExists: { _ in false })
        #expect(found.map(\.name) == [old.volume(role: "venv")])
    }
}
