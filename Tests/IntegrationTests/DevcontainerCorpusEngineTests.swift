import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The devcontainer.json corpus (`DevcontainerCorpus`) on the real engine, with the local test
/// image in place of the images the files name (nothing is pulled) and free host ports in
/// place of theirs: every file either comes up or stops with a clear devenv error and its exit
/// code (a lifecycle command the test image cannot run is exit 1 naming it; a Compose-only
/// file exit 2 with its place); never a crash. Everything made is removed with `down --volumes`.
@Suite("devcontainer.json corpus on a real engine", .serialized)
struct DevcontainerCorpusEngineTests {
    @Test("each corpus file comes up, or stops with a devenv error and its exit code; never a crash")
    func corpusOnTheEngine() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        // The outcome with the test image (busybox: no pip, git or python, so commands that need
        // them fail with 127, and the image's missing CMD exits at once).
        let expected: [String: (exit: Int32, says: String?)] = [
            "template-image-features": (1, "postCreateCommand failed with exit code 127 (command not found)"),
            "compose-only": (2, ".devcontainer/devcontainer.json:3:5: devcontainer.json uses only Docker Compose"),
            "build-from-parent": (0, nil),
            "home-mounts": (0, nil),
            "ports-attributes": (0, nil),
            "lifecycle-objects": (1, "onCreateCommand \"deps\" failed with exit code 127 (command not found)"),
            "legacy-dockerFile": (1, "postCreateCommand failed with exit code 127 (command not found)"),
            "gpu-ml": (1, "warning: runArgs: --gpus all left out: this engine has no GPU runtime"),
            "workspace-mount-volumes": (0, nil),
            "assorted": (1, "exited with code 0 within 3s of starting; it is stopped and kept"),
        ]
        var facts = EngineFacts()
        facts.readInfo(stdout: try TestEngine.docker(["info", "--format", "{{json .}}"]).stdoutText)
        var outcomes: [String] = []
        for entry in DevcontainerCorpus.entries {
            let project = try DevcontainerEngineTests.Project()
            var json = entry.json.replacingOccurrences(of: #""image": "[^"]*""#, with: "\"image\": \"\(TestEngine.busyboxImage)\"",
                                                       options: .regularExpression)
            let ports = HostPorts.free(4)
            for (index, port) in ["8000", "5678", "8888", "9000"].enumerated() {
                json = json.replacingOccurrences(of: port, with: "\(ports[index])")
            }
            try project.write(entry.path, json)
            for (path, _) in entry.files { try project.write(path, "FROM \(TestEngine.busyboxImage) AS dev\n") }
            // The home folder the file's ${localEnv:HOME} mounts come from.
            let home = project.parent + "/home"
            for folder in [".ssh", ".aws"] {
                try FileManager.default.createDirectory(atPath: home + "/" + folder, withIntermediateDirectories: true)
            }
            let up = try DevenvBinary.run(["up", "--no-tui", "--allow-initialize"], in: project.path,
                                          environment: ["XDG_STATE_HOME": project.state, "HOME": home])
            let container = "\(DevenvNames.container(project.name, in: project.path))"
            let state = try TestEngine.docker(["inspect", "--format", "{{.State.Status}}", container]).stdoutText
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let firstError = up.stderrText.split(separator: "\n").first { $0.contains("error") }.map(String.init) ?? ""
            outcomes.append("\(entry.name): exit \(up.exitCode), container \(state.isEmpty ? "none" : state)"
                            + (firstError.isEmpty ? "" : " — \(firstError)"))
            let want = try #require(expected[entry.name], "\(entry.name) has an expected outcome")
            if entry.name == "gpu-ml" && facts.hasGPURuntime {
                print("gpu-ml: this engine has an nvidia runtime; its outcome is not the one checked here")
            } else {
                #expect(up.exitCode == want.exit, "\(entry.name): \(up.stderrText)")
                if let says = want.says { #expect(up.stderrText.contains(says), "\(entry.name): \(up.stderrText)") }
            }
            if up.exitCode == 0 {
                #expect(state == "running", "\(entry.name): \(state)")
            } else {
                #expect(up.stderrText.contains("devenv: error:") || up.stderrText.contains(": error: "), "\(entry.name): \(up.stderrText)")
            }
            // Every line devenv wrote is its own progress, a warning or an error: nothing crashed.
            for bad in ["Fatal error", "Illegal instruction", "Segmentation fault", "Trace/breakpoint"] {
                #expect(!up.stderrText.contains(bad), "\(entry.name): \(up.stderrText)")
            }
            let down = try DevenvBinary.run(["down", "--volumes"], in: project.path,
                                            environment: ["XDG_STATE_HOME": project.state, "HOME": home])
            #expect(down.exitCode == (entry.name == "compose-only" ? 2 : 0), "\(entry.name): \(down.stderrText)")
        }
        print(outcomes.joined(separator: "\n"))
    }
}
