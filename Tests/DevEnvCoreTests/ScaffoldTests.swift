@testable import DevEnvCore
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
        #expect(project.prodCommand == nil)
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

    /// hostile24: names from pyproject.toml went into the generated files as written. A project
    /// name with a newline (`"evil\nRUN echo pwned"`) put `RUN echo pwned` on a line of its own
    /// in the Dockerfile (and a raw ESC sequence into its comment); a script, extra or
    /// dependency group name the same (the CMD, `uv sync --group NAME`). uv refuses such names;
    /// init now does too, at the name's place, before a file is written.
    @Test(arguments: [
        ("[project]\nname = \"evil\\nRUN echo pwned\"\n", "pyproject.toml:2:8: [project] name \"evil\\nRUN echo pwned\" is not a package name"),
        ("[project]\nname = \"x\\u001b]52;c;aGk=\\u0007\"\n", "pyproject.toml:2:8: [project] name \"x\\u001b]52;c;aGk=\\u0007\" is not a package name"),
        ("[project]\nname = \"-x\"\n", "pyproject.toml:2:8: [project] name \"-x\" is not a package name"),
        ("[project]\nname = 5\n", "pyproject.toml:2:8: [project] name must be a string, found an integer"),
        ("[project]\nname = \"ok\"\n[project.scripts]\n\"a\\nRUN echo pwned\" = \"m:main\"\n",
         "pyproject.toml:4:1: [project.scripts] name \"a\\nRUN echo pwned\" is not a script name"),
        ("[project]\nname = \"ok\"\n[project.scripts]\n'a\"]' = \"m:main\"\n", "pyproject.toml:4:1: [project.scripts] name \"a\\\"]\" is not a script name"),
        ("[project]\nname = \"ok\"\n[dependency-groups]\n\"t\\nRUN x\" = [\"pytest\"]\n",
         "pyproject.toml:4:1: [dependency-groups] name \"t\\nRUN x\" is not a valid name"),
        ("[project]\nname = \"ok\"\n[project.optional-dependencies]\n\"t x\" = [\"pytest\"]\n",
         "pyproject.toml:4:1: [project.optional-dependencies] name \"t x\" is not a valid name"),
    ])
    func namesThatAreNotNamesAreRefusedWhereTheyStand(pyproject: String, error: String) throws {
        do {
            _ = try Self.detect(["pyproject.toml": pyproject])
            Issue.record("accepted \(pyproject)")
        } catch let failure as DevEnvError {
            #expect(failure.exitCode == .usage)
            #expect(failure.message.hasPrefix(error), "\(failure.message)")
        }
    }

    /// Names that are names pass, Unicode script names included; a folder under src/ that
    /// cannot be imported (a newline in its name) is not taken for the package, and a word of
    /// the CMD cannot end its line whatever it holds.
    @Test func realNamesPassAndOddFoldersAndWordsStayInTheirPlace() throws {
        let project = try Self.detect(["pyproject.toml": "[project]\nname = \"My_App.2\"\n[project.scripts]\n\"héllo-1.x\" = \"m:main\"\n"
                                       + "[dependency-groups]\nTest_s = [\"pytest\"]\n",
                                       "src/x\nRUN echo pwned/__init__.py": ""])
        #expect(project.name == "My_App.2")
        #expect(project.scripts == ["héllo-1.x"])
        #expect(project.layout == .unknown)
        #expect(!(try Self.dockerfile(project)).contains("pwned"))
        #expect(DockerfileTemplate.jsonArray(["a\n\"b\u{1b}"]) == "[\"a\\n\\\"b\\u001b\"]")
        // No name in the file: the folder's, made a name.
        let unnamed = try ProjectDetection.detect(directory: "/w/my project", fileSystem: InMemoryFileSystem(["/w/my project/pyproject.toml": "[project]\n"]))
        #expect(unnamed.name == "my-project")
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
        #expect(summary.stageNames == ["base", "build-tools", "builder", "wheel", "dev", "ci", "prod"])
        // Every stage builds on base, which sets the uv and Python environment; the stages that
        // run uv sync on build-tools (compilers), prod on base (none).
        let parents = ["build-tools": "base", "builder": "build-tools", "wheel": "builder", "dev": "build-tools",
                       "ci": "build-tools", "prod": "base"]
        for stage in summary.stages.dropFirst() { #expect(stage.from == parents[stage.name], "\(stage.name)") }
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
        #expect(lines[depsSync - 4].contains("--mount=type=cache,target=/root/.cache/uv"))
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
        #expect(DockerfileSummary.parse(text).stageNames == ["base", "build-tools", "builder", "dev", "ci", "prod"])
        #expect(!text.contains("--no-editable"))
        #expect(text.contains(#"CMD ["python", "-c", "import tool"]"#))
        // A library: no entry point, so prod's CMD says so instead of restart-looping.
        #expect(text.contains(#"CMD ["python", "-c", "import sys; sys.exit('prod has no entry point: devenv init found no [project.scripts], no tool/__main__.py"#))
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
        // Named after the folder (two checkouts of one package do not collide), sanitised.
        #expect(toml.contains("name = \"shop\""))
        #expect(toml.contains("test_command = [\"python\", \"-m\", \"unittest\", \"discover\", \"-s\", \".\"]"))
        // dev, the profile a plain `devenv test` runs, gets init's runner too: it ran the shipped
        // profile's pytest, which the project does not have (break25).
        for profile in ["dev", "ci"] {
            let chosen = try #require(ConfigFixture.evaluate(ConfigFixture.fileSystem(["devenv.toml": toml]), profile: profile).config)
            #expect(chosen.profile.testCommand.value == ["python", "-m", "unittest", "discover", "-s", "."], "\(profile)")
        }
        #expect(try TOMLDecoder.decode(toml, file: "devenv.toml")["project"] != nil)
        // A commented example of the lifecycle commands, in the dev table written for the
        // runner; uncommented, it is a valid dev profile.
        #expect(toml.contains("[profiles.dev]\n# The project does not depend on pytest"))
        #expect(toml.contains("\n# post_create = [\"uv\", \"sync\", \"--frozen\"]\n"))
        let uncommented = toml.replacingOccurrences(of: "\n# post_create", with: "\npost_create")
        let config = try #require(ConfigFixture.evaluate(ConfigFixture.fileSystem(["devenv.toml": uncommented])).config)
        #expect(config.profile.lifecycle[.postCreate]?.value == .argv(["uv", "sync", "--frozen"]))
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
    // MARK: Issue 10: projects nobody wrote for devenv

    @Test func findsPytestInANonDevGroupAnExtraOrAnIncludedGroup() throws {
        let group = try Self.detect(["pyproject.toml": """
            [project]
            name = "lib"
            [dependency-groups]
            lint = ["ruff"]
            tests = ["pytest>=8", "hypothesis"]
            """, "tests/test_a.py": ""])
        // Not packaged: `python -m pytest` puts the project folder on sys.path for the tests.
        #expect(group.testRunner.command == ["python", "-m", "pytest"])
        #expect(group.testRunner.source == .group("tests"))
        #expect(group.testRunner.syncOptions == ["--group", "tests"])
        let text = try Self.dockerfile(group)
        // dev and ci install the group, and ci's final sync keeps it.
        #expect(text.components("uv sync --frozen --no-install-project --group tests") == 2)
        #expect(text.contains("uv sync --frozen --no-cache --group tests"))
        #expect(text.contains("uv sync --frozen --no-install-project --no-dev\n"))
        let toml = ProjectFileTemplates.devenvToml(project: group, choices: try ScaffoldChoices.resolve(project: group, python: nil, baseImage: nil))
        let decoded = try TOMLDecoder.decode(toml, file: "devenv.toml")
        // dev runs the runner as ci does (a plain `devenv test` ran the shipped `pytest`).
        #expect(toml.contains("[profiles.dev]\n# Not packaged (uv does not install it): python -m pytest puts /app on sys.path for the tests.\n"
            + "test_command = [\"python\", \"-m\", \"pytest\"]\n"
            + "# The test runner is in --group tests: sync-deps keeps it installed.\nsync_command = [\"uv\", \"sync\", \"--frozen\", \"--group\", \"tests\"]"))
        // The lifecycle example goes into the dev table written anyway, keeping the group.
        #expect(toml.contains("sync_command = [\"uv\", \"sync\", \"--frozen\", \"--group\", \"tests\"]\n# Lifecycle commands"))
        #expect(toml.contains("\n# post_create = [\"uv\", \"sync\", \"--frozen\", \"--group\", \"tests\"]\n"))
        #expect(decoded["profiles"] != nil)

        let extra = try Self.detect(["pyproject.toml": """
            [project]
            name = "lib"
            [project.optional-dependencies]
            docs = ["sphinx"]
            test = ["pytest", "pytest-cov"]
            """])
        #expect(extra.testRunner.source == .extra("test"))
        #expect(extra.testRunner.syncOptions == ["--extra", "test"])
        #expect(extra.testRunner.summary == "python -m pytest (extra test; ci installs it with --extra test)")

        let included = try Self.detect(["pyproject.toml": """
            [project]
            name = "lib"
            [dependency-groups]
            test = ["pytest"]
            dev = [{ include-group = "test" }, "ruff"]
            """])
        // dev includes it, and dev is installed by default: no options needed.
        #expect(included.testRunner.source == .group("dev"))
        #expect(included.testRunner.syncOptions.isEmpty)
        #expect(included.devDependencies == ["pytest", "ruff"])

        let cyclic = try Self.detect(["pyproject.toml": "[project]\nname = \"lib\"\n[dependency-groups]\na = [{ include-group = \"b\" }]\nb = [{ include-group = \"a\" }]\n",
                                      "test/test_a.py": ""])
        #expect(cyclic.testRunner.command == ["python", "-m", "unittest", "discover", "-s", "test"])
        #expect(cyclic.testRunner.source == .standardLibrary)
    }

    @Test func refusesProjectsUvCannotRunAndSaysWhy() throws {
        for (files, reason) in [
            (["setup.py": "from setuptools import setup\nsetup(name='old')\n"], "setup.py without pyproject.toml"),
            (["pyproject.toml": "[build-system]\nrequires = [\"setuptools\"]\n", "setup.py": "setup()\n"], "its metadata is in setup.py"),
            (["pyproject.toml": "[tool.poetry]\nname = \"p\"\n"], "its metadata is Poetry's"),
            (["pyproject.toml": "[tool.black]\nline-length = 100\n"], "there is no project metadata"),
        ] {
            do {
                _ = try Self.detect(files)
                Issue.record("accepted \(files.keys.sorted())")
            } catch let error as DevEnvError {
                #expect(error.exitCode == .usage)
                #expect(error.message.contains(reason), "\(error.message)")
                #expect(error.hint?.contains("uv lock") == true)
            }
        }
    }

    @Test func detectsExtensionBuildsAndFillsBuildPackages() throws {
        for (files, reason) in [
            (["setup.py": "from setuptools import Extension, setup\nsetup(ext_modules=[Extension('m', ['m.c'])])\n"], "setuptools ext_modules in setup.py"),
            (["pyproject.toml.extra": "[build-system]\nrequires = [\"meson-python\"]\nbuild-backend = \"mesonpy\"\n"], "meson-python in [build-system].requires"),
            (["pyproject.toml.extra": "[build-system]\nrequires = [\"scikit-build-core>=0.9\"]\n"], "scikit-build-core in [build-system].requires"),
            (["pyproject.toml.extra": "[build-system]\nrequires = [\"setuptools\", \"Cython>=3\"]\n"], "Cython in [build-system].requires"),
            (["pyproject.toml.extra": "[build-system]\nrequires = [\"maturin>=1,<2\"]\nbuild-backend = \"maturin\"\n"], "maturin in [build-system].requires"),
        ] {
            var all = files.filter { $0.key != "pyproject.toml.extra" }
            all["pyproject.toml"] = "[project]\nname = \"ext\"\n" + (files["pyproject.toml.extra"] ?? "")
            let project = try Self.detect(all)
            #expect(project.extensionBuild == reason)
            let toml = ProjectFileTemplates.devenvToml(project: project, choices: try ScaffoldChoices.resolve(project: project, python: nil, baseImage: nil))
            #expect(toml.contains("\nbuild_args = { BUILD_PACKAGES = \"build-essential\" }\n"), "\(toml)")
        }
        let pure = try Self.detect(["pyproject.toml": Self.pyproject])
        #expect(pure.extensionBuild == nil)
        #expect(ProjectFileTemplates.devenvToml(project: pure, choices: try ScaffoldChoices.resolve(project: pure, python: nil, baseImage: nil))
            .contains("# build_args = { BUILD_PACKAGES = \"build-essential\" }"))
    }

    @Test func prodRunsOnlyARealEntryPoint() throws {
        let main = try Self.detect(["pyproject.toml": "[project]\nname = \"srv\"\n", "srv/__init__.py": "", "srv/__main__.py": ""])
        #expect(main.prodCommand == ["python", "-m", "srv"])
        let asgi = try Self.detect(["pyproject.toml": "[project]\nname = \"api\"\ndependencies = [\"fastapi\", \"uvicorn[standard]\"]\n",
                                    "src/api/__init__.py": "", "src/api/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"])
        #expect(asgi.prodCommand == ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8080"])
        let wsgi = try Self.detect(["pyproject.toml": "[project]\nname = \"site\"\ndependencies = [\"django\", \"gunicorn\"]\n",
                                    "site/__init__.py": "", "site/wsgi.py": "application = get_wsgi_application()\n"])
        #expect(wsgi.prodCommand == ["gunicorn", "--bind", "0.0.0.0:8080", "site.wsgi:application"])
        // An app object but no server to run it: no entry point.
        let serverless = try Self.detect(["pyproject.toml": "[project]\nname = \"api\"\ndependencies = [\"fastapi\"]\n",
                                          "api/__init__.py": "", "api/main.py": "app = FastAPI()\n"])
        #expect(serverless.prodCommand == nil)
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
