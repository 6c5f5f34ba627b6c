import DevEnvCore

/// The dashboard's watch on its configuration (issue 15), kept in step with what the
/// configuration reading would consider: `WatchedFiles` lists every such file present or not,
/// and this watches the folders holding them, or for a folder not there yet the nearest one
/// above it that is, so that a devcontainer.json, devenv.toml or Dockerfile created after the
/// dashboard opened (or removed and made again, or renamed into place by an editor's save) is
/// noticed. After each event the folders are looked at again (a folder on the way may have
/// come or gone); after each reload of the configuration the list itself is replaced
/// (`follow`: a Dockerfile path in devenv.toml changed).
///
/// A listed file that is a symbolic link is watched where it points as well: an edit of the
/// target is an event in the target's folder only (a devenv.toml or Dockerfile linked from a
/// shared checkout was seen by the 15 s heartbeat, not at once); it is reported under the
/// listed path.
///
/// `changes` runs on the loop thread, `follow` on a snapshot's; one lock keeps the watcher
/// (not safe to share by itself) and the list consistent.
final class DashboardFileWatch: @unchecked Sendable {
    private let watcher: any FileChangeWatching
    private let fileSystem: any FileSystem
    private let lock = Lock()
    private var watched: WatchedFiles
    /// Folders `follow` began to watch that the list wanted before it (made since the last
    /// look: their making is an event on a folder above, still queued or dropped with that
    /// folder's watch) and that `changes` has not looked into yet.
    private var unscanned: Set<String> = []
    /// The listed files that are symbolic links, by the canonical path of what they point to
    /// (`links(in:fileSystem:)`), as of the last `syncFolders`.
    private var linked: [String: [String]] = [:]

    init(watcher: any FileChangeWatching, fileSystem: any FileSystem, watched: WatchedFiles) {
        self.watcher = watcher
        self.fileSystem = fileSystem
        self.watched = watched
        lock.withLock { syncFolders() }
    }

    var descriptor: Int32 { watcher.descriptor }

    /// The folders watched now (tests).
    var folders: Set<String> { lock.withLock { watcher.watchedFolders } }

    /// Takes the list a reload of the configuration gives, and watches its folders. A file a
    /// reload lists for the first time and that was edited between that reading and this call
    /// is seen at its next change only (the window is the reload's few milliseconds).
    ///
    /// A folder the old list wanted too that this begins to watch was made since the last look
    /// (its making is an event on a folder above, which this may stop watching, dropping the
    /// event): the next `changes` reports what it holds, as for a folder it watched itself, so
    /// a file made with it is named (a reload on another thread, the one an earlier event of
    /// the same `mkdir -p` asked for or the heartbeat's, can get here before the loop reads the
    /// event: seen 1 run in 9 under load). A folder only the new list names (a Dockerfile path
    /// that changed) was read by that reload: nothing of it is reported.
    func follow(_ list: WatchedFiles) {
        lock.withLock {
            guard list != watched else { return }
            let wantedBefore = Set(watched.folders(fileSystem: fileSystem))
            let watchedBefore = watcher.watchedFolders
            watched = list
            syncFolders()
            unscanned.formUnion(watcher.watchedFolders.subtracting(watchedBefore).intersection(wantedBefore))
        }
    }

    /// The changed paths that matter (absolute), without blocking; the folders watched are
    /// brought up to date before returning, so a refresh started for these changes reads
    /// files written after any folder they came in was watched. A folder watched from now on,
    /// or since `follow` began to watch it, adds the files that count in it and are already
    /// there (written before its watch began, they gave no event of their own).
    func changes() -> [String] {
        lock.withLock {
            let before = watcher.watchedFolders
            // A link's target changed: the link changed (the target may be listed itself too).
            let changed = watcher.changes().flatMap { [$0] + (linked[$0] ?? []) }
            guard !changed.isEmpty || !unscanned.isEmpty else { return [] }
            var relevant = watched.relevant(changed) { path in before.contains(path) || fileSystem.isDirectory(path) }
            // After the events: a folder removed and made again is no longer among these; nor
            // is one `follow` began to watch and nobody looked into yet.
            let stillWatched = watcher.watchedFolders.subtracting(unscanned)
            unscanned = []
            syncFolders()
            for folder in watcher.watchedFolders.subtracting(stillWatched).sorted() {
                relevant += watched.present(in: folder, fileSystem: fileSystem).filter { !relevant.contains($0) }
            }
            // A folder that came with a file named here says less than the file: left out, so
            // the message names what changed (`xdg/devenv/profiles/mine.toml`, not `xdg` too).
            return relevant.filter { path in !relevant.contains { $0.hasPrefix(path == "/" ? "/" : path + "/") } }
        }
    }

    /// Watches each wanted folder, or the nearest existing one above it, and stops watching
    /// the rest. Cost: a stat or inotify_add_watch per wanted folder (a dozen), only on events.
    /// Again (a few rounds at most) while a folder was made during it: between its own failed
    /// watch and its parent's, or after the subfolders were listed, its making gave no event.
    private func syncFolders() {
        for _ in 0..<8 {
            let wanted = wantedFolders()
            var targets: Set<String> = []
            var raced = false
            for folder in wanted {
                var candidate = folder
                // inotify_add_watch fails on a missing folder: its parent stands in, up to "/".
                while !targets.contains(candidate) && !watcher.watch(folder: candidate) && candidate != "/" {
                    candidate = WatchedFiles.parent(candidate)
                }
                targets.insert(candidate)
                if candidate != folder, fileSystem.isDirectory(Self.child(of: candidate, toward: folder)) { raced = true }
            }
            for folder in watcher.watchedFolders where !targets.contains(folder) {
                watcher.unwatch(folder: folder)
            }
            if !raced && wanted == wantedFolders() { return }
        }
    }

    /// The list's folders, and the folder of each link's target (`linked` brought up to date).
    private func wantedFolders() -> [String] {
        linked = Self.links(in: watched.files, fileSystem: fileSystem)
        let folders = watched.folders(fileSystem: fileSystem)
        guard !linked.isEmpty else { return folders }
        return Set(folders).union(linked.keys.map(WatchedFiles.parent)).sorted()
    }

    /// The files of `files` that are symbolic links themselves (not files in a linked folder,
    /// whose folder's watch already follows the link), by the canonical path of their target;
    /// a dangling link is left out. Two `realpath`s a file.
    static func links(in files: Set<String>, fileSystem: any FileSystem) -> [String: [String]] {
        var links: [String: [String]] = [:]
        for file in files.sorted() {
            guard let name = file.split(separator: "/").last, let target = fileSystem.canonicalPath(file),
                  let folder = fileSystem.canonicalPath(WatchedFiles.parent(file)) else { continue }
            let direct = folder == "/" ? "/" + name : folder + "/" + name
            if target != direct { links[target, default: []].append(file) }
        }
        return links
    }

    /// The folder one level below `ancestor` on the way to `folder`: ("/p", "/p/a/b") -> "/p/a".
    static func child(of ancestor: String, toward folder: String) -> String {
        let prefix = ancestor == "/" ? "/" : ancestor + "/"
        let rest = folder.dropFirst(prefix.count)
        return prefix + (rest.split(separator: "/").first.map(String.init) ?? "")
    }
}
