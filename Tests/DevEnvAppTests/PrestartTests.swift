import DevEnvCore
import DevEnvPrestart
@testable import DevEnvSystem
import Foundation
import Testing
import TestSupport

/// `status`'s docker calls started before the Swift runtime (DevEnvPrestart's prestart.c,
/// `PrestartRecord`, `PrestartedCalls`), on real processes (sh scripts; no docker): which record
/// starts its calls (every part of the key, and every check on the record and its folder), and
/// that the runner adopts only the very call it would start, ending the rest unseen.
/// Serialized: `devenv_prestart` keeps what it started in process-wide state and blocks signals
/// until they are taken.
@Suite(.serialized) struct PrestartTests {
    /// A state folder, a stand-in program that logs each run and answers, and a record's parts.
    struct Fixture {
        let root: String
        let folder: String
        let program: String
        let log: String
        let watched: String
        let environment: [String]
        let arguments = ["devenv", "status", "--no-tui"]
        let call: PrestartRecord.Call

        init() throws {
            root = try Self.temporaryFolder()
            let state = root + "/state"
            folder = state + "/devenv"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            program = root + "/docker"
            log = root + "/calls"
            watched = folder + "/0123456789abcdef.lookup"
            try Data("devenv lookup 2\n".utf8).write(to: URL(fileURLWithPath: watched))
            // `volume ls` waits to be ended; `ps` answers at once, with what it got.
            try ProgramFile.write("#!/bin/sh\necho \"$*\" >> \(log)\ncase \"$1\" in volume) exec sleep 60 ;; esac\necho \"answer $* $GOGC $KEEP\"\n",
                                  to: program)
            environment = ["PATH=/usr/bin:/bin", "XDG_STATE_HOME=\(state)", "KEEP=kept"]
            call = PrestartRecord.Call(executable: program, argv: [program, "ps", "--all"], additions: ["GOGC=400"])
        }

