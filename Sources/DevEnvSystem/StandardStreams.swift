#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// Descriptors 0, 1 and 2 as devenv was started with them. One that was closed (`devenv up
/// >&-`, `<&-`, `2>&-`) is opened on /dev/null before devenv opens anything (`reserve`, the
/// first thing `main` does), as a setuid program or a daemon does: else the lowest free number
/// goes to the next file or pipe devenv opens. A capture pipe whose read end got 1 was closed in
/// the child right after dup2 made its write end the child's stdout (`ProcessSpawn`'s closing
/// list), so docker's answer never came: `devenv clean-cache >&-` and `sync-deps >&-` said a
/// running container did not exist, `up --dry-run >&-` lost the engine's description
/// (cachebreak28); and a file opened as 1 would have taken devenv's own output.
public enum StandardStreams {
    /// Which of 0, 1 and 2 were closed: three flags. Not a `Set<Int32>`, which made first
    /// uses of generic metadata and hashing on start-up, before devenv's one docker call is
    /// spawned, for an answer of three bits; nor an OptionSet, whose `insert`/`contains` are
    /// generic SetAlgebra code too (issue 14).
    public struct Closed: Sendable, Equatable {
        public var input = false
        public var output = false
        public var error = false
        public init(input: Bool = false, output: Bool = false, error: Bool = false) {
            self.input = input
            self.output = output
            self.error = error
        }
    }

    /// Whether a write to descriptor 1 failed (`SystemConsole`): a full disk, EIO, a pipe whose
    /// reader left. The runner ends a stream that `ProcessInvocation.endsWhenOutputCloses` then,
    /// as it does when poll reports the descriptor closed: a file on a full disk (or /dev/full)
    /// reports nothing to poll, so `devenv logs -f > FILE` once followed on for as long as the
    /// container ran, every line lost and nothing said until it was ended (break30).
    public static var outputFailed: Bool { failure.withLock { failed } }

    /// Set once, by the first failed write to descriptor 1.
    static func noteOutputFailure() { failure.withLock { failed = true } }

    private static let failure = Lock()
    nonisolated(unsafe) private static var failed = false

    /// Which of 0, 1 and 2 were closed; each is on /dev/null from here on (a failed open leaves
    /// it closed, as it was). Devenv's console still says that standard output was closed
    /// (`SystemConsole.outputClosed`): what it writes there is lost, not discarded on purpose.
    public static func reserve() -> Closed {
        var closed = Closed()
        // A plain loop over the three numbers: `for fd in 0...2` is a generic ClosedRange's
        // iterator, in a debug build unspecialised.
        var fd: Int32 = 0
        while fd <= 2 {
            defer { fd += 1 }
            guard fcntl(fd, F_GETFD) == -1 && errno == EBADF else { continue }
            switch fd {
            case 0: closed.input = true
            case 1: closed.output = true
            default: closed.error = true
            }
            // The lowest free number: this very one, since the lower ones are open or taken here.
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd {
                _ = dup2(opened, fd)
                close(opened)
            }
        }
        return closed
    }
}
