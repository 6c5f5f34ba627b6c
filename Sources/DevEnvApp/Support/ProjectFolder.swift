import DevEnvCore

/// The check every command makes of the project folder before it reads anything there (one
/// place: `EnvironmentLoader`, `doctor`, `init`).
enum ProjectFolder {
    /// Linux's PATH_MAX: the bytes of a path a system call takes, its terminating NUL included.
    /// A longer one fails every call with ENAMETOOLONG, and Docker could not mount it either.
    static let maximumPathBytes = 4096

    /// Throws exit 2 unless `directory` is a folder: a path too long for Linux says so (it was
    /// "no project folder at ..." for a folder that is there, 5,000 bytes deep).
    static func require(_ directory: String, fileSystem: any FileSystem) throws {
        // Not absolute: getcwd failed (`SystemEnvironment.currentDirectory` says "."), because
        // the folder the shell is in was deleted or moved away, or its path is too long. "."
        // still opens (the deleted folder, empty), so devenv went on with a nameless project.
        guard directory.hasPrefix("/") else {
            throw DevEnvError.usage("devenv cannot tell which folder it is in: the current folder was deleted or moved away "
                                    + "(or its path is longer than Linux's \(maximumPathBytes - 1) bytes)",
                                    hint: "cd into the project folder again, or pass it to --project")
        }
        let bytes = directory.utf8.count
        if bytes >= maximumPathBytes {
            throw DevEnvError.usage(
                "the project folder's path is \(bytes) bytes (\(directory.prefix(60))...); Linux takes paths of at most "
                    + "\(maximumPathBytes - 1) bytes, so neither devenv nor Docker can use it",
                hint: "move the project to a shorter path (a symbolic link to it does not help: it is resolved)")
        }
        guard fileSystem.isDirectory(directory) else {
            // Read as UTF-8, a Latin-1 name's bytes became U+FFFD: another path, which is not there.
            if directory.unicodeScalars.contains("\u{FFFD}") { throw notUTF8(directory) }
            if !fileSystem.fileExists(directory), let target = fileSystem.symbolicLinkTarget(directory) {
                throw DevEnvError.usage("the project folder \(directory) is a symbolic link to \(target), which leads to no folder "
                                        + "(it is missing, or the links go round in a loop)",
                                        hint: "point the link at the project, or pass the project's own folder to --project")
            }
            // There, but not for devenv's user (a folder on the way it may not search).
            if let reason = fileSystem.resolutionFailure(directory) { throw unreachable(directory, reason) }
            throw DevEnvError.usage("no project folder at \(directory)", hint: "pass an existing folder to --project")
        }
        // The folder is there: its path as the kernel resolves it is judged by its bytes
        // (`canonicalPath` takes only UTF-8 and is nil otherwise), never by U+FFFD in the text,
        // which a folder may be named with ("\u{FFFD}" is UTF-8). A symbolic link to a folder
        // whose name is not UTF-8 is refused as that folder is. realpath failing for its own
        // reason (the resolved path longer than Linux takes, a folder on it devenv's user may
        // not search) says that reason: it was "not UTF-8" too (mend27a).
        guard fileSystem.canonicalPath(directory) != nil else {
            if let reason = fileSystem.resolutionFailure(directory) { throw unreachable(directory, reason) }
            throw notUTF8(directory)
        }
    }

    /// The kernel refuses to reach or resolve the folder's path (`FileSystem.resolutionFailure`:
    /// EACCES, ENAMETOOLONG, ELOOP, ...): exit 2 with the system's words.
    private static func unreachable(_ directory: String, _ reason: String) -> DevEnvError {
        DevEnvError.usage("the project folder \(directory) cannot be resolved: \(reason)",
                          hint: "every folder on its path must be searchable (x) by you, and the path with its symbolic links "
                              + "resolved at most \(maximumPathBytes - 1) bytes long")
    }

    /// The folder's path is not UTF-8, which Docker's labels and mounts need: exit 2.
    private static func notUTF8(_ directory: String) -> DevEnvError {
        DevEnvError.usage("the project folder's path (\(directory)) holds bytes that are not UTF-8 (shown as \u{FFFD}, "
                          + "or behind a symbolic link); devenv reads paths as UTF-8, and Docker's labels and mounts need them so",
                          hint: "rename the folder to a UTF-8 name (convmv -f latin1 -t utf8 --notest NAME)")
    }
}
