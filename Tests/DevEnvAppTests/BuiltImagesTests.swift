#if canImport(Glibc)
import Glibc
#endif
@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// images25: an image the user built FROM devenv's inherits devenv's labels; once it has no name
/// `down --images` and `prune` removed it as devenv's (rule 3 of `ImageSelection`). Now every
/// build records the new image's ID (`--iidfile`, `BuiltImages`), and a nameless image goes only
/// when it is recorded for this engine. The same on the real engine: IntegrationTests'
/// ImageCleanupEngineTests.
@Suite("Built image records")
struct BuiltImagesTests {
    static let folder = "/root/.local/state/devenv"
    static let ours = "sha256:" + String(repeating: "a", count: 64)
    static let child = "sha256:" + String(repeating: "b", count: 64)
    static let gone = "sha256:" + String(repeating: "d", count: 64)

    /// Records `id` as built on `fixture`'s engine, the way a build does: the engine writes it to
    /// the `--iidfile`, devenv reads it.
    static func recordBuilt(_ id: String, in fixture: AppFixture, engine: EngineKind = .docker) throws {
        let built = BuiltImages(context: fixture.context, engine: engine)
        let file = try #require(built.imageIDFile(image: "devenv-shop-497e78ff:dev-0123456789ab"))
        try fixture.fileSystem.writeFile(file, Array(id.utf8), mode: 0o644)
        built.record(from: file, image: "devenv-shop-497e78ff:dev-0123456789ab")
        #expect(!fixture.fileSystem.fileExists(file))
    }

    static func recorded(_ fixture: AppFixture, engine: EngineKind = .docker) -> Set<String> {
        BuiltImages(context: fixture.context, engine: engine).recorded().ids
    }

