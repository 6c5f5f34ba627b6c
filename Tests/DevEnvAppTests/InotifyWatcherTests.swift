@testable import DevEnvApp
import DevEnvCore
import DevEnvSystem
import Foundation
import Testing
import TestSupport

/// The real inotify watcher on a temporary folder: an edit in place, an editor's atomic save
/// (write a new file, rename it over) and a removal are each reported by path; the descriptor
/// becomes readable for poll(2), which is how the dashboard's loop learns of them.
@Suite("inotify watcher (real kernel)")
struct InotifyWatcherTests {
    /// Waits until the descriptor is readable (a deadline, not a sleep), then takes the changes.
    static func changes(of watcher: InotifyWatcher, until wanted: (Set<String>) -> Bool) -> Set<String> {
        var seen: Set<String> = []
        let deadline = Date().addingTimeInterval(30)
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
        // What the configuration reading would consider, present or not.
        for file in [".devcontainer.json", ".devcontainer/devcontainer.json"] {
            #expect(watched.files.contains(AppFixture.root + "/" + file), "\(file): \(watched.files.sorted())")
        }
        #expect(watched.inSubfolders == [.init(folder: AppFixture.root + "/.devcontainer", name: "devcontainer.json")])
        #expect(watched.profileFolders.contains(AppFixture.root + "/.devenv/profiles"))
        #expect(watched.folders.contains(AppFixture.root))
        #expect(watched.relevant([AppFixture.root + "/Dockerfile", AppFixture.root + "/src/app.py"]) == [AppFixture.root + "/Dockerfile"])
    }

    /// speed28b: the workspace's uv.lock, which status compares a venv's last sync with, is kept
    /// with the configuration until a reload (`Environment.expected`): watched too when the
    /// build context is a subfolder (before, status read it again at every snapshot).
    @Test("with the build context in a subfolder, the workspace's uv.lock is watched as well as the context's")
    func workspaceLockWatched() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\ncontext = \"build\"\n")
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        #expect(environments.contains { $0.planner.tracksLock })
        let watched = DashboardWatchList.files(environments: environments, context: fixture.context)
        for file in ["uv.lock", "build/uv.lock"] {
            #expect(watched.files.contains(AppFixture.root + "/" + file), "\(file): \(watched.files.sorted())")
        }
    }

    /// mend28 (cachebreak27): a relative DEVENV_PROFILES_DIR was read against the folder devenv
    /// was started in, shown among the considered files as it was, and not watched at all (only
    /// absolute paths can be): an edit of a profile there never reached the dashboard. It is
    /// resolved once, as the context is made, and every reader takes the same folder.
    @Test("a relative DEVENV_PROFILES_DIR is watched where it is read")
    func relativeProfilesFolder() throws {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_PROFILES_DIR": "../profiles"]
        for name in ["dev", "ci", "prod"] {
            fixture.fileSystem.addFile("/src/profiles/\(name).toml", fixture.fileSystem.text("/usr/share/devenv/profiles/\(name).toml") ?? "")
        }
        let context = fixture.context
        #expect(context.environment["DEVENV_PROFILES_DIR"] == "/src/profiles")
        let environments = try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll()
        let considered = environments.flatMap(\.consideredFiles)
        #expect(considered.contains("/src/profiles/dev.toml") && !considered.contains { $0.hasPrefix("..") }, "\(considered)")
        let watched = DashboardWatchList.files(environments: environments, context: context)
        #expect(watched.profileFolders.contains("/src/profiles"), "\(watched.profileFolders.sorted())")
        #expect(watched.relevant(["/src/profiles/dev.toml"]) == ["/src/profiles/dev.toml"])
    }
}

