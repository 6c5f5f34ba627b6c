import Foundation
import Testing
import TestSupport

/// tui-demo runs in a tmux pane; whatever way it ends (quit, ^C, SIGINT/SIGTERM/SIGHUP, a
/// runtime trap), `stty -g` in the pane must read as before, and the alternate screen and the
/// hidden cursor must be gone. Skipped, with the reason printed, only when tmux cannot be had.
@Suite(.serialized) struct TerminalRestoreTests {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static var demoBinary: String { packageRoot.appendingPathComponent(".build/debug/tui-demo").path }

    /// nil when tmux is there (installing Debian's package as root if needed), else why not.
    static let tmuxUnavailable: String? = {
        if Shell.run(["tmux", "-V"]).status == 0 { return nil }
        if getuid() == 0 {
            _ = Shell.run(["apt-get", "install", "-y", "tmux"])
            if Shell.run(["tmux", "-V"]).status == 0 { return nil }
            return "tmux is not installed and `apt-get install -y tmux` failed"
        }
        return "tmux is not installed and this user cannot install it"
    }()

    /// A tmux server of its own, one pane running a script around tui-demo.
    final class Pane {
        let socket = "tui-restore-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let dir: String

        init() throws {
            dir = NSTemporaryDirectory() + "/" + socket
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }

        deinit {
            // kill-server leaves the socket file behind when its pane dies by SIGHUP.
            let socketPath = display("#{socket_path}")
            _ = tmux(["kill-server"])
            if socketPath.hasSuffix(socket) { unlink(socketPath) }
            try? FileManager.default.removeItem(atPath: dir)
        }

        @discardableResult
        func tmux(_ args: [String]) -> (status: Int32, output: String) {
            Shell.run(["tmux", "-L", socket, "-f", "/dev/null"] + args)
        }

        /// Starts a non-interactive shell (it does not touch the terminal settings itself):
        /// records stty, runs tui-demo, records its exit status and stty again.
        /// `setUp` runs in the shell first (e.g. `trap '' HUP`, as nohup would leave it).
        func start(demoArguments: String = "", setUp: String = "") {
            let script = """
            \(setUp)
            stty -g > \(dir)/before
            SWIFT_BACKTRACE=enable=no \(TerminalRestoreTests.demoBinary) --ready-file \(dir)/ready \(demoArguments)
            echo $? > \(dir)/rc
            stty -g > \(dir)/after
            exec sleep 300
            """
            _ = FileManager.default.createFile(atPath: "\(dir)/run.sh", contents: Data(script.utf8))
            tmux(["new-session", "-d", "-x", "100", "-y", "30", "sh \(dir)/run.sh"])
        }

        /// The file's text once it has a whole line (the shell creates it before writing).
        func file(_ name: String) -> String? {
            guard let text = try? String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8), text.hasSuffix("\n") else { return nil }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func display(_ format: String) -> String {
            tmux(["display-message", "-p", "-t", "0", format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var screen: String { tmux(["capture-pane", "-p", "-t", "0"]).output }
        var paneTTY: String { display("#{pane_tty}") }
        var currentStty: String { Shell.run(["stty", "-F", paneTTY, "-g"]).output.trimmingCharacters(in: .whitespacesAndNewlines) }

        func wait(_ what: String, timeout: Double = 20, _ condition: () -> Bool) -> Bool {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if condition() { return true }
                usleep(50_000)
            }
            Issue.record("timed out waiting for \(what); pane:\n\(screen)")
            return false
        }

        /// Waits until the demo is in raw mode and has drawn its first frame.
        func waitUntilDrawn() -> Int32? {
            guard wait("the ready file", { file("ready") != nil }),
                  wait("the first frame", { screen.contains("services") }),
                  let pid = file("ready").flatMap({ Int32($0) }) else { return nil }
            return pid
        }

        func send(_ keys: String...) { tmux(["send-keys", "-t", "0"] + keys) }

        /// The demo has exited: the exit status, after checking everything was restored.
        func expectRestored() -> Int? {
            guard wait("the demo to exit", { file("rc") != nil && file("after") != nil }) else { return nil }
            #expect(file("before") != nil)
            #expect(file("after") == file("before"), "stty -g differs after exit")
            #expect(display("#{alternate_on}") == "0", "still on the alternate screen")
            #expect(display("#{cursor_flag}") == "1", "cursor still hidden")
            #expect(display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}") == "000", "mouse reporting still on")
            return file("rc").flatMap { Int($0) }
        }
    }

    static func skipIfNoTmux() -> Bool {
        if let reason = tmuxUnavailable {
            print("TerminalRestoreTests skipped: \(reason)")
            return true
        }
        guard FileManager.default.isExecutableFile(atPath: demoBinary) else {
            Issue.record("\(demoBinary) is missing: run `swift build` first")
            return true
        }
        return false
    }

    @Test func quittingNormallyRestores() throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        pane.start(demoArguments: "--mouse")
        guard pane.waitUntilDrawn() != nil else { return }
        #expect(pane.display("#{alternate_on}") == "1")
        #expect(pane.currentStty != pane.file("before"), "not in raw mode while running")
        pane.send("q")
        #expect(pane.expectRestored() == 0)
    }

