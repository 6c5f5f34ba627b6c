import Foundation
import Testing
import TestSupport

/// legacy25: SIGTERM while devenv read a large configuration was looked at only once the reading
/// was done (seconds for a 4 MiB devenv.toml; 25 s in a debug build), and `devenv config` then
/// printed its report and exited 0. Reading is reads and computation only, so the signal now
/// ends devenv at once: 128+15, saying so, nothing printed (real binary).
@Suite struct InterruptedReadingTests {
    @Test func sigtermWhileReadingABigConfigurationEndsDevenvAtOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-reading-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Just under the 4 MiB limit: many env entries, each a setting to check and report.
        let value = String(repeating: "v", count: 80)
        let entries = (0 ..< 44_000).map { "V\($0) = \"\(value)\"" }
        let text = "[project]\nname = \"big\"\n\n[profiles.dev.env]\n" + entries.joined(separator: "\n") + "\n"
        #expect(text.utf8.count < 4 << 20)
        try text.write(toFile: dir + "/devenv.toml", atomically: true, encoding: .utf8)
        let run = try BackgroundDevenv(["--no-tui", "config"], project: dir, folder: dir,
                                       environment: ["DEVENV_DOCKER": "/bin/false", "NO_COLOR": "1"])
        // Read the file (its bytes counted by the kernel): devenv is now decoding and checking it.
        // `config` only reads: it says so (mend27b), not that it planned and changed nothing yet.
        try Self.terminateOnceRead(run, bytes: text.utf8.count, of: "devenv.toml",
                                   saying: "devenv: interrupted while reading the configuration and asking the engine; this command changes nothing")
        #expect(run.stdout.isEmpty, "the report was printed after the signal")
    }

    /// Waits until `run` has read `bytes` (/proc/PID/io's rchar: the kernel counted `file` read),
    /// sends it SIGTERM, and expects it to end at once with 143 saying why.
    static func terminateOnceRead(_ run: BackgroundDevenv, bytes: Int, of file: String,
                                  saying message: String = "devenv: interrupted while reading the configuration and planning; nothing was changed") throws {
        let pid = run.process.processIdentifier
        let readIt = BackgroundDevenv.waitFor(seconds: 60) {
            let io = (try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)) ?? ""
            let read = io.split(separator: "\n").first { $0.hasPrefix("rchar:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
            return (read ?? 0) >= bytes || !run.isRunning
        }
        #expect(readIt, "devenv did not read \(file) within 60 s")
        #expect(run.isRunning, "devenv ended before the signal: \(run.stderr.prefix(300))")
        kill(pid, SIGTERM)
        let status = run.exitStatus(within: 60)
        #expect(status == 143 && run.process.terminationReason == .exit, "status \(String(describing: status)): \(run.stderr.suffix(400))")
        #expect(run.stderr.contains(message), "\(run.stderr.suffix(400))")
    }

    /// mend26a: the same after the reading, while `up` fingerprints a large uv.lock (and plans),
    /// before any docker call that changes something: the signal waited for the computation and
    /// ended devenv at its next docker call. The engine is /bin/true here: every query answers
    /// empty, and the first call that would change something is never reached.
    @Test func sigtermWhileFingerprintingEndsDevenvAtOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-planning-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[project]\nname = \"big\"\n\n[profiles.dev]\nnetwork = \"none\"\nports = []\nvolumes = {}\n"
            .write(toFile: dir + "/devenv.toml", atomically: true, encoding: .utf8)
        try "FROM scratch AS dev\n".write(toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
        // Just under devenv's 16 MiB file limit: hashed whole for the image's fingerprint.
        let lock = "version = 1\n" + String(repeating: "# " + String(repeating: "x", count: 98) + "\n", count: 160_000)
        try lock.write(toFile: dir + "/uv.lock", atomically: true, encoding: .utf8)
        let run = try BackgroundDevenv(["--no-tui", "up"], project: dir, folder: dir,
                                       environment: ["DEVENV_DOCKER": "/bin/true", "NO_COLOR": "1", "XDG_STATE_HOME": dir + "/state"])
        try Self.terminateOnceRead(run, bytes: lock.utf8.count, of: "uv.lock")
    }
}
