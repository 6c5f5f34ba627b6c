/// A lifecycle command (profile keys `post_create`, `post_start`, `post_attach`; the
/// devcontainer spec's `onCreateCommand` ... `postAttachCommand`), in the spec's three forms.
public indirect enum LifecycleCommand: Sendable, Hashable, CustomStringConvertible {
    /// Run through `sh -c` (pipes, `&&`, variables work).
    case shell(String)
    /// Run as this argv, no shell.
    case argv([String])
    /// Named commands (each `.shell` or `.argv`) started together; all must succeed. Sorted by
    /// name, so output and fingerprints do not depend on the file's order.
    case parallel([Named])

    public struct Named: Sendable, Hashable {
        public var name: String
        public var command: LifecycleCommand
        public init(name: String, command: LifecycleCommand) { self.name = name; self.command = command }
    }

    /// The argv of a single command (`sh -c TEXT` for the string form); nil for `.parallel`.
    public var argv: [String]? {
        switch self {
        case .shell(let text): return ["sh", "-c", text]
        case .argv(let words): return words
        case .parallel: return nil
        }
    }

    /// The commands to start, with a name each (`""` for a single one).
    public var steps: [(name: String, argv: [String])] {
        switch self {
        case .shell, .argv: return argv.map { [("", $0)] } ?? []
        case .parallel(let named): return named.flatMap { entry in entry.command.steps.map { (entry.name, $0.argv) } }
        }
    }

    /// TOML-like text for `devenv config`: `"uv sync"`, `["uv", "sync"]`, `{ a = ..., b = ... }`.
    public var description: String {
        switch self {
        case .shell(let text): return JSONText.quote(text)
        case .argv(let words): return "[" + words.map(JSONText.quote).joined(separator: ", ") + "]"
        case .parallel(let named):
            return "{ " + named.map { "\(JSONText.quote($0.name)) = \($0.command)" }.joined(separator: ", ") + " }"
        }
    }
}

/// When a lifecycle command runs (the devcontainer spec's order).
public enum LifecycleStage: String, Sendable, Hashable, CaseIterable {
    /// On the host, before the image is built (devcontainer.json only; needs the user's consent).
    case initialize
    /// Once per container, in this order: onCreate, updateContent, postCreate.
    case onCreate, updateContent, postCreate
    /// Every time the container starts.
    case postStart
    /// Every time `devenv shell` attaches.
    case postAttach

    /// The devcontainer.json property.
    public var devcontainerProperty: String { rawValue + "Command" }

    /// The key `devenv config` shows it under (devcontainer.json's stages without a profile key
    /// too: `initialize`, `on_create`, `update_content`).
    public var reportKey: String {
        switch self {
        case .initialize: return "initialize"
        case .onCreate: return "on_create"
        case .updateContent: return "update_content"
        case .postCreate: return "post_create"
        case .postStart: return "post_start"
        case .postAttach: return "post_attach"
        }
    }

    /// The profile key in devenv.toml (devenv's own profiles have the three post_ stages).
    public var profileKey: String? {
        switch self {
        case .postCreate: return "post_create"
        case .postStart: return "post_start"
        case .postAttach: return "post_attach"
        default: return nil
        }
    }
}
