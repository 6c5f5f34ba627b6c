#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// The process's own facts: environment variables, working directory, executable path.
public enum SystemEnvironment {
    /// A fresh random token (`AppContext.randomToken`): 128 bits from the system's generator
    /// (getrandom), as 32 lowercase hex digits, so no other devenv's call shares it.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bits = [generator.next(), generator.next()] as [UInt64]
        return bits.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// The process environment, name to value (the last of repeated names wins).
    public static func variables() -> [String: String] {
        variables(environ)
    }

    /// `NAME=value` entries up to a null pointer (`environ`'s layout), name to value; an entry
    /// without '=' is skipped. Separate from `environ` so that tests give their own entries
    /// instead of calling setenv, which changes the environment every thread of the test
    /// process reads (spawns, ProcessInfo) while it runs.
    static func variables(_ entries: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> [String: String] {
        var count = 0
        while entries[count] != nil { count += 1 }
        // Sized once: growing the dictionary entry by entry rehashed it at every doubling.
        var variables: [String: String] = [:]
        variables.reserveCapacity(count)
        for index in 0..<count {
            guard let pointer = entries[index] else { break }
            // Split at the first '=' as bytes ('=' is ASCII, no UTF-8 sequence holds its byte):
            // finding it Character by Character cost as much as the rest of the start.
            let entry = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
            guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { continue }
            variables[String(decoding: entry[..<equals], as: UTF8.self)] =
                String(decoding: entry[(equals + 1)...], as: UTF8.self)
        }
        return variables
    }

    /// An inherited entry whose bytes are not UTF-8 (a folder named in Latin-1 in HOME, PATH,
    /// DOCKER_HOST or DOCKER_CONFIG): `variables` holds it with U+FFFD in their place, which
    /// names another file. `value` is that decoded text, `entry` the original `NAME=VALUE`
    /// bytes, which a child gets instead while its value is still `value` (`ProcessSpawn`).
    public struct Verbatim: Sendable, Hashable {
        public var value: String
        public var entry: [UInt8]
    }

    /// The process's own entries that `variables` could not keep byte for byte, by name (read
    /// once, at first use: devenv never changes its environment).
    public static let verbatim: [String: Verbatim] = verbatim(environ)

    /// The entries of `entries` (`environ`'s layout) that are not UTF-8, by decoded name; the
    /// last of repeated names wins, as in `variables`.
    static func verbatim(_ entries: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> [String: Verbatim] {
        var found: [String: Verbatim] = [:]
        var index = 0
        while let pointer = entries[index] {
            index += 1
            let entry = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
            guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { continue }
            // ASCII, nearly every entry, is UTF-8 as it is: no copy and no decoding. This runs
            // before `status` can start its docker call, and copying and decoding each entry
            // twice over cost about as much as reading the whole environment (issue 14).
            // Otherwise valid UTF-8 round-trips; anything else was changed by the decoding.
            if entry.allSatisfy({ $0 < 0x80 })
                || String(decoding: entry, as: UTF8.self).utf8.elementsEqual(entry) {
                // A valid later entry of a name wins over an earlier one that was not.
                if !found.isEmpty { found[String(decoding: entry[..<equals], as: UTF8.self)] = nil }
                continue
            }
            found[String(decoding: entry[..<equals], as: UTF8.self)] =
                Verbatim(value: String(decoding: entry[(equals + 1)...], as: UTF8.self), entry: Array(entry))
        }
        return found
    }

    /// ARG_MAX: the bytes the arguments and environment of one exec may take together
    /// (`sysconf(_SC_ARG_MAX)`, a quarter of the stack limit); 2 MiB when it does not say.
    public static func argumentLimit() -> Int {
        let limit = sysconf(Int32(_SC_ARG_MAX))
        return limit > 0 ? limit : 2 * 1024 * 1024
    }

    /// The effective user and group, the supplementary groups (getgroups: the kernel keeps them
    /// sorted), then the effective capabilities (two words): what the kernel checks a file's
    /// permissions against (`AppContext.credentials`). Root without CAP_DAC_OVERRIDE may not read
    /// what root with it may.
    public static func credentials() -> [UInt32] {
        var credentials = [UInt32](repeating: 0, count: 2 + max(0, Int(getgroups(0, nil))))
        let count = credentials.withUnsafeMutableBufferPointer { buffer in
            getgroups(Int32(buffer.count - 2), buffer.baseAddress.map { $0 + 2 })
        }
        credentials.removeLast(credentials.count - 2 - max(0, Int(count)))
        credentials[0] = geteuid()
        credentials[1] = getegid()
        let capabilities = effectiveCapabilities()
        credentials.append(UInt32(truncatingIfNeeded: capabilities >> 32))
        credentials.append(UInt32(truncatingIfNeeded: capabilities))
        return credentials
    }

    /// /proc/self/status's `CapEff` (capget(2) is a variadic syscall Swift cannot call), found
    /// and parsed by libc (a Swift byte loop cost 0.45 M instructions in a debug build); all bits
    /// set when it cannot be read, which no process without every capability has.
    static func effectiveCapabilities() -> UInt64 {
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .max }
        defer { close(fd) }
        var buffer = [CChar](repeating: 0, count: 8192)
        return buffer.withUnsafeMutableBufferPointer { text -> UInt64 in
            guard let base = text.baseAddress else { return .max }
            let n = read(fd, base, text.count - 1)
            guard n > 0, let field = strstr(base, "\nCapEff:\t") else { return .max }
            let digits = field + 9
            var end: UnsafeMutablePointer<CChar>?
            let value = strtoull(digits, &end, 16)
            return end == digits ? .max : UInt64(value)
        }
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return text(buffer)
    }

    /// /proc/self/exe, so that a symlinked or PATH-found binary still finds its profiles.
    public static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return CommandLine.arguments.first ?? "devenv" }
        buffer[n] = 0
        return text(buffer)
    }

    /// A NUL-terminated C buffer as text.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
