import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 11 on rootful Podman, with a busybox project (fast builds): a `docker` that is
/// Podman's shim is known before the first `ps`; `down --images` and `prune` remove only the
/// images devenv built (labels checked, by ID) and leave a look-alike; `status` says who the
/// container runs as. Skipped with the reason when Podman cannot be had (`PodmanEngine`).
@Suite("Reports and images on rootful Podman", .serialized, .podmanImageStoreTurn, .enabled(if: PodmanEngine.rootful.shouldRun, "needs rootful Podman (make engine)"))
struct PodmanReportsTests {
    final class Project {
        let parent: String
        let path: String
        let name: String
        var container: String { "\(DevenvNames.container(name, in: path))" }
        /// Added to every devenv run (DEVENV_DOCKER=podman unless a test says otherwise).
        var environment = ["DEVENV_DOCKER": "podman"]

        init() throws {
            parent = NSTemporaryDirectory() + "devenv-pmr-" + UUID().uuidString.prefix(8).lowercased()
            path = parent + "/proj"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            name = "pr" + String(UUID().uuidString.prefix(8)).lowercased()
            try write("Dockerfile", "FROM \(TestEngine.busyboxImage) AS dev\n")
            try write("devenv.toml", """
                [project]
                name = "\(name)"

                [profiles.dev]
                network = "none"
                ports = []
                volumes = { cache = "/home/dev/.cache" }
                user = "4242:4242"
                """)
        }

        func write(_ relative: String, _ text: String) throws {
            try text.write(toFile: path + "/" + relative, atomically: true, encoding: .utf8)
        }

