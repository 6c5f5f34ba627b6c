import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 9 section 8 on the real engine: clean-cache with caches an earlier root container
/// left root-owned. The synced user is 4242:4242 and owns the project; root owns the leftovers.
extension SafeLifecycleEngineTests {
    @Test("clean-cache removes root-owned caches with a root container, goes on past one even root cannot remove, lists it")
    func cleanCacheRemovesRootOwnedLeftovers() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"user = "4242:4242""#)
        let fm = FileManager.default
        func plant(_ relative: String, _ content: String) throws {
            let path = project.path + "/" + relative
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try plant("mine/__pycache__/a.cpython-311.pyc", "12345")
        try plant("keep.py", "keep")
        #expect(try TestEngine.run(["chown", "-R", "4242:4242", project.path]).exitCode == 0)
        #expect(try project.devenv("up").exitCode == 0)
        // Left by a root container: root's folders, which 4242 cannot empty.
        try plant("rootleft/__pycache__/b.cpython-311.pyc", "123")
        try plant(".pytest_cache/v/cache", "1")
        // Even root cannot remove a mount point: a host bind mount onto a cache folder.
        try plant("stuck/__pycache__/c.pyc", "7")
        let holder = project.parent + "/held"
        try fm.createDirectory(atPath: holder, withIntermediateDirectories: true)
        #expect(try TestEngine.run(["mount", "--bind", holder, project.path + "/stuck/__pycache__"]).exitCode == 0)
        defer { _ = try? TestEngine.run(["umount", project.path + "/stuck/__pycache__"]) }

        let clean = try project.devenv("clean-cache")
        #expect(clean.exitCode == 1, "\(clean.stdoutText)\(clean.stderrText)")
        #expect(clean.stderrText.contains("clean-cache removed 3 files, 9 bytes but could not remove 1 path, not even as root"),
                "\(clean.stderrText)")
        #expect(clean.stderrText.contains("  stuck/__pycache__\n"), "\(clean.stderrText)")
        #expect(!clean.stderrText.contains("while IFS") && !clean.stderrText.contains("find ."), "the script was shown: \(clean.stderrText)")
        #expect(!fm.fileExists(atPath: project.path + "/mine/__pycache__"))
        #expect(!fm.fileExists(atPath: project.path + "/rootleft/__pycache__"))
        #expect(!fm.fileExists(atPath: project.path + "/.pytest_cache"))
        #expect(fm.fileExists(atPath: project.path + "/keep.py"))

        #expect(try TestEngine.run(["umount", project.path + "/stuck/__pycache__"]).exitCode == 0)
        let again = try project.devenv("clean-cache", "--json")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        let json = try Self.json(again)
        #expect(json["files"] as? Int == 1)
        #expect(!fm.fileExists(atPath: project.path + "/stuck/__pycache__"))
        #expect(try project.containers() == ["\(project.container) running"], "the root container was left behind")
    }
}
