import DevEnvCore
import Foundation
import Testing
import TestSupport

/// names24: two folders with one project name (two clones or `git worktree`s of one repository,
/// `~/a/app` and `~/b/app`) work side by side: each its own container and volumes (names end in
/// the folder's tag), and no command in one ever touches the other's objects. And a folder whose
/// objects an earlier devenv made (names without the tag) still finds, shows and removes them.
@Suite("Two folders with one project name, on the real engine", .serialized)
struct SameNameFoldersEngineTests {
    /// Two busybox projects named alike, in `parent/a/app` and `parent/b/app`, with a venv
    /// volume each; `environment` picks the engine (DEVENV_DOCKER).
    final class Pair {
        let parent: String
        let name: String
        let folders: [String]
        let environment: [String: String]
        let cli: [String]

        init(cli: [String], environment: [String: String]) throws {
            parent = NSTemporaryDirectory() + "devenv-same-" + UUID().uuidString.prefix(8).lowercased()
            name = "sn" + String(UUID().uuidString.prefix(8)).lowercased()
            folders = [parent + "/a/app", parent + "/b/app"]
            self.environment = environment
            self.cli = cli
            for folder in folders {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                // The shipped dev profile's volumes (venv, cache), as root: busybox has no user.
                try BusyboxProject.write(in: folder, name: name, devLines: [#"user = "image""#])
            }
        }

        deinit {
            let cli = self.cli
            TestEngine.removeEverything(ofProject: name) { try TestEngine.run(cli + $0) }
            try? FileManager.default.removeItem(atPath: parent)
        }

        func devenv(_ index: Int, _ arguments: String...) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: folders[index], environment: environment, timeoutSeconds: 300)
        }

        func engine(_ arguments: String...) throws -> ProcessResult { try engine(arguments) }
        func engine(_ arguments: [String]) throws -> ProcessResult { try TestEngine.run(cli + arguments) }

        func names(_ index: Int) -> ResourceNames { DevenvNames.of(name, in: folders[index]) }

        /// The folder as devenv sees it (symbolic links resolved): its `devenv.root` label.
        func root(_ index: Int) -> String { URL(fileURLWithPath: folders[index]).resolvingSymlinksInPath().path }

        /// `--label` arguments with the labels devenv gives the folder's dev objects, for objects
        /// made here by hand as an earlier devenv made them.
        func labelArguments(_ index: Int) -> [String] {
            ["--label", "devenv.project=\(name)", "--label", "devenv.profile=dev", "--label", "devenv.root=\(root(index))"]
        }

        /// An earlier devenv's project network of folder `index` (named without the tag, this
        /// folder's labels) and `containers` on it (name, more `run` arguments), each running
        /// `sleep 600` with the folder bound at /app, as that devenv made them. The clean-up
        /// removes them with the rest (labelled for the project).
        func makeEarlier(_ index: Int, containers: [(name: String, extra: [String])]) throws {
            let labels = labelArguments(index)
            let network = names(index).legacy.container
            #expect(try engine(["network", "create"] + labels + [network]).succeeded)
            for (name, extra) in containers {
                let made = try engine(["run", "--detach", "--name", name, "--network", network] + labels + extra
                                      + ["--mount", "type=bind,src=\(root(index)),dst=/app", TestEngine.busyboxImage, "sleep", "600"])
                #expect(made.succeeded, "\(made.stderrText)")
            }
        }

        /// The names of the containers labelled for the project, running or not, sorted.
        func containers() throws -> [String] {
            try engine("ps", "--all", "--filter", "label=devenv.project=\(name)", "--format", "{{.Names}}")
                .stdoutText.split(separator: "\n").map(String.init).sorted()
        }

        /// The names devenv gave folder `index`'s images, as the engine lists them, sorted.
        func imageNames(_ index: Int) throws -> [String] {
            try engine("images", "--format", "{{.Repository}}:{{.Tag}}").stdoutText.split(separator: "\n")
                .map(String.init).filter { names(index).isImageName($0) }.sorted()
        }

        /// The names of the volumes labelled for the project, sorted.
        func volumes() throws -> [String] {
            try engine("volume", "ls", "--quiet", "--filter", "label=devenv.project=\(name)")
                .stdoutText.split(separator: "\n").map(String.init).sorted()
        }
    }

