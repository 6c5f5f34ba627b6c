import DevEnvCore
import Foundation
import Testing

/// A Docker engine of the test's own, for fault injection (issue 9): a private dockerd with its
/// own `--data-root`, `--exec-root`, `--pidfile` and socket (`unix:///tmp/devenv-pe-.../d.sock`),
/// no bridge and no iptables, that a test may pause (SIGSTOP), resume, kill and restart without
/// touching the shared engine. It holds the busybox test image (`docker save | docker load`
/// from the shared engine).
///
/// One engine serves a whole suite: `@Suite(.serialized, .privateEngine)` starts it before the
/// suite's first test and stops it after its last, also when tests fail; inside a test,
/// `let engine = try PrivateEngine.require()`. Stopping is by the engine's own pid (from its
/// pid file, checked against its command line), then whatever still names its folder
/// (containerd, shims), then its mounts, then the folder. Engines left by a test process that
/// died are cleaned up the same way when the next one starts.
///
/// Test code: it runs dockerd and docker with Foundation's `Process` (through `TestEngine.run`).
public final class PrivateEngine: @unchecked Sendable {
    /// The engine's folder: data, exec root, pid file, socket and log.
    public let root: String
    /// The path of its API socket.
    public let socket: String
    /// Seconds to wait for the socket to answer after a start.
    public static let startDeadline = 60.0

    public var host: String { "unix://\(socket)" }
    /// DOCKER_HOST for a docker CLI or devenv that should talk to this engine.
    public var environment: [String: String] { ["DOCKER_HOST": host] }

    private var pidFile: String { root + "/dockerd.pid" }
    private var logFile: String { root + "/dockerd.log" }
    private let lock = NSLock()
    private var stopped = false

    /// Why no private engine could be had (not root, no dockerd, it did not start).
    public struct Unavailable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    private static let rootPrefix = "/tmp/devenv-pe-"

    private init(root: String) {
        self.root = root
        self.socket = root + "/d.sock"
    }

    /// Starts an engine and loads `images` into it from the shared engine.
    public static func start(images: [String] = [TestEngine.busyboxImage]) throws -> PrivateEngine {
        guard getuid() == 0 else { throw Unavailable(reason: "a private dockerd needs root") }
        guard let dockerd = ["/usr/sbin/dockerd", "/usr/bin/dockerd"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw Unavailable(reason: "no dockerd (Debian: apt-get install docker.io)") }
        removeAbandoned()
        let root = "\(rootPrefix)\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let engine = PrivateEngine(root: root)
        engine.dockerd = dockerd
        do {
            try engine.launch()
            for image in images { try engine.load(image) }
        } catch {
            engine.stop()
            throw error
        }
        return engine
    }

    private var dockerd = "/usr/sbin/dockerd"

    /// Starts dockerd (after `start`, or again after `kill`) and waits until it answers.
    private func launch() throws {
        unlink(pidFile)
        // Detached (its own session, reparented to init), so that neither the test's signals
        // nor its exit reach it; stopped only by pid.
        let arguments = [dockerd, "--data-root", root + "/data", "--exec-root", root + "/exec",
                         "--pidfile", pidFile, "-H", host, "--bridge=none", "--iptables=false",
                         "--ip6tables=false", "--storage-driver=vfs"]
        // In a network namespace of its own: a dockerd started with --bridge=none deletes the
        // host's docker0, which the shared engine's containers need. Its socket is a file, so
        // the tests reach it all the same; unshare execs dockerd, so the pid file is still its.
        let script = "setsid unshare --net " + arguments.map(ShellQuoting.quote).joined(separator: " ")
            + " >>\(ShellQuoting.quote(logFile)) 2>&1 </dev/null &"
        // Not through Foundation's Process: it waits for the orphaned daemon's parent shell in
        // ways that hang here. posix_spawn and waitpid, all streams on /dev/null.
        let status = try Self.spawnAndWait(["/bin/sh", "-c", script])
        guard status == 0 else { throw Unavailable(reason: "could not launch dockerd (sh exit \(status)); log:\n\(logTail())") }
        try waitUntilAnswering()
    }