        static func temporaryFolder() throws -> String {
            var template = Array((NSTemporaryDirectory() + "sp30-prestart.XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { throw DevEnvError.failure("mkdtemp failed") }
            return String(cString: made)
        }

        func key(arguments: [String]? = nil, folder: String? = nil, environment: [String]? = nil) -> PrestartRecord.Key {
            PrestartRecord.Key(arguments: (arguments ?? self.arguments).map { Array($0.utf8) },
                               workingFolder: Array((folder ?? root).utf8),
                               environmentHash: CWords((environment ?? self.environment).map { Array($0.utf8) })
                                   .withPointers { devenv_prestart_environment_hash($0) })
        }

        func keep(_ calls: [PrestartRecord.Call]? = nil) {
            PrestartRecord.keep(calls ?? [call], key: key(), watched: [watched], in: folder)
        }

        var recordPath: String { folder + "/" + key().fileName }

        /// What `devenv_prestart` starts for these (the constructor's own parts, as a test gives
        /// them), taken as main.swift takes them (the environment's strings must live until then),
        /// and the signal mask then, before it is given back.
        func prestart(arguments: [String]? = nil, folder: String? = nil,
                      environment: [String]? = nil) -> (started: Int32, taken: PrestartedCalls?, maskMeanwhile: sigset_t) {
            let arguments = arguments ?? self.arguments
            return CWords(arguments.map { Array($0.utf8) }).withPointers { argv in
                CWords((environment ?? self.environment).map { Array($0.utf8) }).withPointers { envp in
                    let started = devenv_prestart(Int32(arguments.count), argv, envp, folder ?? root)
                    var meanwhile = sigset_t()
                    sigprocmask(SIG_BLOCK, nil, &meanwhile)
                    let taken = PrestartedCalls.taken()
                    if var mask = taken?.savedMask { sigprocmask(SIG_SETMASK, &mask, nil) }
                    return (started, taken, meanwhile)
                }
            }
        }

        var calls: [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// The runner main.swift makes, for this environment.
        func runner(_ taken: PrestartedCalls?, environment: [String]? = nil) -> PosixProcessRunner {
            var variables: [String: String] = [:]
            for entry in environment ?? self.environment {
                guard let equals = entry.firstIndex(of: "=") else { continue }
                variables[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
            }
            var runner = PosixProcessRunner(environment: variables)
            runner.verbatim = [:]
            runner.prestarted = taken
            return runner
        }

        func invocation(_ argv: [String]? = nil) -> ProcessInvocation {
            var invocation = ProcessInvocation(argv ?? [program, "ps", "--all"])
            invocation.runtimeDefaults = ["GOGC": "400"]
            return invocation
        }

        /// Waits (5 s at most) until `count` calls were logged.
        func waitForCalls(_ count: Int) throws {
            let deadline = Date().addingTimeInterval(5)
            while calls.count < count {
                if Date() > deadline { throw DevEnvError.failure("waited 5 s for \(count) logged calls, have \(calls)") }
                usleep(2000)
            }
        }
    }

    /// The signals devenv's handler takes (`ChildProcesses.forwarded` and `.otherEnding`).
    static let interrupting = ChildProcesses.forwarded + ChildProcesses.otherEnding

    /// Which of `interrupting` `mask` (nil: the thread's mask now) blocks.
    static func blocked(_ mask: sigset_t? = nil) -> [Int32] {
        var mask = mask ?? {
            var now = sigset_t()
            sigprocmask(SIG_BLOCK, nil, &now)
            return now
        }()
        return interrupting.filter { sigismember(&mask, $0) == 1 }
    }

    @Test func aRecordStartsItsCallOnlyForItsOwnKeyAndTheRunnerAdoptsIt() throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        fixture.keep()
        var info = stat()
        #expect(stat(fixture.recordPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let before = Self.blocked()
        let (started, prestarted, meanwhile) = fixture.prestart()
        #expect(started == 1)
        // Blocked from the spawn until the handlers are installed (here: until taken), then as before.
        #expect(Self.blocked(meanwhile) == Self.interrupting)
        #expect(Self.blocked() == before)
        let taken = try #require(prestarted)
        #expect(devenv_prestarted_count() == 0)
        let pids = taken.pids
        #expect(pids.count == 1)
        let adopted = try fixture.runner(taken).start(fixture.invocation())
        #expect((adopted as? PosixStartedProcess)?.pid == pids.first)
        #expect(taken.adopted == 1)
        // The environment was devenv's own with the record's additions.
        #expect(try adopted.finish(onOutput: nil).stdoutText == "answer ps --all 400 kept\n")
        #expect(taken.endRest() == 0)
        #expect(fixture.calls == ["ps --all"])
    }

    @Test func everyPartOfTheKeyAndEveryCheckOnTheRecordStopsTheStart() throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        fixture.keep()
        let other = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: other) }
        let env = fixture.environment
        // Each of these would make another devenv command, or the same in another place or setting.
        let keys: [(String, [String]?, String?, [String]?)] = [
            ("an argument fewer", ["devenv", "status"], nil, nil),
            ("an argument more", ["devenv", "status", "--no-tui", "--json"], nil, nil),
            ("an argument changed", ["devenv", "status", "--no-tuI"], nil, nil),
            ("another program name", ["/usr/local/bin/devenv", "status", "--no-tui"], nil, nil),
            ("another folder", nil, other, nil),
            ("a variable changed", nil, nil, [env[0], env[1], "KEEP=changed"]),
            ("a variable more", nil, nil, env + ["DOCKER_HOST=unix:///elsewhere.sock"]),
            ("a variable fewer", nil, nil, Array(env.prefix(2))),
            ("the same variables in another order", nil, nil, [env[0], env[2], env[1]]),
        ]
        let before = Self.blocked()
        for (what, arguments, folder, environment) in keys {
            let (started, taken, meanwhile) = fixture.prestart(arguments: arguments, folder: folder, environment: environment)
            #expect(started == 0 && taken == nil && Self.blocked(meanwhile) == before, "\(what)")
        }
        // The record and its folder: devenv's own, private, whole, not a link; its files unchanged.
        let record = fixture.recordPath
        let bytes = try Data(contentsOf: URL(fileURLWithPath: record))
        func restore() throws {
            chmod(fixture.folder, 0o700)
            if !FileManager.default.fileExists(atPath: fixture.watched) {
                try Data("devenv lookup 2\n".utf8).write(to: URL(fileURLWithPath: fixture.watched))
            }
            fixture.keep()
        }
        /// `bytes` as the record, still private (only what is said changes).
        func rewrite(_ bytes: Data) throws {
            try bytes.write(to: URL(fileURLWithPath: record))
            chmod(record, 0o600)
        }
        let damages: [(String, () throws -> Void)] = [
            ("a record others may read", { chmod(record, 0o644) }),
            ("a folder others may write", { chmod(fixture.folder, 0o770) }),
            ("a record cut short", { try rewrite(bytes.dropLast()) }),
            ("a record with more after it", { try rewrite(bytes + Data("x\0".utf8)) }),
            ("another header", { try rewrite(Data("devenv prestart 2".utf8) + bytes.drop(while: { $0 != 0 })) }),
            ("a record that is a link", {
                try FileManager.default.moveItem(atPath: record, toPath: record + ".real")
                symlink(record + ".real", record)
            }),
            ("the watched file rewritten", {
                var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
                utimensat(AT_FDCWD, fixture.watched, &times, 0)
            }),
            ("the watched file gone", { try FileManager.default.removeItem(atPath: fixture.watched) }),
        ]
        for (what, damage) in damages {
            // Undamaged, it starts its call: each case fails for its own reason.
            let (good, calls, _) = fixture.prestart()
            #expect(good == 1 && calls?.endRest() == 1, "before \(what)")
            try damage()
            let (started, taken, _) = fixture.prestart()
            #expect(started == 0 && taken == nil, "\(what)")
            try restore()
        }
        // Whatever a record says, only a listing is started before the runtime; devenv writes no other.
        let removal = PrestartRecord.Call(executable: fixture.program, argv: [fixture.program, "rm", "-f", "x"], additions: [])
        #expect(PrestartRecord.bytes([removal], key: fixture.key(), watched: [fixture.watched]) == nil)
        let listing = try #require(PrestartRecord.bytes([fixture.call], key: fixture.key(), watched: [fixture.watched]))
        let planted = Array(String(decoding: listing, as: UTF8.self).replacingOccurrences(of: "\0ps\0--all\0", with: "\0rm\0-f!!!\0").utf8)
        #expect(planted.count == listing.count && planted != listing)
        try rewrite(Data(planted))
        #expect(fixture.prestart().started == 0)
        try restore()
        // A state folder named otherwise than UserStateFolder would name it: not guessed at.
        let unnormal = [env[0], "XDG_STATE_HOME=\(fixture.root)//state", env[2]]
        #expect(fixture.prestart(environment: unnormal).started == 0)
        let (started, taken, _) = fixture.prestart()
        #expect(started == 1 && taken?.endRest() == 1)
        #expect(Self.blocked() == before)
    }

