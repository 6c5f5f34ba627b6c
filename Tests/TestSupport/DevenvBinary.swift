import DevEnvCore
import Foundation

/// The devenv binary built next to the test bundle (same build folder, whatever
/// --scratch-path was), run as a user would run it.
public enum DevenvBinary {
    public static let path: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("devenv").path
    }()

    /// Runs `devenv ARGS` in `project`, with Debian's docker client (BuildKit built in) when the
    /// engine tests use it.
    @discardableResult
    public static func run(_ arguments: [String], in project: String, environment: [String: String] = [:],
                           input: String? = nil, timeoutSeconds: Int = 300) throws -> ProcessResult {
        // A private --bridge=none dockerd elsewhere may have deleted the shared bridge meanwhile.
        TestEngine.restoreBridgeInterface()
        var env = environment
        if env["DEVENV_DOCKER"] == nil, let docker = TestEngine.availability().docker { env["DEVENV_DOCKER"] = docker }
        return try TestEngine.run([path, "--project", project] + arguments, environment: env, input: input,
                                  timeoutSeconds: timeoutSeconds)
    }
}
