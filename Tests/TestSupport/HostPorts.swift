import Foundation

/// Host ports for tests that publish container ports: each test project gets its own (a
/// devenv.toml override of the shipped `ports`), so tests, and several engineers' test runs,
/// can run side by side on one engine.
public enum HostPorts {
    /// Below Linux's ephemeral range (32768-60999), so no outgoing connection takes one between
    /// the check and docker's bind.
    static let range = 20000..<32000

    private static let handedOut = HandedOut()

    /// `count` distinct ports that nothing on the host holds now (a bind on 0.0.0.0 succeeds,
    /// so neither an address-specific nor a wildcard listener has them), that this test process
    /// has not handed out before, and that no other test process on the machine holds
    /// (`reserveAcrossProcesses`).
    public static func free(_ count: Int) -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = Int.random(in: range)
            guard !ports.contains(port), isFree(port), handedOut.claim(port), reserveAcrossProcesses(port) else { continue }
            ports.append(port)
        }
        return ports
    }

    /// Where test processes record the ports they handed out: one byte-range lock (fcntl,
    /// F_SETLK) at offset PORT of this file per port, held until the process ends.
    static let reservationFile = "/tmp/devenv-test-ports.lock"

    /// The reservation file, opened once and never closed: a process's POSIX record locks go
    /// when it closes any descriptor of the file, and go with the process (a killed run leaves
    /// none behind). Close-on-exec, so no child keeps it. -1 when it cannot be opened (then
    /// only this process's own hand-outs are kept apart, as before).
    private static let reservations: Int32 = {
        let fd = open(reservationFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if fd >= 0 { fchmod(fd, 0o666) }
        return fd
    }()

    /// Takes `port` for this process unless another process holds it: a free port is not
    /// bound until the test's container starts, minutes later after a build, and meanwhile
    /// another test process (a second engineer's run, CI beside it) checking the same port
    /// found it free too; the second `up` then failed with exit 4 on a port the first held.
    /// True when this process holds it now (also when there is no reservation file).
    static func reserveAcrossProcesses(_ port: Int) -> Bool {
        guard reservations >= 0 else { return true }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(port)
        lock.l_len = 1
        if fcntl(reservations, F_SETLK, &lock) == 0 { return true }
        // Held by another process; any other failure (no locks to be had) must not make
        // `free` look for ever.
        return errno != EAGAIN && errno != EACCES
    }

    /// `toml` with the shipped dev and prod profiles kept as they are but publishing on free
    /// host ports of their own: dev's 8000 and 5678, prod's 8080 (`ProfileKeys.add`: under
    /// the tables `toml` has).
    public static func withProfileOverrides(_ toml: String) -> String {
        let ports = free(3)
        let dev = ProfileKeys.add("ports = [\"\(ports[0]):8000\", \"\(ports[1]):5678\"]\n", to: "dev", in: toml)
        return ProfileKeys.add("ports = [\"\(ports[2]):8080\"]\n", to: "prod", in: dev)
    }

    /// True when a TCP socket can bind 0.0.0.0:`port` right now.
    public static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound == 0
    }

    /// A listener on 127.0.0.1:`port` held by this process until `close()`: a host process
    /// holding a port devenv wants.
    public final class Listener: @unchecked Sendable {
        public let port: Int
        private var fd: Int32

        /// `reuseAddress`: SO_REUSEADDR, as docker-proxy (Go) sets it on its listeners.
        public init(port: Int, reuseAddress: Bool = false) throws {
            self.port = port
            // Close-on-exec: a child another test spawns meanwhile (tmux, a private dockerd)
            // would keep the port held after `close()`.
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if reuseAddress {
                var one: Int32 = 1
                _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard fd >= 0, bound == 0, listen(fd, 4) == 0 else {
                let code = errno
                if fd >= 0 { Glibc.close(fd) }
                throw TemporaryProject.Failure(message: "cannot listen on 127.0.0.1:\(port) (errno \(code))")
            }
        }

        /// Accepts one connection; its descriptor (the caller closes it), -1 on failure.
        public func acceptOne() -> Int32 { accept(fd, nil, nil) }

        public func close() {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }

        deinit { close() }
    }

    /// GETs http://127.0.0.1:`port``path` until it answers 200 or `seconds` pass; returns the
    /// body. Throws naming what it waited for when it gives up.
    public static func waitForHTTP(port: Int, path: String = "/", seconds: Double,
                                   what: String) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        repeat {
            let result = try TestEngine.run(["curl", "--silent", "--show-error", "--fail", "--max-time", "2",
                                             "http://127.0.0.1:\(port)\(path)"])
            if result.succeeded { return result.stdoutText }
            last = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        throw TemporaryProject.Failure(message: "gave up after \(seconds)s waiting for \(what) to answer HTTP on 127.0.0.1:\(port)\(path): \(last)")
    }

    private final class HandedOut: @unchecked Sendable {
        private let lock = NSLock()
        private var ports: Set<Int> = []
        func claim(_ port: Int) -> Bool { lock.withLock { ports.insert(port).inserted } }
    }
}
