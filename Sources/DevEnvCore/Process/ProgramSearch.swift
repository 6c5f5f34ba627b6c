/// Where a program named on a command line is: the one rule for every place devenv asks,
/// so that the file it judges is the file it runs (the engine judgement, `EngineKind.of`; the
/// process runner and the dashboard's background streams, `PosixProcessRunner`,
/// `BackgroundProcess`). Two rules had disagreed (cachebreak28): with a mode-644 `docker`
/// early on PATH the engine was judged from that file while the runner ran a later one, so
/// `status` failed and `up --dry-run` planned for Podman.
///
/// The rule is execvp's, as POSIX states it for PATH (XBD 8.3, "Other Environment Variables")
/// and glibc's `__execvpe` does it:
/// - A name with a '/' is not searched: it is the path (relative to the folder the program
///   starts in).
/// - Otherwise PATH's entries are tried from first to last, each as ENTRY/NAME. A zero-length
///   entry (`::`, a leading or a trailing ':', or PATH set but empty) is "the current working
///   directory", POSIX's legacy meaning, kept by glibc: it is tried as `./NAME`, as `.` is.
/// - A candidate counts only when it is a file the process may execute (`FileSystem.isExecutable`:
///   a regular file, links followed, with execute permission for this user). One that is
///   not (mode 644, a folder of that name) is passed over and the search goes on, as execvp
///   goes on after EACCES; when nothing is found, the first one passed over is named (execvp
///   then fails with EACCES, "Permission denied", not ENOENT).
/// - PATH unset: `defaultPath`. POSIX leaves that case to the implementation (glibc takes
///   confstr's `/bin:/usr/bin`); devenv's adds /usr/local/bin first, where a hand-installed
///   CLI goes.
public enum ProgramSearch {
    /// The search path when PATH is unset.
    public static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    /// What the search found.
    public enum Outcome: Sendable, Equatable {
        /// The path to run: relative only when the program or the PATH entry was and no
        /// `directory` was given.
        case found(String)
        /// No executable file of that name; `passedOver`: the first file of that name that was
        /// there but could not be executed (execvp's EACCES), nil when there was none.
        case notFound(passedOver: String?)

        public var path: String? {
            if case .found(let path) = self { return path }
            return nil
        }
    }

    /// Looks `program` up by the rule above. `path`: PATH's value (nil: unset). `directory`:
    /// the folder the program will start in when it is not devenv's own (a call with its own
    /// working directory, where the child would search after its chdir): a relative candidate is
    /// taken from there; nil: devenv's own working directory.
    public static func locate(_ program: String, path: String?, directory: String? = nil,
                              fileSystem: any FileSystem) -> Outcome {
        if let found = first(program, path: path, directory: directory, where: { fileSystem.isExecutable($0) }) { return .found(found) }
        // Only once nothing runs (an error on its way): what was passed over, for the message.
        return .notFound(passedOver: first(program, path: path, directory: directory, where: { fileSystem.fileExists($0) }))
    }

    /// The first of the rule's candidates for `program`, in order, that `accepts`.
    ///
    /// PATH is walked as bytes and each candidate made once: splitting it by Characters and
    /// interpolating a String per folder cost 0.11 M of the 0.9 M instructions before `status`
    /// could start its `docker ps` (issue 14, callgrind).
    private static func first(_ program: String, path: String?, directory: String?,
                              where accepts: (String) -> Bool) -> String? {
        guard !program.isEmpty else { return nil }
        let name = Array(program.utf8)
        if name.contains(UInt8(ascii: "/")) {
            let candidate = placed(program, in: directory)
            return accepts(candidate) ? candidate : nil
        }
        var entries = path ?? defaultPath
        return entries.withUTF8 { bytes -> String? in
            var candidate: [UInt8] = []
            candidate.reserveCapacity(bytes.count + name.count + 3)
            var start = 0
            // `<=`: PATH's end closes its last entry, so a trailing ':' (or an empty PATH) gives
            // one zero-length entry more.
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ":") { end += 1 }
                candidate.removeAll(keepingCapacity: true)
                if end > start {
                    candidate.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                } else {
                    candidate.append(UInt8(ascii: "."))
                }
                candidate.append(UInt8(ascii: "/"))
                candidate.append(contentsOf: name)
                let text = placed(String(decoding: candidate, as: UTF8.self), in: directory)
                if accepts(text) { return text }
                start = end + 1
            }
            return nil
        }
    }

    /// `candidate` as seen from `directory` when it is relative and a directory is given
    /// (`./NAME`, an empty entry's or `.`'s, as DIRECTORY/NAME).
    private static func placed(_ candidate: String, in directory: String?) -> String {
        guard let directory, !candidate.hasPrefix("/") else { return candidate }
        let relative = candidate.hasPrefix("./") ? String(candidate.dropFirst(2)) : candidate
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// The error for a program not found: "NAME: command not found" (the words `DockerSession`
    /// turns into "no docker CLI"), with the file passed over, when one was, as its detail.
    public static func notFoundError(_ program: String, passedOver: String?) -> DevEnvError {
        DevEnvError(.failure, "\(program): command not found",
                    hint: passedOver == nil ? "install it or put it on PATH"
                        : "make \(passedOver ?? "") executable (chmod +x), or put the right \(program) before it on PATH",
                    detail: passedOver.map { "\($0) is there but is not a file devenv may execute: a program search (execvp's) passes it over" })
    }
}
