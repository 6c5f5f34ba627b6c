/// Finds the files of a build context that must never reach an image: env files, `.netrc`,
/// `.git` and private keys. Reads the folder through the `FileSystem` port; which of them
/// `.dockerignore` keeps out is `DoctorChecks.buildContext`'s call.
public enum BuildContextScan {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case envFile = "env file", netrc = ".netrc", git = ".git", privateKey = "private key"
    }

    /// Folders never entered: virtualenvs and package caches hold certificate bundles
    /// (certifi's cacert.pem) that are no secret, and are usually volumes, not context.
    static let skippedFolders: Set<String> = ["node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache"]
    /// Bounds the walk on a huge or looping (symlinked) tree.
    public static let maxDepth = 12
    public static let maxEntries = 50_000

    /// The kind of secret a file name says it holds, nil for an ordinary name. `.env*` but not
    /// its templates (`.template`, `.example`, `.sample`); `id_rsa`-style SSH keys (not `.pub`),
    /// `*.pem` and `*.key`.
    public static func kind(of name: String, isDirectory: Bool) -> Kind? {
        if name == ".git" { return .git }
        guard !isDirectory else { return nil }
        if name.hasPrefix(".env") {
            return [".template", ".example", ".sample"].contains(where: name.hasSuffix) ? nil : .envFile
        }
        if name == ".netrc" { return .netrc }
        if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(name) || name.hasSuffix(".pem") || name.hasSuffix(".key") {
            return .privateKey
        }
        return nil
    }

    /// Every such file under `root`, relative to it (`/`-separated, sorted by walk order), with
    /// its kind. A folder the ignore file excludes without any `!` exception is not entered
    /// (nothing in it is sent, as docker's own walk does); neither is a virtualenv (a folder with
    /// `pyvenv.cfg`) nor `skippedFolders`.
    public static func candidates(in root: String, fileSystem: FileSystem,
                                  ignore: DockerignoreMatcher) -> [(path: String, kind: Kind)] {
        var found: [(path: String, kind: Kind)] = []
        var visited = 0
        func walk(_ relative: String, depth: Int) {
            guard depth <= maxDepth else { return }
            let folder = relative.isEmpty ? root : root + "/" + relative
            for name in fileSystem.listDirectory(folder) {
                visited += 1
                guard visited <= maxEntries else { return }
                let path = relative.isEmpty ? name : relative + "/" + name
                let full = folder + "/" + name
                let isDirectory = fileSystem.isDirectory(full)
                if let kind = kind(of: name, isDirectory: isDirectory) {
                    found.append((path, kind))
                    continue
                }
                guard isDirectory, !skippedFolders.contains(name), !fileSystem.fileExists(full + "/pyvenv.cfg") else { continue }
                if ignore.excludes(path) && !ignore.hasExceptions { continue }
                walk(path, depth: depth + 1)
            }
        }
        walk("", depth: 0)
        return found
    }

    /// The `.dockerignore` lines that keep a file of this kind (at `path`) out, appended at the
    /// end of the file (the last match wins).
    public static func ignoreLines(for kind: Kind, path: String) -> [String] {
        let name = String(path.split(separator: "/").last ?? Substring(path))
        switch kind {
        case .envFile: return ["**/.env*", "!**/.env*.template", "!**/.env*.example"]
        case .netrc: return ["**/.netrc"]
        case .git: return ["**/.git"]
        case .privateKey:
            if name.hasSuffix(".pem") { return ["**/*.pem"] }
            if name.hasSuffix(".key") { return ["**/*.key"] }
            return ["**/\(name)"]
        }
    }
}
