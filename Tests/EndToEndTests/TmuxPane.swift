import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A tmux server of its own (its own socket) with one pane of a fixed size, for driving the
/// dashboard as a user would: keys in, screen text out. The one harness of the end-to-end
/// tests: every wait is a condition with a deadline that names what it waited for, and a
/// failed one records the pane's transcript. A deadline only bounds a failure, so it is
/// generous for the 2-core CI machine under load: 60 s for what the dashboard shows after an
/// engine call, longer for builds; 10 s only where the bound is the point (keys answered while
/// the engine is silent, well within the 30 s query deadline).
final class TmuxPane {
    let socket: String
    let tmux: String
    let height: Int
    /// Every capture, in order, for failure messages.
    private(set) var transcript: [String] = []
    /// More to show when a step fails (a log the test keeps), after the transcript.
    var failureContext: () -> String = { "" }
    /// Where the pane's script (`running`) writes `stty -g` before and after devenv.
    private(set) var sttyFolder: String?

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
        self.height = height
        socket = "devenv-e2e-\(getpid())-\(UUID().uuidString.prefix(6))"
        // The server tmux forks keeps what it inherits: Foundation's Process watches its child
        // through an inherited descriptor (it would wait for the server too), and pipes of
        // other tests' Process calls may be open. So: posix_spawn, every fd above 2 closed.
        let status = Self.runDetached([tmux, "-L", socket, "new-session", "-d", "-x", String(width), "-y", String(height), command],
                                      output: "/dev/null")
        let result = ProcessResult(exitCode: status)
        guard result.succeeded else { throw EndToEndFailure(description: "tmux new-session failed with exit \(result.exitCode)") }
    }

    /// A pane running `commandLine` (devenv with its variables, as sh reads it) from a script
    /// written to `folder/pane.sh`: `stty -g` goes to `folder/stty-before` and
    /// `folder/stty-after` around it, then the pane shows "devenv exited with STATUS" and stays.
    /// stty-after is written aside and renamed into place: the shell creates a redirection's
    /// file before stty writes to it, and a reader that waited only for the name read it empty.
    static func running(_ commandLine: String, in folder: String, tmux: String, width: Int = 100, height: Int = 30) throws -> TmuxPane {
        let script = folder + "/pane.sh"
        try """
            stty -g > '\(folder)/stty-before'
            \(commandLine)
            echo "devenv exited with $?"
            stty -g > '\(folder)/stty-after.part' && mv '\(folder)/stty-after.part' '\(folder)/stty-after'
            exec sleep 3600
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let pane = try TmuxPane(tmux: tmux, width: width, height: height, command: "sh '\(script)'")
        pane.sttyFolder = folder
        return pane
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

    /// Waits as `waitFor`; when `seconds` pass first, records an issue naming `what` with the
    /// transcript, and throws: the test goes no further.
    func require(_ what: String, seconds: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                 _ condition: (String) -> Bool) throws {
        guard !waitFor(what, seconds: seconds, condition).ok else { return }
        let context = failureContext()
        Issue.record("\(what): not seen\n\(log)\(context.isEmpty ? "" : "\n" + context)", sourceLocation: sourceLocation)
        throw EndToEndFailure(description: what)
    }

    /// Waits for the pane's script (`running`) to say devenv exited with `status`.
    func requireExit(_ status: Int32, seconds: Double = 60, after what: String = "",
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        try require("devenv exiting with \(status)\(what.isEmpty ? "" : " " + what)", seconds: seconds, sourceLocation: sourceLocation) {
            $0.contains("devenv exited with \(status)")
        }
    }

    /// `q`, then devenv exiting with 0.
    func quit(seconds: Double = 60, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        try send("q")
        try requireExit(0, seconds: seconds, after: "after q", sourceLocation: sourceLocation)
    }

    /// After devenv exited: the script's `stty -g` after it (waited for) is the one before it.
    func expectTerminalSettingsRestored(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        guard let folder = sttyFolder else { throw EndToEndFailure(description: "the pane was not started by TmuxPane.running") }
        try require("the pane's stty after devenv", seconds: 30, sourceLocation: sourceLocation) { _ in
            FileManager.default.fileExists(atPath: folder + "/stty-after")
        }
        let before = try String(contentsOfFile: folder + "/stty-before", encoding: .utf8)
        let after = try String(contentsOfFile: folder + "/stty-after", encoding: .utf8)
        #expect(!before.isEmpty && before == after, "stty -g before \(before) after \(after)\n\(log)", sourceLocation: sourceLocation)
    }

    /// tmux's view of the pane's modes: everything as a fresh terminal has it (`alternate`
    /// "1" and `cursor` "0" while a full-screen program still runs; its mouse modes then on).
    func expectDefaultModes(alternate: String = "0", cursor: String = "1", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let format = "alt=#{alternate_on} cursor=#{cursor_flag} insert=#{insert_flag} wrap=#{wrap_flag} "
            + "keypad=#{keypad_flag} cursorkeys=#{keypad_cursor_flag} origin=#{origin_flag} "
            + "region=#{scroll_region_upper}-#{scroll_region_lower} mouse=#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}"
        let modes = (try? run(["display-message", "-p", format]).stdoutText)?.trimmingCharacters(in: .whitespacesAndNewlines)
        let mouse = alternate == "1" ? "mouse=111" : "mouse=000"
        #expect(modes == "alt=\(alternate) cursor=\(cursor) insert=0 wrap=1 keypad=0 cursorkeys=0 origin=0 region=0-\(height - 1) \(mouse)",
                "\(modes ?? "no answer from tmux")\n\(log)", sourceLocation: sourceLocation)
    }

    /// Waits up to `seconds` for `left()` to be empty (processes that must end with devenv),
    /// then expects it empty, naming `what` and what is left.
    func expectNoneLeft(_ what: String, seconds: Double = 60, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                        _ left: () -> [String]) {
        let deadline = Date().addingTimeInterval(seconds)
        var remaining = left()
        while !remaining.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            remaining = left()
        }
        transcript.append("--- \(remaining.isEmpty ? "" : "gave up waiting for ")no \(what) left")
        #expect(remaining.isEmpty, "\(what) outlived devenv (waited \(Int(seconds)) s):\n\(remaining.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    /// Runs `argv` as tmux is run: every descriptor above 2 closed (a server or conmon that
    /// keeps an inherited pipe open would hold up whoever reads it), stdin from /dev/null,
    /// stdout and stderr to the file `output`; its exit status.
    static func runDetached(_ argv: [String], output: String) -> Int32 {
        spawnAndWait(["/bin/bash", "-c",
                      "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; exec \"$@\" </dev/null >\"$0\" 2>&1",
                      output] + argv)
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
