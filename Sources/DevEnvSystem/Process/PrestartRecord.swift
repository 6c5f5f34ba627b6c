#if canImport(Glibc)
import Glibc
#endif
import DevEnvCore
import DevEnvPrestart

/// The record `DevEnvPrestart` reads before the Swift runtime starts (prestart.c says why and
/// the rules): the key (the process's whole argv, working folder, a hash of its environment and
/// the identity of each file the calls came from) and the calls as the runner spawned them
/// (program path, argv, the environment entries it added to devenv's own). NUL-terminated
/// words, in the order `devenv_prestart` reads them. Never the environment itself: it may hold
/// secrets, and its hash is enough.
public enum PrestartRecord {
    /// One call as spawned: the program's path, its argv and the entries added to devenv's
    /// environment (NAME=value; `ProcessInvocation.childEnvironment`'s additions).
    public struct Call: Sendable, Hashable {
        public var executable: String
        public var argv: [String]
        public var additions: [String]

        public init(executable: String, argv: [String], additions: [String]) {
            self.executable = executable
            self.argv = argv
            self.additions = additions
        }
    }

    /// What a record is for: a process's argv (each argument's bytes), its working folder, and
    /// the hash of its environment entries in order (`devenv_prestart_environment_hash`).
    public struct Key: Sendable, Hashable {
        public var arguments: [[UInt8]]
        public var workingFolder: [UInt8]
        public var environmentHash: UInt64

        public init(arguments: [[UInt8]], workingFolder: [UInt8], environmentHash: UInt64) {
            self.arguments = arguments
            self.workingFolder = workingFolder
            self.environmentHash = environmentHash
        }

        /// This process's (nil when its working folder cannot be named).
        public static func ofThisProcess() -> Key? {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buffer, buffer.count) != nil else { return nil }
            let arguments = (0..<Int(CommandLine.argc)).compactMap { index in
                CommandLine.unsafeArgv[index].map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
            }
            return Key(arguments: arguments, workingFolder: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                       environmentHash: devenv_prestart_environment_hash(environ))
        }

        /// The record's file name (`devenv_prestart_record_name`).
        var fileName: String {
            let name = CWords(arguments).withPointers { argv in
                var name = [CChar](repeating: 0, count: 26)
                devenv_prestart_record_name(Int32(arguments.count), argv, (workingFolder + [0]).map { CChar(bitPattern: $0) }, &name)
                return name.prefix(25).map { UInt8(bitPattern: $0) }
            }
            return String(decoding: name, as: UTF8.self)
        }
    }

    /// The record's bytes: `calls` for `key`, started from the files `watched` (their identities
    /// now); nil when there is no call, one could not be started (nil) or is not a listing
    /// (`docker ps`, `docker volume ls`: all prestart.c starts), a word holds a NUL, or a file
    /// cannot be looked at.
    static func bytes(_ calls: [Call?], key: Key, watched: [String]) -> [UInt8]? {
        let listings = calls.compactMap { $0 }.filter { $0.argv.dropFirst().starts(with: ["ps"]) || $0.argv.dropFirst().starts(with: ["volume", "ls"]) }
        guard !calls.isEmpty, listings.count == calls.count else { return nil }
        let hash = String(key.environmentHash, radix: 16)
        var words: [[UInt8]] = [Array(String(cString: devenv_prestart_header()).utf8), Array(String(key.arguments.count).utf8)]
        words += key.arguments
        words.append(key.workingFolder)
        words.append(Array((String(repeating: "0", count: 16 - hash.count) + hash).utf8))
        words.append(Array(String(watched.count).utf8))
        for file in watched {
            var info = stat()
            guard stat(file, &info) == 0 else { return nil }
            words.append(Array(file.utf8))
            // As prestart.c's `same_identity` prints it.
            words.append(Array("\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec) \(info.st_mtim.tv_nsec)".utf8))
        }
        words.append(Array(String(listings.count).utf8))
        for call in listings {
            words.append(Array(call.executable.utf8))
            words.append(Array(String(call.argv.count).utf8))
            words += call.argv.map { Array($0.utf8) }
            words.append(Array(String(call.additions.count).utf8))
            words += call.additions.map { Array($0.utf8) }
        }
        guard words.allSatisfy({ !$0.contains(0) }) else { return nil }
        return words.flatMap { $0 + [0] }
    }

    /// Keeps `calls` (started from the files `watched`) as the record for `key` in `folder`
    /// (devenv's state folder): written whole under a temporary name and renamed, mode 0600 (best
    /// effort: without it the next `status` only starts later). No calls: the record is removed.
    public static func keep(_ calls: [Call?], key: Key, watched: [String], in folder: String) {
        let path = folder + "/" + key.fileName
        guard let bytes = bytes(calls, key: key, watched: watched) else {
            unlink(path)
            return
        }
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written != bytes.count || rename(temporary, path) != 0 { unlink(temporary) }
    }
}

/// Byte strings as a NULL-terminated C array of C strings, for as long as `withPointers` runs.
struct CWords {
    let words: [[UInt8]]

    init(_ words: [[UInt8]]) { self.words = words }

    func withPointers<T>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> T) -> T {
        let pointers: [UnsafeMutablePointer<CChar>?] = words.map { word in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: word.count + 1)
            word.withUnsafeBufferPointer { bytes in
                for (index, byte) in bytes.enumerated() { copy[index] = CChar(bitPattern: byte) }
            }
            copy[word.count] = 0
            return copy
        } + [nil]
        defer { pointers.forEach { $0?.deallocate() } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
