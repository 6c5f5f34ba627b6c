/// What `devenv init` found out about a uv project, from its files alone.
public struct PythonProject: Sendable, Hashable {
    public enum Layout: String, Sendable, Hashable {
        /// src/PACKAGE/__init__.py
        case src
        /// PACKAGE/__init__.py next to pyproject.toml
        case flat
        /// PACKAGE.py (or src/PACKAGE.py)
        case singleModule = "single-module"
        /// No importable code found under the project's name.
        case unknown
    }

    /// A named list of requirements: a `[dependency-groups]` group or a
    /// `[project.optional-dependencies]` extra, as normalized distribution names.
    public struct Requirements: Sendable, Hashable {
        public var name: String
        public var packages: [String]
        public init(name: String, packages: [String]) {
            self.name = name
            self.packages = packages
        }
    }

    /// The project folder, absolute.
    public var directory: String
    /// `[project].name`, else the folder's name.
    public var name: String
    /// The import name: the project name lowercased with `-` and `.` as `_`, or the package
    /// folder actually found.
    public var module: String
    public var layout: Layout
    public var hasLock: Bool
    /// A `[build-system]` (or `tool.uv.package = true`): uv installs the project into the venv,
    /// so prod needs no source tree. Otherwise uv treats it as virtual and prod copies the code.
    public var isPackaged: Bool
    public var buildBackend: String?
    public var requiresPython: String?
    /// The first line of `.python-version`, when there is one.
    public var pinnedPython: String?
    /// `[project.scripts]` names, in file order.
    public var scripts: [String]
    /// Normalized distribution names of `[project].dependencies`.
    public var dependencies: [String]
    /// Normalized names of the `dev` dependency group (or `tool.uv.dev-dependencies`).
    public var devDependencies: [String]
    /// Every `[dependency-groups]` group in file order, `include-group` entries resolved
    /// (`dev` includes `tool.uv.dev-dependencies`).
    public var dependencyGroups: [Requirements]
    /// `[project.optional-dependencies]` extras, in file order.
    public var optionalDependencies: [Requirements]
    /// `tests` or `test` when that folder exists next to pyproject.toml.
    public var testsFolder: String?
    /// Normalized names of `[build-system].requires`.
    public var buildRequires: [String]
    /// Why the project compiles code when it is built (`setuptools ext_modules in setup.py`,
    /// `maturin in [build-system].requires`), nil for a pure-Python project.
    public var extensionBuild: String?
    /// The package has a `__main__` module, so `python -m MODULE` runs it.
    public var hasMainModule: Bool
    /// `MODULE.FILE:app` (ASGI/WSGI), found in the package's main/app/asgi/wsgi module.
    public var webApp: String?

    public var hasTestsFolder: Bool { testsFolder != nil }

    public init(directory: String, name: String, module: String, layout: Layout, hasLock: Bool, isPackaged: Bool,
                buildBackend: String? = nil, requiresPython: String? = nil, pinnedPython: String? = nil,
                scripts: [String] = [], dependencies: [String] = [], devDependencies: [String] = [],
                dependencyGroups: [Requirements] = [], optionalDependencies: [Requirements] = [],
                testsFolder: String? = nil, buildRequires: [String] = [], extensionBuild: String? = nil,
                hasMainModule: Bool = false, webApp: String? = nil) {
        self.directory = directory
        self.name = name
        self.module = module
        self.layout = layout
        self.hasLock = hasLock
        self.isPackaged = isPackaged
        self.buildBackend = buildBackend
        self.requiresPython = requiresPython
        self.pinnedPython = pinnedPython
        self.scripts = scripts
        self.dependencies = dependencies
        self.devDependencies = devDependencies
        self.dependencyGroups = dependencyGroups
        self.optionalDependencies = optionalDependencies
        self.testsFolder = testsFolder
        self.buildRequires = buildRequires
        self.extensionBuild = extensionBuild
        self.hasMainModule = hasMainModule
        self.webApp = webApp
    }

    /// Web frameworks and servers whose presence means the prod container listens on a port.
    static let webPackages = ["fastapi", "flask", "django", "starlette", "uvicorn", "gunicorn", "aiohttp",
                              "sanic", "litestar", "quart", "hypercorn", "tornado", "bottle", "falcon"]

    /// The first web framework among the dependencies, nil for a non-web project.
    public var webFramework: String? {
        Self.webPackages.first { dependencies.contains($0) }
    }

    public var usesPytest: Bool { testRunner.command.contains("pytest") }

