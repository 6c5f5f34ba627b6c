#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// posix_spawn with devenv's rules, for every child devenv starts (blocking runs and the
/// dashboard's streams alike).
///
/// The dashboard spawns from several threads, and glibc's header hides pipe2(O_CLOEXEC) from
/// Swift: a pipe is made close-on-exec in a second step. One lock covers both that step and
/// every spawn, so no child can inherit another child's pipe (which would keep it from ever
/// seeing end-of-file).
enum ProcessSpawn {
    nonisolated(unsafe) private static var lock: pthread_mutex_t = {
        var mutex = pthread_mutex_t()
        pthread_mutex_init(&mutex, nil)
        return mutex
    }()

    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return try body()
    }

    /// The child starts with default signal dispositions and an empty mask, whatever devenv
    /// ignores or blocks while it waits. Without `ownProcessGroup` it stays in devenv's process
    /// group, so the terminal's signals reach it (an interactive docker exec, which does not
    /// forward signals: DESIGN.md section 4; the dashboard's streams); `ownProcessGroup` (every
    /// piped call: `ChildProcesses.Group`) puts it in a group of its own, and devenv passes the
    /// signals on.
    /// `verbatim`: an inherited variable that is not UTF-8 reaches the child as its own bytes
    /// while `environment` still holds the value devenv read (`SystemEnvironment.Verbatim`).
    static func spawn(_ executable: String, argv: [String], environment: [String: String], workingDirectory: String?,
                      stdinFD: Int32?, stdoutFD: Int32?, stderrFD: Int32?, closing: [Int32],
                      ownProcessGroup: Bool = false,
                      verbatim: [String: SystemEnvironment.Verbatim] = SystemEnvironment.verbatim) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinFD { posix_spawn_file_actions_adddup2(&actions, stdinFD, 0) }
        if let stdoutFD { posix_spawn_file_actions_adddup2(&actions, stdoutFD, 1) }
        if let stderrFD { posix_spawn_file_actions_adddup2(&actions, stderrFD, 2) }
        for fd in closing { posix_spawn_file_actions_addclose(&actions, fd) }
        // Nothing but 0, 1 and 2 reaches the child: descriptors devenv inherited without
        // close-on-exec (a test harness's sockets and pipes, a shell's) would otherwise pass on
        // to podman, whose conmon keeps them for the container's lifetime, so whoever waits for
        // end-of-file on them waits for ever.
        if let addCloseFrom { _ = addCloseFrom(&actions, 3) }
        if let directory = workingDirectory {
            // glibc 2.29+ has it, but its header hides it from Swift without _GNU_SOURCE.
            guard let addChdir else {
                throw DevEnvError.failure("cannot run \(argv.first ?? "") in \(directory): this C library cannot change directory in posix_spawn")
            }
            _ = addChdir(&actions, directory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var cArguments: [UnsafeMutablePointer<CChar>?] = []
        cArguments.reserveCapacity(argv.count + 1)
        for argument in argv { cArguments.append(cString(argument)) }
        cArguments.append(nil)
        // In the dictionary's order: sorting by name and interpolating each entry cost 0.1 M
        // instructions before every spawn, `status`'s early one included (issue 14).
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = []
        cEnvironment.reserveCapacity(environment.count + 1)
        for (key, value) in environment {
            if let original = verbatimEntry(key, value, verbatim) {
                cEnvironment.append(cString(original))
                continue
            }
            cEnvironment.append(cString(key, value))
        }
        cEnvironment.append(nil)
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = locked { posix_spawn(&pid, executable, &actions, &attributes, cArguments, cEnvironment) }
        guard status == 0 else {
            throw DevEnvError(.failure, "cannot run \(argv.first ?? ""): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// The entry the child gets for `key` as the inherited variable's own bytes, when it was
    /// inherited unchanged but is not UTF-8 (not the U+FFFD text); nil: `NAME=value` as text.
    /// (Nearly always none: then no name is hashed to look.)
    private static func verbatimEntry(_ key: String, _ value: String, _ verbatim: [String: SystemEnvironment.Verbatim]) -> [UInt8]? {
        guard !verbatim.isEmpty, let original = verbatim[key], original.value == value else { return nil }
        return original.entry
    }

    /// The environment entries `spawn` passes, as bytes (`PrestartedCalls.adopt` compares them).
    static func entries(_ environment: [String: String], verbatim: [String: SystemEnvironment.Verbatim]) -> [[UInt8]] {
        environment.map { key, value in verbatimEntry(key, value, verbatim) ?? Array("\(key)=\(value)".utf8) }
    }

    /// `text`, or `NAME=value` when `value` is given, as a malloc'd, NUL-terminated C string
    /// (the caller frees it). Copied straight from the strings' own UTF-8: `strdup(key + "=" +
    /// value)` built a joined String and then a temporary C array of it for every entry, about
    /// 0.1 M of the instructions `status` spent before its docker call could start (issue 14).
    /// A NUL inside a string ends the C string there, as it did.
    private static func cString(_ text: String, _ value: String? = nil) -> UnsafeMutablePointer<CChar>? {
        var text = text
        let total = text.utf8.count + (value.map { $0.utf8.count + 1 } ?? 0) + 1
        guard let copy = malloc(total)?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var offset = 0
        func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            if let base = bytes.baseAddress { (copy + offset).update(from: base, count: bytes.count) }
            offset += bytes.count
        }
        text.withUTF8(append)
        if var value {
            copy[offset] = UInt8(ascii: "=")
            offset += 1
            value.withUTF8(append)
        }
        copy[offset] = 0
        return UnsafeMutableRawPointer(copy).assumingMemoryBound(to: CChar.self)
    }

    /// `bytes` as a malloc'd, NUL-terminated C string (the caller frees it).
    private static func cString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
        guard let copy = malloc(bytes.count + 1)?.assumingMemoryBound(to: UInt8.self) else { return nil }
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { copy.update(from: base, count: $0.count) } }
        copy[bytes.count] = 0
        return UnsafeMutableRawPointer(copy).assumingMemoryBound(to: CChar.self)
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    /// glibc 2.34+ (Debian 12 has 2.36), also hidden from Swift; without it inherited
    /// descriptors pass on as before.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()
}

/// A pipe whose two ends are closed on exec, so children get only what dup2 gives them.
struct Pipe {
    let readEnd: Int32
    let writeEnd: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        let made = ProcessSpawn.locked { () -> Bool in
            guard pipe(&fds) == 0 else { return false }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return true
        }
        guard made else {
            throw DevEnvError.failure("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    func closeAll() {
        close(readEnd)
        close(writeEnd)
    }
}
