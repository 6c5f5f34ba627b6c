#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// A long-running child whose output is read without blocking (`docker events`, `docker logs
/// -f`, `docker stats`): spawned with posix_spawn, stdout and stderr on one non-blocking pipe
/// the caller polls, stdin on /dev/null. `close()` ends it (SIGTERM, then the pipe closed and
/// the child reaped); so does going away.
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    /// The read end of the child's stdout+stderr; non-blocking, close-on-exec.
    public let outputFD: Int32
    private var closed = false

    public init(_ invocation: ProcessInvocation, baseEnvironment: [String: String]) throws {
        guard let program = invocation.argv.first else { throw DevEnvError.failure("internal error: empty argv") }
        var environment = baseEnvironment
        for (key, value) in invocation.environment { environment[key] = value }
        guard let executable = PosixProcessRunner.resolve(program, path: environment["PATH"]) else {
            throw DevEnvError(.noEngine, "the docker CLI \"\(program)\" was not found",
                              hint: "install Docker, or set DEVENV_DOCKER to a docker-compatible CLI")
        }
        let output = try Pipe()
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if devNull >= 0 { Glibc.close(devNull) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if devNull >= 0 { posix_spawn_file_actions_adddup2(&actions, devNull, 0) }
        posix_spawn_file_actions_adddup2(&actions, output.writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, output.writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, output.readEnd)

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
        // devenv's own process group: when the terminal hangs up, the streams get SIGHUP with
        // it and are not left behind. (A Ctrl-C typed while the terminal is handed over may end
        // them too; the dashboard restarts its streams after every hand-over.)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = invocation.argv.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        Glibc.close(output.writeEnd)
        guard status == 0 else {
            Glibc.close(output.readEnd)
            throw DevEnvError(.failure, "cannot run \(program): \(String(cString: strerror(status)))")
        }
        _ = fcntl(output.readEnd, F_SETFL, fcntl(output.readEnd, F_GETFL) | O_NONBLOCK)
        pid = child
        outputFD = output.readEnd
    }

    public enum ReadResult: Sendable, Equatable {
        case bytes([UInt8])
        /// Nothing now; poll again.
        case wouldBlock
        /// The child closed its output (it ended).
        case end
    }

    /// Reads what is there, up to `limit` bytes.
    public func read(limit: Int = 65536) -> ReadResult {
        guard !closed else { return .end }
        var buffer = [UInt8](repeating: 0, count: limit)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(outputFD, $0.baseAddress, $0.count) }
        if n > 0 { return .bytes(Array(buffer[0..<n])) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return .wouldBlock }
        return .end
    }

    /// Ends the child (SIGTERM; SIGKILL when it lingers), closes the pipe and reaps it. Returns
    /// the exit status (128+signal when killed). Safe to call twice.
    @discardableResult
    public func close() -> Int32 {
        guard !closed else { return 0 }
        closed = true
        Glibc.close(outputFD)
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return Self.exitCode(status) }
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { return Self.exitCode(status) }
            usleep(2000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Self.exitCode(status)
    }

    /// Reaps a child that ended by itself (after `.end`); its exit status.
    public func finish() -> Int32 {
        guard !closed else { return 0 }
        closed = true
        Glibc.close(outputFD)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 127 }
        }
        return Self.exitCode(status)
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    deinit { close() }
}