    /// How prod starts the application: the first console script, else `python -m MODULE`
    /// when the package has a `__main__`, else an ASGI/WSGI app under a server the project
    /// depends on; nil when there is no entry point (a library), so init writes none.
    public var prodCommand: [String]? {
        if let script = scripts.first { return [script] }
        if hasMainModule { return ["python", "-m", module] }
        if let webApp {
            if dependencies.contains("uvicorn") { return ["uvicorn", webApp, "--host", "0.0.0.0", "--port", "8080"] }
            if dependencies.contains("gunicorn") { return ["gunicorn", "--bind", "0.0.0.0:8080", webApp] }
            if dependencies.contains("hypercorn") { return ["hypercorn", "--bind", "0.0.0.0:8080", webApp] }
        }
        return nil
    }

    /// The test runner ci uses and where it comes from.
    public struct TestRunner: Sendable, Hashable {
        public enum Source: Sendable, Hashable {
            /// `[project].dependencies` (every sync installs it).
            case dependencies
            /// A dependency group; `dev` is installed by every `uv sync` without options.
            case group(String)
            /// An extra of `[project.optional-dependencies]`.
            case extra(String)
            /// No runner among the requirements: the standard library's unittest.
            case standardLibrary
        }

        public var command: [String]
        public var source: Source

        /// The `uv sync` options that install the runner: `--group NAME` or `--extra NAME`.
        public var syncOptions: [String] {
            switch source {
            case .group(let name) where name != "dev": return ["--group", name]
            case .extra(let name): return ["--extra", name]
            default: return []
            }
        }

        /// "pytest (dependency group tests)", for init's report.
        public var summary: String {
            let runner = command.joined(separator: " ")
            switch source {
            case .dependencies: return "\(runner) (a dependency of the project)"
            case .group(let name): return "\(runner) (dependency group \(name)\(syncOptions.isEmpty ? "" : "; ci installs it with --group \(name)"))"
            case .extra(let name): return "\(runner) (extra \(name); ci installs it with --extra \(name))"
            case .standardLibrary: return "\(runner) (no pytest in any dependency group or extra)"
            }
        }
    }

    /// pytest from the first place that lists it: the dependencies, the `dev` group (installed
    /// by default), any other group, then the extras (all in file order); else unittest over
    /// tests/, test/ or the project folder.
    /// A project uv does not install (no [build-system]) runs `python -m pytest`, which puts
    /// the working directory on sys.path: its tests import the code from the project folder.
    public var testRunner: TestRunner {
        let runner = "pytest"
        let command = isPackaged ? [runner] : ["python", "-m", runner]
        if dependencies.contains(runner) { return TestRunner(command: command, source: .dependencies) }
        if devDependencies.contains(runner) { return TestRunner(command: command, source: .group("dev")) }
        if let group = dependencyGroups.first(where: { $0.packages.contains(runner) }) {
            return TestRunner(command: command, source: .group(group.name))
        }
        if let extra = optionalDependencies.first(where: { $0.packages.contains(runner) }) {
            return TestRunner(command: command, source: .extra(extra.name))
        }
        return TestRunner(command: ["python", "-m", "unittest", "discover", "-s", testsFolder ?? "."], source: .standardLibrary)
    }

    /// How ci runs the tests: pytest when the project lists it anywhere, else unittest.
    public var testCommand: [String] { testRunner.command }

    /// A distribution name as PEP 503 compares them: lowercase, runs of `-_.` as one `-`.
    public static func normalizedName(_ raw: String) -> String {
        var out = ""
        var pendingSeparator = false
        for ch in raw.lowercased() {
            if ch == "-" || ch == "_" || ch == "." {
                pendingSeparator = !out.isEmpty
            } else {
                if pendingSeparator { out.append("-") }
                pendingSeparator = false
                out.append(ch)
            }
        }
        return out
    }

    /// The distribution name at the start of a PEP 508 requirement (`requests[socks]>=2; ...`).
    public static func requirementName(_ requirement: String) -> String {
        let name = requirement.drop { $0 == " " }.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        return normalizedName(String(name))
    }

    /// A name as PEP 508 (and uv) takes it for a project, an extra or a dependency group:
    /// ASCII letters and digits, with `.`, `_` and `-` between them. `devenv init` writes these
    /// names into the Dockerfile and devenv.toml, so nothing else may pass.
    public static func isValidName(_ name: String) -> Bool {
        func alphanumeric(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// A console script's name as the entry points specification recommends (`[\w.-]+`:
    /// letters, digits, `_`, `.`, `-`): it becomes the prod stage's CMD.
    public static func isValidScriptName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || scalar == "." || scalar == "-"
                || scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
        }
    }

    /// Whether a folder's name can be imported: letters, digits and `_`, not starting with a
    /// digit (Python's identifiers, Unicode letters included).
    public static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.numericType != .decimal else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType == .decimal }
    }

    /// The import name for a project name: `my-app.core` -> `my_app_core`.
    public static func moduleName(_ projectName: String) -> String {
        String(projectName.lowercased().map { $0 == "-" || $0 == "." || $0 == " " ? "_" : $0 })
    }
}
