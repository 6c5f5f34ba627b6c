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
    public var hasTestsFolder: Bool

    public init(directory: String, name: String, module: String, layout: Layout, hasLock: Bool, isPackaged: Bool,
                buildBackend: String? = nil, requiresPython: String? = nil, pinnedPython: String? = nil,
                scripts: [String] = [], dependencies: [String] = [], devDependencies: [String] = [],
                hasTestsFolder: Bool = false) {
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
        self.hasTestsFolder = hasTestsFolder
    }

    /// Web frameworks and servers whose presence means the prod container listens on a port.
    static let webPackages = ["fastapi", "flask", "django", "starlette", "uvicorn", "gunicorn", "aiohttp",
                              "sanic", "litestar", "quart", "hypercorn", "tornado", "bottle", "falcon"]

    /// The first web framework among the dependencies, nil for a non-web project.
    public var webFramework: String? {
        Self.webPackages.first { dependencies.contains($0) }
    }

    public var usesPytest: Bool { devDependencies.contains("pytest") || dependencies.contains("pytest") }

    /// How prod starts the application: the first console script, else `python -m MODULE`.
    public var prodCommand: [String] {
        if let script = scripts.first { return [script] }
        return ["python", "-m", module]
    }

    /// How ci runs the tests: pytest when the project depends on it, else unittest.
    public var testCommand: [String] {
        if usesPytest { return ["pytest"] }
        return ["python", "-m", "unittest", "discover", "-s", hasTestsFolder ? "tests" : "."]
    }

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

    /// The import name for a project name: `my-app.core` -> `my_app_core`.
    public static func moduleName(_ projectName: String) -> String {
        String(projectName.lowercased().map { $0 == "-" || $0 == "." || $0 == " " ? "_" : $0 })
    }
}
