/// The files whose edits change what an environment would be (its configuration layers, the
/// Dockerfile, the dependency files in the build context, the env file), and the profile folders
/// where a new `NAME.toml` adds a profile. The dashboard watches the folders holding them (an
/// editor's atomic save replaces the file, so the file itself cannot be watched) and re-checks
/// staleness when one of them changes (issue 15).
///
/// Every path here may be absent: a file the configuration reading would consider is listed
/// whether or not it exists, so that it is noticed when it appears. A folder that is not there
/// is stood in for by its nearest existing ancestor (`folders(fileSystem:)`), whose change
/// (the folder created, removed or renamed) counts as relevant.
public struct WatchedFiles: Sendable, Hashable {
    /// A file named `name` in any subfolder of `folder` (`.devcontainer/NAME/devcontainer.json`).
    public struct InSubfolders: Sendable, Hashable {
        public var folder: String
        public var name: String

        public init(folder: String, name: String) {
            self.folder = folder
            self.name = name
        }
    }

    /// Absolute paths of single files.
    public private(set) var files: Set<String> = []
    /// Absolute folders in which any `*.toml` counts (profile folders).
    public private(set) var profileFolders: Set<String> = []
    /// Files that count in every subfolder of a folder.
    public private(set) var inSubfolders: Set<InSubfolders> = []

    public init(files: [String] = [], profileFolders: [String] = [], inSubfolders: [InSubfolders] = []) {
        for file in files { add(file: file) }
        for folder in profileFolders { add(profileFolder: folder) }
        for entry in inSubfolders { add(entry.name, inSubfoldersOf: entry.folder) }
    }

    /// Relative paths and empty ones are ignored: only absolute paths can be watched.
    public mutating func add(file: String) {
        guard file.hasPrefix("/") else { return }
        files.insert(Self.normalized(file))
    }

    public mutating func add(profileFolder: String) {
        guard profileFolder.hasPrefix("/") else { return }
        profileFolders.insert(Self.normalized(profileFolder))
    }

    /// `name` in every subfolder of `folder` (absolute; a relative one is ignored).
    public mutating func add(_ name: String, inSubfoldersOf folder: String) {
        guard folder.hasPrefix("/"), !name.isEmpty, !name.contains("/") else { return }
        inSubfolders.insert(InSubfolders(folder: Self.normalized(folder), name: name))
    }

    /// The folders whose entries matter, present or not, sorted: the files' folders, the
    /// profile folders and the folders whose subfolders count.
    public var folders: [String] {
        Set(files.map(Self.parent)).union(profileFolders).union(inSubfolders.map(\.folder)).sorted()
    }

    /// The folders to watch now, sorted: `folders` and the subfolders that exist of each
    /// `inSubfolders` folder. The caller watches the nearest existing ancestor of one that is
    /// not there (inotify cannot watch a missing folder).
    public func folders(fileSystem: any FileSystem) -> [String] {
        var wanted = Set(folders)
        for entry in inSubfolders where fileSystem.isDirectory(entry.folder) {
            for name in fileSystem.listDirectory(entry.folder) {
                let sub = entry.folder == "/" ? "/" + name : entry.folder + "/" + name
                if fileSystem.isDirectory(sub) { wanted.insert(sub) }
            }
        }
        return wanted.sorted()
    }

    /// The files that count in `folder` and are there now, sorted: for a folder that has just
    /// begun to be watched (it was made, or renamed into place), what it brought with it, since
    /// anything written into it before its watch began gave no event.
    public func present(in folder: String, fileSystem: any FileSystem) -> [String] {
        let folder = Self.normalized(folder)
        func join(_ name: String) -> String { folder == "/" ? "/" + name : folder + "/" + name }
        var found = files.filter { Self.parent($0) == folder && fileSystem.fileExists($0) }
        if profileFolders.contains(folder) {
            found.formUnion(fileSystem.listDirectory(folder).filter { $0.hasSuffix(".toml") }.map(join))
        }
        for entry in inSubfolders {
            if entry.folder == Self.parent(folder), fileSystem.fileExists(join(entry.name)) { found.insert(join(entry.name)) }
            if entry.folder == folder {
                for name in fileSystem.listDirectory(folder) where fileSystem.fileExists(join(name) + "/" + entry.name) {
                    found.insert(join(name) + "/" + entry.name)
                }
            }
        }
        return found.sorted()
    }

    /// Of the changed paths a watcher reported, those that matter, in order, once each: a
    /// watched file, a `.toml` in a profile folder, the file in a subfolder of an `inSubfolders`
    /// folder, and a folder on the way to any of them (created, removed or renamed: what it
    /// holds appeared or vanished with it). `isFolder` tells whether an entry of an
    /// `inSubfolders` folder is (or was, while watched) a folder: only those count there.
    public func relevant(_ changed: [String], isFolder: (String) -> Bool = { _ in false }) -> [String] {
        var seen: Set<String> = []
        let wanted = folders
        let nested = Set(inSubfolders.map(\.folder))
        return changed.map(Self.normalized).filter { path in
            let parent = Self.parent(path)
            let name = Self.lastComponent(path)
            let matters = files.contains(path)
                || (path.hasSuffix(".toml") && profileFolders.contains(parent))
                || inSubfolders.contains(InSubfolders(folder: Self.parent(parent), name: name))
                || (nested.contains(parent) && isFolder(path))
                || wanted.contains { $0 == path || $0.hasPrefix(path == "/" ? "/" : path + "/") }
            return matters && seen.insert(path).inserted
        }
    }

    /// "/a/b/c" -> "/a/b"; "/c" -> "/".
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// "/a/b/c" -> "c".
    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Without "." segments, doubled slashes or a trailing slash (no symbolic links resolved:
    /// the paths come from the configuration and the watcher names them the same way).
    static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}
