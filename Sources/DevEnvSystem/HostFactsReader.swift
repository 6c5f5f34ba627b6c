#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

/// Reads who runs devenv from the kernel, the password database and sudo's variables.
public enum HostFactsReader {
    public static func read(projectDirectory: String, environment: [String: String]) -> HostFacts {
        let uid = getuid()
        let account = lookup(uid)
        var info = stat()
        let owner: (uid: UInt32, gid: UInt32)? = stat(projectDirectory, &info) == 0 ? (info.st_uid, info.st_gid) : nil
        return HostFacts(uid: uid, gid: getgid(), userName: account?.name ?? environment["USER"],
                         home: account?.home ?? environment["HOME"],
                         sudoUID: environment["SUDO_UID"], sudoGID: environment["SUDO_GID"],
                         sudoUser: environment["SUDO_USER"], folderOwner: owner,
                         accountLookup: { localAccount($0) })
    }

    /// Another user's name and home, from /etc/passwd only: the full name service (LDAP,
    /// systemd-userdb) costs milliseconds on every command, for a name that is only shown.
    /// `passwd` is the file's path (tests give their own).
    static func localAccount(_ uid: UInt32, passwd: String = "/etc/passwd") -> (name: String, home: String)? {
        guard let file = fopen(passwd, "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while true {
            let length = getline(&line, &capacity, file)
            guard length > 0, let line else { return nil }
            // Split as bytes (':' is ASCII, and no UTF-8 sequence contains its byte): splitting
            // the line as Characters cost more than the rest of `status`'s own work.
            let end = line[length - 1] == CChar(UInt8(ascii: "\n")) ? length - 1 : length
            let bytes = UnsafeRawBufferPointer(start: line, count: end)
            let fields = bytes.split(separator: UInt8(ascii: ":"), maxSplits: 6, omittingEmptySubsequences: false)
            guard fields.count >= 6, UInt32(String(decoding: fields[2], as: UTF8.self)) == uid else { continue }
            return (String(decoding: fields[0], as: UTF8.self), String(decoding: fields[5], as: UTF8.self))
        }
    }

    static func lookup(_ uid: UInt32) -> (name: String, home: String)? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil,
              let name = entry.pw_name, let home = entry.pw_dir else { return nil }
        return (String(cString: name), String(cString: home))
    }
}