    /// Runs argv (argv[0] a path) with stdin, stdout and stderr on /dev/null; its exit status.
    private static func spawnAndWait(_ argv: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        // The daemon lives for the whole test: nothing another test has open may go with it.
        SpawnActions.closeInherited(&actions)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw Unavailable(reason: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 127 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Waits, with `startDeadline`, until `docker version` gets the server's answer.
    private func waitUntilAnswering() throws {
        let end = Date().addingTimeInterval(Self.startDeadline)
        var pause: useconds_t = 20_000
        while Date() < end {
            if FileManager.default.fileExists(atPath: socket),
               let result = try? docker(["version", "--format", "{{.Server.Version}}"], timeoutSeconds: 5),
               result.succeeded {
                return
            }
            // Gone already (a bad flag, a busy socket): no use waiting.
            if let pid, Foundation.kill(pid, 0) != 0 { break }
            usleep(pause)
            pause = min(pause * 2, 200_000)
        }
        throw Unavailable(reason: "the private dockerd did not answer on \(host) within \(Int(Self.startDeadline)) s; log:\n\(logTail())")
    }

    /// The last lines of dockerd's log.
    public func logTail(_ lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    private func load(_ image: String) throws {
        let docker = TestEngine.availability().docker ?? "docker"
        let script = "\(ShellQuoting.quote(docker)) save \(ShellQuoting.quote(image)) | DOCKER_HOST=\(ShellQuoting.quote(host)) \(ShellQuoting.quote(docker)) load"
        let result = try TestEngine.run(["/bin/sh", "-c", script], timeoutSeconds: 120)
        guard result.succeeded else {
            throw Unavailable(reason: "could not load \(image) into the private engine: \(result.stderrText)")
        }
    }

    /// dockerd's pid, from its pid file, when that process is this engine's dockerd.
    public var pid: pid_t? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
              Self.commandLine(pid).contains(root) else { return nil }
        return pid
    }

    /// Runs `docker ARGS` against this engine.
    @discardableResult
    public func docker(_ arguments: [String], timeoutSeconds: Int = 60) throws -> ProcessResult {
        try TestEngine.run([TestEngine.availability().docker ?? "docker"] + arguments, environment: environment,
                           timeoutSeconds: timeoutSeconds)
    }

    // MARK: Faults

    /// Freezes dockerd (SIGSTOP): its socket still accepts connections, nothing answers.
    public func pause() throws {
        guard let pid else { throw Unavailable(reason: "the private dockerd is not running") }
        Foundation.kill(pid, SIGSTOP)
    }

    /// Lets a paused dockerd go on (SIGCONT).
    public func resume() {
        if let pid { Foundation.kill(pid, SIGCONT) }
    }

    /// Kills dockerd outright (SIGKILL), as a crash would; its containerd goes with it, the
    /// containers' shims stay.
    public func kill() throws {
        guard let pid else { throw Unavailable(reason: "the private dockerd is not running") }
        Foundation.kill(pid, SIGKILL)
        try waitUntilGone(pid, what: "the killed dockerd")
        // Its containerd dies with it (parent-death signal), a moment later, and stays a zombie
        // until init reaps it: a restart that found its pid file would take it for running,
        // try to use it and time out. So: wait until it is dead, then drop the stale pid file.
        let containerdPidFile = root + "/exec/containerd/containerd.pid"
        if let text = try? String(contentsOfFile: containerdPidFile, encoding: .utf8),
           let containerd = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), containerd > 0 {
            if (try? waitUntilGone(containerd, what: "containerd", seconds: 5)) == nil,
               Self.commandLine(containerd).contains(root) {
                Foundation.kill(containerd, SIGKILL)
            }
            try waitUntilGone(containerd, what: "the private engine's containerd")
        }
        unlink(containerdPidFile)
    }

    /// Starts dockerd again on the same data (after `kill`), and waits until it answers.
    public func restart() throws {
        if pid != nil { try kill() }
        try launch()
    }

    private func waitUntilGone(_ pid: pid_t, what: String, seconds: Double = 30) throws {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if !Self.isRunning(pid) { return }
            usleep(20_000)
        }
        throw Unavailable(reason: "\(what) (pid \(pid)) was still there after \(Int(seconds)) s")
    }

    // MARK: Children left behind

    /// Processes other than the engine's own whose command line or environment names this
    /// engine's socket: docker CLIs that outlived whoever started them. "PID: command line".
    public func clientsStillRunning() -> [String] {
        let engineProcesses = Set(Self.descendants(of: pid.map { [$0] } ?? []))
        var found: [String] = []
        for pid in Self.allPids() where pid != getpid() && !engineProcesses.contains(pid) {
            let commandLine = Self.commandLine(pid)
            // The engine's containerd and shims name its folder, not its socket.
            if commandLine.contains(root) && !commandLine.contains(socket) { continue }
            let environment = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
            let names = commandLine.contains(socket)
                || String(decoding: environment, as: UTF8.self).split(separator: "\0").contains { $0 == "DOCKER_HOST=\(host)" }
            if names && Self.isRunning(pid) { found.append("\(pid): \(commandLine)") }
        }
        return found
    }

