import DevEnvCore
import Testing
import TestSupport

@Suite struct ScaffoldTests {
    static let root = "/w/shop"

    static let pyproject = """
        [project]
        name = "Shop-App"
        version = "0.1.0"
        requires-python = ">=3.12"
        dependencies = ["FastAPI>=0.110", "requests[socks] >= 2; python_version > '3'"]

        [project.scripts]
        shop = "shop_app.cli:main"
        shop-admin = "shop_app.admin:main"

        [dependency-groups]
        dev = ["pytest>=8", "ruff"]

        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"
        """

    static func project(_ files: [String: String]) -> InMemoryFileSystem {
        InMemoryFileSystem(Dictionary(uniqueKeysWithValues: files.map { (root + "/" + $0.key, $0.value) }))
    }

    static func detect(_ files: [String: String]) throws -> PythonProject {
        try ProjectDetection.detect(directory: root, fileSystem: project(files))
    }

    static func dockerfile(_ project: PythonProject, python: String? = nil, base: String? = nil) throws -> String {
        DockerfileTemplate.text(project: project, choices: try ScaffoldChoices.resolve(project: project, python: python, baseImage: base))
    }

    @Test func detectsASrcLayoutPackagedProject() throws {
        let project = try Self.detect(["pyproject.toml": Self.pyproject, "uv.lock": "version = 1\n",
                                       "src/shop_app/__init__.py": "", "tests/test_x.py": "", ".python-version": "3.12.4\n"])
        #expect(project.name == "Shop-App")
        #expect(project.module == "shop_app")
        #expect(project.layout == .src)
        #expect(project.hasLock)
        #expect(project.isPackaged)
        #expect(project.buildBackend == "hatchling.build")
        #expect(project.requiresPython == ">=3.12")
        #expect(project.pinnedPython == "3.12.4")
        #expect(project.scripts == ["shop", "shop-admin"])
        #expect(project.dependencies == ["fastapi", "requests"])
        #expect(project.devDependencies == ["pytest", "ruff"])
        #expect(project.webFramework == "fastapi")
        #expect(project.usesPytest)
        #expect(project.prodCommand == ["shop"])
        #expect(project.testCommand == ["pytest"])
    }

    @Test func detectsAFlatVirtualProjectAndItsModule() throws {
        let project = try Self.detect(["pyproject.toml": "[project]\nname = \"tool\"\ndependencies = []\n",
                                       "tool/__init__.py": ""])
        #expect(project.layout == .flat)
        #expect(!project.isPackaged)
        #expect(!project.hasLock)
        #expect(project.webFramework == nil)
        #expect(project.prodCommand == ["python", "-m", "tool"])
        #expect(project.testCommand == ["python", "-m", "unittest", "discover", "-s", "."])
        // tool.uv.package = true makes a project without [build-system] a package.
        let packaged = try Self.detect(["pyproject.toml": "[project]\nname = \"tool\"\n[tool.uv]\npackage = true\n",
                                        "tool.py": ""])
        #expect(packaged.isPackaged)
        #expect(packaged.layout == .singleModule)
    }

    @Test func findsTheOnlyPackageUnderSrcWhateverItsName() throws {
        let project = try Self.detect(["pyproject.toml": "[project]\nname = \"my-dist\"\n", "src/other/__init__.py": ""])
        #expect(project.module == "other")
        #expect(project.layout == .src)
        let none = try Self.detect(["pyproject.toml": "[project]\nname = \"my-dist\"\n"])
        #expect(none.layout == .unknown)
        #expect(none.module == "my_dist")
    }

    @Test func withoutPyprojectOrWithBrokenTOMLItIsAUsageError() throws {
        #expect(throws: DevEnvError.self) { try Self.detect(["setup.py": ""]) }
        do {
            _ = try Self.detect(["pyproject.toml": "[project\n"])
            Issue.record("no error")
        } catch let error as DevEnvError {
            #expect(error.exitCode == .usage)
            #expect(error.message.contains("pyproject.toml"))
        }
    }