        @discardableResult
        func devenv(_ arguments: String...) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: path, environment: environment, timeoutSeconds: 300)
        }

        func json(_ result: ProcessResult) throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout))
            return try #require(object as? [String: Any], "not a JSON object: \(result.stdoutText)\(result.stderrText)")
        }

        /// The full IDs of the images labelled for the project, on Podman.
        func labelledImages() throws -> Set<String> {
            let result = try PodmanEngine.rootful.podman(["image", "ls", "--quiet", "--no-trunc", "--filter", "label=devenv.project=\(name)"])
            return Set(result.stdoutText.split(separator: "\n").map { String($0).replacingOccurrences(of: "sha256:", with: "") })
        }

        /// The full ID of the image `reference` names on Podman; nil when there is none.
        func imageID(_ reference: String) throws -> String? {
            let result = try PodmanEngine.rootful.podman(["image", "inspect", "--format", "{{.Id}}", reference])
            return result.exitCode == 0 ? result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }

        func containerImage() throws -> String {
            try PodmanEngine.rootful.podman(["inspect", "--format", "{{.Image}}", container]).stdoutText
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit {
            PodmanEngine.rootful.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: parent)
        }
    }

    @Test("a docker on PATH that execs podman: up, status (Podman's templates, the user), exec and down --images work through it")
    func podmanDockerShim() throws {
        try PodmanEngine.rootful.require()
        let project = try Project()
        let shims = project.parent + "/shim"
        try FileManager.default.createDirectory(atPath: shims, withIntermediateDirectories: true)
        // As podman-docker ships it, with the notice silenced the way /etc/containers/nodocker would.
        // Written by a child process: Text file busy otherwise, while other suites spawn (ProgramFile).
        try ProgramFile.write("#!/bin/sh\nexec /usr/bin/podman \"$@\"\n", to: shims + "/docker")
        project.environment = ["DEVENV_DOCKER": "", "PATH": shims + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        // The shim answers Docker's version question in Podman's words.
        let version = try TestEngine.run([shims + "/docker", "version", "--format", "{{json .}}"])
        #expect(version.stdoutText.contains("\"OsArch\""), "\(version.stdoutText)")

        // Nothing yet: status's one `ps` already uses Podman's template (Docker's fails on Podman).
        var status = try project.devenv("status", "--json", "--verbose")
        #expect(status.exitCode == 0, "\(status.stdoutText)\(status.stderrText)")
        #expect(status.stderrText.contains("{{json .Labels}}"), "Podman's ps template: \(status.stderrText)")

        let up = try project.devenv("up", "--verbose")
        #expect(up.exitCode == 0, "\(up.stdoutText)\(up.stderrText)")
        #expect(up.stderrText.contains("--format docker"), "a Podman build: \(up.stderrText)")
        #expect(try PodmanEngine.rootful.podman(["container", "exists", project.container]).exitCode == 0)

        status = try project.devenv("status", "--json")
        #expect(status.exitCode == 0, "\(status.stderrText)")
        let environments = try #require(try project.json(status)["environments"] as? [[String: Any]])
        let dev = try #require(environments.first { $0["profile"] as? String == "dev" })
        #expect(dev["state"] as? String == "running", "\(dev)")
        let user = try #require(dev["user"] as? [String: Any], "\(dev)")
        #expect(user["container"] as? String == "4242:4242" && user["mapping"] as? String == "direct", "\(user)")

        let ids = try project.devenv("exec", "--", "id", "-u")
        #expect(ids.stdoutText == "4242\n", "\(ids.stderrText)")

        let down = try project.devenv("down", "--images")
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect(try PodmanEngine.rootful.podman(["container", "exists", project.container]).exitCode == 1)
        #expect(try project.labelledImages().isEmpty)
    }

    @Test("prune and down --images on Podman remove only devenv's own images, by ID; a look-alike without the label survives")
    func imagesOnPodman() throws {
        try PodmanEngine.rootful.require()
        let project = try Project()
        // A look-alike devenv did not build: an unlabelled image under a name shaped like the project's.
        try project.write("Foreign.Dockerfile", "FROM \(TestEngine.busyboxImage)\nRUN echo foreign > /foreign\n")
        let lookAlike = "\(DevenvNames.imageRepository(project.name, in: project.path)):dev-000000000000"
        let built = try PodmanEngine.rootful.podman(["build", "--format", "docker", "-f", project.path + "/Foreign.Dockerfile",
                                             "-t", lookAlike, project.path])
        #expect(built.exitCode == 0, "\(built.stderrText)")
        defer { _ = try? PodmanEngine.rootful.podman(["image", "rm", "-f", lookAlike]) }
        let foreign = try #require(try project.imageID(lookAlike))
        #expect(try PodmanEngine.rootful.podman(["image", "inspect", "--format", "{{index .Labels \"devenv.project\"}}", lookAlike])
            .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "the look-alike has no devenv label")

        #expect(try project.devenv("up").exitCode == 0)
        let first = try project.containerImage()
        try project.write("Dockerfile", "FROM \(TestEngine.busyboxImage) AS dev\nLABEL example.revision=2\n")
        let again = try project.devenv("up")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        let second = try project.containerImage()
        #expect(first != second)
        #expect(try project.labelledImages() == [first, second])

        let dry = try project.devenv("prune", "--dry-run")
        #expect(dry.exitCode == 0, "\(dry.stderrText)")
        #expect(dry.stdoutText.contains("podman image rm ") && dry.stdoutText.contains(first) && !dry.stdoutText.contains(second),
                "the old one, by ID: \(dry.stdoutText)")
        #expect(try project.labelledImages() == [first, second], "--dry-run removed something")

        let prune = try project.devenv("prune")
        #expect(prune.exitCode == 0, "\(prune.stdoutText)\(prune.stderrText)")
        #expect(prune.stdoutText.contains("prune: removed 1 image, "), "\(prune.stdoutText)")
        #expect(try project.labelledImages() == [second], "prune should remove the old image only")
        #expect(try project.imageID(lookAlike) == foreign, "the look-alike was touched")

        let down = try project.devenv("down", "--images", "--json")
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect((try project.json(down)["removedImages"] as? [String])?.count == 1, "\(down.stdoutText)")
        #expect(try project.labelledImages().isEmpty, "down --images should remove the current image")
        #expect(try project.imageID(lookAlike) == foreign, "the look-alike was touched")
        #expect(try PodmanEngine.rootful.podman(["image", "exists", TestEngine.busyboxImage]).exitCode == 0, "the base image was touched")
    }
}
