@testable import DevEnvApp
@testable import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `down --images` and `prune`, scripted (no engine): which images are picked, that each goes
/// by ID, and what is left and why. The same on the real engine: IntegrationTests'
/// ImageCleanupEngineTests.
@Suite struct ImageCommandTests {
    static func labels(profile: String = "dev", root: String = AppFixture.root, service: String? = nil) -> [String: String] {
        var labels = ["devenv.project": "shop", "devenv.profile": profile, "devenv.root": root]
        if let service { labels["devenv.service"] = service }
        return labels
    }

    /// One `DockerPlanner.inspectImages` line.
    static func inspected(_ id: String, _ labels: [String: String]?, _ tags: [String], size: Int = 1_000_000) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let labelText = labels.map { String(decoding: try! encoder.encode($0), as: UTF8.self) } ?? "null"
        let tagText = String(decoding: try! encoder.encode(tags), as: UTF8.self)
        return #"{"Id":"\#(id)","Labels":\#(labelText),"Tags":\#(tagText),"Size":\#(size)}"#
    }

    /// break27: a signal while `down --images` listed or removed the images said "stopped
    /// cleanly", after the container (and volumes) had gone; it says what was done and that
    /// `down --images` again removes the rest, as a signal between the other steps does.
    @Test func aSignalAmongTheImagesSaysWhatDownHadDone() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expectDownOfOwnContainer(planner)
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, exitCode: 143, sideEffect: { fixture.interruption = 15 })
        #expect(fixture.run(["down", "--images"]) == 143)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("interrupted by signal 15 while removing images, which was cut short (the image it was removing may be gone); "
                                                + "done before it: stopped devenv-shop-dev-497e78ff, removed devenv-shop-dev-497e78ff"), "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("run `devenv down --images` again to remove the rest"), "\(fixture.console.stderr)")
        #expect(!fixture.console.stderr.contains("stopped cleanly"), "\(fixture.console.stderr)")
    }

    @Test func downImagesRemovesTheProfilesImagesByIDAndLeavesWhatIsNotOnlyDevenvs() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let ids = ["sha256:a", "sha256:b", "sha256:c", "sha256:d", "sha256:e", "sha256:f"]
        let described = [
            Self.inspected("sha256:a", Self.labels(), ["devenv-shop-497e78ff:dev-111111111111"], size: 2_500_000),
            Self.inspected("sha256:b", Self.labels(service: "db"), ["devenv-shop-497e78ff-svc-db:dev-222222222222"]),
            // Another profile's, and the same project name in another folder: not considered.
            Self.inspected("sha256:c", Self.labels(profile: "ci"), ["devenv-shop-497e78ff:ci-333333333333"]),
            Self.inspected("sha256:e", Self.labels(root: "/elsewhere/shop"), ["devenv-shop-0badcafe:dev-444444444444"]),
            // Another folder's labels and this folder's name too (Podman 4.3's build cache
            // ignores --label): this folder's name goes, the other folder's stays.
            Self.inspected("sha256:f", Self.labels(root: "/elsewhere/shop"),
                           ["devenv-shop-497e78ff:dev-666666666666", "devenv-shop-0badcafe:dev-666666666666"]),
            // Also named by the user (docker tag): theirs too, left.
            Self.inspected("sha256:d", Self.labels(), ["devenv-shop-497e78ff:dev-555555555555", "mine:1"]),
        ].joined(separator: "\n")
        fixture.runner
            .expectDownOfOwnContainer(planner)
            // One line per name: sha256:a twice.
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv,
                    stdout: (ids + ["sha256:a"]).joined(separator: "\n") + "\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ids).argv, stdout: described + "\n")
            .expect(DockerPlanner.removeImage(cli: "docker", id: "sha256:a").argv, stdout: "Deleted: sha256:a\n")
            .expect(DockerPlanner.removeImage(cli: "docker", id: "sha256:b").argv,
                    stderr: "Error response from daemon: conflict: unable to delete b (cannot be forced) - image is being used by running container 123\n",
                    exitCode: 1)
            .expectStillNamed("devenv-shop-497e78ff:dev-666666666666",
                              Self.inspected("sha256:f", Self.labels(root: "/elsewhere/shop"), ["devenv-shop-497e78ff:dev-666666666666"]))
            .expect(DockerPlanner.removeImageName(cli: "docker", name: "devenv-shop-497e78ff:dev-666666666666").argv)
        #expect(fixture.run(["down", "--images"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == """
            removed devenv-shop-dev-497e78ff
            removed image devenv-shop-497e78ff:dev-111111111111
            removed the name devenv-shop-497e78ff:dev-666666666666 (the image stays: also named devenv-shop-0badcafe:dev-666666666666)
            left image devenv-shop-497e78ff-svc-db:dev-222222222222: the engine refused: Error response from daemon: conflict: unable to delete b (cannot be forced) - image is being used by running container 123
            left image devenv-shop-497e78ff:dev-555555555555: it is also named mine:1, which devenv did not give it

            """)
    }

    @Test func downWithoutImagesAsksNothingAboutImages() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner.expect(planner.findContainer().argv).expectNoProjectNetwork(planner)
        #expect(fixture.run(["down"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 2)
    }

    @Test func downImagesJSONNamesRemovedAndLeftImages() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv)
            .expectNoProjectNetwork(planner)
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: "sha256:a\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ["sha256:a"]).argv,
                    stdout: Self.inspected("sha256:a", Self.labels(), ["devenv-shop-497e78ff:dev-111111111111"], size: 42) + "\n")
            .expect(DockerPlanner.removeImage(cli: "docker", id: "sha256:a").argv)
        #expect(fixture.run(["down", "--images", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains(#""removedImages":["devenv-shop-497e78ff:dev-111111111111"],"untaggedImages":[],"leftImages":[],"freedBytes":42"#),
                "\(fixture.console.stdout)")
    }

    /// The untagged old ci image of `pruneScript`.
    static let oldCI = "sha256:" + String(repeating: "c", count: 64)

    /// The prune listing for the fixture: the dev profile's current image, an old dev one, an
    /// old ci one, an old service one, another folder's, one the user also named.
    func pruneScript(_ fixture: AppFixture) throws -> (ids: [String], described: String) {
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        #expect(environments.map(\.spec.profile).sorted() == ["ci", "dev", "prod"])
        let current = try environments[0].image(fileSystem: fixture.fileSystem)
        #expect(current.hasPrefix("devenv-shop-497e78ff:dev-"))
        // The untagged one devenv recorded building (`BuiltImages`): it goes by ID.
        fixture.stateFolder = BuiltImagesTests.folder
        // The other folder's image is of a clone that is there (not left behind).
        fixture.fileSystem.addDirectory("/elsewhere/shop")
        try BuiltImagesTests.recordBuilt(Self.oldCI, in: fixture)
        let ids = ["sha256:cur", "sha256:old", Self.oldCI, "sha256:oldsvc", "sha256:other", "sha256:mine"]
        let described = [
            Self.inspected("sha256:cur", Self.labels(), [current]),
            Self.inspected("sha256:old", Self.labels(), ["devenv-shop-497e78ff:dev-000000000000"], size: 3_000_000),
            Self.inspected(Self.oldCI, Self.labels(profile: "ci"), [], size: 1_500_000),
            Self.inspected("sha256:oldsvc", Self.labels(service: "db"), ["devenv-shop-497e78ff-svc-db:dev-000000000000"], size: 500_000),
            Self.inspected("sha256:other", Self.labels(root: "/elsewhere/shop"), ["devenv-shop-0badcafe:dev-000000000000"]),
            Self.inspected("sha256:mine", Self.labels(), ["devenv-shop-497e78ff:dev-999999999999", "localhost/mine:1"]),
        ].joined(separator: "\n") + "\n"
        return (ids, described)
    }

    @Test func pruneKeepsEveryProfilesCurrentImageAndRemovesTheRestOfThisFolders() throws {
        let fixture = AppFixture()
        let (ids, described) = try pruneScript(fixture)
        fixture.runner
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: ids.joined(separator: "\n"))
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ids).argv, stdout: described)
            .expectLeftBehindListings()
            .expect(DockerPlanner.removeImage(cli: "docker", id: "sha256:old").argv)
            .expect(DockerPlanner.removeImage(cli: "docker", id: Self.oldCI).argv)
            .expect(DockerPlanner.removeImage(cli: "docker", id: "sha256:oldsvc").argv)
        #expect(fixture.run(["prune"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == """
            removed image devenv-shop-497e78ff:dev-000000000000
            removed image untagged image cccccccccccc
            removed image devenv-shop-497e78ff-svc-db:dev-000000000000
            left image devenv-shop-497e78ff:dev-999999999999: it is also named localhost/mine:1, which devenv did not give it
            prune: removed 3 images, up to 5 MB freed (layers that other images still use stay)

            """)
    }

    @Test func pruneDryRunListsAndRemovesNothing() throws {
        let fixture = AppFixture()
        let (ids, described) = try pruneScript(fixture)
        fixture.runner
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: ids.joined(separator: "\n"))
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ids).argv, stdout: described)
            .expectLeftBehindListings()
        #expect(fixture.run(["prune", "--dry-run"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 6)
        let out = fixture.console.stdout
        #expect(out.contains("docker image rm sha256:old\n"))
        #expect(!out.contains("docker image rm sha256:cur"))
        #expect(out.contains("would remove image devenv-shop-497e78ff:dev-000000000000 (3 MB)\n"))
        #expect(out.contains("would leave image devenv-shop-497e78ff:dev-999999999999: it is also named localhost/mine:1"))
        #expect(out.hasSuffix("prune would remove 3 images, 5 MB\n"), "\(out)")
    }

    /// leftovers25: the verdict-to-calls mapping was written in Prune's dry run and again in
    /// ImageSet.remove; now ImageSet.calls, read by both.
    @Test func aVerdictsCallsAreDeclaredOnce() {
        let image = ImageSnapshot(id: "sha256:old", labels: [:], tags: ["devenv-shop-497e78ff:dev-1", "devenv-shop-497e78ff:dev-2"], size: 1)
        let calls = { (action: ImageSelection.Action) in
            ImageSet.calls(ImageSelection.Verdict(image: image, action: action), cli: "podman").map(\.argv)
        }
        #expect(calls(.leave("kept")) == [])
        #expect(calls(.removeImage) == [["podman", "image", "rm", "sha256:old"]])
        #expect(calls(.removeNames(["devenv-shop-497e78ff:dev-2", "devenv-shop-497e78ff:dev-1"]))
                == [["podman", "image", "rm", "devenv-shop-497e78ff:dev-2"], ["podman", "image", "rm", "devenv-shop-497e78ff:dev-1"]])
    }

    @Test func pruneDryRunJSONIsOneObject() throws {
        let fixture = AppFixture()
        let (ids, described) = try pruneScript(fixture)
        fixture.runner
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: ids.joined(separator: "\n"))
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ids).argv, stdout: described)
            .expectLeftBehindListings()
        #expect(fixture.run(["prune", "--dry-run", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        let out = fixture.console.stdout
        #expect(out.hasPrefix("{") && out.split(separator: "\n").count == 1, "\(out)")
        #expect(out.contains(#""wouldRemove":["devenv-shop-497e78ff:dev-000000000000","untagged image cccccccccccc","devenv-shop-497e78ff-svc-db:dev-000000000000"]"#), "\(out)")
    }

    /// names24: a moved, renamed or deleted project folder leaves its objects (names carry the
    /// folder's tag, so the new place starts afresh). prune finds this project's containers and
    /// volumes whose folder is gone and says how to remove them; it removes none, and one whose
    /// folder exists (another clone) or of another project is not listed.
    @Test func pruneListsWhatThisProjectLeftInFoldersThatAreGone() throws {
        let fixture = AppFixture()
        fixture.fileSystem.addDirectory("/src/clone")
        func labels(_ root: String, project: String = "shop") -> [String: String] {
            ["devenv.project": project, "devenv.profile": "dev", "devenv.root": root]
        }
        let containers = [
            AppFixture.psLine(name: "devenv-shop-dev-0badf00d", id: "gone1234567890", labels: labels("/old/shop")),
            AppFixture.psLine(name: "devenv-shop-dev-c10e0000", id: "clone123", labels: labels("/src/clone")),
            AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "here123", labels: labels("/src/shop")),
            AppFixture.psLine(name: "devenv-shop2-dev-00000000", id: "other123", labels: labels("/old/shop", project: "shop2")),
        ].joined(separator: "\n")
        // As devenv names and labels a volume (every one carries its role): copied labels alone make none devenv's.
        let goneVolume = ResourceNames(project: "shop", profile: "dev", projectRoot: "/old/shop").volume(role: "venv")
        let volumes = #"{"Name":"\#(goneVolume)","Mountpoint":"/v"}\#t{"devenv.project":"shop","devenv.profile":"dev","devenv.root":"/old/shop","devenv.role":"venv"}"#
        fixture.runner.expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv)
            .expectLeftBehindListings(containers: containers, volumes: volumes)
        #expect(fixture.run(["prune"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.hasSuffix("""
            found 2 objects of this project made in a folder that no longer exists (moved, renamed or deleted; devenv here does not manage them, and prune leaves them):
              container devenv-shop-dev-0badf00d (profile dev, /old/shop): remove it with docker rm --force gone12345678
              volume \(goneVolume) (profile dev, /old/shop): remove it with docker volume rm \(goneVolume)

            """), "\(fixture.console.stdout)")
    }

    /// images25: the images devenv built in a folder that is gone are listed too, by the rules
    /// of `down --images`: named only with devenv's names, or untagged and recorded as built by
    /// devenv. The user's (an untagged child of devenv's image, one they also named) are not.
    @Test func pruneListsTheImagesThisProjectLeftInFoldersThatAreGone() throws {
        let fixture = AppFixture()
        fixture.stateFolder = BuiltImagesTests.folder
        fixture.fileSystem.addDirectory("/src/clone")
        let id = { (digit: Character) in "sha256:" + String(repeating: digit, count: 64) }
        try BuiltImagesTests.recordBuilt(id("2"), in: fixture)
        let old = Self.labels(root: "/old/shop")
        let described = [
            Self.inspected(id("1"), old, ["devenv-shop-0badf00d:dev-111111111111"]),
            Self.inspected(id("2"), Self.labels(profile: "ci", root: "/old/shop"), []),
            Self.inspected(id("3"), old, []),
            Self.inspected(id("4"), old, ["devenv-shop-0badf00d:dev-444444444444", "mine:1"]),
            Self.inspected(id("5"), old, ["devenv-shop-0badf00d:dev-555555555555", "localhost/devenv-shop-0badf00d-svc-db:dev-555555555555"]),
            Self.inspected(id("6"), Self.labels(root: "/src/clone"), ["devenv-shop-c10e0000:dev-666666666666"]),
            Self.inspected(id("7"), ["devenv.project": "shop2", "devenv.profile": "dev", "devenv.root": "/old/shop"], []),
        ]
        let ids = (1...7).map { id(Character(String($0))) }
        fixture.runner
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: ids.joined(separator: "\n") + "\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ids).argv, stdout: described.joined(separator: "\n") + "\n")
            .expectLeftBehindListings()
        #expect(fixture.run(["prune"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == """
            prune: no unused images (the current images of dev, ci, prod are kept)
            found 3 objects of this project made in a folder that no longer exists (moved, renamed or deleted; devenv here does not manage them, and prune leaves them):
              image 222222222222 (profile ci, /old/shop): remove it with docker image rm 222222222222
              image devenv-shop-0badf00d:dev-111111111111 (profile dev, /old/shop): remove it with docker image rm 111111111111
              image devenv-shop-0badf00d:dev-555555555555 (profile dev, /old/shop): remove it with docker image rm devenv-shop-0badf00d:dev-555555555555 localhost/devenv-shop-0badf00d-svc-db:dev-555555555555

            """, "\(fixture.console.stdout)")
    }

    /// legacy25: a project renamed in devenv.toml (or whose folder-derived name changed) left its
    /// objects in this folder under the old name, and prune did not list them: it lists them now
    /// (labels: devenv made them, all three labels, for this folder), with how to remove them,
    /// and removes none. Labels missing the profile are no proof: not listed.
    @Test func pruneListsWhatARenamedProjectLeftInThisFolder() throws {
        let fixture = AppFixture()
        let old = ["devenv.project": "oldshop", "devenv.profile": "dev", "devenv.root": AppFixture.root]
        let folderContainers = [
            AppFixture.psLine(name: "devenv-oldshop-dev-12345678", id: "renamed1234567890", labels: old),
            AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "here123",
                              labels: ["devenv.project": "shop", "devenv.profile": "dev", "devenv.root": AppFixture.root]),
            AppFixture.psLine(name: "half-labelled", id: "half123", labels: ["devenv.project": "x", "devenv.root": AppFixture.root]),
        ].joined(separator: "\n")
        let folderVolumes = #"{"Name":"devenv-oldshop-dev-venv","Mountpoint":"/v"}\#t{"devenv.project":"oldshop","devenv.profile":"dev","devenv.root":"/src/shop","devenv.role":"venv"}"#
        fixture.runner.expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv)
            .expectLeftBehindListings(folderContainers: folderContainers, folderVolumes: folderVolumes)
        #expect(fixture.run(["prune"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.hasSuffix("""
            found 2 objects made in this folder for another project name (the project was renamed; devenv here does not manage them, and prune leaves them):
              container devenv-oldshop-dev-12345678 (project oldshop, profile dev): remove it with docker rm --force renamed12345
              volume devenv-oldshop-dev-venv (project oldshop, profile dev): remove it with docker volume rm devenv-oldshop-dev-venv

            """), "\(fixture.console.stdout)")
    }

    @Test func pruneWithNothingToRemoveSaysSo() throws {
        let fixture = AppFixture()
        fixture.runner.expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv)
            .expectLeftBehindListings()
        #expect(fixture.run(["prune"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.hasPrefix("prune: no unused images"))
    }

    /// Podman fails a whole `image ls` when another process removes an image while it lists
    /// (seen in CI: two test runs sharing rootless Podman's store, `down --images` exit 1):
    /// devenv asks again, at most `DockerPlanner.imageListingAttempts` times in all, and says
    /// the engine's error when every answer raced.
    @Test(arguments: [2, 3])
    func anImageListingAnImageVanishedFromIsAskedAgain(racedAnswers: Int) throws {
        let fixture = AppFixture()
        let raced = #"Error: reading image "8021f3547e53": locating image with ID "8021f3547e53": image not known"# + "\n"
        for _ in 0..<racedAnswers {
            fixture.runner.expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stderr: raced, exitCode: 125)
        }
        let settles = racedAnswers < DockerPlanner.imageListingAttempts
        if settles {
            fixture.runner.expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv).expectLeftBehindListings()
        }
        let status = fixture.run(["prune"])
        fixture.runner.verifyAllCalled()
        if settles {
            #expect(status == 0, "\(fixture.console.stderr)")
            #expect(fixture.console.stdout.hasPrefix("prune: no unused images"))
        } else {
            #expect(status != 0)
            #expect(fixture.console.stderr.contains("listing images failed"), "\(fixture.console.stderr)")
            #expect(fixture.console.stderr.contains("image not known"), "\(fixture.console.stderr)")
        }
    }

    /// Podman fails a whole `image inspect` of several IDs, with nothing on stdout, when one of
    /// them was removed after the listing (CI, rootless Podman, `down --images` exit 1
    /// "inspecting images failed … image not known"): devenv lists and inspects again, at most
    /// `DockerPlanner.imageListingAttempts` times, and says the engine's error when every
    /// answer raced.
    @Test(arguments: [1, 3])
    func anImageInspectAnImageVanishedFromIsAskedAgain(racedAnswers: Int) throws {
        let fixture = AppFixture()
        let raced = #"Error: inspecting object: sha256:b: image not known"# + "\n"
        let list = DockerPlanner.listDevenvImageIDs(cli: "docker").argv
        for _ in 0..<racedAnswers {
            fixture.runner.expect(list, stdout: "sha256:a\nsha256:b\n")
                .expect(DockerPlanner.inspectImages(cli: "docker", ids: ["sha256:a", "sha256:b"]).argv, stderr: raced, exitCode: 125)
        }
        let settles = racedAnswers < DockerPlanner.imageListingAttempts
        if settles {
            // Asked again: b is gone; a is another project's, which prune leaves unmentioned.
            let web = ["devenv.project": "web", "devenv.profile": "dev", "devenv.root": "/src/web"]
            fixture.runner.expect(list, stdout: "sha256:a\n")
                .expect(DockerPlanner.inspectImages(cli: "docker", ids: ["sha256:a"]).argv,
                        stdout: Self.inspected("sha256:a", web, ["devenv-web-0badcafe:dev-aaaaaaaaaaaa"]) + "\n")
                .expectLeftBehindListings()
        }
        let status = fixture.run(["prune"])
        fixture.runner.verifyAllCalled()
        if settles {
            #expect(status == 0, "\(fixture.console.stderr)")
            #expect(fixture.console.stdout.hasPrefix("prune: no unused images"), "\(fixture.console.stdout)")
        } else {
            #expect(status != 0)
            #expect(fixture.console.stderr.contains("inspecting images failed"), "\(fixture.console.stderr)")
            #expect(fixture.console.stderr.contains("image not known"), "\(fixture.console.stderr)")
        }
    }

    /// Podman 4.3's build cache ignores --label for a --target that is not the last stage: one
    /// image labelled for the first project and named for each that built it. down --images
    /// finds this profile's images by name too, and removes only its own names from an image
    /// another devenv name stays on; by ID only what is labelled for it and named for it alone.
    @Test func downImagesOnSharedImagesRemovesOnlyThisProfilesNames() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let web = ["devenv.project": "web", "devenv.profile": "dev", "devenv.root": "/src/web"]
        let shop = "localhost/devenv-shop-497e78ff:dev-"
        let described = [
            // Labelled for this environment, also named for web: untag ours.
            Self.inspected("sha256:z", Self.labels(), [shop + "cccccccccccc", "localhost/devenv-web:dev-cccccccccccc"]),
            // Labelled for this environment, named only for web now: not ours to touch.
            Self.inspected("sha256:w", Self.labels(), ["localhost/devenv-web:dev-dddddddddddd"]),
            // Labelled and named for this environment alone: by ID.
            Self.inspected("sha256:v", Self.labels(), [shop + "ffffffffffff"], size: 7),
            // Web's labels (web built it first), named for both: untag ours.
            Self.inspected("sha256:x", web, [shop + "aaaaaaaaaaaa", "localhost/devenv-web:dev-aaaaaaaaaaaa"]),
            // Web's labels, named for us alone: our name goes, and the image with it (refused here: in use).
            Self.inspected("sha256:y", web, [shop + "bbbbbbbbbbbb"]),
            // Web's labels, another profile's name of ours: not this profile's.
            Self.inspected("sha256:u", web, ["localhost/devenv-shop-497e78ff:ci-bbbbbbbbbbbb"]),
            // A look-alike: our name, no devenv labels.
            Self.inspected("sha256:l", nil, [shop + "eeeeeeeeeeee"]),
        ].joined(separator: "\n") + "\n"
        fixture.runner
            .expect(planner.findContainer().argv)
            .expectNoProjectNetwork(planner)
            // Every image with a devenv.project label, whatever its project (the look-alike has none).
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv,
                    stdout: "sha256:z\nsha256:w\nsha256:v\nsha256:x\nsha256:x\nsha256:y\nsha256:u\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ["sha256:z", "sha256:w", "sha256:v", "sha256:x", "sha256:y", "sha256:u"]).argv,
                    stdout: described)
            .expectStillNamed(shop + "cccccccccccc", Self.inspected("sha256:z", Self.labels(), [shop + "cccccccccccc"]))
            .expect(DockerPlanner.removeImageName(cli: "docker", name: shop + "cccccccccccc").argv, stdout: "Untagged: x\n")
            .expect(DockerPlanner.removeImage(cli: "docker", id: "sha256:v").argv)
            .expectStillNamed(shop + "aaaaaaaaaaaa", Self.inspected("sha256:x", web, [shop + "aaaaaaaaaaaa"]))
            .expect(DockerPlanner.removeImageName(cli: "docker", name: shop + "aaaaaaaaaaaa").argv, stdout: "Untagged: x\n")
            .expectStillNamed(shop + "bbbbbbbbbbbb", Self.inspected("sha256:y", web, [shop + "bbbbbbbbbbbb"]))
            .expect(DockerPlanner.removeImageName(cli: "docker", name: shop + "bbbbbbbbbbbb").argv,
                    stderr: "Error: image used by 96ce63b8fa24: image is in use by a container\n", exitCode: 2)
        #expect(fixture.run(["down", "--images", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        let out = fixture.console.stdout
        #expect(out.contains(#""removedImages":["devenv-shop-497e78ff:dev-ffffffffffff"],"untaggedImages":["devenv-shop-497e78ff:dev-cccccccccccc","devenv-shop-497e78ff:dev-aaaaaaaaaaaa"],"leftImages":[{"image":"devenv-shop-497e78ff:dev-bbbbbbbbbbbb","id":"sha256:y","reason":"the engine refused: Error: image used by 96ce63b8fa24: image is in use by a container"}],"freedBytes":7"#), "\(out)")
        let text = ImageSet.text(ImageSet.Outcome(
            removed: [], untagged: [(ImageSnapshot(id: "sha256:x", labels: web, tags: [shop + "aaaaaaaaaaaa", "localhost/devenv-web:dev-aaaaaaaaaaaa"], size: 1),
                                     [shop + "aaaaaaaaaaaa"])], left: []))
        #expect(text == "removed the name devenv-shop-497e78ff:dev-aaaaaaaaaaaa (the image stays: also named devenv-web:dev-aaaaaaaaaaaa)\n")
    }

    /// prune: an old name on the image a profile runs now is removed, the image (and its current name) kept.
    @Test func pruneRemovesAnOldNameFromTheCurrentImage() throws {
        let fixture = AppFixture()
        let (_, _) = try pruneScript(fixture)
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let current = try environments[0].image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: "sha256:cur\nsha256:cur\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ["sha256:cur"]).argv,
                    stdout: Self.inspected("sha256:cur", Self.labels(), ["devenv-shop-497e78ff:dev-777777777777", current]) + "\n")
            .expectLeftBehindListings()
            .expectStillNamed("devenv-shop-497e78ff:dev-777777777777", Self.inspected("sha256:cur", Self.labels(), ["devenv-shop-497e78ff:dev-777777777777", current]))
            .expect(DockerPlanner.removeImageName(cli: "docker", name: "devenv-shop-497e78ff:dev-777777777777").argv)
        #expect(fixture.run(["prune"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == """
            removed the name devenv-shop-497e78ff:dev-777777777777 (the image stays: also named \(current))
            prune: no image removed; removed 1 name from images that stay

            """)
    }

    /// break24: a name is removed with `image rm NAME`, which removes whatever the name names
    /// then. A build elsewhere between the listing and the removal gave the name to another
    /// image (one devenv did not build, named only so): devenv removed it. The name is asked
    /// about again just before; moved, it is left and said; gone already, it counts as gone.
    @Test func aNameThatMovedToAnotherImageSinceTheListingIsLeft() throws {
        let fixture = AppFixture()
        let (_, _) = try pruneScript(fixture)
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let current = try environments[0].image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: "sha256:cur\nsha256:cur\nsha256:cur\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ["sha256:cur"]).argv,
                    stdout: Self.inspected("sha256:cur", Self.labels(), ["devenv-shop-497e78ff:dev-777777777777", "devenv-shop-497e78ff:dev-888888888888", current]) + "\n")
            .expectLeftBehindListings()
            .expectStillNamed("devenv-shop-497e78ff:dev-777777777777", Self.inspected("sha256:foreign", nil, ["devenv-shop-497e78ff:dev-777777777777"]))
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ["devenv-shop-497e78ff:dev-888888888888"]).argv,
                    stderr: "Error: No such image: devenv-shop-497e78ff:dev-888888888888\n", exitCode: 1)
        #expect(fixture.run(["prune"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == """
            removed the name devenv-shop-497e78ff:dev-888888888888 (the image stays: also named devenv-shop-497e78ff:dev-777777777777, \(current))
            left image devenv-shop-497e78ff:dev-777777777777: since it was listed, the name was given to another image (ID foreign), which devenv leaves
            prune: no image removed; removed 1 name from images that stay

            """)
    }

    @Test func devenvImageNamesAreRecognisedByShape() {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        #expect(names.isImageName("devenv-shop-497e78ff:dev-0123456789ab"))
        #expect(names.isImageName("localhost/devenv-shop-497e78ff-svc-db:dev-0123456789ab", profile: "dev"))
        #expect(names.isImageName("devenv-shop-497e78ff:my-ci-0123456789ab", profile: "my-ci"))
        #expect(!names.isImageName("devenv-shop-497e78ff:ci-0123456789ab", profile: "dev"))
        #expect(!names.isImageName("devenv-shopping:dev-0123456789ab"), "another project whose name starts alike")
        #expect(!names.isImageName("devenv-shop-497e78ff:latest"), "a user's tag")
        #expect(!names.isImageName("devenv-shop-497e78ff-svc-:dev-0123456789ab"))
        #expect(ResourceNames.isImageName("localhost/devenv-web:dev-0123456789ab"))
        #expect(!ResourceNames.isImageName("devenv-test/busybox:latest"))
        #expect(!ResourceNames.isImageName("devenv-web:dev-0123"), "twelve hex digits")
        // path29: the docker CLI on Podman's socket names it docker.io/library/devenv-…, the
        // same reference by Docker's rule: devenv's alone, not "also named" something else.
        let viaSocket = ImageSnapshot(id: "sha256:abc", labels: Self.labels(root: "/src/shop"),
                                      tags: ["docker.io/library/devenv-shop-497e78ff:dev-0123456789ab"], size: 1)
        #expect(ImageSelection.notDevenvsAlone(viaSocket, built: []) == nil)
        #expect(ImageSnapshot.plain(viaSocket.tags[0]) == "devenv-shop-497e78ff:dev-0123456789ab")
        #expect(ImageSelection.notDevenvsAlone(ImageSnapshot(id: "sha256:abc", labels: Self.labels(root: "/src/shop"),
                                                             tags: ["quay.io/library/devenv-shop-497e78ff:dev-0123456789ab"], size: 1),
                                               built: []) != nil, "another registry's name is not devenv's")
    }

    @Test func sizesReadAsDockerPrintsThem() {
        #expect(ImageSelection.sizeText(512) == "512 B")
        #expect(ImageSelection.sizeText(1_500) == "1.5 kB")
        #expect(ImageSelection.sizeText(45_300_000) == "45.3 MB")
        #expect(ImageSelection.sizeText(5_000_000) == "5 MB")
        #expect(ImageSelection.sizeText(812_400_000) == "812 MB")
        #expect(ImageSelection.sizeText(1_200_000_000) == "1.2 GB")
    }

    @Test func theTableDeclaresDownImagesAndPrune() throws {
        #expect(try CommandLineParser.parse(["down", "--images", "--volumes"]).command == .down(volumes: true, images: true))
        #expect(try CommandLineParser.parse(["prune", "--dry-run"]).command == .prune)
        #expect(CommandTable.option("--images")?.commands == ["down"])
    }
}

extension FakeProcessRunner {
    /// The question devenv asks just before `image rm NAME` (`ImageSet`): what `name` names now,
    /// answered with `described` (`ImageCommandTests.inspected`).
    @discardableResult
    func expectStillNamed(_ name: String, _ described: String) -> FakeProcessRunner {
        expect(DockerPlanner.inspectImages(cli: "docker", ids: [name]).argv, stdout: described + "\n")
    }
}

extension FakeProcessRunner {
    /// `prune`'s listings by the project label and by the folder label (containers, volumes) of
    /// what this project left in folders that are gone and what a renamed project left in this
    /// folder (`LeftBehind`), answered with `containers`, `volumes` and the `folder` ones.
    @discardableResult
    func expectLeftBehindListings(containers: String = "", volumes: String = "", folderContainers: String = "",
                                  folderVolumes: String = "") -> FakeProcessRunner {
        expect(DockerPlanner.listProjectContainers(cli: "docker", project: "shop").argv, stdout: containers)
            .expect(DockerPlanner.listFolderContainers(cli: "docker", root: AppFixture.root).argv, stdout: folderContainers)
            .expect(DockerPlanner.listProjectVolumesByLabel(cli: "docker", project: "shop").argv, stdout: volumes)
            .expect(DockerPlanner.listFolderVolumes(cli: "docker", root: AppFixture.root).argv, stdout: folderVolumes)
    }
}
