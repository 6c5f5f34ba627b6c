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
    /// The pipe is closed (the child ended or was ended): its fd number may belong to another.
    public private(set) var closed = false

    public init(_ invocation: ProcessInvocation, baseEnvironment: [String: String]) throws {
        guard let program = invocation.argv.first else { throw DevEnvError.failure("internal error: empty argv") }
        let environment = invocation.childEnvironment(inheriting: baseEnvironment)
        let executable: String
        do {
            executable = try PosixProcessRunner.resolve(program, path: environment["PATH"], directory: invocation.workingDirectory)
        } catch let error as DevEnvError {
            throw DevEnvError(.noEngine, "the docker CLI \"\(program)\" was not found",
                              hint: "install Docker, or set DEVENV_DOCKER to a docker-compatible CLI", detail: error.detail)
        }
        let output = try Pipe()
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if devNull >= 0 { Glibc.close(devNull) } }
        let child: pid_t
        do {
            // stdout and stderr share the pipe; the stream's reader sees docker's errors too.
            // Known to the signal handlers from its start: a crash or a kill of devenv ends the
            // stream too.
            child = try ChildProcesses.spawnTracked {
                try ProcessSpawn.spawn(executable, argv: invocation.argv, environment: environment,
                                       workingDirectory: invocation.workingDirectory,
                                       stdinFD: devNull >= 0 ? devNull : nil, stdoutFD: output.writeEnd,
                                       stderrFD: output.writeEnd, closing: [output.readEnd])
            }
        } catch {
            output.closeAll()
            throw error
        }
        Glibc.close(output.writeEnd)
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
        defer { ChildProcesses.untrack(pid) }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return Self.exitCode(status) }
        // SIGTERM, then SIGKILL only once `terminationGrace` has passed on the clock: it counted
        // 100 pauses of 2 ms, which a loaded machine (a CI running the engine tests) oversleeps
        // little but may not schedule the child's exit within, so a stream that would have ended
        // on SIGTERM was killed.
        return ChildProcesses.end(pid)
    }

    /// Ends the child as `close()` does without waiting for it: the pipe is closed now, and the
    /// SIGTERM, the wait (SIGKILL once the grace passed) and the reaping happen on a thread of
    /// their own, counted in `ending` until the child is reaped (it stays tracked till then: a
    /// signal or a quit still reaches it; `EndingStreams.endNow` ends it at once). For the
    /// dashboard's loop thread, which ends a stream on each container start or stop (the stats
    /// stream follows the running ones): docker 28's `stats` ignores SIGTERM, and `close()` held
    /// every key and frame for the second before its SIGKILL (dash29).
    public func closeAside(counting ending: EndingStreams) {
        guard !closed else { return }
        closed = true
        Glibc.close(outputFD)
        let pid = self.pid
        ending.begin(pid)
        BackgroundThread.start {
            defer { ChildProcesses.untrack(pid) }
            ending.end(pid)
        }
    }

    /// Reaps a child that ended by itself (after `.end`); its exit status.
    public func finish() -> Int32 {
        guard !closed else { return 0 }
        closed = true
        Glibc.close(outputFD)
        defer { ChildProcesses.untrack(pid) }
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
