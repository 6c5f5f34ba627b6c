#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pause on the normal screen (cooked mode) before the dashboard paints over it, so that what
/// a handed-over command printed can be read.
public enum TerminalPrompt {
    /// Writes `message` and waits for Enter (or end of input).
    public static func waitForEnter(_ message: String) {
        let bytes = Array(message.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || byte == 0x0A || byte == 0x0D { return }
        }
    }
}