    @Test func choicesComeFromTheFlagsThenPythonVersionThenTheDefault() throws {
        let project = try Self.detect(["pyproject.toml": Self.pyproject, ".python-version": "cpython-3.12.1\n"])
        let pinned = try ScaffoldChoices.resolve(project: project, python: nil, baseImage: nil)
        #expect(pinned.python == "3.12")
        #expect(pinned.pythonSource == ".python-version")
        #expect(pinned.baseImage == "python:3.12-slim-bookworm")
        let flagged = try ScaffoldChoices.resolve(project: project, python: "3.11", baseImage: nil)
        #expect(flagged.baseImage == "python:3.11-slim-bookworm")
        let plain = try Self.detect(["pyproject.toml": Self.pyproject])
        let byDefault = try ScaffoldChoices.resolve(project: plain, python: nil, baseImage: nil)
        #expect(byDefault.python == "3.13" && byDefault.pythonSource == "default")
        let given = try ScaffoldChoices.resolve(project: plain, python: nil, baseImage: "local/py:1")
        #expect(given.baseImage == "local/py:1" && given.python == nil && given.baseImageSource == "--base-image")
        #expect(throws: DevEnvError.self) { try ScaffoldChoices.resolve(project: plain, python: "three", baseImage: nil) }
        #expect(throws: DevEnvError.self) { try ScaffoldChoices.resolve(project: plain, python: nil, baseImage: "a b") }
    }

