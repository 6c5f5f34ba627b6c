import DevEnvCore
import Foundation
import Testing

/// The real Docker engine, for the integration and end-to-end tests.
///
/// `make test` brings one up first (Tests/Scripts/ensure-engine.sh, then the local base images
/// from Tests/Scripts/build-test-images.sh). A test that needs it starts with
/// `let docker = try TestEngine.require()`: without an engine the test is skipped with the
/// reason, unless DEVENV_REQUIRE_ENGINE=1, then it fails with the reason.
///
/// Test code: it runs docker with Foundation's `Process`, which is fine here (devenv itself
/// spawns with posix_spawn in DevEnvSystem).
public enum TestEngine {
    /// busybox-static imported as an image: `sh`, `echo`, `id`, `sleep`; about 2 MB.
    public static let busyboxImage = "devenv-test/busybox:latest"
    /// Debian bookworm minbase with python3, python3-venv and uv at /usr/local/bin/uv.
    public static let pythonImage = "devenv-test/python-uv:latest"

    /// Whether an engine answers, and which docker CLI to use.
    public struct Availability: Sendable, CustomStringConvertible {
        /// The docker CLI: /usr/bin/docker when present (Debian's 20.10 client has BuildKit
        /// built in), else `docker` from PATH; nil when there is none.
        public var docker: String?
        /// The server's version when the engine answers.
        public var serverVersion: String?
        /// The client's version (to tell whether BuildKit needs buildx).
        public var clientVersion: String?
        /// Why the engine cannot be used; nil when it can.
        public var problem: String?

        public var isAvailable: Bool { problem == nil }

        public var description: String {
            if let problem { return "no Docker engine: \(problem)" }
            return "Docker engine \(serverVersion ?? "?") via \(docker ?? "?") (client \(clientVersion ?? "?"))"
        }
    }