    // MARK: Teardown

    /// Stops the engine by its own pid (SIGCONT first if paused, SIGTERM, SIGKILL after 20 s),
    /// ends what still names its folder, unmounts what it mounted and removes the folder.
    /// Safe to call twice.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        Self.stop(root: root)
    }

    private static func stop(root: String) {
        let pidFile = root + "/dockerd.pid"
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
           let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
           commandLine(pid).contains(root) {
            Foundation.kill(pid, SIGCONT)
            Foundation.kill(pid, SIGTERM)
            let end = Date().addingTimeInterval(20)
            while isRunning(pid) && Date() < end { usleep(20_000) }
            if isRunning(pid) { Foundation.kill(pid, SIGKILL) }
        }
        // containerd (when dockerd was killed) and the shims of its containers.
        for pid in allPids() where pid != getpid() && commandLine(pid).contains(root) {
            Foundation.kill(pid, SIGKILL)
        }
        for mount in mounts(under: root).sorted(by: { $0.count > $1.count }) {
            _ = umount2(mount, Int32(MNT_DETACH))
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Engines whose test process is gone (killed before its teardown ran).
    private static func removeAbandoned() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for entry in entries where ("/tmp/" + entry).hasPrefix(rootPrefix) {
            let owner = entry.dropFirst(rootPrefix.count - "/tmp/".count).split(separator: "-").first.flatMap { pid_t($0) }
            if let owner, owner != getpid(), isRunning(owner) { continue }
            if owner == getpid() { continue }
            stop(root: "/tmp/" + entry)
        }
    }

    // MARK: /proc

    static func allPids() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// The command line, arguments joined by spaces ("" when the process is gone).
    static func commandLine(_ pid: pid_t) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\0").joined(separator: " ")
    }

    /// Running or stopped, not a zombie and not gone.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first ?? ""
        return state != "Z" && state != "X"
    }

    private static func parent(_ pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    /// `roots` and every process under them.
    static func descendants(of roots: [pid_t]) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        for pid in allPids() { if let parent = parent(pid) { children[parent, default: []].append(pid) } }
        var out: [pid_t] = []
        var queue = roots
        while let next = queue.popLast() {
            out.append(next)
            queue += children[next] ?? []
        }
        return out
    }

    private static func mounts(under root: String) -> [String] {
        let text = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = String(fields[4])
            return point == root || point.hasPrefix(root + "/") ? point : nil
        }
    }

    // MARK: The suite's engine

    /// The engine of the suite under way (`.privateEngine`), or why there is none.
    @TaskLocal static var current: Result<PrivateEngine, Unavailable>?

    /// Call first in a test of a `.privateEngine` suite. Skips the test with the reason when no
    /// private engine could be had, unless DEVENV_REQUIRE_ENGINE=1 (then it fails).
    public static func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PrivateEngine {
        switch current {
        case .success(let engine)?:
            // A test that failed half-way may have left it paused.
            engine.resume()
            return engine
        case .failure(let problem)?:
            if TestEngine.isRequired { throw problem }
            try Test.cancel(Comment(rawValue: "skipped: no private engine: \(problem.reason)"), sourceLocation: sourceLocation)
        case nil:
            throw Unavailable(reason: "PrivateEngine.require() outside a suite with the .privateEngine trait")
        }
    }
}

/// The trait that gives a suite one private engine for all its tests: started before the
/// first, stopped after the last whatever happened in between.
public struct PrivateEngineScope: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        let engine: Result<PrivateEngine, PrivateEngine.Unavailable>
        if !TestEngine.availability().isAvailable {
            engine = .failure(.init(reason: "the shared engine does not answer (its images are loaded from it)"))
        } else {
            do {
                engine = .success(try PrivateEngine.start())
            } catch let problem as PrivateEngine.Unavailable {
                engine = .failure(problem)
            } catch {
                engine = .failure(.init(reason: "\(error)"))
            }
        }
        defer { if case .success(let running) = engine { running.stop() } }
        try await PrivateEngine.$current.withValue(engine) { try await function() }
    }
}

extension Trait where Self == PrivateEngineScope {
    /// One private dockerd for the suite (`PrivateEngine`); use with `.serialized`.
    public static var privateEngine: Self { PrivateEngineScope() }
}
