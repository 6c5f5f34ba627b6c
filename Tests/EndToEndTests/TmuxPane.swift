import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A tmux server of its own (its own socket) with one pane of a fixed size, for driving the
/// dashboard as a user would: keys in, screen text out.
final class TmuxPane {
    let socket: String
    let tmux: String
    /// Every capture, in order, for failure messages.
    private(set) var transcript: [String] = []

    /// Finds Debian's tmux; nil when it is not installed.
    static func locate() -> String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Debian's tmux, or the test skipped saying why (failed when DEVENV_REQUIRE_ENGINE=1:
    /// `make test` installs it as root).
    static func require(_ suite: String) throws -> String {
        if let tmux = locate() { return tmux }
        let reason = "tmux is not installed (Debian: apt-get install tmux)"
        if TestEngine.isRequired { throw EndToEndFailure(description: "\(reason) (DEVENV_REQUIRE_ENGINE=1)") }
        print("\(suite): skipped: \(reason)")
        try Test.cancel(Comment(rawValue: "skipped: \(reason)"))
    }

    init(tmux: String, width: Int, height: Int, command: String) throws {
        self.tmux = tmux
        socket = "devenv-e2e-\(getpid())-\(UUID().uuidString.prefix(6))"
        // The server tmux forks keeps what it inherits: Foundation's Process watches its child
        // through an inherited descriptor (it would wait for the server too), and pipes of
        // other tests' Process calls may be open. So: posix_spawn, every fd above 2 closed.
        let status = Self.spawnAndWait(["/bin/bash", "-c",
                                        "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; exec \"$@\" </dev/null >/dev/null 2>&1",
                                        "bash", tmux, "-L", socket, "new-session", "-d", "-x", String(width), "-y", String(height), command])
        let result = ProcessResult(exitCode: status)
        guard result.succeeded else { throw EndToEndFailure(description: "tmux new-session failed with exit \(result.exitCode)") }
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> ProcessResult {
        try TestEngine.run([tmux, "-L", socket] + arguments, timeoutSeconds: 20)
    }

    /// The visible screen (the alternate one while a full-screen program runs).
    func capture() -> String {
        (try? run(["capture-pane", "-p"]).stdoutText) ?? ""
    }

    /// The normal screen while the alternate one is shown (what a shell printed before).
    func captureNormalScreen() -> String {
        (try? run(["capture-pane", "-p", "-a"]).stdoutText) ?? ""
    }

    func send(_ keys: String...) throws {
        try run(["send-keys"] + keys)
    }

    /// Types text literally (no key-name lookup).
    func type(_ text: String) throws {
        try run(["send-keys", "-l", text])
    }

    /// Polls the screen until `condition` holds or `seconds` pass; the last capture either way.
    @discardableResult
    func waitFor(_ what: String, seconds: Double, _ condition: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = capture()
        while !condition(screen) {
            if Date() > deadline {
                transcript.append("--- gave up waiting for \(what):\n\(screen)")
                return (false, screen)
            }
            Thread.sleep(forTimeInterval: 0.2)
            screen = capture()
        }
        transcript.append("--- \(what):\n\(screen)")
        return (true, screen)
    }

    static func spawnAndWait(_ argv: [String]) -> Int32 {
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // The test runner's threads block most signals, and a spawned child inherits the mask:
        // tmux (and devenv under it) would never see SIGCHLD or SIGWINCH.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        guard posix_spawn(&pid, argv[0], nil, &attributes, cArguments, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    var log: String { transcript.joined(separator: "\n") }

    deinit {
        _ = try? run(["kill-server"])
        // tmux leaves its socket file behind.
        let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(directory)/tmux-\(getuid())/\(socket)")
    }
}

/// A step of the end-to-end test that did not happen.
struct EndToEndFailure: Error, CustomStringConvertible {
    var description: String
}
