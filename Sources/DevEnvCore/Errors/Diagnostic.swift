/// A finding with its severity and, when it has one, its place in a file: what reading the
/// configuration found (warnings and errors at `FILE:LINE:COL`), and what devenv notices while
/// it works (`note`, `warning`). `ErrorReport.diagnostic` is the one way any of them reaches
/// stderr.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// `note`: worth knowing, nothing is wrong (a dry run's assumption, a remote engine);
    /// `warning`: devenv went on, but something may not work as meant; `error`: it did not.
    public enum Severity: String, Sendable, Hashable { case note, warning, error }
    public var severity: Severity
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    /// `devenv.toml:7:12: error: expected '=' after key "ports"`.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}