    @Test func theDockerfileHasEveryStageAndNoSyntaxLine() throws {
        let project = try Self.detect(["pyproject.toml": Self.pyproject, "uv.lock": "", "src/shop_app/__init__.py": ""])
        let text = try Self.dockerfile(project)
        let summary = DockerfileSummary.parse(text)
        #expect(summary.stageNames == ["base", "builder", "wheel", "dev", "ci", "prod"])
        // Every stage builds on base, which sets the uv and Python environment.
        for stage in summary.stages.dropFirst() { #expect(stage.from == (stage.name == "wheel" ? "builder" : "base")) }
        for name in ["UV_PROJECT_ENVIRONMENT", "UV_COMPILE_BYTECODE", "UV_LINK_MODE", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"] {
            #expect(summary.variables.contains { $0.kind == .env && $0.name == name && $0.line < summary.stages[1].line })
        }
        #expect(summary.variables.contains { $0.name == "UV_PROJECT_ENVIRONMENT" && $0.value == "/venv" })
        // A syntax directive would fetch the frontend from a registry.
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("# syntax=") || $0.hasPrefix("#syntax=") })
        #expect(summary.baseImage() == "python:3.13-slim-bookworm")
        // Non-root users everywhere but base and builder; ci's default UID is 1001.
        #expect(summary.effectiveUser(of: "dev") == "${UID}:${GID}")
        #expect(summary.effectiveUser(of: "prod") == "${UID}:${GID}")
        #expect(summary.variables.contains { $0.kind == .arg && $0.name == "UID" && $0.value == "1001" })
        #expect(summary.variables.contains { $0.kind == .arg && $0.name == "UID" && $0.value == "10001" })
        // No secret in ARG or ENV.
        #expect(!summary.variables.contains { DoctorChecks.isSecretName($0.name) })
        #expect(text.contains("--mount=type=secret,id=netrc,target=/root/.netrc"))
        #expect(text.contains("HEALTHCHECK"))
        #expect(text.contains(#"CMD ["shop"]"#))
        #expect(text.contains(#"CMD ["pytest"]"#))
        // fastapi: prod listens on 8080 and the health check connects to it.
        #expect(text.contains("EXPOSE 8080"))
        #expect(text.contains("socket.create_connection(('127.0.0.1', 8080), 3)"))
    }

    /// The dependency layer comes before the code in every stage that installs both.
    @Test func dependenciesAreInstalledBeforeTheCodeIsCopied() throws {
        let project = try Self.detect(["pyproject.toml": Self.pyproject, "src/shop_app/__init__.py": ""])
        let lines = try Self.dockerfile(project).split(separator: "\n").map(String.init)
        func index(_ fragment: String, after start: Int = 0) -> Int? {
            lines.indices.first { $0 >= start && lines[$0].contains(fragment) }
        }
        let builder = try #require(index("AS builder"))
        let depsCopy = try #require(index("COPY pyproject.toml uv.lock ./", after: builder))
        let depsSync = try #require(index("uv sync --frozen --no-install-project --no-dev", after: builder))
        let wheelStage = try #require(index("FROM builder AS wheel", after: builder))
        let codeCopy = try #require(index("COPY . .", after: wheelStage))
        let projectSync = try #require(index("uv build --wheel --out-dir /dist", after: builder))
        #expect(depsCopy < depsSync && depsSync < wheelStage && codeCopy < projectSync)
        #expect(lines[depsSync - 2].contains("--mount=type=cache,target=/root/.cache/uv"))
        let prod = try #require(index("AS prod"))
        let venvCopy = try #require(index("COPY --from=builder /venv /venv", after: prod))
        let wheel = try #require(index("uv pip install --python /venv/bin/python --no-deps --no-cache /dist/*.whl", after: prod))
        #expect(lines[wheel - 1].contains("--mount=type=bind,from=wheel,source=/dist,target=/dist"))
        let removeUV = try #require(index("rm -f /usr/local/bin/uv /usr/local/bin/uvx", after: prod))
        // The user and setuid step first (project-independent), then the dependencies, then the wheel.
        #expect(try #require(index("chmod a-s", after: prod)) < venvCopy && venvCopy < wheel && wheel < removeUV)
    }

    @Test func aVirtualProjectShipsItsSourceTreeAndImportsForHealth() throws {
        let project = try Self.detect(["pyproject.toml": "[project]\nname = \"tool\"\n", "tool/__init__.py": ""])
        let text = try Self.dockerfile(project, base: "local/py:1")
        #expect(text.contains("COPY . /app"))
        #expect(DockerfileSummary.parse(text).stageNames == ["base", "builder", "dev", "ci", "prod"])
        #expect(!text.contains("--no-editable"))
        #expect(text.contains(#"CMD ["python", "-c", "import tool"]"#))
        #expect(text.contains(#"CMD ["python", "-m", "tool"]"#))
        #expect(text.contains("ARG BASE_IMAGE=local/py:1"))
        #expect(!text.contains("EXPOSE 8080"))
    }

    @Test func gitignoreGainsOnlyTheMissingEntriesOnce() throws {
        let merged = try #require(ProjectFileTemplates.gitignore(merging: ".venv/\n.env.dev"))
        #expect(merged.hasPrefix(".venv/\n.env.dev\n\n# devenv:"))
        #expect(merged.contains("\n.env.*\n!.env.*.template\n"))
        #expect(merged.components(".venv/") == 1)
        #expect(ProjectFileTemplates.gitignore(merging: merged) == nil)
        #expect(ProjectFileTemplates.gitignore(merging: nil)?.hasPrefix("# devenv:") == true)
    }

    @Test func theTomlAndTemplatesNameTheProject() throws {
        let project = try Self.detect(["pyproject.toml": "[project]\nname = \"My_Tool\"\n", "my_tool/__init__.py": ""])
        let choices = try ScaffoldChoices.resolve(project: project, python: "3.12", baseImage: nil)
        let toml = ProjectFileTemplates.devenvToml(project: project, choices: choices)
        #expect(toml.contains("name = \"my_tool\""))
        #expect(toml.contains("test_command = [\"python\", \"-m\", \"unittest\", \"discover\", \"-s\", \".\"]"))
        #expect(try TOMLDecoder.decode(toml, file: "devenv.toml")["project"] != nil)
        let prod = ProjectFileTemplates.envTemplate(profile: "prod", project: project)
        #expect(prod.contains("APP_ENV=production"))
        #expect(prod.contains("# SECRET_KEY="))
    }

    @Test func thePlanRefusesExistingFilesUnlessForcedAndKeepsBackups() throws {
        let project = try Self.detect(["pyproject.toml": Self.pyproject, "src/shop_app/__init__.py": ""])
        let choices = try ScaffoldChoices.resolve(project: project, python: nil, baseImage: nil)
        let files = ScaffoldPlan.files(project: project, choices: choices, existingGitignore: "x\n")
        #expect(files.map(\.path) == ["Dockerfile", "docker/create-user.sh", ".dockerignore", ".env.dev.template",
                                      ".env.prod.template", "devenv.toml", ".env.dev", ".gitignore"])
        #expect(files.first { $0.path == ".env.dev" }?.mode == 0o600)
        #expect(files.first { $0.path == "docker/create-user.sh" }?.mode == 0o755)
        let existing: Set = ["Dockerfile", ".env.dev", ".gitignore"]
        let refused = ScaffoldPlan.make(files: files, exists: existing.contains, force: false)
        #expect(refused.conflicts == ["Dockerfile"])
        let forced = ScaffoldPlan.make(files: files, exists: existing.contains, force: true)
        #expect(forced.conflicts.isEmpty)
        let actions = Dictionary(uniqueKeysWithValues: forced.steps.map { ($0.file.path, $0.action) })
        #expect(actions["Dockerfile"] == .overwrite)
        #expect(forced.steps.first?.backup == "Dockerfile.bak")
        #expect(actions[".env.dev"] == .skip)
        #expect(actions[".gitignore"] == .append)
        #expect(actions["devenv.toml"] == .write)
    }
}

extension String {
    func components(_ separator: String) -> Int {
        var count = 0
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
