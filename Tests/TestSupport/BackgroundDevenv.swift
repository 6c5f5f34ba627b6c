import Foundation

/// The devenv binary run in the background on a project (`logs -f`, a run the test acts on
/// while it runs), its stdout and stderr written to files in `folder` that the test reads as
/// they grow. Ended (SIGTERM) and waited for when dropped while it still runs.
public final class BackgroundDevenv {
    public let process = Process()
    public let stdoutPath: String
    public let stderrPath: String

    /// Starts `devenv --project project ARGUMENTS` with this process's environment plus
    /// `environment`, stdin from /dev/null. Throws what making the files or starting throws.
    /// `launcher`: a command that execs devenv (e.g. `env --default-signal=USR1`), so the
    /// process is still devenv's.
    public init(_ arguments: [String], project: String, folder: String, environment: [String: String] = [:],
                launcher: [String] = []) throws {
        stdoutPath = folder + "/devenv-stdout-\(UUID().uuidString.prefix(6))"
        stderrPath = folder + "/devenv-stderr-\(UUID().uuidString.prefix(6))"
        for file in [stdoutPath, stderrPath] { FileManager.default.createFile(atPath: file, contents: nil) }
        let argv = launcher + [DevenvBinary.path, "--project", project] + arguments
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    /// What it printed so far.
    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    public var isRunning: Bool { process.isRunning }

    /// Waits for `condition`, checked every 50 ms, for at most `seconds`; whether it held.
    public static func waitFor(seconds: Double = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline { usleep(50_000) }
        return condition()
    }

    /// Waits for it to end, at most `seconds` (then ends it); its exit status, nil when it had
    /// to be ended.
    public func exitStatus(within seconds: Double = 60) -> Int32? {
        let ended = Self.waitFor(seconds: seconds) { !process.isRunning }
        if !ended { process.terminate() }
        process.waitUntilExit()
        return ended ? process.terminationStatus : nil
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }
}
