#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// The per-project lock that `up`, `down`, `build` and `restart` hold, so two at once on one
/// project wait for each other instead of racing to create the same container. An flock on a
/// file named after the (canonical) project path, in devenv's per-user state folder
/// (`UserStateFolder`: `$XDG_STATE_HOME/devenv`, else `~/.local/state/devenv`), which only this
/// user can write: never in a shared /tmp where another user could plant a symlink, hold the
/// lock, or write the text the waiting message shows. The holder writes its pid there so the
/// waiter can say who it is.
public enum ProjectLock {
    public static func acquire(projectRoot: String, environment: [String: String],
                               onWait: (String) -> Void) throws -> () -> Void {
        let folder = try directory(environment)
        var digest = Fingerprint()
        digest.add(projectRoot)
        let path = "\(folder)/\(digest.hex).lock"
        // O_NOFOLLOW: a symlink planted in its place is refused, not followed; 0600 and never
        // truncated or chmod-ed, so opening it can change no other file.
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DevEnvError.failure("cannot open the project lock \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid() else {
            close(fd)
            throw DevEnvError.failure("the project lock \(path) is not a regular file of this user; remove it")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            onWait(holder(n > 0 ? Array(buffer[0..<n]) : []))
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR {
                    close(fd)
                    throw DevEnvError.failure("cannot take the project lock \(path)")
                }
                if ChildProcesses.interruption != nil {
                    close(fd)
                    throw DevEnvError(.interrupted, "interrupted while waiting for the project lock")
                }
            }
        }
        // Fixed width, so a shorter pid overwrites all of a longer one without truncating.
        let pid = String(getpid())
        let record = Array((pid + String(repeating: " ", count: max(0, 20 - pid.count)) + "\n").utf8)
        _ = record.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }

    /// "pid 1234" from the lock file's first bytes; anything but digits is not shown raw.
    static func holder(_ bytes: [UInt8]) -> String {
        let digits = bytes.prefix { $0 != 0x20 && $0 != 0x0A }
        if !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ (0x30...0x39).contains($0) }) {
            return "pid " + String(decoding: digits, as: UTF8.self)
        }
        return "pid unknown"
    }

    /// devenv's per-user state folder (`UserStateFolder.path`: the locks, the container IDs
    /// devenv remembers, lifecycle records and allowances), made 0700 where missing (as the XDG
    /// Base Directory spec asks); refused when it is not a folder of this user or others can
    /// write it. The home folder is HOME, else the user's passwd entry.
    public static func directory(_ environment: [String: String]) throws -> String {
        // The passwd entry only when the environment names no folder: the name service can
        // cost milliseconds, and `status` reads this folder on every run.
        guard let folder = UserStateFolder.path(environment: environment, home: nil)
            ?? UserStateFolder.path(environment: environment, home: passwdHome()) else {
            throw DevEnvError.failure("no folder for devenv's state: set XDG_STATE_HOME or HOME")
        }
        var info = stat()
        // Made only when missing: it is there on every run but the first, and this runs before
        // `status` starts its docker call (one lstat instead of a mkdir per component).
        if lstat(folder, &info) != 0 {
            // Below a home folder, never the home folder itself: a HOME that does not exist
            // (/nonexistent, the home of system users) was made, as root, with the whole path
            // (break30). XDG_STATE_HOME is made as the XDG spec asks.
            if let home = UserStateFolder.home(of: folder, environment: environment) {
                var homeInfo = stat()
                if stat(home, &homeInfo) != 0 && errno == ENOENT {
                    throw DevEnvError.failure("cannot create devenv's state folder \(folder): the home folder \(home) does not exist, and devenv makes none",
                                              hint: UserStateFolder.unwritableHint(tried: folder))
                }
            }
            var path = ""
            for component in folder.split(separator: "/") {
                path += "/" + String(component)
                if mkdir(path, 0o700) != 0 && errno != EEXIST {
                    throw DevEnvError.failure(
                        "cannot create devenv's state folder \(folder): \(path): \(String(cString: strerror(errno)))",
                        hint: UserStateFolder.unwritableHint(tried: folder))
                }
            }
        }
        guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid(),
              info.st_mode & 0o022 == 0 else {
            throw DevEnvError.failure("devenv's state folder \(folder) is not a folder of this user that only they can write",
                                      hint: "remove it, or set XDG_STATE_HOME to a private folder")
        }
        return folder
    }

    private static func passwdHome() -> String? {
        guard let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir else { return nil }
        return String(validatingCString: dir)
    }
}
