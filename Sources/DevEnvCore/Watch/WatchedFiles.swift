/// The files whose edits change what an environment would be (its configuration layers, the
/// Dockerfile, the dependency files in the build context, the env file), and the profile folders
/// where a new `NAME.toml` adds a profile. The dashboard watches the folders holding them (an
/// editor's atomic save replaces the file, so the file itself cannot be watched) and re-checks
/// staleness when one of them changes (issue 15).
public struct WatchedFiles: Sendable, Hashable {
    /// Absolute paths of single files.
    public private(set) var files: Set<String> = []
    /// Absolute folders in which any `*.toml` counts (profile folders).
    public private(set) var profileFolders: Set<String> = []

    public init(files: [String] = [], profileFolders: [String] = []) {
        for file in files { add(file: file) }
        for folder in profileFolders { add(profileFolder: folder) }
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

    /// The folders to watch, sorted.
    public var folders: [String] {
        Set(files.map(Self.parent)).union(profileFolders).sorted()
    }

    /// Of the changed paths a watcher reported, those that matter, in order, once each.
    public func relevant(_ changed: [String]) -> [String] {
        var seen: Set<String> = []
        return changed.map(Self.normalized).filter { path in
            let matters = files.contains(path) || (path.hasSuffix(".toml") && profileFolders.contains(Self.parent(path)))
            return matters && seen.insert(path).inserted
        }
    }

    /// "/a/b/c" -> "/a/b"; "/c" -> "/".
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Without "." segments, doubled slashes or a trailing slash (no symbolic links resolved:
    /// the paths come from the configuration and the watcher names them the same way).
    static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}
