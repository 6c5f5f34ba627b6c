#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When a process started, to tell it from a later one that got its PID (PIDs are reused).
public enum ProcessStart {
    /// The start time of process `pid` in clock ticks since boot (field 22 of /proc/PID/stat,
    /// proc(5)); nil when no such process runs (or /proc cannot say). The same PID with another
    /// start time is another process.
    public static func of(_ pid: Int32) -> UInt64? {
        guard pid > 0 else { return nil }
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces or ')': fields are
        // counted after the last ')'. Field 3 comes first there; field 22 is the 20th.
        let bytes = buffer[0..<count]
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count >= 20 else { return nil }
        return UInt64(String(decoding: fields[19], as: UTF8.self))
    }
}