    /// Raised from `require` when the engine is required but missing: the test fails with it.
    public struct Unavailable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String {
            "\(reason) (DEVENV_REQUIRE_ENGINE=1; run `make engine` as root, see README)"
        }
    }

    /// DEVENV_REQUIRE_ENGINE=1, or DEVENV_REQUIRE_ENGINES naming docker: a missing engine or
    /// image is a failure, not a skip (CI).
    public static var isRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["DEVENV_REQUIRE_ENGINE"] == "1"
            || (environment["DEVENV_REQUIRE_ENGINES"] ?? "").split(separator: ",").contains("docker")
    }

    /// Probed once per test process.
    public static func availability() -> Availability { probed }

    private static let probed: Availability = probe()

    /// For a trait when a whole suite needs the engine:
    /// `@Suite(.enabled(if: TestEngine.shouldRun, "needs a Docker engine (make engine)"))`.
    /// True when an engine answers, and also when it is required, so the tests run and fail.
    /// Inside each test, `require()` still gives the precise reason.
    public static var shouldRun: Bool { probed.isAvailable || isRequired }

    /// Call first in an engine test. Returns the docker CLI to use. When no engine answers, or
    /// one of `images` is missing: skips the test with the reason (printed, and reported by
    /// Swift Testing as skipped), or, with DEVENV_REQUIRE_ENGINE=1, throws `Unavailable` so the
    /// test fails with the reason.
    public static func require(images: [String] = [],
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        var problem = probed.problem
        if problem == nil { restoreBridgeInterface() }
        if problem == nil, let docker = probed.docker {
            let missing = images.filter { image in
                (try? run([docker, "image", "inspect", "--format", "{{.Id}}", image]).succeeded) != true
            }
            if !missing.isEmpty {
                problem = "missing test image(s) \(missing.joined(separator: ", ")) (Tests/Scripts/build-test-images.sh builds them)"
            }
        }
        guard let problem else { return probed.docker ?? "docker" }
        if isRequired { throw Unavailable(reason: problem) }
        let reason = "skipped: \(problem); run `make engine` as root, or set DEVENV_REQUIRE_ENGINE=1 to fail instead"
        skipNotice.printOnce("TestEngine: \(reason)\n")
        try Test.cancel(Comment(rawValue: reason), sourceLocation: sourceLocation)
    }

    /// A dockerd started with `--bridge=none` deletes the host's docker0 when it starts, even
    /// one with its own data root and socket (a private engine for fault injection), and the
    /// shared engine cannot attach containers to its default network any more ("could not find
    /// bridge docker0"). Put the interface back as the shared engine defined it (its name and
    /// subnet from `docker network inspect bridge`, gateway .1), once per disappearance, saying
    /// so. Private engines should run in their own network namespace (`unshare --net`).
    public static func restoreBridgeInterface() {
        // The usual case, without a docker call: the default name is there.
        if FileManager.default.fileExists(atPath: "/sys/class/net/docker0") { return }
        guard probed.isAvailable, ProcessInfo.processInfo.environment["DOCKER_HOST"] == nil, getuid() == 0,
              let inspected = try? docker(["network", "inspect", "--format",
                                           #"{{index .Options "com.docker.network.bridge.name"}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}"#,
                                           "bridge"]), inspected.succeeded else { return }
        let words = inspected.stdoutText.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count >= 2, !FileManager.default.fileExists(atPath: "/sys/class/net/\(words[0])") else { return }
        let (name, subnet) = (words[0], words[1])
        guard let slash = subnet.firstIndex(of: "/"), subnet.hasPrefix("172.") || subnet.hasPrefix("10.") || subnet.hasPrefix("192.168.") else { return }
        let prefix = subnet[subnet.index(after: slash)...]
        var octets = subnet[..<slash].split(separator: ".").map(String.init)
        guard octets.count == 4 else { return }
        octets[3] = "1"
        let gateway = words.count >= 3 ? words[2] : octets.joined(separator: ".")
        bridgeNotice.printOnce("TestEngine: the engine's bridge interface \(name) was gone (a dockerd started with --bridge=none deletes it); recreating it as \(gateway)/\(prefix)\n")
        _ = try? run(["ip", "link", "add", name, "type", "bridge"])
        _ = try? run(["ip", "addr", "add", "\(gateway)/\(prefix)", "dev", name])
        _ = try? run(["ip", "link", "set", name, "up"])
    }

    /// Environment for `docker build`: DOCKER_BUILDKIT=1 when this client has BuildKit without
    /// the buildx plugin (clients before 23 have it built in); empty otherwise, so a newer client
    /// with buildx uses it by default and one without falls back to the legacy builder.
    public static func buildEnvironment() -> [String: String] {
        guard let version = probed.clientVersion,
              let major = Int(version.prefix { $0.isNumber }) else { return [:] }
        return major < 23 ? ["DOCKER_BUILDKIT": "1"] : [:]
    }

    /// Runs `docker ARGS` with the CLI `require()` chose, output captured.
    @discardableResult
    public static func docker(_ arguments: [String], environment: [String: String] = [:],
                              input: String? = nil) throws -> ProcessResult {
        try run([probed.docker ?? "docker"] + arguments, environment: environment, input: input)
    }

    /// Two stopped containers named like services of `project`'s dev profile that devenv did
    /// not make for it: a user's own (`...-svc-mine`, no labels) and one whose labels name
    /// another folder (`...-svc-web`). Their IDs, for the caller to remove; the tests check that
    /// devenv never lists or touches them.
    /// `folder`: the project's folder (the names end in its tag, `DevenvNames`).
    public static func serviceLookalikes(project: String, in folder: String) throws -> [String] {
        let prefix = DevenvNames.of(project, in: folder).serviceContainerPrefix
        let mine = try docker(["create", "--name", prefix + "mine", busyboxImage, "sleep", "600"])
        let elsewhere = try docker(["create", "--name", prefix + "web", "--label", "devenv.project=\(project)",
                                    "--label", "devenv.profile=dev", "--label", "devenv.root=/elsewhere/\(project)",
                                    "--label", "devenv.service=web", busyboxImage, "sleep", "600"])
        let ids = [mine, elsewhere].map { $0.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard mine.succeeded && elsewhere.succeeded else {
            _ = try? docker(["rm", "-f"] + ids.filter { !$0.isEmpty })
            throw TemporaryProject.Failure(message: "docker create failed: \(mine.stderrText)\(elsewhere.stderrText)")
        }
        return ids
    }

    /// Docker's `{{.State.Health.Status}}` of `container` ("healthy\n", "unhealthy\n") once it
    /// is no longer "starting", polled until `seconds` pass (then the last answer). The
    /// deadline only bounds a failure: a HEALTHCHECK's first run comes an interval (10 s in the
    /// demo and generated Dockerfiles) after the start and a slow first answer on a loaded
    /// machine counts as one of its retries, so a verdict may take a minute there; a count of
    /// polls (60 of 0.5 s, about 30 s) was not enough for that.
    public static func waitForHealth(of container: String, seconds: Double = 180) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var health = ""
        repeat {
            health = try docker(["inspect", "--format", "{{.State.Health.Status}}", container]).stdoutText
            if health != "starting\n" { break }
            Thread.sleep(forTimeInterval: 0.5)
        } while Date() < deadline
        return health
    }

    /// Runs argv (a path, or a name looked up in PATH) to completion, output captured.
    /// `timeoutSeconds` wraps it in coreutils' `timeout` (exit code 124 when it fires).
    @discardableResult
    public static func run(_ argv: [String], environment: [String: String] = [:], input: String? = nil,
                           workingDirectory: String? = nil, timeoutSeconds: Int? = nil) throws -> ProcessResult {
        precondition(!argv.isEmpty, "run needs a program")
        var argv = argv
        if let timeoutSeconds { argv = ["timeout", String(timeoutSeconds)] + argv }
        let process = Process()
        if argv[0].contains("/") {
            process.executableURL = URL(fileURLWithPath: argv[0])
            process.arguments = Array(argv.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = argv
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        // Drain stderr on another thread so neither pipe can fill up and block the child.
        let errorData = CapturedData()
        let errorDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorData.set(stderr.fileHandleForReading.readDataToEndOfFile())
            errorDone.signal()
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        errorDone.wait()
        process.waitUntilExit()
        return ProcessResult(exitCode: process.terminationStatus, stdout: Array(outputData), stderr: Array(errorData.get()))
    }

    /// Removes the containers, networks, volumes and images devenv made for a test project (by its
    /// `devenv.project` label), so tests leave the engine as they found it.
    public static func removeEverything(ofProject name: String) {
        removeEverything(ofProject: name) { try docker($0) }
    }

    /// The same on any engine, through `cli` (its command line: docker, podman, another
    /// DOCKER_HOST), best effort; `removeContainers` is how that engine force-removes
    /// containers, IDs appended. The one procedure every engine's clean-up uses.
    public static func removeEverything(ofProject name: String, removeContainers: [String] = ["rm", "-f"],
                                        cli: ([String]) throws -> ProcessResult) {
        let label = "label=devenv.project=\(name)"
        func ids(_ arguments: [String]) -> [String] {
            let output = (try? cli(arguments + ["--filter", label]).stdoutText) ?? ""
            return Set(output.split(separator: "\n").map(String.init)).sorted()
        }
        let containers = ids(["ps", "-aq"])
        if !containers.isEmpty { _ = try? cli(removeContainers + containers) }
        let networks = ids(["network", "ls", "-q"])
        if !networks.isEmpty { _ = try? cli(["network", "rm"] + networks) }
        let volumes = ids(["volume", "ls", "-q"])
        if !volumes.isEmpty { _ = try? cli(["volume", "rm", "-f"] + volumes) }
        removeImages(ofProject: name, cli: cli)
    }

    /// Removes a test project's images by the names devenv gave them (`devenv-NAME-TAG:…`,
    /// `devenv-NAME-TAG-svc-…:…`, and an earlier devenv's `devenv-NAME:…`), then its untagged leftovers by ID; never forced, so a name another
    /// project also gives the same image is only untagged and an image a container uses stays.
    /// Not by the project label alone, and never `rmi -f`: Podman 4.3's build cache ignores
    /// `--label` (podman#10340, buildah#4632), so a second project building the same Dockerfile
    /// gets the first one's image, labelled for the first and named for both; a forced removal by
    /// the first project's label took the second test's image and its running container with it
    /// (a full CI run, rootful Podman: "container … does not exist in database").
    /// Then it looks again (once more after a failed pass) and prints what is still there and
    /// what the engine said. A removal that failed used to be dropped unseen (`_ = try? rmi -f`):
    /// `devenv-pma747ecf2:prod-…` (the prod test of the Podman lifecycle suite, rootful Podman,
    /// 2026-12-06 09:19; the same test's `devenv-pm7dcf36fc:prod-…` on rootless Podman at 09:36)
    /// stayed a day with its whole build chain, its test folder gone (so the clean-up ran) and
    /// still carrying the label and name that clean-up listed by: its removal failed, and why
    /// was lost. The same unforced removal succeeded when done by hand later.
    /// Returns what is left (names, or IDs of untagged images).
    @discardableResult
    public static func removeImages(ofProject name: String, cli: ([String]) throws -> ProcessResult) -> [String] {
        var refusals: [String] = []
        func remove(_ references: [String]) {
            guard !references.isEmpty else { return }
            guard let result = try? cli(["rmi"] + references) else { return refusals.append("rmi could not run") }
            if !result.succeeded { refusals.append(result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        var left: [String] = []
        // A second pass when the first left something: another test process working on the same
        // store (rootful Podman's, the rootless test user's) can make one removal fail.
        for _ in 1...2 {
            remove(ownImageNames(ofProject: name, cli: cli))
            remove(untaggedImages(ofProject: name, cli: cli))
            left = ownImageNames(ofProject: name, cli: cli) + untaggedImages(ofProject: name, cli: cli)
            if left.isEmpty { break }
        }
        if !left.isEmpty {
            print("TestEngine: the clean-up of test project \(name) left \(left.joined(separator: ", "))"
                  + (refusals.isEmpty ? "" : "; the engine said: " + refusals.joined(separator: " | ")))
        }
        return left
    }

    /// The names devenv gave `name`'s images, as the engine lists them.
    private static func ownImageNames(ofProject name: String, cli: ([String]) throws -> ProcessResult) -> [String] {
        let listed = listing(["images", "--format", "{{.Repository}}:{{.Tag}}"], cli: cli)
        return Set(listed.split(separator: "\n").map(String.init).filter { reference in
            // devenv's own rule for the prefixes Podman puts before a name (`ImageSnapshot.plain`).
            let bare = ImageSnapshot.plain(reference)
            // An earlier devenv's `devenv-NAME:`, and `devenv-NAME-TAG[-svc-S]:` (test project
            // names are unique, so no other project's starts so).
            return bare.hasPrefix("devenv-\(name):") || bare.hasPrefix("devenv-\(name)-")
        }).sorted()
    }

    /// The IDs of the untagged images labelled for `name` (an old build whose name moved on).
    private static func untaggedImages(ofProject name: String, cli: ([String]) throws -> ProcessResult) -> [String] {
        let listed = listing(["images", "-q", "--filter", "dangling=true", "--filter", "label=devenv.project=\(name)"], cli: cli)
        return Set(listed.split(separator: "\n").map(String.init)).sorted()
    }

    /// An image listing's output, asked again (three times in all) while it fails: Podman fails
    /// a whole listing when another process removes an image meanwhile (another test's
    /// clean-up on the same store), and a failed listing read as empty would end the clean-up
    /// with its images left, or a test's check of what images remain with none. Empty when
    /// all three fail.
    public static func listing(_ arguments: [String], cli: ([String]) throws -> ProcessResult) -> String {
        for _ in 1...3 {
            if let result = try? cli(arguments), result.succeeded { return result.stdoutText }
        }
        return ""
    }

    /// A name for a container, volume or image tag that no other test (or run) uses.
    public static func uniqueName(_ purpose: String) -> String {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return "devenv-test-\(purpose)-\(getpid())-\(suffix)"
    }

    /// Writes the example uv project (Tests/Scripts/demo-project.sh) into a new temporary
    /// folder owned by `uid:gid`, e.g. 4242:4242 to act as a host user who is not root.
    /// Needs the engine (uv.lock is made with the uv of `pythonImage`), and root when `uid:gid`
    /// is not the current user.
    public static func makeDemoProject(uid: UInt32 = 4242, gid: UInt32 = 4242,
                                       name: String = "demoapp") throws -> TemporaryProject {
        let parent = FileManager.default.temporaryDirectory
            .appendingPathComponent("devenv-demo-\(UUID().uuidString.prefix(8))").path
        let path = parent + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent)
        let project = TemporaryProject(path: path, removing: parent, uid: uid, gid: gid)
        if chown(path, uid, gid) != 0 {
            throw TemporaryProject.Failure(message: "chown \(uid):\(gid) \(path) failed (errno \(errno)); needs root")
        }
        let result = try run([scriptsDirectory + "/demo-project.sh", path, name])
        guard result.succeeded else {
            throw TemporaryProject.Failure(message: "demo-project.sh failed (\(result.exitCode)): \(result.stderrText)\(result.stdoutText)")
        }
        return project
    }

    /// Tests/Scripts in this checkout.
    public static let scriptsDirectory: String = {
        // This file is Tests/TestSupport/Engine.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts").path
    }()

    private static func probe() -> Availability {
        var availability = Availability()
        let candidates = ["/usr/bin/docker"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map { "\($0)/docker" }
        availability.docker = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let docker = availability.docker else {
            availability.problem = "no docker CLI (/usr/bin/docker or docker on PATH)"
            return availability
        }
        let format = "{{.Client.Version}} {{.Server.Version}}"
        guard let result = try? run([docker, "version", "--format", format], timeoutSeconds: 15) else {
            availability.problem = "could not start \(docker)"
            return availability
        }
        let words = result.stdoutText.split(whereSeparator: \.isWhitespace).map(String.init)
        availability.clientVersion = words.first
        if result.succeeded, words.count == 2 {
            availability.serverVersion = words[1]
        } else {
            let detail = result.stderrText.split(separator: "\n").last.map(String.init) ?? "exit \(result.exitCode)"
            availability.problem = "`\(docker) version` gets no answer from a server: \(detail)"
        }
        return availability
    }
}

/// A temporary copy of the demo project; the folder is removed when the value goes away.
public final class TemporaryProject: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The project folder (owned by uid:gid).
    public let path: String
    public let uid: UInt32
    public let gid: UInt32
    private let removing: String

    init(path: String, removing: String, uid: UInt32, gid: UInt32) {
        self.path = path
        self.removing = removing
        self.uid = uid
        self.gid = gid
    }

    deinit { try? FileManager.default.removeItem(atPath: removing) }
}

/// The skip reason goes to stderr once per test process, not once per test.
private let skipNotice = OnceNotice()
private let bridgeNotice = OnceNotice()

private final class OnceNotice: @unchecked Sendable {
    private let lock = NSLock()
    private var printed = false
    func printOnce(_ text: String) {
        let first = lock.withLock { () -> Bool in
            defer { printed = true }
            return !printed
        }
        if first { FileHandle.standardError.write(Data(text.utf8)) }
    }
}

/// Bytes handed from the thread that drains a pipe.
private final class CapturedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
