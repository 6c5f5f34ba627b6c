import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Two projects that build the same Dockerfile, on each engine. Podman 4.3's build cache
/// ignores `--label` when `--target` is not the Dockerfile's last stage (podman#10340,
/// buildah#4632): the second project's build is the first one's image, ONE ID labelled for the
/// first project and named for both. Docker's cache keeps them apart (two images), and the same
/// outcomes must hold there. Checked: `down --images` and `prune` remove each project's own
/// names and never an image the other project's container uses (README, "Images"); devenv's
/// one-shot root containers carry their own project's labels, not the image's.
@Suite("Two projects sharing a build cache (Docker, rootful and rootless Podman)", .serialized, .podmanImageStoreTurn)
struct SharedBuildCacheEngineTests {
    /// The shared Docker engine, or Podman (rootful, rootless): how to run devenv and the CLI there.
    enum Engine: Sendable, CustomTestStringConvertible {
        case docker
        case podman(PodmanEngine)

        static let all: [Engine] = [.docker] + PodmanEngine.all.map { .podman($0) }

        var testDescription: String {
            switch self {
            case .docker: return "Docker"
            case .podman(let podman): return podman.description
            }
        }

        var kind: EngineKind {
            if case .docker = self { return .docker }
            return .podman
        }

        func require() throws {
            switch self {
            case .docker: _ = try TestEngine.require(images: [TestEngine.busyboxImage])
            case .podman(let podman): try podman.require()
            }
        }

        /// Who owns the project folders: a host user who is not root, or rootless Podman's test user.
        var owner: (uid: UInt32, gid: UInt32) {
            switch self {
            case .docker: return (4242, 4242)
            case .podman(let podman): return podman.projectOwner
            }
        }

        @discardableResult
        func devenv(_ arguments: [String], in path: String) throws -> ProcessResult {
            switch self {
            case .docker: return try DevenvBinary.run(arguments, in: path, timeoutSeconds: 300)
            case .podman(let podman): return try podman.devenv(arguments, in: path)
            }
        }

        @discardableResult
        func cli(_ arguments: [String]) throws -> ProcessResult {
            switch self {
            case .docker: return try TestEngine.docker(arguments)
            case .podman(let podman): return try podman.podman(arguments)
            }
        }

        func removeEverything(ofProject name: String) {
            switch self {
            case .docker: TestEngine.removeEverything(ofProject: name)
            case .podman(let podman): podman.removeEverything(ofProject: name)
            }
        }
    }

    /// One test project: a folder of its own (owned by the engine's project owner) with the
    /// Dockerfile every project of the test shares, a dev profile without network or ports and
    /// with a named volume (a new one gets devenv's one-shot chown container).
    final class Project {
        let engine: Engine
        let parent: String
        let path: String
        let name: String
        var container: String { "\(DevenvNames.container(name, in: path))" }

        init(_ engine: Engine, dockerfile: String, tag: String) throws {
            self.engine = engine
            name = "sc" + tag + String(UUID().uuidString.prefix(6)).lowercased()
            parent = NSTemporaryDirectory() + "devenv-cache-" + name
            path = parent + "/proj"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chmod(parent, 0o755)
            try BusyboxProject.write(in: path, name: name, devLines: [#"volumes = { cache = "/home/dev/.cache" }"#])
            try write("Dockerfile", dockerfile)   // after: BusyboxProject writes its own
            let owned = try TestEngine.run(["chown", "-R", "\(engine.owner.uid):\(engine.owner.gid)", parent])
            try #require(owned.succeeded, "chown -R: \(owned.stderrText)")
        }

        func write(_ relative: String, _ text: String) throws {
            try text.write(toFile: path + "/" + relative, atomically: true, encoding: .utf8)
            chown(path + "/" + relative, engine.owner.uid, engine.owner.gid)
        }

        @discardableResult
        func devenv(_ arguments: String...) throws -> ProcessResult { try engine.devenv(arguments, in: path) }

        func json(_ result: ProcessResult) throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout))
            return try #require(object as? [String: Any], "not a JSON object: \(result.stdoutText)\(result.stderrText)")
        }

