import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `down` on the real engine.
@Suite("down on a real engine", .serialized)
struct DownEngineTests {
    /// A paused container gets its SIGTERM: `docker stop` before the removal, as for a running
    /// one (`ContainerSnapshot.hasProcess`). `down` used to remove a paused app's container
    /// with `rm --force` alone, which kills without a SIGTERM: the trap never ran.
    @Test("down stops a paused container with SIGTERM before removing it")
    func aPausedContainerIsStoppedGracefully() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try SafeLifecycleEngineTests.Project()
        // Root in the container, so that it can write the bind-mounted project folder.
        try project.config(#"""
            user = "0:0"
            command = ["sh", "-c", "trap 'touch /app/stopped-by-sigterm; exit 0' TERM; while :; do sleep 0.2; done"]
            """#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let paused = try project.docker("pause", project.container)
        #expect(paused.exitCode == 0, "\(paused.stderrText)")
        #expect(try project.containers() == ["\(project.container) paused"])
        let down = try project.devenv("down")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(try project.containers().isEmpty)
        #expect(FileManager.default.fileExists(atPath: project.path + "/stopped-by-sigterm"),
                "the container was not stopped with SIGTERM: \(down.stderrText)")
    }
}
