/// Where devenv's own text goes, and what the three standard streams are connected to.
/// DevEnvSystem writes to the real descriptors; tests collect the text.
public protocol Console: AnyObject, Sendable {
    func write(_ text: String)
    func writeError(_ text: String)
    var stdinIsTerminal: Bool { get }
    var stdoutIsTerminal: Bool { get }
    var stderrIsTerminal: Bool { get }
}

