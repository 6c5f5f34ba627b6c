import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 9 section 8 on the real engine: a profile whose container runs as root (the image's
/// USER, or `user = "0:0"`) is warned about by `up`, and doctor says the same.
extension SafeLifecycleEngineTests {
    @Test("user = image with an image whose USER is root: up warns, doctor warns alike; a non-root USER is quiet")
    func anImageUserOfRootIsWarnedAbout() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"user = "image""#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stderrText.contains("warning: profile dev runs its container as root (`user = \"image\"` and the image \(DevenvNames.imageRepository(project.name, in: project.path)):dev-"),
                "\(up.stderrText)")
        #expect(up.stderrText.contains("sets no USER): files it writes on the bind mount belong to root"), "\(up.stderrText)")
        let doctor = try project.devenv("doctor")
        #expect(doctor.stdoutText.contains("warn  container-user: profile dev runs its container as root (`user = \"image\"` and stage dev sets no USER)"),
                "\(doctor.stdoutText)")
        #expect(!doctor.stdoutText.contains("runs as the folder's owner"), "\(doctor.stdoutText)")

        try project.write("Dockerfile", "FROM \(TestEngine.busyboxImage) AS dev\nUSER 4242:4242\n")
        let quiet = try project.devenv("up")
        #expect(quiet.exitCode == 0, "\(quiet.stderrText)")
        #expect(!quiet.stderrText.contains("runs its container as root"), "\(quiet.stderrText)")
        let whoami = try project.devenv("exec", "--", "id", "-u")
        #expect(whoami.stdoutText == "4242\n", "\(whoami.stderrText)")
        #expect(try project.devenv("doctor").stdoutText.contains("ok    container-user: profile dev runs its container as the image's USER (stage dev: 4242:4242)"))
    }

    @Test("user = 0:0: up and doctor both warn")
    func aRootMappingIsWarnedAboutByUpAndDoctor() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"user = "0:0""#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let text = "profile dev runs its container as root (`user = \"0:0\"`): files it writes on the bind mount belong to root"
        #expect(up.stderrText.contains(text), "\(up.stderrText)")
        #expect(try project.devenv("doctor").stdoutText.contains("warn  container-user: " + text))
    }
}
