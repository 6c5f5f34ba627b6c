import DevEnvCore
import DevEnvSystem
import Foundation
import Testing

/// LocalFileSystem against a real temporary folder.
@Suite struct ConfigLocalFileSystemTests {
    /// break30: a write that failed named its temporary file (`NAME.devenv-tmp-PID.START`), which
    /// the user never sees, in `up`'s error on a full state folder; it names the file written.
    @Test func aFailedWriteNamesTheFileNotItsTemporaryCopy() throws {
        // /proc takes no new file, whoever asks (root too).
        let path = "/proc/devenv-write-test"
        do {
            try LocalFileSystem().writeFile(path, Array("x".utf8), mode: 0o600)
            Issue.record("writing \(path) succeeded")
        } catch {
            let said = String(describing: error)
            #expect(said.hasPrefix("cannot write \(path): "), "\(said)")
        }
    }

    @Test func readWriteListAndOwner() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-fs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem()
        #expect(try fs.readFile("\(root)/nothing") == nil)
        #expect(!fs.fileExists(root))
        #expect(fs.listDirectory(root) == [])

        try fs.writeFile("\(root)/a/b/devenv.toml", Array("x = 1\n".utf8), mode: 0o600)
        #expect(try fs.readFile("\(root)/a/b/devenv.toml") == Array("x = 1\n".utf8))
        #expect(fs.isDirectory("\(root)/a/b"))
        #expect(!fs.isDirectory("\(root)/a/b/devenv.toml"))
        #expect(fs.fileExists("\(root)/a/b/devenv.toml"))
        try fs.writeFile("\(root)/a/b/c.toml", [], mode: 0o644)
        try fs.writeFile("\(root)/a/b/devenv.toml", Array("y".utf8), mode: 0o600)
        #expect(fs.listDirectory("\(root)/a/b") == ["c.toml", "devenv.toml"])
        #expect(try fs.readFile("\(root)/a/b/devenv.toml") == Array("y".utf8))
        #expect(try fs.readFile("\(root)/a/b/c.toml") == [])
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(root)/a/b/devenv.toml")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let owner = try #require(fs.owner(of: "\(root)/a"))
        #expect(owner.uid == (attributes[.ownerAccountID] as? NSNumber)?.uint32Value)
        #expect(fs.owner(of: "\(root)/none") == nil)
        // A file where a folder is expected reads as absent, not as an error.
        #expect(try fs.readFile("\(root)/a/b/c.toml/x") == nil)
        // A large file comes back whole.
        let big = (0..<200_000).map { UInt8($0 % 251) }
        try fs.writeFile("\(root)/big", big, mode: 0o644)
        #expect(try fs.readFile("\(root)/big") == big)
        // A file whose size fstat does not know (0 for /proc files) is read to its end all the same.
        let version = try #require(FileManager.default.contents(atPath: "/proc/version"))
        #expect(!version.isEmpty)
        #expect(try fs.readFile("/proc/version") == Array(version))
    }
}