/// `DashboardFileWatch` on the real kernel: files that are not there when it starts, in
/// folders that are not there either, are noticed when they appear, are removed and made
/// again, or renamed into place; a folder renamed away stops being watched under its old name;
/// a new list (after a reload) is watched at once.
@Suite("Dashboard file watch (real kernel)")
struct DashboardFileWatchTests {
    /// Takes changes until `condition` holds on everything taken so far and the folders
    /// watched, waiting on the descriptor in between; fails naming `what` at the deadline.
    @discardableResult
    static func take(_ watch: DashboardFileWatch, _ what: String, seconds: Double = 30,
                     until condition: (Set<String>, Set<String>) -> Bool,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Set<String> {
        var seen: Set<String> = []
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(seen, watch.folders) {
            guard Date() < deadline else {
                Issue.record("waited \(seconds) s for \(what); changes: \(seen.sorted()), folders: \(watch.folders.sorted())",
                             sourceLocation: sourceLocation)
                return seen
            }
            var fds = [pollfd(fd: watch.descriptor, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, 100)
            seen.formUnion(watch.changes())
        }
        return seen
    }

    @Test("devcontainer.json files and a Dockerfile made after the watch started, removed, made again, renamed into place")
    func filesNotThereYet() throws {
        let p = NSTemporaryDirectory() + "devenv-watch-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: p) }
        let files = FileManager.default
        var list = WatchedFiles(files: [p + "/devenv.toml", p + "/.devcontainer/devcontainer.json", p + "/docker/Dockerfile.dev"])
        list.add("devcontainer.json", inSubfoldersOf: p + "/.devcontainer")
        let watch = DashboardFileWatch(watcher: try InotifyWatcher(), fileSystem: LocalFileSystem(), watched: list)
        #expect(watch.folders == [p], "the project folder stands in for the missing ones")

        // .devcontainer/web made: both folders are watched, then the file renamed into place is seen.
        try files.createDirectory(atPath: p + "/.devcontainer/web", withIntermediateDirectories: true)
        let made = Self.take(watch, ".devcontainer/web watched") { _, folders in folders.contains(p + "/.devcontainer/web") }
        #expect(made.contains(p + "/.devcontainer") || made.contains(p + "/.devcontainer/web"), "\(made)")
        #expect(watch.folders == [p, p + "/.devcontainer", p + "/.devcontainer/web"])
        try "{\"image\": \"x\"}".write(toFile: p + "/.devcontainer/web/devcontainer.json", atomically: true, encoding: .utf8)
        Self.take(watch, "web/devcontainer.json renamed into place") { seen, _ in seen.contains(p + "/.devcontainer/web/devcontainer.json") }
        try "{}".write(toFile: p + "/.devcontainer/devcontainer.json", atomically: false, encoding: .utf8)
        Self.take(watch, ".devcontainer/devcontainer.json written in place") { seen, _ in seen.contains(p + "/.devcontainer/devcontainer.json") }
        // An unrelated file beside them is no change.
        try "x".write(toFile: p + "/.devcontainer/web/notes.md", atomically: false, encoding: .utf8)
        try "x".write(toFile: p + "/README.md", atomically: false, encoding: .utf8)
        try files.removeItem(atPath: p + "/.devcontainer/web/devcontainer.json")
        let quiet = Self.take(watch, "web/devcontainer.json removed") { seen, _ in seen.contains(p + "/.devcontainer/web/devcontainer.json") }
        // (The in-place write above may still be reporting its close: it counts; the others do not.)
        #expect(quiet.subtracting([p + "/.devcontainer/devcontainer.json"]) == [p + "/.devcontainer/web/devcontainer.json"], "\(quiet)")

        // .devcontainer renamed away: its old watches go (their events would carry the old
        // name); renamed back, they are watched again and a file in it is seen.
        try files.moveItem(atPath: p + "/.devcontainer", toPath: p + "/dc-old")
        let away = Self.take(watch, ".devcontainer no longer watched") { _, folders in folders == [p] }
        #expect(away.contains(p + "/.devcontainer"))
        try "{}".write(toFile: p + "/dc-old/web/devcontainer.json", atomically: false, encoding: .utf8)
        try files.moveItem(atPath: p + "/dc-old", toPath: p + "/.devcontainer")
        let back = Self.take(watch, ".devcontainer and web watched again") { _, folders in folders.contains(p + "/.devcontainer/web") }
        // What it brought back is named (its watch began after the file was written).
        #expect(back.contains(p + "/.devcontainer/web/devcontainer.json"), "\(back)")
        #expect(!back.contains { $0.hasPrefix(p + "/dc-old") })

        // Removed and made again.
        try files.removeItem(atPath: p + "/.devcontainer")
        Self.take(watch, ".devcontainer removed") { _, folders in folders == [p] }
        try files.createDirectory(atPath: p + "/.devcontainer", withIntermediateDirectories: true)
        Self.take(watch, ".devcontainer made again and watched") { _, folders in folders.contains(p + "/.devcontainer") }
        try "{}".write(toFile: p + "/.devcontainer/devcontainer.json", atomically: true, encoding: .utf8)
        Self.take(watch, ".devcontainer/devcontainer.json in the new folder") { seen, _ in seen.contains(p + "/.devcontainer/devcontainer.json") }

        // devenv.toml renamed into place (an editor's save), then docker/Dockerfile.dev.
        try "[project]\n".write(toFile: p + "/devenv.toml", atomically: true, encoding: .utf8)
        Self.take(watch, "devenv.toml renamed into place") { seen, _ in seen.contains(p + "/devenv.toml") }
        try files.createDirectory(atPath: p + "/docker", withIntermediateDirectories: true)
        Self.take(watch, "docker watched once made") { _, folders in folders.contains(p + "/docker") }
        try "FROM x\n".write(toFile: p + "/docker/Dockerfile.dev", atomically: true, encoding: .utf8)
        Self.take(watch, "docker/Dockerfile.dev") { seen, _ in seen.contains(p + "/docker/Dockerfile.dev") }

        // A folder made with its file at once, before any watch on it could begin: the file is
        // reported all the same (what the folder brought when its watch began).
        try files.removeItem(atPath: p + "/docker")
        Self.take(watch, "docker removed") { _, folders in !folders.contains(p + "/docker") }
        try files.createDirectory(atPath: p + "/docker", withIntermediateDirectories: true)
        try "FROM z\n".write(toFile: p + "/docker/Dockerfile.dev", atomically: true, encoding: .utf8)
        Self.take(watch, "docker/Dockerfile.dev made with its folder") { seen, _ in seen.contains(p + "/docker/Dockerfile.dev") }

        // A reload names another Dockerfile: its folder is watched from then on, the old one no longer.
        watch.follow(WatchedFiles(files: [p + "/devenv.toml", p + "/build/Dockerfile"]))
        #expect(watch.folders == [p], "build/ is not there: the project folder stands in; docker/ no longer wanted")
        try files.createDirectory(atPath: p + "/build", withIntermediateDirectories: true)
        Self.take(watch, "build watched once made") { _, folders in folders.contains(p + "/build") }
        try "FROM y\n".write(toFile: p + "/docker/Dockerfile.dev", atomically: false, encoding: .utf8)
        try "FROM y\n".write(toFile: p + "/build/Dockerfile", atomically: false, encoding: .utf8)
        let last = Self.take(watch, "build/Dockerfile") { seen, _ in seen.contains(p + "/build/Dockerfile") }
        #expect(!last.contains(p + "/docker/Dockerfile.dev"), "the old Dockerfile no longer counts")
    }

    /// The dashboard's watch list test saw `xdg changed` and never the profile file in it, 1
    /// run in 9 on a loaded machine: a reload on its own thread (asked for by `xdg`'s making)
    /// followed a new list and began watching the folders made meanwhile before the loop read
    /// their making, and stopped watching the folder whose event that was.
    @Test("a folder a reload's new list begins to watch before the loop read its making: the file made with it is named")
    func folderWatchedFirstByAReload() throws {
        let p = NSTemporaryDirectory() + "devenv-watch-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: p) }
        let profiles = p + "/xdg/devenv/profiles", mine = p + "/xdg/devenv/profiles/mine.toml"
        let list = WatchedFiles(files: [p + "/devenv.toml"], profileFolders: [profiles])
        let watch = DashboardFileWatch(watcher: try InotifyWatcher(), fileSystem: LocalFileSystem(), watched: list)
        #expect(watch.folders == [p])
        try FileManager.default.createDirectory(atPath: p + "/xdg", withIntermediateDirectories: true)
        Self.take(watch, "xdg watched") { _, folders in folders.contains(p + "/xdg") }
        // The rest of the way and the file; the reload reads them and follows first.
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        try "extends = \"dev\"\n".write(toFile: mine, atomically: true, encoding: .utf8)
        var reloaded = list
        reloaded.add(file: mine)
        watch.follow(reloaded)
        #expect(watch.folders == [p, profiles])
        let seen = Self.take(watch, "mine.toml named") { seen, _ in seen.contains(mine) }
        #expect(seen == [mine], "the file, not the folders it came with: \(seen)")

        // A folder only the new list names (a Dockerfile path changed) was read by the reload:
        // the next change reports only itself.
        try FileManager.default.createDirectory(atPath: p + "/docker", withIntermediateDirectories: true)
        try "FROM x\n".write(toFile: p + "/docker/Dockerfile.dev", atomically: true, encoding: .utf8)
        // Only what is under docker/ counts here: a late event of the steps above (the profiles
        // folder's own, on a loaded machine) may still come and is no part of this check.
        let underDocker = { (paths: [String]) in paths.filter { $0.hasPrefix(p + "/docker") } }
        #expect(underDocker(watch.changes()).isEmpty, "docker/ is no folder of the list yet")
        reloaded.add(file: p + "/docker/Dockerfile.dev")
        watch.follow(reloaded)
        #expect(watch.folders.contains(p + "/docker"))
        try "[project]\n".write(toFile: p + "/devenv.toml", atomically: true, encoding: .utf8)
        let next = Self.take(watch, "devenv.toml") { seen, _ in seen.contains(p + "/devenv.toml") }
        #expect(next.contains(p + "/devenv.toml") && underDocker(Array(next)).isEmpty, "\(next)")
    }
}

extension DashboardFileWatchTests {
    /// break21: a devenv.toml that is a symbolic link (to a shared checkout's file) was
    /// watched in its own folder only; an edit of the file it points to was seen by the
    /// dashboard's 15 s heartbeat, not at once. Now the target's folder is watched too and the
    /// change is reported under the listed path; a link pointed elsewhere follows.
    @Test("a listed file that is a symbolic link: edits of its target are reported under its path; retargeted, the new target counts")
    func linkedFiles() throws {
        let base = NSTemporaryDirectory() + "devenv-watch-link-" + UUID().uuidString.prefix(8)
        let p = base + "/project", shared = base + "/shared", other = base + "/other"
        let files = FileManager.default
        for folder in [p, shared, other] { try files.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        defer { try? files.removeItem(atPath: base) }
        try "[project]\n".write(toFile: shared + "/devenv.toml", atomically: false, encoding: .utf8)
        try "[project]\n".write(toFile: other + "/devenv.toml", atomically: false, encoding: .utf8)
        try files.createSymbolicLink(atPath: p + "/devenv.toml", withDestinationPath: shared + "/devenv.toml")
        // A link to a file beside it (devenv.toml -> devenv.local.toml) is reported by its name too.
        try "FROM x\n".write(toFile: p + "/Dockerfile.real", atomically: false, encoding: .utf8)
        try files.createSymbolicLink(atPath: p + "/Dockerfile", withDestinationPath: "Dockerfile.real")
        let watch = DashboardFileWatch(watcher: try InotifyWatcher(), fileSystem: LocalFileSystem(),
                                       watched: WatchedFiles(files: [p + "/devenv.toml", p + "/Dockerfile"]))
        #expect(watch.folders == [p, shared], "\(watch.folders.sorted())")

        // Written in place, then saved as an editor does (a new file renamed over it).
        try "[project]\nname = \"a\"\n".write(toFile: shared + "/devenv.toml", atomically: false, encoding: .utf8)
        Self.take(watch, "the link's target written in place") { seen, _ in seen.contains(p + "/devenv.toml") }
        try "[project]\nname = \"b\"\n".write(toFile: shared + "/devenv.toml", atomically: true, encoding: .utf8)
        Self.take(watch, "the link's target renamed into place") { seen, _ in seen.contains(p + "/devenv.toml") }
        try "FROM y\n".write(toFile: p + "/Dockerfile.real", atomically: false, encoding: .utf8)
        Self.take(watch, "Dockerfile.real behind the Dockerfile link") { seen, _ in seen.contains(p + "/Dockerfile") }

        // Pointed elsewhere: the link's own folder reports it; then the new target counts, the old not.
        try files.removeItem(atPath: p + "/devenv.toml")
        try files.createSymbolicLink(atPath: p + "/devenv.toml", withDestinationPath: other + "/devenv.toml")
        Self.take(watch, "the link pointed elsewhere, its new folder watched") { seen, folders in
            seen.contains(p + "/devenv.toml") && folders.contains(other)
        }
        #expect(!watch.folders.contains(shared), "the old target's folder is no longer wanted: \(watch.folders.sorted())")
        try "[project]\nname = \"c\"\n".write(toFile: other + "/devenv.toml", atomically: false, encoding: .utf8)
        Self.take(watch, "the new target written") { seen, _ in seen.contains(p + "/devenv.toml") }
    }
}

/// The races `DashboardFileWatch` closes, made to happen at a chosen moment with a scripted
/// watcher over an in-memory file system: a folder made between its own failed watch and its
/// parent's (the parent's watch began too late for that event) is watched all the same.
@Suite("Dashboard file watch: folders made while it looked")
struct DashboardFileWatchRaceTests {
    final class ScriptedWatcher: FileChangeWatching {
        let fileSystem: InMemoryFileSystem
        /// Runs once, just before the first successful watch of that folder.
        var beforeWatching: [String: () -> Void] = [:]
        var watchedFolders: Set<String> = []
        let descriptor: Int32 = -1

        init(_ fileSystem: InMemoryFileSystem) { self.fileSystem = fileSystem }

        func watch(folder: String) -> Bool {
            guard fileSystem.isDirectory(folder) else { return false }
            beforeWatching.removeValue(forKey: folder)?()
            watchedFolders.insert(folder)
            return true
        }
        func unwatch(folder: String) { watchedFolders.remove(folder) }
        func changes() -> [String] { [] }
        func close() {}
    }

    @Test("a folder made between its failed watch and its parent's is watched; so is a subfolder made after the listing")
    func madeMeanwhile() {
        let fileSystem = InMemoryFileSystem(["/p/devenv.toml": ""])
        let watcher = ScriptedWatcher(fileSystem)
        // docker/ appears the moment /p's watch begins: its creation event is lost.
        watcher.beforeWatching["/p"] = { fileSystem.addDirectory("/p/docker") }
        // web/ appears the moment .devcontainer's watch begins, after its subfolders were listed.
        fileSystem.addDirectory("/p/.devcontainer")
        watcher.beforeWatching["/p/.devcontainer"] = { fileSystem.addDirectory("/p/.devcontainer/web") }
        var list = WatchedFiles(files: ["/p/docker/Dockerfile.dev"])
        list.add("devcontainer.json", inSubfoldersOf: "/p/.devcontainer")
        let watch = DashboardFileWatch(watcher: watcher, fileSystem: fileSystem, watched: list)
        // /p stood in for docker/ only until docker/ was seen.
        #expect(watch.folders == ["/p/docker", "/p/.devcontainer", "/p/.devcontainer/web"])
        #expect(DashboardFileWatch.child(of: "/p", toward: "/p/a/b") == "/p/a")
        #expect(DashboardFileWatch.child(of: "/", toward: "/p/a") == "/p")
    }
}
