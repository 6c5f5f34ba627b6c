@testable import DevEnvApp
import DevEnvCore
import DevEnvSystem
import Foundation
import Testing

/// The real inotify watcher on a temporary folder: an edit in place, an editor's atomic save
/// (write a new file, rename it over) and a removal are each reported by path; the descriptor
/// becomes readable for poll(2), which is how the dashboard's loop learns of them.
@Suite("inotify watcher (real kernel)")
struct InotifyWatcherTests {
    /// Waits until the descriptor is readable (a deadline, not a sleep), then takes the changes.
    static func changes(of watcher: InotifyWatcher, until wanted: (Set<String>) -> Bool) -> Set<String> {
        var seen: Set<String> = []
        let deadline = Date().addingTimeInterval(10)
        while !wanted(seen), Date() < deadline {
            var fds = [pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 200) >= 0 else { continue }
            seen.formUnion(watcher.changes())
        }
        return seen
    }

    @Test("in-place writes, atomic renames and removals of watched folders' files are reported")
    func reportsEdits() throws {
        let folder = NSTemporaryDirectory() + "devenv-inotify-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "FROM python:3.12\n".write(toFile: folder + "/Dockerfile", atomically: false, encoding: .utf8)

        let watcher = try InotifyWatcher()
        defer { watcher.close() }
        #expect(watcher.watch(folder: folder))
        #expect(!watcher.watch(folder: folder + "/no-such-folder"), "a missing folder is skipped")
        #expect(watcher.changes().isEmpty, "nothing yet, and no blocking")

        // In place (echo >>, most editors' plain save).
        let handle = try #require(FileHandle(forWritingAtPath: folder + "/Dockerfile"))
        handle.seekToEndOfFile()
        handle.write(Data("RUN true\n".utf8))
        handle.closeFile()
        #expect(Self.changes(of: watcher) { $0.contains(folder + "/Dockerfile") }.contains(folder + "/Dockerfile"))

        // Atomic save: a temporary file renamed over the old one.
        try "A=2\n".write(toFile: folder + "/.env.dev", atomically: true, encoding: .utf8)
        #expect(Self.changes(of: watcher) { $0.contains(folder + "/.env.dev") }.contains(folder + "/.env.dev"))

        // Below the folder is not watched; a removal in it is.
        try "x".write(toFile: folder + "/sub/inner.toml", atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: folder + "/Dockerfile")
        let last = Self.changes(of: watcher) { $0.contains(folder + "/Dockerfile") }
        #expect(last.contains(folder + "/Dockerfile"))
        #expect(!last.contains(folder + "/sub/inner.toml"))

        watcher.close()
        #expect(watcher.descriptor == -1 && watcher.changes().isEmpty)
    }

    @Test("the dashboard watches the configuration, Dockerfile, lock and env files, and the profile folders")
    func watchList() throws {
        let fixture = AppFixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let watched = DashboardWatchList.files(environments: environments, context: fixture.context)
        for file in ["devenv.toml", "pyproject.toml", "Dockerfile", "uv.lock", ".env.dev"] {
            #expect(watched.files.contains(AppFixture.root + "/" + file), "\(file): \(watched.files.sorted())")
        }
        #expect(watched.profileFolders.contains("/usr/share/devenv/profiles"))
        #expect(watched.folders.contains(AppFixture.root))
        #expect(watched.relevant([AppFixture.root + "/Dockerfile", AppFixture.root + "/src/app.py"]) == [AppFixture.root + "/Dockerfile"])
    }
}
