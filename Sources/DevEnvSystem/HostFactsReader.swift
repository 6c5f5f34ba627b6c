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
                         accountLookup: { lookup($0) })
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