    @Test func onlyTheVeryCallIsAdoptedAndTheRestAreEndedUnseen() throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let listing = PrestartRecord.Call(executable: fixture.program, argv: [fixture.program, "volume", "ls"], additions: ["GOGC=400"])
        fixture.keep([fixture.call, listing])
        let (started, prestarted, _) = fixture.prestart()
        #expect(started == 2)
        let taken = try #require(prestarted)
        let pids = taken.pids
        try fixture.waitForCalls(2)
        // Not the same environment (KEEP differs), not the same argv: spawned anew.
        let elsewhere = fixture.runner(taken, environment: [fixture.environment[0], fixture.environment[1], "KEEP=other"])
        let differentEnvironment = try elsewhere.start(fixture.invocation())
        let differentArguments = try fixture.runner(taken).start(fixture.invocation([fixture.program, "ps", "--all", "-q"]))
        for started in [differentEnvironment, differentArguments] {
            #expect(!pids.contains((started as? PosixStartedProcess)?.pid ?? 0))
        }
        #expect(try differentEnvironment.finish(onOutput: nil).stdoutText == "answer ps --all 400 other\n")
        #expect(try differentArguments.finish(onOutput: nil).stdoutText == "answer ps --all -q 400 kept\n")
        #expect(taken.adopted == 0)
        // The very call.
        let same = try fixture.runner(taken).start(fixture.invocation())
        #expect((same as? PosixStartedProcess)?.pid == pids[0])
        #expect(try same.finish(onOutput: nil).stdoutText == "answer ps --all 400 kept\n")
        // The listing nobody asked for: ended and reaped, its output never read.
        #expect(taken.endRest() == 1)
        #expect(kill(pids[1], 0) == -1 && errno == ESRCH)
        #expect(taken.endRest() == 0)
    }

    /// The devenv binary: the second `status` writes the record, the third's calls are the ones
    /// the constructor started (adopted: the record is not written again), with the same output;
    /// a record whose call is not the one `status` makes has that call ended unseen, the right one
    /// made, the output the same, and the record made right again.
    @Test func statusAdoptsWhatItsConstructorStartedAndEndsAWrongCallUnseen() throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let project = fixture.root + "/project"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try Data("[project]\nname = \"sp30-prestart\"\n".utf8).write(to: URL(fileURLWithPath: project + "/devenv.toml"))
        // Logs each call; a call with WRONG answers what no status may show.
        try ProgramFile.write("#!/bin/sh\necho \"$*\" >> \(fixture.log)\ncase \"$*\" in *WRONG*) echo '{\"ID\":\"sp30-wrong-answer\"}' ;; esac\n",
                              to: fixture.program)
        let environment = ["PATH=/usr/bin:/bin", "HOME=\(fixture.root)", fixture.environment[1], "DEVENV_DOCKER=\(fixture.program)"]
        let arguments = [DevenvBinary.path, "--project", project, "status", "--no-tui"]
        func status() throws -> ProcessResult {
            try TestEngine.run(["/usr/bin/env", "-i"] + environment + arguments, workingDirectory: fixture.root, timeoutSeconds: 60)
        }
        let key = fixture.key(arguments: arguments, environment: environment)
        let record = fixture.folder + "/" + key.fileName
        func written() -> timespec? {
            var info = stat()
            return stat(record, &info) == 0 ? info.st_mtim : nil
        }
        let first = try status()
        #expect(first.exitCode == 0)
        #expect(written() == nil)  // nothing started ahead yet: nothing to start again
        #expect(try status().stdoutText == first.stdoutText)
        let kept = try #require(written())
        let before = fixture.calls.count
        let third = try status()
        #expect(third.stdoutText == first.stdoutText && third.stderrText == first.stderrText)
        #expect(written().map { $0.tv_sec == kept.tv_sec && $0.tv_nsec == kept.tv_nsec } == true)
        // Both at once, in either order.
        let calls = fixture.calls.dropFirst(before).map { $0.split(separator: " ").prefix(2).joined(separator: " ") }.sorted()
        #expect(calls == ["ps --all", "volume ls"])
        // The lookup the record came from, as status keeps it.
        let lookups = try FileManager.default.contentsOfDirectory(atPath: fixture.folder).filter { $0.hasSuffix(".lookup") }
        let lookup = fixture.folder + "/" + (try #require(lookups.first))
        PrestartRecord.keep([PrestartRecord.Call(executable: fixture.program, argv: [fixture.program, "ps", "--all", "WRONG"],
                                                 additions: ["GOGC=400"])],
                            key: key, watched: [lookup], in: fixture.folder)
        let wrong = try status()
        #expect(wrong.stdoutText == first.stdoutText && wrong.stderrText == first.stderrText)
        #expect(!wrong.stdoutText.contains("sp30-wrong-answer"))
        let remade = try String(contentsOfFile: record, encoding: .isoLatin1)
        #expect(!remade.contains("WRONG") && remade.contains("volume"))
    }
}