    /// up, status, exec, clean-cache, prune, down, down --volumes --images in one folder while
    /// the other runs: each sees and changes only its own.
    static func sideBySide(_ pair: Pair) throws {
        let (a, b) = (pair.names(0), pair.names(1))
        #expect(a.container != b.container)
        for index in [0, 1] {
            let up = try pair.devenv(index, "up", "--no-tui")
            #expect(up.exitCode == 0, "up \(index): \(up.stderrText)")
        }
        #expect(try pair.containers() == [a.container, b.container].sorted())
        let volumes = [a.volume(role: "cache"), a.volume(role: "venv")]
        #expect(try pair.volumes() == (volumes + [b.volume(role: "cache"), b.volume(role: "venv")]).sorted())
        // Each one's venv is its own: a file written in a's is not in b's.
        #expect(try pair.devenv(0, "exec", "--", "touch", "/venv/only-a").exitCode == 0)
        #expect(try pair.devenv(1, "exec", "--", "ls", "/venv/only-a").exitCode != 0)
        let status = try pair.devenv(1, "status", "--no-tui")
        #expect(status.stdoutText.contains(b.container) && !status.stdoutText.contains(a.container), "\(status.stdoutText)")
        #expect(try pair.devenv(1, "clean-cache", "--no-tui").exitCode == 0)
        #expect(try pair.devenv(1, "prune", "--no-tui").exitCode == 0)
        // b goes entirely: a keeps running, with its volume and image.
        let down = try pair.devenv(1, "down", "--volumes", "--images", "--no-tui")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(try pair.containers() == [a.container])
        #expect(try pair.volumes() == volumes)
        // b's names went, also from an image labelled for a (Podman 4.3's build cache ignores
        // --label: both folders' builds got a's image); a's stay.
        #expect(try pair.imageNames(1) == [], "\(down.stdoutText)")
        #expect(try !pair.imageNames(0).isEmpty, "\(down.stdoutText)")
        #expect(try pair.devenv(0, "exec", "--", "ls", "/venv/only-a").exitCode == 0)
        let again = try pair.devenv(0, "up", "--no-tui")
        #expect(again.stdoutText.contains("is up to date"), "\(again.stdoutText)\(again.stderrText)")
        #expect(try pair.devenv(0, "down", "--volumes", "--images", "--no-tui").exitCode == 0)
        #expect(try pair.containers() == [] && pair.volumes() == [] && pair.imageNames(0) == [])
    }

    @Test("Docker: two folders with one project name run side by side; neither touches the other's objects")
    func sideBySideOnDocker() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        try Self.sideBySide(try Pair(cli: [TestEngine.availability().docker ?? "docker"], environment: [:]))
    }

    /// What an earlier devenv made (names without the folder's tag, this folder's labels): made
    /// here by hand with exactly those names and labels, as that devenv did. status shows the
    /// container, `up` replaces it and adopts the old venv volume (legacy25: it made a new empty
    /// one), keeping what was installed in it; `down --volumes` removes the old and new volumes.
    /// Another folder's container and volume under the same old names are untouched and unused.
    @Test("Docker: an earlier devenv's container and volume (no folder tag) are found, replaced and removed; another folder's is left")
    func earlierNamesAreMigrated() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let pair = try Pair(cli: [TestEngine.availability().docker ?? "docker"], environment: [:])
        let (names, root, labels) = (pair.names(0), pair.root(0), pair.labelArguments(0))
        #expect(try pair.engine(["volume", "create"] + labels + ["--label", "devenv.role=venv", names.legacy.volume(role: "venv")]).succeeded)
        // Its venv holds what it synced.
        let old = try pair.engine(["run", "--detach", "--name", names.legacy.container] + labels
                                  + ["--mount", "type=volume,src=\(names.legacy.volume(role: "venv")),dst=/venv",
                                     "--mount", "type=bind,src=\(root),dst=/app", TestEngine.busyboxImage,
                                     "sh", "-c", "touch /venv/synced && exec sleep 600"])
        #expect(old.succeeded, "\(old.stderrText)")
        let status = try pair.devenv(0, "status", "--no-tui")
        #expect(status.stdoutText.contains("\(names.legacy.container)"), "\(status.stdoutText)")
        #expect(status.stdoutText.contains("stale"), "\(status.stdoutText)")
        let exec = try pair.devenv(0, "exec", "--", "true")
        #expect(exec.exitCode == 0, "\(exec.stderrText)")
        let up = try pair.devenv(0, "up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect((up.stdoutText + up.stderrText).contains("using volume \(names.legacy.volume(role: "venv")) for /venv: an earlier devenv made it"),
                "\(up.stdoutText)\(up.stderrText)")
        #expect(try pair.containers() == [names.container])
        #expect(try pair.volumes() == [names.legacy.volume(role: "venv"), names.volume(role: "cache")].sorted())
        #expect(try pair.devenv(0, "exec", "--", "ls", "/venv/synced").exitCode == 0, "the adopted venv keeps what was in it")
        let again = try pair.devenv(0, "up", "--no-tui")
        #expect(again.stdoutText.contains("is up to date"), "adopted volumes do not make the container stale: \(again.stdoutText)\(again.stderrText)")
        let down = try pair.devenv(0, "down", "--volumes", "--no-tui")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(try pair.volumes() == [])
        // Another folder's container and venv volume under the old names: no conflict, never touched or used.
        var elsewhere = labels
        elsewhere[5] = "devenv.root=/elsewhere/\(pair.name)"
        let foreign = try pair.engine(["create", "--name", names.legacy.container] + elsewhere + [TestEngine.busyboxImage, "sleep", "600"])
        #expect(foreign.succeeded, "\(foreign.stderrText)")
        #expect(try pair.engine(["volume", "create"] + elsewhere + ["--label", "devenv.role=venv", names.legacy.volume(role: "venv")]).succeeded)
        #expect(try pair.devenv(0, "up", "--no-tui").exitCode == 0)
        #expect(try pair.volumes() == [names.legacy.volume(role: "venv"), names.volume(role: "cache"), names.volume(role: "venv")].sorted())
        #expect(try pair.devenv(0, "down", "--volumes", "--no-tui").exitCode == 0)
        #expect(try pair.containers() == [names.legacy.container])
        #expect(try pair.volumes() == [names.legacy.volume(role: "venv")])
    }
}

