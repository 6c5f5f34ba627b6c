import DevEnvCore
import DevEnvSystem
import Foundation
import Testing

/// The caching wrapper must pass every question it does not cache to the file system it
/// wraps: a default from the protocol extension (an in-memory file system's "canonical as it
/// is") silently made a symlinked project a second project.
@Suite struct CachedFileSystemTests {
    @Test func canonicalPathResolvesSymlinksThroughTheCache() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
        let local = LocalFileSystem()
        let cached = CachedFileSystem.wrapping(local)
        let expected = try #require(local.canonicalPath(dir + "/real"))
        #expect(cached.canonicalPath(dir + "/link") == expected)
        #expect(cached.canonicalPath(dir + "/missing") == nil)
    }

    /// `wrapping` reuses a cache it is given (the dashboard's serves the commands it runs) and
    /// wraps anything else once.
    @Test func wrappingReusesACacheAndWrapsAnythingElse() {
        let local = LocalFileSystem()
        let cached = CachedFileSystem.wrapping(local)
        #expect(cached.base is LocalFileSystem)
        #expect(CachedFileSystem.wrapping(cached) === cached)
        let other = CachedFileSystem(cached)
        #expect(CachedFileSystem.wrapping(other) === other)
    }
}
