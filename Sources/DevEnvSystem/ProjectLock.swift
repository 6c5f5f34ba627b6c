#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// The per-project lock that `up`, `down`, `build` and `restart` hold, so two at once on one
/// project wait for each other instead of racing to create the same container. An flock on a
/// file in the system's temporary folder (not in the project: it may be read-only), named
/// after the project path; the holder writes its pid there so the waiter can say who it is.
public enum ProjectLock {
    public static func acquire(projectRoot: String, onWait: (String) -> Void) throws -> () -> Void {
        var digest = Fingerprint()
        digest.add(projectRoot)
        let path = "/tmp/devenv-\(digest.hex).lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw DevEnvError.failure("cannot open the project lock \(path): \(String(cString: strerror(errno)))")
        }
        // Others' umask may have narrowed it; a lock every user can take.
        fchmod(fd, 0o666)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buffer, buffer.count, 0)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : "unknown"
            onWait("pid \(holder.trimmingCharacters(in: " \n"))")
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
        let pid = Array("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return {
            ftruncate(fd, 0)
            flock(fd, LOCK_UN)
            close(fd)
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
