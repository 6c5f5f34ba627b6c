/// Reads and layers devenv's configuration. Layers, lowest first:
/// 1. shipped profiles (`ProfileSearch.shippedCandidates`), 2. the user's profile folder,
/// 3. the project's `.devenv/profiles`, 4. devenv.toml (or `[tool.devenv]` of pyproject.toml
/// when there is no devenv.toml). A higher layer replaces the values it sets; `env`,
/// `volumes`, `build_args` and `build_secrets` merge key by key.
public enum ConfigLoader {
    /// The outcome of reading the configuration: a config when there was no error, and every
    /// finding (errors and warnings) in the order files were read.
    public struct Evaluation: Sendable {
        public var config: LoadedConfig?
        public var diagnostics: [Diagnostic]
        /// Errors past `ConfigLimits.maximumFindings`: counted in the last finding, not kept.
        public var unshownErrors = 0
        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    }

    /// Loads the configuration for `profile` (nil: the project's `default_profile`).
    /// Throws `DevEnvError(.usage)` (exit 2) listing every finding when any is an error.
    /// `undecodable`: the names of host variables whose values were not UTF-8 (`environment`
    /// holds them with U+FFFD): a file that refers to one is an error at the reference.
    public static func load(projectDirectory: String, profile: String?, executablePath: String,
                            environment: HostEnvironment, undecodable: Set<String> = [],
                            fileSystem: FileSystem) throws -> LoadedConfig {
        let evaluation = evaluate(projectDirectory: projectDirectory, profile: profile, executablePath: executablePath,
                                  environment: environment, undecodable: undecodable, fileSystem: fileSystem)
        if let config = evaluation.config { return config }
        let errors = evaluation.errors
        // ErrorReport adds "error:"; the single finding keeps its place in front.
        let message = errors.count == 1 && evaluation.unshownErrors == 0
            ? (errors[0].location.map { "\($0): " } ?? "") + errors[0].message
            // The summary of the unshown ones is one of `errors`, but stands for that many.
            : "\(Plural.count(errors.count + max(0, evaluation.unshownErrors - 1), "error")) in the configuration"
        // The single error is the headline already: the detail lists only the other findings
        // (warnings), so nothing is printed twice (issue 15).
        let rest = errors.count == 1 ? evaluation.diagnostics.filter { $0 != errors[0] } : evaluation.diagnostics
        throw DevEnvError(.usage, message,
                          hint: "fix the configuration; `devenv config` shows the effective settings and where each comes from",
                          detail: rest.isEmpty ? nil : rest.map(\.description).joined(separator: "\n"))
    }

    /// Like `load`, without throwing: for tests and for `devenv config`, which shows findings.
    public static func evaluate(projectDirectory: String, profile requested: String?,
                                executablePath: String, environment: HostEnvironment, undecodable: Set<String> = [],
                                fileSystem: FileSystem) -> Evaluation {
        var assembly = ConfigAssembly(projectDirectory: projectDirectory, environment: environment, undecodable: undecodable,
                                      fileSystem: fileSystem)
        assembly.readProfileDirectories(executablePath: executablePath)
        assembly.readProjectFile()
        return assembly.finish(requested: requested)
    }

    /// Findings in reading order: general ones (no place) first, then by file as read, line
    /// and column; the sort is stable, so findings at one place keep their order.
    static func ordered(_ diagnostics: [Diagnostic], files: [String]) -> [Diagnostic] {
        var rank: [String: Int] = [:]
        for (index, file) in files.enumerated() where rank[file] == nil { rank[file] = index }
        func key(_ d: Diagnostic) -> (Int, Int, Int) {
            guard let l = d.location else { return (-1, 0, 0) }
            return (rank[l.file] ?? files.count, l.line, l.column)
        }
        return diagnostics.enumerated()
            .sorted { a, b in
                let (ka, kb) = (key(a.element), key(b.element))
                return (ka.0, ka.1, ka.2, a.offset) < (kb.0, kb.1, kb.2, b.offset)
            }
            .map(\.element)
    }

    static func isProfileName(_ name: String) -> Bool { profileNameProblem(name) == nil }

    /// The longest profile name, in characters. Why: the profile is in every name devenv gives
    /// (`ResourceNames`), and an image's tag (`PROFILE-FINGERPRINT`, 13 more) may hold at most
    /// 128 characters (Docker: "invalid reference format"); 64 also keeps volume names within
    /// the engines' 255-byte file names (`ProjectName.maximumLength`).
    static let maximumProfileLength = 64

    /// Why `name` cannot name a profile (what the error or warning says after "profile names
    /// ..."), nil when it can: ASCII letters, digits, '_', '.' and '-', starting with a letter
    /// or digit (Docker's rule for container names and image tags), at most 64 characters.
    static func profileNameProblem(_ name: String) -> String? {
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) else {
            return "may only use letters, digits, '_', '.' and '-'"
        }
        guard name.count <= maximumProfileLength else {
            return "may be at most \(maximumProfileLength) characters long (found \(name.count)): Docker's image tags hold 128"
        }
        return nil
    }
}
