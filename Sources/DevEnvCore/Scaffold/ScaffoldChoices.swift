/// The choices `devenv init` writes into the generated files: the Python version and the
/// pinned base image, each with where it came from (so init can say why).
public struct ScaffoldChoices: Sendable, Hashable {
    public static let defaultPython = "3.13"

    /// The official Python image, pinned by tag; the Dockerfile's base stage adds a pinned uv
    /// from PyPI when the image has none. A default only: init writes it, nothing here pulls it.
    /// (No registry host is named: images resolve through the user's own engine configuration.)
    public static func defaultBaseImage(python: String) -> String {
        "python:\(python)-slim-bookworm"
    }

    /// The uv the base stage installs into an image without one: the version devenv is tested with.
    public static let uvVersion = "0.13.9"

    /// Nil when --base-image was given without --python: the image's Python is the one.
    public var python: String?
    /// "--python", ".python-version", "default" or "base image".
    public var pythonSource: String
    public var baseImage: String
    /// "--base-image" or "default".
    public var baseImageSource: String
    /// Services to add (`--with`), in the order given.
    public var services: [InitService] = []

    public init(python: String?, pythonSource: String, baseImage: String, baseImageSource: String) {
        self.python = python
        self.pythonSource = pythonSource
        self.baseImage = baseImage
        self.baseImageSource = baseImageSource
    }

    /// --python wins, then the project's .python-version (its major.minor), then 3.13 (or, with
    /// --base-image, whatever Python that image has). Throws `DevEnvError.usage` (exit 2) for a
    /// --python without a MAJOR.MINOR in it, or a --base-image that is empty or holds white space.
    public static func resolve(project: PythonProject, python: String?, baseImage: String?) throws -> ScaffoldChoices {
        var version = defaultPython
        var source = "default"
        if let python {
            guard let minor = Self.minorVersion(python) else {
                throw DevEnvError.usage("--python takes a version such as 3.13, not \"\(python)\"")
            }
            version = minor
            source = "--python"
        } else if let pinned = project.pinnedPython, let minor = Self.minorVersion(pinned) {
            version = minor
            source = ".python-version"
        }
        if let baseImage {
            guard !baseImage.isEmpty, !baseImage.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else {
                throw DevEnvError.usage("--base-image takes an image reference such as NAME:TAG, not \"\(baseImage)\"")
            }
            return ScaffoldChoices(python: source == "default" ? nil : version, pythonSource: source == "default" ? "base image" : source,
                                   baseImage: baseImage, baseImageSource: "--base-image")
        }
        return ScaffoldChoices(python: version, pythonSource: source, baseImage: defaultBaseImage(python: version),
                               baseImageSource: "default")
    }

    /// `3.13`, `3.13.1`, `cpython-3.13` or `3.13t` -> `3.13`; nil when there is no X.Y.
    static func minorVersion(_ text: String) -> String? {
        var rest = Substring(text)
        if let dash = rest.lastIndex(of: "-") { rest = rest[rest.index(after: dash)...] }
        let parts = rest.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let major = parts[0]
        let minor = parts[1].prefix { $0.isNumber }
        guard !major.isEmpty, major.allSatisfy(\.isNumber), !minor.isEmpty else { return nil }
        return "\(major).\(minor)"
    }
}
