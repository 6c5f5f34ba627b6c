/// Which engine family a docker-compatible CLI talks to. Docker and Podman accept the same
/// command lines for nearly everything devenv runs; where they differ (`ps`/`volume ls`
/// templates, the image format of builds, keep-id) the planner asks this.
public enum EngineKind: String, Sendable, Hashable, Codable {
    case docker
    case podman

    /// From the CLI's name alone (`podman`, `/usr/bin/podman`, `podman-remote`): what every
    /// command knows before any call. Docker's `podman-docker` shim (a `docker` that is Podman)
    /// is recognised later by its stderr notice (`EngineFacts.readVersion`).
    public static func named(_ cli: String) -> EngineKind {
        // Bytes ('/' is ASCII): every docker call a command plans asks this.
        let name = cli.utf8.split(separator: UInt8(ascii: "/")).last ?? cli.utf8[...]
        return name.starts(with: "podman".utf8) ? .podman : .docker
    }

    /// What every command knows before its first call (so the first `ps` already has the
    /// right template): the CLI's name, else what the file it runs is. Podman's docker shim
    /// (Debian's and Fedora's podman-docker: a `docker` script that ends `exec /usr/bin/podman
    /// "$@"`), a wrapper script that execs podman, or a `docker` symlink to podman is Podman.
    /// `searchPath` is PATH: the file judged is the one the runner will run (`ProgramSearch`, the
    /// one program-search rule), none when nothing runs. Only small files (up to
    /// 64 KiB) are read: the real docker binary is tens of megabytes and is never opened. The
    /// engine probe (`EngineFacts.readInfo`/`readVersion`) still has the last word where a
    /// command probes.
    public static func of(cli: String, searchPath: String?, fileSystem: any FileSystem) -> EngineKind {
        if named(cli) == .podman { return .podman }
        guard let file = ProgramSearch.locate(cli, path: searchPath, fileSystem: fileSystem).path else { return .docker }
        if let target = fileSystem.canonicalPath(file), named(target) == .podman { return .podman }
        guard let size = fileSystem.stamp(of: file)?.size, size <= 65536,
              let bytes = try? fileSystem.readFile(file), bytes.starts(with: Array("#!".utf8)) else { return .docker }
        return execsPodman(script: String(decoding: bytes, as: UTF8.self)) ? .podman : .docker
    }

    /// A shell script with a line `exec [env] [VAR=value...] .../podman... ARGS` (podman-docker's
    /// `exec /usr/bin/podman "$@"`).
    public static func execsPodman(script: String) -> Bool {
        // Lines and words split as bytes (line breaks, space and tab are ASCII, as is every
        // character tested below): by Character, one small wrapper script cost 0.12 M
        // instructions, and commands ask once per environment (issue 14).
        script.utf8.split(whereSeparator: { (0x0A...0x0D).contains($0) }).contains { line in
            var words = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { String(Substring($0)) }
            guard words.first == "exec" else { return false }
            words.removeFirst()
            // `exec env VAR=value podman`, `exec -a name podman`: past env, options and assignments.
            while let word = words.first,
                  word == "env" || word.hasSuffix("/env") || word.hasPrefix("-")
                  || (word.utf8.contains(UInt8(ascii: "=")) && !word.hasPrefix("/")) {
                words.removeFirst()
            }
            guard let program = words.first else { return false }
            return named(program.trimmingQuotes) == .podman
        }
    }

    /// The engine's name for people: "Docker" or "Podman".
    public var display: String { self == .docker ? "Docker" : "Podman" }
}

private extension String {
    /// `"/usr/bin/podman"` or `'podman'` without its quotes.
    var trimmingQuotes: String { String(decoding: utf8.filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") }, as: UTF8.self) }
}
