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
    static func localAccount(_ uid: UInt32) -> (name: String, home: String)? {
        guard let file = fopen("/etc/passwd", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).split(separator: ":", omittingEmptySubsequences: false)
            if fields.count >= 6, UInt32(fields[2]) == uid {
                return (String(fields[0]), String(fields[5]))
            }
        }
        return nil
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
