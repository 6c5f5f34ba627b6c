import DevEnvCore
@testable import DevEnvSystem
import Foundation
import Testing

/// Issue 9 section 8: the project lock lives in a per-user folder, refuses a symlink planted at
/// its path (O_NOFOLLOW), is 0600 and never truncated, and the waiting message never shows the
/// holder's bytes raw. On the real file system, in a scratch folder per test.
@Suite("Project lock", .serialized)
struct ProjectLockTests {
    final class Scratch {
        let path = NSTemporaryDirectory() + "devenv-lock-" + UUID().uuidString.prefix(8).lowercased()
        var environment: [String: String] { ["XDG_STATE_HOME": path + "/state", "HOME": path + "/home"] }
        var folder: String { path + "/state/devenv" }

        init() throws {
            try FileManager.default.createDirectory(atPath: path + "/state", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: path + "/home", withIntermediateDirectories: true)
            chmod(path + "/state", 0o700)
        }

        /// Where the lock of `projectRoot` is, as ProjectLock names it.
        func lockPath(_ projectRoot: String) -> String {
            var digest = Fingerprint()
            digest.add(projectRoot)
            return "\(folder)/\(digest.hex).lock"
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    @Test func theFolderIsPerUserAndPrivate() throws {
        let scratch = try Scratch()
        let release = try ProjectLock.acquire(projectRoot: "/p/one", environment: scratch.environment, onWait: { _ in })
        release()
        var info = stat()
        #expect(lstat(scratch.folder, &info) == 0)
        #expect(info.st_uid == geteuid())
        #expect(info.st_mode & 0o7777 == 0o700)
        #expect(mode(scratch.lockPath("/p/one")) == 0o600)
    }

    @Test func withoutXDGStateHomeTheLockIsInTheUsersLocalState() throws {
        let scratch = try Scratch()
        // XDG_RUNTIME_DIR (where locks were before UserStateFolder) makes no difference.
        let release = try ProjectLock.acquire(projectRoot: "/p/one",
                                              environment: ["HOME": scratch.path + "/home", "XDG_RUNTIME_DIR": scratch.path + "/run"],
                                              onWait: { _ in })
        release()
        // Every missing folder on the way is made 0700 (the XDG Base Directory spec).
        for folder in ["/home/.local", "/home/.local/state", "/home/.local/state/devenv"] {
            #expect(mode(scratch.path + folder) == 0o700, "\(folder)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/run"))
        // The folder the lifecycle records and initializeCommand allowances were always read from.
        #expect(UserStateFolder.path(environment: ["HOME": scratch.path + "/home"], home: nil) == scratch.path + "/home/.local/state/devenv")
    }

    @Test func aFolderOthersCanWriteIsRefused() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.folder, withIntermediateDirectories: true)
        chmod(scratch.folder, 0o777)
        #expect(throws: DevEnvError.self) {
            _ = try ProjectLock.acquire(projectRoot: "/p/one", environment: scratch.environment, onWait: { _ in })
        }
    }

