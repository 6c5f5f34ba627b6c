import DevEnvCore
import Foundation

/// Writes a script a test then runs, from a child process (`sh`), never from the test process:
/// a file the test process has open for writing is held open by every child another test forks
/// meanwhile, until that child execs, and running the script in that window fails with ETXTBSY
/// ("Text file busy": PodmanReportsTests' docker shim, with other suites spawning beside it).
/// A child's descriptors are its own, so nothing of the test process holds the file.
public enum ProgramFile {
    /// `text` into `path` with permission bits `mode` (octal, as chmod takes them).
    public static func write(_ text: String, to path: String, mode: String = "755") throws {
        let result = try TestEngine.run(["/bin/sh", "-c", #"cat > "$1" && chmod "$2" "$1""#, "sh", path, mode], input: text)
        guard result.succeeded else {
            throw DevEnvError.failure("cannot write \(path): \(result.stderrText)")
        }
    }
}
