import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 10 item 12 on the real engine: `prune` removes the images devenv built for the
/// project that no profile uses any more and keeps the current one; `down --images` removes
/// the rest; an image a container still uses is left; images devenv did not build (a
/// look-alike name made with `docker tag`) and images the user also named survive both.
@Suite("Image clean-up on a real engine", .serialized)
struct ImageCleanupEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    /// The full ID of the image `reference` names; nil when there is none.
    static func imageID(_ reference: String) throws -> String? {
        let result = try TestEngine.docker(["image", "inspect", "--format", "{{.Id}}", reference])
        return result.exitCode == 0 ? result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// The first name of the image `id`; nil when it has none.
    static func firstName(_ id: String) throws -> String? {
        try TestEngine.docker(["image", "inspect", "--format", "{{index .RepoTags 0}}", id]).stdoutText
            .split(separator: "\n").first.map(String.init)
    }

    /// The user's own `docker build` in `project` of `file`, `FROM base`, named `tag` or
    /// untagged: its ID. With BuildKit, as current Docker builds: no parent link, which would
    /// make the engine refuse to remove devenv's image while the child is there.
    static func userBuild(_ project: Project, _ file: String, from base: String, tag: String? = nil) throws -> String {
        try project.write(file, "FROM \(base)\nLABEL example.child=\(file)\n")
        let idFile = project.parent + "/\(file).id"
        let built = try TestEngine.docker(["build", "--quiet", "--iidfile", idFile, "--file", project.path + "/" + file]
                                              + (tag.map { ["--tag", $0] } ?? []) + [project.path],
                                          environment: TestEngine.buildEnvironment())
        #expect(built.exitCode == 0, "\(built.stderrText)")
        return try String(contentsOfFile: idFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The image ID the project's dev container runs.
    static func containerImage(_ project: Project) throws -> String {
        let result = try project.docker("inspect", "--format", "{{.Image}}", project.container)
        #expect(result.exitCode == 0, "\(result.stderrText)")
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The IDs of the images labelled for the project.
    static func labelledImages(_ project: Project) throws -> Set<String> {
        let result = try project.docker("image", "ls", "--quiet", "--no-trunc", "--filter", "label=devenv.project=\(project.name)")
        return Set(result.stdoutText.split(separator: "\n").map(String.init))
    }

    @Test("prune removes the old image and keeps the current one; down --images removes the rest; foreign images survive")
    func pruneAndDownImages() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        // A look-alike devenv did not build: busybox under a name shaped like the project's.
        let lookAlike = "\(DevenvNames.imageRepository(project.name, in: project.path)):dev-000000000000"
        #expect(try project.docker("tag", TestEngine.busyboxImage, lookAlike).exitCode == 0)
        defer { _ = try? TestEngine.docker(["image", "rm", lookAlike]) }   // untags only: busybox keeps its name
        let busybox = try #require(try Self.imageID(TestEngine.busyboxImage))

        var up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let first = try Self.containerImage(project)

        // A changed Dockerfile: the next up builds a second image; the first is unused now.
        try project.write("Dockerfile", "FROM \(TestEngine.busyboxImage) AS dev\nLABEL example.revision=2\n")
        up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let second = try Self.containerImage(project)
        #expect(first != second)
        #expect(try Self.labelledImages(project) == [first, second])

        let dry = try project.devenv("prune", "--dry-run")
        #expect(dry.exitCode == 0, "\(dry.stderrText)")
        #expect(dry.stdoutText.contains("docker image rm \(first)"), "\(dry.stdoutText)")
        #expect(dry.stdoutText.contains("prune would remove 1 image"), "\(dry.stdoutText)")
        #expect(try Self.labelledImages(project) == [first, second], "--dry-run removed something")

        let prune = try project.devenv("prune")
        #expect(prune.exitCode == 0, "\(prune.stderrText)")
        #expect(prune.stdoutText.contains("prune: removed 1 image, "), "\(prune.stdoutText)")
        #expect(prune.stdoutText.contains("freed"), "\(prune.stdoutText)")
        #expect(try Self.labelledImages(project) == [second], "prune should remove the old image only")
        #expect(try Self.imageID(lookAlike) == busybox, "the look-alike was touched")

        // The Dockerfile changes again and `build` makes a third image; the running container
        // still uses the second, which is no profile's current image now: prune leaves it, saying why.
        try project.write("Dockerfile", "FROM \(TestEngine.busyboxImage) AS dev\nLABEL example.revision=3\n")
        let build = try project.devenv("build")
        #expect(build.exitCode == 0, "\(build.stderrText)")
        let third = try #require(try Self.labelledImages(project).subtracting([second]).first)
        let inUse = try project.devenv("prune")
        #expect(inUse.exitCode == 0, "\(inUse.stderrText)")
        #expect(inUse.stdoutText.contains("left image \(DevenvNames.imageRepository(project.name, in: project.path)):dev-"), "\(inUse.stdoutText)")
        #expect(inUse.stdoutText.contains("the engine refused"), "\(inUse.stdoutText)")
        #expect(try Self.labelledImages(project) == [second, third])

        // The user names the third image too: it is theirs as well, and down --images leaves it.
        let userName = "devenv-test-keep-\(project.name):mine"
        #expect(try project.docker("tag", third, userName).exitCode == 0)
        let down = try project.devenv("down", "--volumes", "--images", "--json")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        let json = try SafeLifecycleEngineTests.json(down)
        #expect((json["removedImages"] as? [String])?.count == 1, "\(down.stdoutText)")
        let left = try #require(json["leftImages"] as? [[String: Any]], "\(down.stdoutText)")
        #expect(left.count == 1 && (left.first?["reason"] as? String)?.contains(userName) == true, "\(down.stdoutText)")
        #expect(try Self.labelledImages(project) == [third], "down --images should remove the second image only")
        #expect(try Self.imageID(userName) == third)
        #expect(try Self.imageID(lookAlike) == busybox, "the look-alike was touched")
        #expect(try project.containers().isEmpty)
        // Ours to clean up: the user's name first, so removing by tag deletes the image.
        _ = try? project.docker("image", "rm", userName)
    }

    /// images25: an image the user builds FROM devenv's inherits devenv.project, devenv.profile
    /// and devenv.root. Untagged, it looked like devenv's own old image, and `down --images`
    /// removed it. Now devenv removes a nameless image only when it recorded building it
    /// (`--iidfile`): its own old image, untagged by a rebuild, goes; the user's untagged child
    /// is left and reported; the user's tagged child is left as before.
    @Test("down --images removes devenv's untagged image and leaves the user's images built FROM devenv's, untagged or tagged")
    func imagesBuiltFromDevenvsImageAreLeft() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        // A step whose output differs each time: `build --no-cache` makes a new image.
        try project.write("Dockerfile", "FROM \(TestEngine.busyboxImage) AS dev\nRUN cat /proc/sys/kernel/random/uuid > /built\n")
        var build = try project.devenv("build")
        #expect(build.exitCode == 0, "\(build.stderrText)")
        let first = try #require(try Self.labelledImages(project).first)
        let name = try #require(try Self.firstName(first))
        // A rebuild gives the name to a new image: devenv's first one is untagged now.
        build = try project.devenv("build", "--no-cache")
        #expect(build.exitCode == 0, "\(build.stderrText)")
        let second = try #require(try Self.imageID(name))
        #expect(second != first, "--no-cache made the same image; the untagged case of devenv's own is not tried")

        // The user's images FROM devenv's.
        let untaggedChild = try Self.userBuild(project, "Child.Dockerfile", from: name)
        let tag = "devenv-test-child-\(project.name):mine"
        let taggedChild = try Self.userBuild(project, "Tagged.Dockerfile", from: name, tag: tag)
        defer { for reference in [tag, untaggedChild] { _ = try? TestEngine.docker(["image", "rm", reference]) } }
        #expect(try Self.labelledImages(project) == [first, second, untaggedChild, taggedChild], "the children inherit devenv's labels")

        let down = try project.devenv("down", "--images", "--json")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        let json = try SafeLifecycleEngineTests.json(down)
        let left = try #require(json["leftImages"] as? [[String: Any]], "\(down.stdoutText)")
        let leftIDs = Set(left.compactMap { $0["id"] as? String })
        #expect(leftIDs == [untaggedChild, taggedChild], "\(down.stdoutText)")
        #expect(left.contains { ($0["reason"] as? String)?.hasPrefix("devenv has no record of building it") == true }, "\(down.stdoutText)")
        #expect(try Self.labelledImages(project) == [untaggedChild, taggedChild], "devenv's two images go, the user's two stay")
        #expect(try Self.imageID(tag) == taggedChild)
    }

    /// images25: a moved folder leaves the images devenv built there; `prune` in the new place
    /// lists them with the command that removes them (it listed containers and volumes only),
    /// and removes none. An untagged image the user built FROM devenv's there is not listed.
    @Test("prune in a moved folder lists the images devenv built in the old one, not the user's child image, and removes nothing")
    func pruneListsTheImagesAMovedFolderLeft() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let build = try project.devenv("build")
        #expect(build.exitCode == 0, "\(build.stderrText)")
        let ours = try #require(try Self.labelledImages(project).first)
        let name = try #require(try Self.firstName(ours))
        let childID = try Self.userBuild(project, "Child.Dockerfile", from: name)
        defer { _ = try? TestEngine.docker(["image", "rm", childID]) }
        let moved = project.parent + "/moved"
        try FileManager.default.moveItem(atPath: project.path, toPath: moved)
        let prune = try project.devenv("prune", "--json", at: moved)
        #expect(prune.exitCode == 0, "\(prune.stderrText)")
        let leftBehind = try #require(try SafeLifecycleEngineTests.json(prune)["leftBehind"] as? [[String: Any]], "\(prune.stdoutText)")
        #expect(leftBehind.filter { $0["kind"] as? String == "image" }.compactMap { $0["id"] as? String } == [ours], "\(prune.stdoutText)")
        #expect(try Self.labelledImages(project) == [ours, childID], "prune removes nothing it lists")
    }

    /// The tests' own clean-up (TestEngine.removeImages, which every engine's removeEverything
    /// uses) says what it could not remove instead of dropping the engine's refusal: a failed
    /// `rmi -f` dropped unseen is how a Podman prod test's image stayed on the machine for a day.
    @Test("the tests' image clean-up returns and prints what the engine refused, and removes it once nothing holds it")
    func testCleanUpReportsWhatItLeaves() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        #expect(try project.devenv("up").exitCode == 0)
        let image = try Self.containerImage(project)
        let name = try #require(try Self.firstName(image))
        #expect(try project.devenv("down").exitCode == 0)
        // A container devenv did not make (no labels: the project's clean-up does not remove it) holds the image.
        let holder = try project.docker("create", image, "true").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? project.docker("rm", "-f", holder) }
        #expect(!holder.isEmpty)
        let left = TestEngine.removeImages(ofProject: project.name) { try TestEngine.docker($0) }
        #expect(left == [name], "the engine refused the image a container uses: \(left)")
        #expect(try project.docker("rm", holder).exitCode == 0)
        #expect(TestEngine.removeImages(ofProject: project.name) { try TestEngine.docker($0) }.isEmpty)
        #expect(try Self.imageID(name) == nil)
    }

    /// break24: `down --images` removes a name with `image rm NAME`, which removes whatever the
    /// name names then. A build elsewhere between the listing and the removal gives the name to
    /// another image, one devenv did not build and named only so (the wrapper does it as the
    /// listing's inspect answers): devenv removed that image. Now the name is asked about again
    /// just before: that image keeps its name, and the report says why the name was left.
    @Test("down --images: a name given to another image since the listing is left with that image")
    func aNameMovedSinceTheListingIsLeft() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        #expect(try project.devenv("build").exitCode == 0)
        let ours = try #require(try Self.labelledImages(project).first)
        let name = try #require(try Self.firstName(ours))
        // Another profile's name of this project on it too: down (dev) removes the dev name alone, by name.
        let ciName = "\(DevenvNames.imageRepository(project.name, in: project.path)):ci-000000000000"
        #expect(try project.docker("tag", ours, ciName).exitCode == 0)
        // Someone else's image, without devenv's labels.
        let foreignTag = "devenv-test-foreign-\(project.name):x"
        try project.write("Foreign.Dockerfile", "FROM \(TestEngine.busyboxImage)\nLABEL example.owner=\(project.name)\n")
        let built = try project.docker("build", "--quiet", "--file", project.path + "/Foreign.Dockerfile", "--tag", foreignTag, project.path)
        #expect(built.exitCode == 0, "\(built.stderrText)")
        let foreign = try #require(try Self.imageID(foreignTag))
        defer {
            for reference in [name, ciName, foreignTag, foreign] { _ = try? TestEngine.docker(["image", "rm", reference]) }
        }
        let docker = TestEngine.availability().docker ?? "docker"
        let mark = project.parent + "/moved"
        let env = try project.wrapper("""
            if [ "$1 $2" = "image inspect" ] && [ ! -e '\(mark)' ]; then
              touch '\(mark)'
              out=$(\(docker) "$@"); status=$?
              \(docker) tag \(foreignTag) \(name) && \(docker) image rm \(foreignTag) >/dev/null
              printf '%s\\n' "$out"
              exit $status
            fi
            """)
        let down = try project.devenv("down", "--images", environment: env)
        #expect(FileManager.default.fileExists(atPath: mark), "the listing's inspect was not seen: \(down.stderrText)")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(try Self.imageID(name) == foreign, "the other image lost the name, or was removed:\n\(down.stdoutText)\(down.stderrText)")
        #expect(down.stdoutText.contains("left image \(name): since it was listed, the name was given to another image (ID "), "\(down.stdoutText)")
        // Ours still carries the ci name: down for dev left it (not this profile's name).
        #expect(try Self.imageID(ciName) == ours)
    }
}
