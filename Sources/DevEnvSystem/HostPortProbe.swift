#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// Whether a host port devenv is about to publish is free on this machine, and if not, who
/// holds it: a trial bind, then /proc's socket tables and each process's open files.
public enum HostPortProbe {
    /// nil when `mapping` can be bound now (or devenv may not try: a port below 1024 as a
    /// user); else the holder, `.unknown` when /proc does not tell.
    public static func holder(of mapping: PortMapping) -> PortConflict.Holder? {
        let ipv6 = mapping.hostIP?.contains(":") == true
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(mapping.transport == .udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // As docker-proxy binds (Go sets SO_REUSEADDR): connections in TIME_WAIT on the port,
        // such as those of a container just removed, do not hold it; a listener still does.
        var reuse: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(mapping.hostPort).bigEndian)
            guard inet_pton(AF_INET6, mapping.hostIP ?? "::", &address.sin6_addr) == 1 else { return nil }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(mapping.hostPort).bigEndian)
            guard inet_pton(AF_INET, mapping.hostIP ?? "0.0.0.0", &address.sin_addr) == 1 else { return nil }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        // Only "in use" is a finding: an address this machine lacks, or a privileged port,
        // is docker's to judge.
        guard result != 0, errno == EADDRINUSE else { return nil }
        return process(listeningOn: mapping.hostPort, udp: mapping.transport == .udp) ?? .unknown
    }

    /// The process with a socket bound to `port`: the socket's inode from /proc/net/{tcp,udp}{,6},
    /// then the process whose fd links to `socket:[INODE]`.
    static func process(listeningOn port: Int, udp: Bool) -> PortConflict.Holder? {
        let tables = udp ? ["/proc/net/udp", "/proc/net/udp6"] : ["/proc/net/tcp", "/proc/net/tcp6"]
        var inodes: Set<String> = []
        for table in tables {
            guard let text = readText(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // local_address is HEX_IP:HEX_PORT; st 0A is LISTEN (UDP sockets are 07).
                guard fields.count > 9, let colon = fields[1].lastIndex(of: ":"),
                      Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port,
                      udp || fields[3] == "0A" else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        guard !inodes.isEmpty, let proc = opendir("/proc") else { return nil }
        defer { closedir(proc) }
        while let entry = readdir(proc) {
            let pidText = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard let pid = Int32(pidText), let fds = opendir("/proc/\(pid)/fd") else { continue }
            defer { closedir(fds) }
            var buffer = [CChar](repeating: 0, count: 64)
            while let fd = readdir(fds) {
                let name = withUnsafePointer(to: fd.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                let count = readlink("/proc/\(pid)/fd/\(name)", &buffer, buffer.count - 1)
                guard count > 8 else { continue }
                let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast())) else { continue }
                let command = readText("/proc/\(pid)/comm").map { String($0.prefix { $0 != "\n" }) } ?? "?"
                return .process(name: OneLine(command), pid: pid)
            }
        }
        return nil
    }

    private static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
