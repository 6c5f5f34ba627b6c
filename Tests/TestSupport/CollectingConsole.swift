import DevEnvCore
import Foundation

/// A Console for tests: collects stdout and stderr text; terminal flags as the test says.
public final class CollectingConsole: Console, @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    public let stdinIsTerminal: Bool
    public let stdoutIsTerminal: Bool
    public let stderrIsTerminal: Bool
    /// As the test says: standard output closed (`Console.outputClosed`).
    public var outputClosed: String?

    public init(terminal: Bool = false) {
        stdinIsTerminal = terminal
        stdoutIsTerminal = terminal
        stderrIsTerminal = terminal
    }

    public func write(_ text: String) { lock.withLock { out += text } }
    public func writeError(_ text: String) { lock.withLock { err += text } }
    public var stdout: String { lock.withLock { out } }
    public var stderr: String { lock.withLock { err } }
}
