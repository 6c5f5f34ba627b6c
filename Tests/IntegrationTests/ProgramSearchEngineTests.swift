import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The docker devenv judges the engine from is the docker it runs (`ProgramSearch`, the one
/// program-search rule), on the real engine: cachebreak28 saw a mode-644 `docker` early on PATH
/// judged as Podman while Docker's CLI ran, and a `docker` in the current folder reached by an
/// empty PATH entry judged while another ran. Each case is one `status` (one `docker ps`).
@Suite("One program-search rule on a real engine")
struct ProgramSearchEngineTests {
    @Test("a mode-644 Podman shim early on PATH is passed over; an empty PATH entry runs the current folder's docker")
    func theJudgedDockerIsTheOneThatRuns() throws {
        let docker = try TestEngine.require()
        let name = "search" + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-\(name)").path
        let project = parent + "/" + name
        let (shims, here) = (parent + "/shims", parent + "/here")
        for folder in [project, shims, here] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try BusyboxProject.write(in: project, name: name)
        let dockerFolder = (docker as NSString).deletingLastPathComponent
        let rest = dockerFolder + ":/usr/bin:/bin"

        // Podman's shim, never made executable: execvp passes it over, and so does devenv's
        // judgement now (before: Podman's `ps` template, run by Docker's CLI).
        try ProgramFile.write("#!/bin/sh\nexec /usr/bin/podman \"$@\"\n", to: shims + "/docker", mode: "644")
        let status = try DevenvBinary.run(["status", "--verbose"], in: project,
                                          environment: ["DEVENV_DOCKER": "", "PATH": shims + ":" + rest], timeoutSeconds: 60)
        #expect(status.exitCode == 0, "exit \(status.exitCode): \(status.stderrText)")
        // Docker's `ps` template (labels one by one), not Podman's (`.ListContainer.State`).
        #expect(!status.stderrText.contains(".ListContainer.State") && status.stderrText.contains("(.Label \"devenv.project\")"),
                "Docker's template, not Podman's: \(status.stderrText)")

        // A wrapper in the current folder, reached by PATH's empty first entry, is what runs.
        let marker = here + "/ran"
        try ProgramFile.write("#!/bin/sh\necho \"$1\" >> '\(marker)'\nexec '\(docker)' \"$@\"\n", to: here + "/docker")
        let fromHere = try TestEngine.run([DevenvBinary.path, "--project", project, "status"],
                                          environment: ["DEVENV_DOCKER": "", "PATH": ":" + rest], workingDirectory: here, timeoutSeconds: 60)
        #expect(fromHere.exitCode == 0, "exit \(fromHere.exitCode): \(fromHere.stderrText)")
        #expect(((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").contains("ps"), "the current folder's docker ran")
    }
}