    /// The folder is made only when missing (one lstat on every later run): one that is there
    /// is used as it is, and a symlink or a file in its place is refused as before.
    @Test func anExistingFolderIsUsedAndAnythingElseInItsPlaceRefused() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.folder, withIntermediateDirectories: true)
        chmod(scratch.folder, 0o700)
        #expect(try ProjectLock.directory(scratch.environment) == scratch.folder)

        let other = try Scratch()
        try FileManager.default.createDirectory(atPath: other.path + "/elsewhere", withIntermediateDirectories: true)
        chmod(other.path + "/elsewhere", 0o700)
        #expect(symlink(other.path + "/elsewhere", other.folder) == 0)
        #expect(throws: DevEnvError.self) { _ = try ProjectLock.directory(other.environment) }

        let third = try Scratch()
        #expect(FileManager.default.createFile(atPath: third.folder, contents: Data()))
        #expect(throws: DevEnvError.self) { _ = try ProjectLock.directory(third.environment) }
    }

    /// break30: a HOME that does not exist (/nonexistent, a system user's) was made, as root,
    /// with every folder on the way; devenv makes its folder inside a home, never the home.
    @Test func aMissingHomeIsNotMade() throws {
        let scratch = try Scratch()
        let home = scratch.path + "/no-such-home"
        let tried = home + "/.local/state/devenv"
        do {
            _ = try ProjectLock.directory(["HOME": home])
            Issue.record("a missing HOME gave a state folder")
        } catch let error as DevEnvError {
            #expect(error.message == "cannot create devenv's state folder \(tried): the home folder \(home) does not exist, and devenv makes none")
            #expect(error.hint == UserStateFolder.unwritableHint(tried: tried))
        }
        #expect(!FileManager.default.fileExists(atPath: home), "the home folder was made")
        // XDG_STATE_HOME is made where missing, as the XDG spec asks.
        #expect(try ProjectLock.directory(["HOME": home, "XDG_STATE_HOME": scratch.path + "/state"]) == scratch.folder)
    }

    /// A HOME that cannot hold the folder (here a file, so mkdir fails even for root): the
    /// error names the folder it tried and the component that failed, the hint XDG_STATE_HOME.
    @Test func anUnwritableHomeNamesThePathAndXDGStateHome() throws {
        let scratch = try Scratch()
        let home = scratch.path + "/home-file"
        #expect(FileManager.default.createFile(atPath: home, contents: Data()))
        let tried = home + "/.local/state/devenv"
        do {
            _ = try ProjectLock.directory(["HOME": home])
            Issue.record("a HOME that is a file gave a state folder")
        } catch let error as DevEnvError {
            #expect(error.message == "cannot create devenv's state folder \(tried): \(home)/.local: Not a directory")
            #expect(error.hint == "devenv keeps its state in \(tried); set XDG_STATE_HOME to a folder you can write "
                    + "(devenv then uses $XDG_STATE_HOME/devenv)")
        }
        // The hint's way out works: the same HOME with XDG_STATE_HOME set.
        #expect(try ProjectLock.directory(["HOME": home, "XDG_STATE_HOME": scratch.path + "/state"]) == scratch.folder)
    }

    /// The planted symlink points at a file of the user's: it keeps its bytes and its mode.
    @Test func aSymlinkPlantedAtTheLockPathIsNotFollowed() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.folder, withIntermediateDirectories: true)
        chmod(scratch.folder, 0o700)
        let target = scratch.path + "/precious"
        try "secret\n".write(toFile: target, atomically: true, encoding: .utf8)
        chmod(target, 0o600)
        let lock = scratch.lockPath("/p/one")
        #expect(symlink(target, lock) == 0)
        #expect(throws: DevEnvError.self) {
            _ = try ProjectLock.acquire(projectRoot: "/p/one", environment: scratch.environment, onWait: { _ in })
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "secret\n")
        #expect(mode(target) == 0o600)
    }

    @Test func anExistingLockFileIsNeitherTruncatedNorMadeWider() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.folder, withIntermediateDirectories: true)
        chmod(scratch.folder, 0o700)
        let lock = scratch.lockPath("/p/one")
        let before = String(repeating: "9", count: 64) + "\n"
        try before.write(toFile: lock, atomically: false, encoding: .utf8)
        chmod(lock, 0o600)
        let release = try ProjectLock.acquire(projectRoot: "/p/one", environment: scratch.environment, onWait: { _ in })
        let during = try Data(contentsOf: URL(fileURLWithPath: lock))
        release()
        #expect(during.count == before.utf8.count, "the lock file was truncated")
        #expect(String(decoding: during.prefix(21), as: UTF8.self) == String(getpid()).padding(toLength: 20, withPad: " ", startingAt: 0) + "\n")
        #expect(mode(lock) == 0o600)
    }

    /// Another holder wrote an OSC 52 sequence where its pid belongs: the waiter says "pid
    /// unknown", waits, and takes the lock once the holder lets go.
    @Test func theWaitingMessageNeverShowsTheHoldersText() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.folder, withIntermediateDirectories: true)
        chmod(scratch.folder, 0o700)
        let lock = scratch.lockPath("/p/one")
        let holderFD = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(holderFD >= 0)
        defer { close(holderFD) }
        let hostile = Array("\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}]0;owned\u{07}".utf8)
        _ = hostile.withUnsafeBytes { pwrite(holderFD, $0.baseAddress, $0.count, 0) }
        #expect(flock(holderFD, LOCK_EX) == 0)

        let waited = Mailbox()
        let done = DispatchSemaphore(value: 0)
        let environment = scratch.environment
        Thread.detachNewThread {
            let release = try? ProjectLock.acquire(projectRoot: "/p/one", environment: environment,
                                                   onWait: { waited.put($0) })
            waited.acquired = release != nil
            release?()
            done.signal()
        }
        let message = waited.take(within: 30)
        #expect(message == "pid unknown", "waited for the waiting message for 30 s")
        #expect(flock(holderFD, LOCK_UN) == 0)
        #expect(done.wait(timeout: .now() + 30) == .success, "the lock was not taken within 30 s of its release")
        #expect(waited.acquired)
    }

    @Test func theHolderIsShownOnlyAsDigits() {
        #expect(ProjectLock.holder(Array("4242                \n".utf8)) == "pid 4242")
        #expect(ProjectLock.holder(Array("42\u{1B}[2J".utf8)) == "pid unknown")
        #expect(ProjectLock.holder(Array("12345678901".utf8)) == "pid unknown")
        #expect(ProjectLock.holder([]) == "pid unknown")
    }

    /// One message handed from the waiting thread to the test.
    final class Mailbox: @unchecked Sendable {
        private let condition = NSCondition()
        private var message: String?
        var acquired = false

        func put(_ text: String) {
            condition.lock()
            message = text
            condition.signal()
            condition.unlock()
        }

        func take(within seconds: Double) -> String? {
            condition.lock()
            defer { condition.unlock() }
            let end = Date().addingTimeInterval(seconds)
            while message == nil && condition.wait(until: end) {}
            return message
        }
    }
}
