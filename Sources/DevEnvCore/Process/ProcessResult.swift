/// How a child process ended and what it wrote: `exitCode` (the process's own, or 128+N when
/// signal N ended it, as a shell reports it), and its stdout and stderr as bytes (empty for
/// output that was streamed or went to the terminal, not captured).
public struct ProcessResult: Sendable, Hashable {
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(exitCode: Int32, stdout: [UInt8] = [], stderr: [UInt8] = []) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    /// The output as UTF-8 text; invalid sequences become U+FFFD.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var succeeded: Bool { exitCode == 0 }
}