        /// The names devenv gave this project's images, as the engine lists them ("localhost/" dropped).
        func imageNames() throws -> [String] {
            // Asked again while it fails (`TestEngine.listing`): Podman fails a whole listing when
            // another test removes an image meanwhile, and B's names would read as none.
            let listed = TestEngine.listing(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference=\(DevenvNames.imageRepository(name, in: path)):*"],
                                            cli: engine.cli)
            return Set(listed.split(separator: "\n").map { ImageSnapshot.plain(String($0)) }
                .filter { $0.hasPrefix("\(DevenvNames.imageRepository(name, in: path)):") }).sorted()
        }

        /// The full ID of the image the dev container runs.
        func containerImage() throws -> String {
            let result = try engine.cli(["container", "inspect", "--format", "{{.Image}}", container])
            #expect(result.succeeded, "\(result.stderrText)")
            return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func isRunning() throws -> Bool {
            try engine.cli(["container", "inspect", "--format", "{{.State.Running}}", container]).stdoutText
                .trimmingCharacters(in: .whitespacesAndNewlines) == "true"
        }

        func imageExists(_ id: String) throws -> Bool { try engine.cli(["image", "inspect", "--format", "{{.Id}}", id]).succeeded }

        deinit {
            engine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
    }

    /// A Dockerfile no other test builds (a marker of its own), whose dev stage is not the last:
    /// the case where Podman 4.3's cache ignores `--label`.
    static func sharedDockerfile() -> String {
        """
        FROM \(TestEngine.busyboxImage) AS dev
        RUN echo \(UUID().uuidString) > /marker
        FROM dev AS prod
        RUN echo prod > /prod
        """
    }

    /// Projects A and B with that one Dockerfile, A up (it builds first: on Podman its labels
    /// are the shared image's). Skips or fails as the engine requires.
    static func twoProjects(_ engine: Engine) throws -> (a: Project, b: Project, dockerfile: String) {
        try engine.require()
        let dockerfile = sharedDockerfile()
        let a = try Project(engine, dockerfile: dockerfile, tag: "a")
        let b = try Project(engine, dockerfile: dockerfile, tag: "b")
        let up = try a.devenv("up")
        try #require(up.exitCode == 0, "\(a.name): \(up.stdoutText)\(up.stderrText)")
        return (a, b, dockerfile)
    }

    @Test("down --images and prune remove each project's own names, never the image another project's container runs",
          arguments: Engine.all)
    func imagesOfTwoProjects(_ engine: Engine) throws {
        let (a, b, dockerfile) = try Self.twoProjects(engine)
        let up = try b.devenv("up")
        try #require(up.exitCode == 0, "\(b.name): \(up.stdoutText)\(up.stderrText)")
        let shared = try a.containerImage() == b.containerImage()
        // The engine fact this test is about: one image for both on Podman, two on Docker.
        #expect(shared == (engine.kind == .podman), "\(engine.testDescription): A and B run one image: \(shared)")
        let bName = try #require(try b.imageNames().first, "B's image has B's name")
        // The dashboard's image ages come from the listing of B's names, whatever the image's labels.
        let listing = try engine.cli(Array(DockerPlanner.listProjectImages(cli: "", project: b.name).argv.dropFirst()))
        #expect(listing.succeeded, "\(listing.stderrText)")
        let aged = ImageAges.parse(listing.stdoutText).keys.map(ImageSnapshot.plain)
        #expect(aged.contains(bName), "B's image age is listed: \(aged)")

        // B's down --images: B's name goes (on Podman the image stays, A's name on it); A's
        // container runs on, its image and name untouched.
        let aImage = try a.containerImage()
        let aNames = try a.imageNames()
        var down = try b.devenv("down", "--images", "--json")
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        var json = try b.json(down)
        let removed = (json["removedImages"] as? [String] ?? []) + (json["untaggedImages"] as? [String] ?? [])
        #expect(removed == [bName], "\(down.stdoutText)")
        #expect((json["untaggedImages"] as? [String] ?? []).isEmpty != shared, "untagged only when shared: \(down.stdoutText)")
        #expect(try b.imageNames().isEmpty, "B's down --images left B's name on \(engine.testDescription)")
        #expect(try a.isRunning() && a.containerImage() == aImage && a.imageNames() == aNames, "A's container or image was touched")

        // Again, with B up and A going: A's down --images takes only A's name.
        try #require(try b.devenv("up").exitCode == 0)
        let bImage = try b.containerImage()
        down = try a.devenv("down", "--images", "--json")
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect(try a.imageNames().isEmpty, "A's down --images left A's name: \(down.stdoutText)")
        #expect(try b.isRunning() && b.imageExists(bImage) && b.imageNames() == [bName], "B's container or image was touched")

        // A again (on Podman the cache hands it B's image once more), then B's dev stage changes
        // and `build` makes a new image while B's container still runs the old one. B's prune
        // takes B's old name: on Podman an untag (A's name is on that image too), on Docker the
        // engine refuses the old image (B's container runs it) and it is left. A's down --images
        // then finds its image named for A alone: on Podman that is the one B's container runs,
        // and the engine refuses it; on Docker it is A's own and goes.
        try #require(try a.devenv("up").exitCode == 0)
        try b.write("Dockerfile", dockerfile.replacingOccurrences(of: "FROM dev AS prod", with: "LABEL example.revision=2\nFROM dev AS prod"))
        let built = try b.devenv("build")
        try #require(built.exitCode == 0, "\(built.stdoutText)\(built.stderrText)")
        let prune = try b.devenv("prune", "--json")
        #expect(prune.exitCode == 0, "\(prune.stdoutText)\(prune.stderrText)")
        json = try b.json(prune)
        if shared {
            #expect(json["untaggedImages"] as? [String] == [bName], "B's old name only: \(prune.stdoutText)")
        } else {
            let left = json["leftImages"] as? [[String: Any]] ?? []
            #expect(left.count == 1 && (left.first?["reason"] as? String ?? "").contains("the engine refused"), "\(prune.stdoutText)")
        }
        #expect(try b.isRunning() && b.imageExists(bImage), "B's prune took the image B's container runs")
        down = try a.devenv("down", "--images", "--json")
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect(try b.isRunning() && b.imageExists(bImage), "A's down --images took the image B's container runs: \(down.stdoutText)")
        json = try a.json(down)
        if shared {
            let left = json["leftImages"] as? [[String: Any]] ?? []
            #expect(left.count == 1 && (left.first?["reason"] as? String ?? "").contains("the engine refused"), "\(down.stdoutText)")
        } else {
            #expect((json["removedImages"] as? [String])?.count == 1, "\(down.stdoutText)")
        }

        // Once B is down, nothing holds the old image: each project's down --images leaves none of its names.
        #expect(try b.devenv("down", "--images").exitCode == 0)
        #expect(try a.devenv("down", "--images").exitCode == 0)
        let left = try a.imageNames() + b.imageNames()
        #expect(left.isEmpty, "left: \(left)")
    }

    @Test("one-shot root containers (the volume chown) carry their own project's labels, not those of an image another project's build labelled",
          arguments: Engine.all)
    func oneShotContainersAreLabelledForTheirProject(_ engine: Engine) throws {
        let (a, b, _) = try Self.twoProjects(engine)
        let start = Int64(Date().timeIntervalSince1970 * 1e9)
        let up = try b.devenv("up", "--verbose")
        try #require(up.exitCode == 0, "\(up.stdoutText)\(up.stderrText)")
        let end = Int64(Date().timeIntervalSince1970 * 1e9)
        // B's up ran its volume chown in a one-shot container (rootless Podman: with keep-id).
        #expect(up.stderrText.contains("--entrypoint chown"), "\(up.stderrText)")

        // The engine's record of the containers B's up ran, by label: none under A's, and B's
        // one-shot container under B's (its create, start, death and removal).
        func events(of project: Project) throws -> [ContainerEvent] {
            // Podman 4.3's `--until` prints nothing for a past window: `--stream=false` ends
            // its listing instead (the label is the test's own: nothing later matches).
            let window = engine.kind == .podman ? ["--stream=false"] : ["--until", ContainerEvent.since(end, engine: engine.kind)]
            let listed = try engine.cli(["events", "--format", "{{json .}}", "--filter", "type=container",
                                         "--filter", "label=devenv.project=\(project.name)",
                                         "--since", ContainerEvent.since(start, engine: engine.kind)] + window)
            #expect(listed.succeeded, "events: \(listed.stderrText)")
            return listed.stdoutText.split(separator: "\n").compactMap { ContainerEvent.parse($0) }
        }
        let underA = try events(of: a)
        #expect(underA.isEmpty, "B's up ran containers labelled for A: \(underA.map { "\($0.action) \($0.name)" })")
        let underB = try events(of: b).filter { $0.name != b.container }
        #expect(!underB.isEmpty, "B's one-shot container is not labelled for B")
        #expect(underB.allSatisfy { $0.attributes["devenv.root"] == b.path }, "\(underB.map(\.attributes))")
    }
}