    /// The loop follows SIGWINCH with a frame of the new size, and a bracketed paste arrives
    /// as one event (tmux only brackets it when the program turned ?2004 on).
    @Test func resizeAndPasteReachTheProgram() throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        pane.start()
        guard pane.waitUntilDrawn() != nil else { return }
        pane.tmux(["resize-window", "-t", "0", "-x", "60", "-y", "20"])
        guard pane.wait("a frame of the new size", {
            let lines = pane.screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 20 && lines[0].hasSuffix("┐") && lines[0].count == 60 && lines[19].hasPrefix(" tui-demo")
        }) else { return }
        pane.tmux(["set-buffer", "pasted words"])
        pane.tmux(["paste-buffer", "-p", "-t", "0"])
        #expect(pane.wait("the paste", { pane.screen.contains("pasted: pasted words") }))
        pane.send("q")
        #expect(pane.expectRestored() == 0)
    }

    @Test func ctrlCAsAKeyQuitsAndRestores() throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        pane.start()
        guard pane.waitUntilDrawn() != nil else { return }
        pane.send("C-c")
        #expect(pane.expectRestored() == 0)
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalRestoresAndKillsWithThatSignal(signal: Int32) throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        pane.start(demoArguments: "--mouse")
        guard let pid = pane.waitUntilDrawn() else { return }
        kill(pid, signal)
        #expect(pane.expectRestored() == 128 + Int(signal))
    }

    /// A signal ignored before devenv came (nohup, a launcher) stays ignored: the session
    /// remembers what was there before its handlers (issue 9 section 8: that memory is
    /// initialised, never read as garbage).
    @Test func aSignalIgnoredBeforeStaysIgnored() throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        pane.start(setUp: "trap '' HUP")
        guard let pid = pane.waitUntilDrawn() else { return }
        kill(pid, SIGHUP)
        pane.tmux(["resize-window", "-t", "0", "-x", "60", "-y", "20"])
        // Still running and drawing after the SIGHUP: a frame of the new size.
        guard pane.wait("a frame after SIGHUP", {
            let lines = pane.screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 20 && lines[0].count == 60
        }) else { return }
        #expect(pane.file("rc") == nil)
        pane.send("q")
        #expect(pane.expectRestored() == 0)
    }

    /// X: an array index out of range (a Swift runtime trap, SIGILL or SIGTRAP);
    /// S: a stack overflow (SIGSEGV, handled on the alternate signal stack).
    @Test(arguments: ["X", "S"])
    func aCrashRestores(key: String) throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        pane.start(demoArguments: "--allow-trap")
        guard pane.waitUntilDrawn() != nil else { return }
        pane.send(key)
        let rc = pane.expectRestored()
        let expected = key == "X" ? [128 + Int(SIGILL), 128 + Int(SIGTRAP)] : [128 + Int(SIGSEGV)]
        #expect(expected.contains(rc ?? 0), "exit status \(String(describing: rc))")
    }

    @Test func aChildGetsTheCookedTerminalAndTheDemoComesBack() throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        pane.start(demoArguments: "--shell-command 'stty -g > \(pane.dir)/inside; echo child-ran > \(pane.dir)/child'")
        guard pane.waitUntilDrawn() != nil else { return }
        pane.send("!")
        guard pane.wait("the child", { pane.file("child") != nil }) else { return }
        #expect(pane.file("inside") == pane.file("before"), "the child did not get the original settings")
        guard pane.wait("the demo to come back", { pane.screen.contains("shell command finished") }) else { return }
        #expect(pane.display("#{alternate_on}") == "1")
        #expect(pane.currentStty != pane.file("before"), "not back in raw mode")
        pane.send("q")
        #expect(pane.expectRestored() == 0)
    }

    /// ^Z under an interactive job-control shell (dash, which leaves terminal settings alone):
    /// the terminal is restored while stopped, and `fg` brings back raw mode and a full frame.
    @Test func suspendAndResume() throws {
        if Self.skipIfNoTmux() { return }
        let pane = try Pane()
        let d = pane.dir
        pane.tmux(["new-session", "-d", "-x", "100", "-y", "30", "sh -i"])
        pane.send("stty -g > \(d)/before; \(Self.demoBinary) --ready-file \(d)/ready", "Enter")
        guard pane.waitUntilDrawn() != nil else { return }
        pane.send("C-z")
        guard pane.wait("the stop", { pane.screen.contains("Stopped") }) else { return }
        #expect(pane.currentStty == pane.file("before"), "terminal not restored while stopped")
        #expect(pane.display("#{alternate_on}") == "0")
        #expect(pane.display("#{cursor_flag}") == "1")
        pane.send("clear; fg; echo $? > \(d)/rc; stty -g > \(d)/after", "Enter")
        guard pane.wait("the redraw after fg", { pane.screen.contains("services") && pane.screen.contains("resumed (1)") }) else { return }
        #expect(pane.currentStty != pane.file("before"), "not back in raw mode")
        #expect(pane.display("#{alternate_on}") == "1")
        pane.send("q")
        guard pane.wait("the demo to exit", { pane.file("after") != nil }) else { return }
        #expect(pane.file("rc") == "0")
        #expect(pane.file("after") == pane.file("before"))
        #expect(pane.display("#{alternate_on}") == "0")
    }
}

enum Shell {
    static func run(_ argv: [String]) -> (status: Int32, output: String) {
        let path = NSTemporaryDirectory() + "/tui-shell-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // `new-session` forks a server that lives for the test: it kept whatever other tests had
        // open (a pipe read to its end, a listener a test closed and expects free).
        SpawnActions.closeInherited(&actions)
        let cArgs: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + argv).map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        // The test thread blocks many signals and a child inherits the mask: a tmux server
        // started with SIGCHLD and SIGTERM blocked never exits. Start children clean.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, cArgs, environ) == 0 else { return (127, "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exitCode, output)
    }
}