extension SameNameFoldersEngineTests {
    /// An earlier devenv's profile with a service: its app and service containers on its project
    /// network, all named without the folder's tag. `status` lists the service as orphaned, and
    /// `down` removes the app, the service and then the network (by ID, labels checked).
    @Test("Docker: down removes an earlier devenv's app, service container and project network of this folder")
    func earlierServicesAndNetworkGoWithDown() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let pair = try Pair(cli: [TestEngine.availability().docker ?? "docker"], environment: [:])
        let names = pair.names(0)
        let service = names.legacy.serviceContainerPrefix + "db"
        try pair.makeEarlier(0, containers: [(names.legacy.container, []), (service, ["--label", "devenv.service=db"])])
        let status = try pair.devenv(0, "status", "--no-tui")
        #expect(status.stdoutText.contains("orphaned"), "\(status.stdoutText)")
        let down = try pair.devenv(0, "down", "--no-tui")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(down.stdoutText.contains("removed \(names.legacy.container)\n") && down.stdoutText.contains("removed \(service)\n"),
                "\(down.stdoutText)")
        #expect(try pair.containers() == [])
        #expect(try pair.engine(["network", "ls", "--quiet", "--filter", "label=devenv.project=\(pair.name)"]).stdoutText == "")
    }
}

extension SameNameFoldersEngineTests {
    /// legacy25: an earlier devenv's service container held the service's host port, and `up`
    /// failed with exit 4 (a port conflict with itself) until `down`; and a recreate of that devenv
    /// cut short left its app container as `devenv-P-PROFILE.previous`, which nothing looked up.
    /// `up` now replaces both (the service's by labels, the `.previous` renamed back and then
    /// replaced) and removes that devenv's network once unused. Then prune, in a folder where the
    /// project was renamed, lists the old name's container (labels: this folder) and leaves it.
    @Test("Docker: up replaces an earlier devenv's service container and .previous; prune lists a renamed project's container")
    func earlierServiceAndPreviousAreReplacedByUp() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let pair = try Pair(cli: [TestEngine.availability().docker ?? "docker"], environment: [:])
        let names = pair.names(0)
        let port = HostPorts.free(1)[0]
        try """
            [project]
            name = "\(pair.name)"

            [profiles.dev]
            user = "image"
            ports = []
            services = ["web"]

            [services.web]
            image = "\(TestEngine.busyboxImage)"
            command = ["sleep", "600"]
            ports = ["\(port):8080"]
            """.write(toFile: pair.folders[0] + "/devenv.toml", atomically: true, encoding: .utf8)
        let (network, service) = (names.legacy.container, names.legacy.serviceContainer("web"))
        try pair.makeEarlier(0, containers: [(names.legacy.previousContainer, []),
                                             (service, ["--label", "devenv.service=web", "--publish", "127.0.0.1:\(port):8080"])])
        let up = try pair.devenv(0, "up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stdoutText)\(up.stderrText)")
        let said = up.stdoutText + up.stderrText
        #expect(said.contains("renaming \(names.legacy.previousContainer) back to \(names.legacy.container)"), "\(said)")
        #expect(said.contains("\(service) is an earlier devenv's name"), "\(said)")
        #expect(try pair.containers() == [names.container, names.serviceContainer("web")].sorted())
        #expect(try pair.engine(["network", "ls", "--quiet", "--filter", "name=^\(network)$"]).stdoutText == "", "the earlier network is removed")
        #expect(try pair.devenv(0, "down", "--no-tui").exitCode == 0)
        #expect(try pair.containers() == [])

