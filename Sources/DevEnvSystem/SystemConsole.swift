#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// devenv's own output on file descriptors 1 and 2, written whole (write(2) may write less).
public final class SystemConsole: Console, @unchecked Sendable {
    public let stdinIsTerminal = isatty(0) == 1
    public let stdoutIsTerminal = isatty(1) == 1
    public let stderrIsTerminal = isatty(2) == 1

    public init() {}

    public func write(_ text: String) { Self.writeAll(1, Array(text.utf8)) }
    public func writeError(_ text: String) { Self.writeAll(2, Array(text.utf8)) }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return // a closed pipe (devenv status | head): nothing more to say
            }
            offset += n
        }
    }
}

public enum MonotonicClock {
    public static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