    /// `down --images`' calls up to the listing, answered with `described` (`inspected` lines).
    static func expectDownListing(_ fixture: AppFixture, ids: [String], described: [String],
                                  sideEffect: (@Sendable () -> Void)? = nil) throws {
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv)
            .expectNoProjectNetwork(planner)
            .expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: ids.map { $0 + "\n" }.joined(), sideEffect: sideEffect)
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: ids).argv, stdout: described.map { $0 + "\n" }.joined())
    }

    /// `down --images` where the engine has two nameless images labelled for the environment:
    /// `ours` (devenv's, when recorded) goes by ID; `child` (no record) is left.
    static func downRemovingOursLeavingChild(_ fixture: AppFixture) throws {
        try expectDownListing(fixture, ids: [ours, child], described: [
            ImageCommandTests.inspected(ours, ImageCommandTests.labels(), []),
            ImageCommandTests.inspected(child, ImageCommandTests.labels(), []),
        ])
        fixture.runner.expect(DockerPlanner.removeImage(cli: "docker", id: ours).argv)
        #expect(fixture.run(["down", "--images"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
    }

    @Test func buildRecordsTheIDTheEngineWroteAndRemovesItsFile() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let built = BuiltImages(context: fixture.context, engine: environment.planner.engine)
        let file = try #require(built.imageIDFile(image: image))
        #expect(file.hasPrefix(Self.folder + "/building-"))
        let fileSystem = fixture.fileSystem
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expectNoImage(image)
            .expect(environment.planner.build(image: image, buildKit: true, noCache: false, imageIDFile: file).argv,
                    sideEffect: { try? fileSystem.writeFile(file, Array("\(Self.ours)\n".utf8), mode: 0o644) })
        #expect(fixture.run(["build"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(Self.recorded(fixture) == [ImageSnapshot.bareID(Self.ours)])
        #expect(!fixture.fileSystem.fileExists(file), "the --iidfile is removed once read")
        #expect(!fixture.console.stderr.contains("image ID"), "\(fixture.console.stderr)")
    }

    /// A failed build writes no ID: nothing recorded, nothing said. One that wrote something else
    /// (a corrupt or planted file) records nothing and says so.
    @Test(arguments: [nil, "not an id\n", "sha256:" + String(repeating: "A", count: 64)] as [String?])
    func aBuildWithoutAReadableIDRecordsNothing(written: String?) throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let file = try #require(BuiltImages(context: fixture.context, engine: .docker).imageIDFile(image: image))
        let fileSystem = fixture.fileSystem
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expectNoImage(image)
            .expect(environment.planner.build(image: image, buildKit: true, noCache: false, imageIDFile: file).argv,
                    exitCode: written == nil ? 1 : 0,
                    sideEffect: { if let written { try? fileSystem.writeFile(file, Array(written.utf8), mode: 0o644) } })
        #expect(fixture.run(["build"]) == (written == nil ? 1 : 0), "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(Self.recorded(fixture).isEmpty)
        #expect(!fixture.fileSystem.fileExists(file))
        #expect(fixture.console.stderr.contains("wrote no image ID devenv can read") == (written != nil), "\(fixture.console.stderr)")
    }

    /// break26: a read-only state folder made every build fail after building it all: the CLI
    /// could not write the --iidfile ("cannot write image ID file: ... permission denied", exit
    /// 1) though it had made and named the image. devenv now makes the file first; when it
    /// cannot, the build goes without --iidfile and says its image is not recorded.
    @Test func aStateFolderDevenvCannotWriteBuildsWithoutAnIDFile() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        fixture.fileSystem.unwritableFolders = [Self.folder]
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expectNoImage(image)
            .expect(environment.planner.build(image: image, buildKit: true, noCache: false).argv)
        #expect(fixture.run(["build"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("\(image) is built without recording its ID: devenv cannot write in its state folder \(Self.folder)"),
                "\(fixture.console.stderr)")
        #expect(Self.recorded(fixture).isEmpty)
    }

    /// break26: the image a build's name names now is recorded first when it is devenv's by the
    /// rule `down --images` removes by (labelled for this environment, only devenv's names): once
    /// the build takes the name, only a record vouches for it (built before devenv kept records,
    /// or by a devenv killed while the CLI built on). Not one with a name of the user's, nor one
    /// labelled for another folder; nothing is asked where the caller knows the name is free (up).
    @Test(arguments: [("ours", true), ("user's name", false), ("another folder's", false), ("recorded", true)])
    func aBuildRecordsTheImageItsNameNamesWhenItIsDevenvs(named: String, recorded: Bool) throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        if named == "recorded" { try Self.recordBuilt(Self.ours, in: fixture) }
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let file = try #require(BuiltImages(context: fixture.context, engine: .docker).imageIDFile(image: image))
        let labels = ImageCommandTests.labels(root: named == "another folder's" ? "/elsewhere/shop" : AppFixture.root)
        let tags = [image] + (named == "user's name" ? ["mine:latest"] : [])
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: [image]).argv, stdout: ImageCommandTests.inspected(Self.ours, labels, tags) + "\n")
            .expect(environment.planner.build(image: image, buildKit: true, noCache: false, imageIDFile: file).argv, exitCode: 1)
        #expect(fixture.run(["build"]) == 1, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(Self.recorded(fixture) == (recorded ? [ImageSnapshot.bareID(Self.ours)] : []))
        #expect(!fixture.console.stderr.contains("note:"), "\(fixture.console.stderr)")
    }

    @Test func aDryRunBuildAsksForNoIDFile() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        #expect(fixture.run(["build", "--dry-run"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains(environment.planner.build(image: image, buildKit: true, noCache: false).argv.joined(separator: " ")),
                "\(fixture.console.stdout)")
        #expect(!fixture.console.stdout.contains("--iidfile"))
    }

    /// The hole: an untagged image labelled for this environment that devenv did not record
    /// building (the user's `docker build` FROM devenv's image, its tag moved on) is left and
    /// reported; the untagged one devenv built goes. Docker's IDs and Podman's (inspect without
    /// "sha256:") alike.
    @Test(arguments: [false, true])
    func downImagesRemovesANamelessImageOnlyWhenDevenvRecordedBuildingIt(podman: Bool) throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        try Self.recordBuilt(Self.ours, in: fixture)
        let inspectID = { (id: String) in podman ? ImageSnapshot.bareID(id) : id }
        try Self.expectDownListing(fixture, ids: [Self.ours, Self.child], described: [
            ImageCommandTests.inspected(inspectID(Self.ours), ImageCommandTests.labels(), []),
            ImageCommandTests.inspected(inspectID(Self.child), ImageCommandTests.labels(), []),
        ])
        fixture.runner.expect(DockerPlanner.removeImage(cli: "docker", id: inspectID(Self.ours)).argv)
        #expect(fixture.run(["down", "--images"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == """
            dev: no container to remove
            removed image untagged image aaaaaaaaaaaa
            left image untagged image bbbbbbbbbbbb: devenv has no record of building it (an image built FROM devenv's carries the same labels, as does one an earlier devenv built: it kept no records)

            """)
    }

    /// break26: devenv killed (SIGKILL) while `docker build` ran; the CLI built on, named the image
    /// and wrote the --iidfile nobody read. The next reading of the records takes that file's ID
    /// for its engine (only its), so once a rebuild takes the name, `down --images` still removes
    /// devenv's image; a dry run counts it and writes nothing.
    @Test func aBuildWhoseDevenvWasKilledIsRecordedAtTheNextReading() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        let image = "devenv-shop-497e78ff:dev-0123456789ab"
        /// The --iidfile a killed devenv (another process) left, written by the CLI.
        func leftFile(_ id: String) throws -> String {
            let own = try #require(BuiltImages(context: fixture.context, engine: .docker).imageIDFile(image: image))
            let file = own.replacingOccurrences(of: "/building-\(getpid())-", with: "/building-4194000-")
            try fixture.fileSystem.writeFile(file, Array("\(id)\n".utf8), mode: 0o644)
            return file
        }
        fixture.extraEnvironment = ["DOCKER_HOST": "unix:///run/user/1000/docker.sock"]
        let otherEngines = try leftFile(Self.child)
        fixture.extraEnvironment = [:]
        let left = try leftFile(Self.ours)
        let unfinished = left.replacingOccurrences(of: "-4194000-", with: "-4194001-")
        try fixture.fileSystem.writeFile(unfinished, Array("sha256:".utf8), mode: 0o644)

        #expect(BuiltImages(context: fixture.context, engine: .docker).recorded(dryRun: true).ids == [ImageSnapshot.bareID(Self.ours)])
        #expect(fixture.fileSystem.fileExists(left), "a dry run writes nothing")
        try Self.downRemovingOursLeavingChild(fixture)
        #expect(fixture.console.stdout.contains("removed image untagged image aaaaaaaaaaaa\n"), "\(fixture.console.stdout)")
        #expect(fixture.console.stdout.contains("left image untagged image bbbbbbbbbbbb: devenv has no record"), "another engine's build vouches for nothing here: \(fixture.console.stdout)")
        #expect(!fixture.fileSystem.fileExists(left), "recorded, then removed")
        #expect(fixture.fileSystem.fileExists(unfinished) && fixture.fileSystem.fileExists(otherEngines))
        #expect(!fixture.console.stderr.contains("entries"), "\(fixture.console.stderr)")
    }

    /// mend27a: a records folder devenv cannot read (its permissions changed, a file in its
    /// place) was read as empty, and `down --images` said "devenv has no record of building it"
    /// of its own images. It says the folder cannot be read, where and why, and what that means:
    /// no image without a name is removed, since only a record proves devenv built one.
    @Test func anUnreadableRecordsFolderIsSaidSoAndRemovesNothingNameless() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        try Self.recordBuilt(Self.ours, in: fixture)
        let records = try #require(BuiltImages(context: fixture.context, engine: .docker).folder())
        fixture.fileSystem.unreadable.insert(records)
        try Self.expectDownListing(fixture, ids: [Self.ours], described: [ImageCommandTests.inspected(Self.ours, ImageCommandTests.labels(), [])])
        #expect(fixture.run(["down", "--images"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains("left image untagged image aaaaaaaaaaaa: devenv cannot read its records of the images it built (\(records)"),
                "\(fixture.console.stdout)")
        #expect(!fixture.console.stdout.contains("no record"), "\(fixture.console.stdout)")
        #expect(fixture.console.stderr.contains("cannot read its records of the images it built, \(records) (permission denied"),
                "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("down --images and prune remove no image without a name"), "\(fixture.console.stderr)")
    }

    @Test func withoutAStateFolderEveryNamelessImageIsLeft() throws {
        let fixture = AppFixture()
        try Self.expectDownListing(fixture, ids: [Self.ours], described: [ImageCommandTests.inspected(Self.ours, ImageCommandTests.labels(), [])])
        #expect(fixture.run(["down", "--images", "--json"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains(#""removedImages":[],"untaggedImages":[],"leftImages":[{"image":"untagged image aaaaaaaaaaaa""#),
                "\(fixture.console.stdout)")
    }

    /// One engine's record does not vouch for another's image: the same ID built on the engine
    /// DOCKER_HOST names is not this one's (a rootless Docker, a remote engine, Podman).
    @Test func anotherEnginesRecordDoesNotVouch() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        fixture.extraEnvironment = ["DOCKER_HOST": "unix:///run/user/1000/docker.sock"]
        try Self.recordBuilt(Self.ours, in: fixture)
        try Self.recordBuilt(Self.child, in: fixture, engine: .podman)
        fixture.extraEnvironment = [:]
        #expect(Self.recorded(fixture).isEmpty)
        try Self.expectDownListing(fixture, ids: [Self.ours, Self.child], described: [
            ImageCommandTests.inspected(Self.ours, ImageCommandTests.labels(), []),
            ImageCommandTests.inspected(Self.child, ImageCommandTests.labels(), []),
        ])
        #expect(fixture.run(["down", "--images"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.components(separatedBy: "devenv has no record of building it").count == 3, "\(fixture.console.stdout)")
    }

    @Test func theEngineKeyIsWhereTheCLITalksNotHowItIsSpelled() {
        let key = { (engine: EngineKind, environment: [String: String]) in
            BuiltImages.engineKey(engine, environment: environment, endpoint: EngineEndpoint.resolve(environment: environment, configFile: nil))
        }
        let local = key(.docker, [:])
        #expect(local == key(.docker, ["DEVENV_DOCKER": "/usr/bin/docker"]))
        #expect(local == key(.docker, ["DOCKER_CONTEXT": ""]))
        // break26: the default engine however named; DOCKER_CONTEXT=default goes to DOCKER_HOST.
        #expect(local == key(.docker, ["DOCKER_HOST": "unix:///var/run/docker.sock"]))
        #expect(local == key(.docker, ["DOCKER_CONTEXT": "default"]))
        let rootless = key(.docker, ["DOCKER_HOST": "unix:///run/user/1000/docker.sock"])
        #expect(rootless == key(.docker, ["DOCKER_CONTEXT": "default", "DOCKER_HOST": "unix:///run/user/1000/docker.sock"]))
        let others = [key(.docker, ["DOCKER_HOST": "unix:///run/user/1000/docker.sock"]), key(.docker, ["DOCKER_CONTEXT": "rootless"]),
                      key(.podman, [:]), key(.podman, ["CONTAINER_HOST": "ssh://me@box/run/podman/podman.sock"]),
                      key(.podman, ["CONTAINERS_STORAGE_CONF": "/etc/other-storage.conf"])]
        #expect(Set(others + [local]).count == others.count + 1)
        let hex = local.allSatisfy { $0.isHexDigit }
        #expect(hex, "a folder name: \(local)")
    }

    /// Records of images the engine no longer has go with the listing, but not one made after
    /// the folder was read (a build that finished meanwhile: its image may be missing from the
    /// listing), and not in a dry run.
    @Test func theListingDropsRecordsOfImagesThatAreGoneButNotOnesMadeMeanwhile() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        try Self.recordBuilt(Self.ours, in: fixture)
        try Self.recordBuilt(Self.gone, in: fixture)
        fixture.runner.expect(DockerPlanner.listDevenvImageIDs(cli: "docker").argv, stdout: Self.ours + "\n")
            .expect(DockerPlanner.inspectImages(cli: "docker", ids: [Self.ours]).argv,
                    stdout: ImageCommandTests.inspected(Self.ours, ImageCommandTests.labels(root: "/elsewhere"), []) + "\n")
            .expectLeftBehindListings()
        #expect(fixture.run(["prune", "--dry-run"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(Self.recorded(fixture) == Set([Self.ours, Self.gone].map(ImageSnapshot.bareID)), "a dry run changes no record")

        let meanwhile = "sha256:" + String(repeating: "e", count: 64)
        try Self.expectDownListing(fixture, ids: [Self.ours], described: [
            ImageCommandTests.inspected(Self.ours, ImageCommandTests.labels(root: "/elsewhere"), []),
        ], sideEffect: { try? Self.recordBuilt(meanwhile, in: fixture) })
        #expect(fixture.run(["down", "--images"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(Self.recorded(fixture) == Set([Self.ours, meanwhile].map(ImageSnapshot.bareID)))
    }

    /// The folder is the user's own (0700), but a corrupt or planted entry must not vouch for
    /// anything nor stop `down`: it is ignored, kept, and said (made safe for a terminal).
    @Test func entriesThatAreNoRecordsAreIgnoredAndSaid() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        try Self.recordBuilt(Self.ours, in: fixture)
        let folder = try #require(BuiltImages(context: fixture.context, engine: .docker).folder())
        for name in ["notes.txt", String(repeating: "B", count: 64), "\u{1b}[31mred"] {
            try fixture.fileSystem.writeFile("\(folder)/\(name)", Array("sha256:\(String(repeating: "b", count: 64))".utf8), mode: 0o600)
        }
        try Self.downRemovingOursLeavingChild(fixture)
        #expect(fixture.console.stdout.contains("left image untagged image bbbbbbbbbbbb: devenv has no record of building it"), "\(fixture.console.stdout)")
        let stderr = fixture.console.stderr
        #expect(stderr.contains("ignored 3 entries of \(folder) that are no image IDs"), "\(stderr)")
        #expect(!stderr.contains("\u{1b}"), "an entry's name reaches the terminal escaped: \(stderr)")
        #expect(fixture.fileSystem.listDirectory(folder).count == 4, "strays are kept; the record of a listed image too")
    }
}
