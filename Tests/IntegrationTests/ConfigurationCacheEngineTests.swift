import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14 on the real engine: the resolved configuration kept between runs
/// (`ConfigurationCache`) never hides an edit. Once the cache holds devenv.toml (it is kept only
/// when the file's last change is clearly older than the reading: git's racy-clean rule), an
/// edit of the same size in place (same inode), made the moment before, is seen by the very
/// next `status` (stale) and `up` (the container is made anew with the new value).
@Suite("Configuration cache on a real engine", .serialized)
struct ConfigurationCacheEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    @Test("status and up see an in-place, same-size edit of devenv.toml at once, with the cache warm")
    func editIsSeenAtOnce() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let state = project.parent + "/state"
        let environment = ["XDG_STATE_HOME": state]
        try project.config(#"env = { MARK = "1" }"#)
        let up = try project.devenv("up", environment: environment)
        #expect(up.exitCode == 0, "\(up.stderrText)")

        // Wait (20 s at most) until a status run kept the configuration: devenv.toml was just
        // written, and a racy file is not kept until its change is 2 s old.
        func kept() -> Bool {
            let folder = state + "/devenv"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.contains { $0.hasSuffix(".config") }
        }
        let deadline = Date().addingTimeInterval(20)
        while !kept() && Date() < deadline {
            #expect(try project.devenv("status", environment: environment).exitCode == 0)
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(kept(), "waited 20 s for a status run to keep the configuration in \(state)/devenv")
        let warm = try project.devenv("status", "--json", environment: environment)
        #expect(warm.stdoutText.contains(#""stale":false"#), "\(warm.stdoutText)")

        // Same size, same file (written in place): only the stamp's times tell.
        let path = project.path + "/devenv.toml"
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let edited = before.replacingOccurrences(of: #"MARK = "1""#, with: #"MARK = "2""#)
        #expect(edited.utf8.count == before.utf8.count && edited != before)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(edited.utf8))
        try handle.close()

        let status = try project.devenv("status", "--json", environment: environment)
        #expect(status.exitCode == 0, "\(status.stderrText)")
        #expect(status.stdoutText.contains(#""stale":true"#), "the edit is seen: \(status.stdoutText)")
        let again = try project.devenv("up", environment: environment)
        #expect(again.exitCode == 0, "\(again.stderrText)")
        let env = try project.docker("inspect", "--format", "{{json .Config.Env}}", project.container).stdoutText
        #expect(env.contains("MARK=2"), "the container runs with the edit: \(env)")
    }
}