        // The project in folder b was called OLD before: its container there is listed by prune, not removed.
        let old = pair.name + "old"
        let renamed = try pair.engine(["create", "--name", "devenv-\(old)-dev", "--label", "devenv.project=\(old)", "--label", "devenv.profile=dev",
                                       "--label", "devenv.root=\(pair.root(1))", TestEngine.busyboxImage, "sleep", "600"])
        #expect(renamed.succeeded, "\(renamed.stderrText)")
        defer { TestEngine.removeEverything(ofProject: old) { try pair.engine($0) } }
        let prune = try pair.devenv(1, "prune", "--no-tui")
        #expect(prune.exitCode == 0, "\(prune.stderrText)")
        #expect(prune.stdoutText.contains("made in this folder for another project name"), "\(prune.stdoutText)")
        #expect(prune.stdoutText.contains("container devenv-\(old)-dev (project \(old), profile dev)"), "\(prune.stdoutText)")
        #expect(try pair.engine(["ps", "--all", "--quiet", "--filter", "label=devenv.project=\(old)"]).stdoutText != "")
    }
}

/// The same on rootful Podman (`PodmanEngine`), in its image store turn.
@Suite("Two folders with one project name, on rootful Podman", .serialized, .podmanImageStoreTurn,
       .enabled(if: PodmanEngine.rootful.shouldRun, "needs rootful Podman (make engine)"))
struct SameNameFoldersPodmanTests {
    @Test("rootful Podman: two folders with one project name run side by side; neither touches the other's objects")
    func sideBySideOnPodman() throws {
        try PodmanEngine.rootful.require()
        try SameNameFoldersEngineTests.sideBySide(try SameNameFoldersEngineTests.Pair(cli: ["podman"], environment: ["DEVENV_DOCKER": "podman"]))
    }
}

extension SameNameFoldersEngineTests {
    /// mend26b: an earlier devenv's app container on its project network, with no services, and
    /// the `.replacement` that devenv's recreate cut short left beside it (engine-tested before
    /// only through the rule's unit test). `up` removes the `.replacement`, replaces the app by
    /// one under today's name, and removes that devenv's network once unused: before, the network
    /// went only when `up` replaced an earlier service container.
    @Test("Docker: up removes an earlier .replacement, replaces the earlier app and removes its network without services")
    func earlierReplacementAndNetworkGoWithUp() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let pair = try Pair(cli: [TestEngine.availability().docker ?? "docker"], environment: [:])
        let names = pair.names(0)
        try pair.makeEarlier(0, containers: [(names.legacy.container, []), (names.legacy.replacementContainer, [])])
        let up = try pair.devenv(0, "up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stdoutText)\(up.stderrText)")
        let said = up.stdoutText + up.stderrText
        #expect(said.contains("removing \(names.legacy.replacementContainer), left by an interrupted recreate"), "\(said)")
        #expect(said.contains("removing network \(names.legacy.container) (an earlier devenv's name)"), "\(said)")
        #expect(try pair.containers() == [names.container])
        let network = try pair.engine(["network", "ls", "--quiet", "--filter", "label=devenv.project=\(pair.name)"])
        #expect(network.succeeded && network.stdoutText == "", "the earlier network is removed: \(network.stdoutText)")
        #expect(try pair.devenv(0, "down", "--volumes", "--no-tui").exitCode == 0)
    }
}

