import DevEnvCore
import Foundation
import Testing
import TestSupport

/// devenv started with standard output closed (`>&-`) on the real engine: a command that is
/// not refused for it (`CommandSpec.outputIsThePoint`) acts on what docker answers, as with it
/// open (`StandardStreams.reserve`).
extension SafeLifecycleEngineTests {
    /// cachebreak28: the first pipe devenv made for a docker call took number 1, and its read end
    /// was closed in the child right after dup2 made the write end the child's stdout: the
    /// lookup's answer never came, and clean-cache said the running container did not exist.
    @Test("with standard output closed, docker's answers still reach devenv: clean-cache finds the running container")
    func closedStandardOutputLosesNoDockerAnswer() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        var environment: [String: String] = [:]
        if let docker = TestEngine.availability().docker { environment["DEVENV_DOCKER"] = docker }
        let clean = try TestEngine.run(["/bin/bash", "-c", "exec >&-; exec \"$0\" --no-tui --project \"$1\" clean-cache",
                                        DevenvBinary.path, project.path], environment: environment, timeoutSeconds: 120)
        #expect(!clean.stderrText.contains("does not exist"), "the lookup's answer was lost: \(clean.stderrText)")
        // What it would have printed is lost, and said to be (README: exit 1).
        #expect(clean.exitCode == 0 || clean.stderrText.contains("cannot write to standard output: Bad file descriptor"),
                "exit \(clean.exitCode): \(clean.stderrText)")
        #expect(try project.containers() == ["\(project.container) running"])
    }
}