extension SameNameFoldersPodmanTests {
    /// mend26b: a multi-stage build on Podman keeps the steps of the stages other than the
    /// target's as untagged images with devenv's labels (podman#9562), which `down --images` left
    /// as "devenv has no record of building it" and `image ls` hides until they are leaves.
    /// devenv now records the step images its build's output named (`BuildStepImages`), and
    /// `down --images` removes them with the rest; none labelled for the folder is left.
    @Test("rootful Podman: down --images removes the untagged step images a multi-stage build left")
    func multiStageStepImagesGoWithDownImages() throws {
        try PodmanEngine.rootful.require()
        let pair = try SameNameFoldersEngineTests.Pair(cli: ["podman"], environment: ["DEVENV_DOCKER": "podman"])
        // The project's name in a step: no other build's cache gives these steps.
        try """
            FROM \(TestEngine.busyboxImage) AS base
            RUN echo \(pair.name) > /a
            FROM base AS builder
            RUN echo b > /b
            FROM \(TestEngine.busyboxImage) AS dev
            COPY --from=builder /b /b
            """.write(toFile: pair.folders[0] + "/Dockerfile", atomically: true, encoding: .utf8)
        func folderImages() throws -> [String] {
            try pair.engine(["image", "ls", "--all", "--quiet", "--no-trunc", "--filter", "label=devenv.root=\(pair.root(0))"])
                .stdoutText.split(separator: "\n").map(String.init)
        }
        let build = try pair.devenv(0, "build", "--no-tui")
        #expect(build.exitCode == 0, "\(build.stdoutText)\(build.stderrText)")
        #expect(try folderImages().count > 1, "the build keeps its stages' steps")
        let down = try pair.devenv(0, "down", "--images", "--no-tui")
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect(!down.stdoutText.contains("no record of building it"), "\(down.stdoutText)")
        #expect(try folderImages() == [], "\(down.stdoutText)")
    }

    /// mend27a: a RUN step's own output can print a line like Podman's "--> ID" after a step. An
    /// untagged image of the user's that carries this folder's labels (as one built FROM devenv's
    /// does) and whose ID a RUN printed so was recorded as a step of devenv's build, and
    /// `down --images` removed it. Only images the build made (absent from the folder's images
    /// listed before it) are recorded now; the user's is left, "no record".
    @Test("rootful Podman: an image a RUN's output names as a step, made before the build, is not recorded; down --images leaves it")
    func aStepLinePrintedByARunRecordsNoForeignImage() throws {
        try PodmanEngine.rootful.require()
        let pair = try SameNameFoldersEngineTests.Pair(cli: ["podman"], environment: ["DEVENV_DOCKER": "podman"])
        // The user's image: untagged, with the folder's labels.
        let user = pair.parent + "/user"
        try FileManager.default.createDirectory(atPath: user, withIntermediateDirectories: true)
        try "FROM \(TestEngine.busyboxImage)\nRUN echo \(pair.name) > /mine\n".write(toFile: user + "/Dockerfile", atomically: true, encoding: .utf8)
        let made = try pair.engine(["build", "--quiet"] + pair.labelArguments(0) + [user])
        let foreign = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(made.succeeded && foreign.count == 64, "\(made.stdoutText)\(made.stderrText)")
        try """
            FROM \(TestEngine.busyboxImage) AS dev
            RUN echo "--> \(foreign.prefix(11))" && echo \(pair.name) > /a
            """.write(toFile: pair.folders[0] + "/Dockerfile", atomically: true, encoding: .utf8)
        let build = try pair.devenv(0, "build", "--no-tui")
        #expect(build.exitCode == 0, "\(build.stdoutText)\(build.stderrText)")
        #expect(build.stdoutText.contains("--> \(foreign.prefix(11))") || build.stderrText.contains("--> \(foreign.prefix(11))"),
                "the RUN printed the line: \(build.stdoutText)\(build.stderrText)")
        let down = try pair.devenv(0, "down", "--images", "--no-tui")
        #expect(down.exitCode == 0, "\(down.stdoutText)\(down.stderrText)")
        #expect(try pair.engine(["image", "exists", foreign]).succeeded, "the user's image is left: \(down.stdoutText)")
        #expect(down.stdoutText.contains("no record of building it"), "\(down.stdoutText)")
        _ = try pair.engine(["image", "rm", foreign])
    }
}
