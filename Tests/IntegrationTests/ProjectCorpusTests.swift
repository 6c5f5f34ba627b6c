import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A small project of one shape real projects have (issue 10), generated in a folder owned by
/// 4242:4242 and locked offline: the image devenv-test/python-build carries a wheel cache that
/// build-test-images.sh filled on the host with pip (pytest, setuptools, six...), and uv uses it
/// through UV_FIND_LINKS and UV_OFFLINE, so no container or build reaches a network.
final class CorpusProject {
    static let image = "devenv-test/python-build:latest"
    let parent: String
    let path: String
    /// The project name devenv derives from the folder.
    let name: String

    init(shape: String, files: [String: String]) throws {
        parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-corpus-\(UUID().uuidString.prefix(8))").path
        name = "\(shape)\(UUID().uuidString.prefix(6).lowercased())"
        path = parent + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent)
        for (relative, text) in files { try write(relative, text) }
        _ = try TestEngine.run(["chown", "-R", "4242:4242", path])
    }

    func write(_ relative: String, _ text: String) throws {
        let file = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try TestEngine.run(["chown", "-R", "4242:4242", path])
    }

    func read(_ relative: String) throws -> String { try String(contentsOfFile: path + "/" + relative, encoding: .utf8) }

    /// `uv lock` as the folder's owner, offline, from the wheel cache.
    func lock() throws {
        let result = try TestEngine.docker(["run", "--rm", "--network", "none", "--user", "4242:4242", "-v", "\(path):/app", "-w", "/app",
                                            "-e", "UV_CACHE_DIR=/tmp/uv", Self.image, "uv", "lock", "--quiet"])
        #expect(result.exitCode == 0, "uv lock: \(result.stderrText)")
    }

    /// `devenv init` on the wheel-cache image, then every profile on `--network none` with no
    /// published ports (the test engine may have no bridge).
    func initialize() throws -> ProcessResult {
        let result = try devenv("init", "--base-image", Self.image)
        guard result.exitCode == 0 else { return result }
        var toml = try read("devenv.toml")
        for profile in ["dev", "ci", "prod"] {
            toml = ProfileKeys.add("network = \"none\"\nports = []\n", to: profile, in: toml)
        }
        try write("devenv.toml", toml)
        try write(".env.prod", "APP_ENV=production\n")
        return result
    }

    @discardableResult
    func devenv(_ arguments: String...) throws -> ProcessResult {
        try DevenvBinary.run(arguments, in: path, timeoutSeconds: 600)
    }

    /// The container's health once it is no longer "starting" (`TestEngine.waitForHealth`).
    func health(_ profile: String) throws -> String {
        try TestEngine.waitForHealth(of: "\(DevenvNames.container(name, in: path, profile: profile))")
    }

    /// `uv add`'s effect: six among the dependencies, uv.lock locked again.
    func addSix() throws {
        let pyproject = try read("pyproject.toml")
        try write("pyproject.toml", pyproject.replacingOccurrences(of: "dependencies = []", with: "dependencies = [\"six\"]"))
        try lock()
        #expect(try read("uv.lock").contains("name = \"six\""))
    }

    deinit {
        TestEngine.removeEverything(ofProject: name)
        try? FileManager.default.removeItem(atPath: parent)
    }
}

@Suite("real project shapes on a real engine", .serialized)
struct ProjectCorpusTests {
    static let setuptools = """
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"
        """

    @Test("src layout, pytest in a `tests` group: ci installs it and runs the suite; a library's prod fails at once; a new dependency is there after up")
    func srcLayoutWithATestsGroup() throws {
        _ = try TestEngine.require(images: [CorpusProject.image])
        let project = try CorpusProject(shape: "srclib", files: [
            "pyproject.toml": """
                [project]
                name = "srclib"
                version = "0.1.0"
                requires-python = ">=3.11"
                dependencies = []

                [dependency-groups]
                tests = ["pytest"]

                \(Self.setuptools)
                """,
            "src/srclib/__init__.py": "def double(x):\n    return 2 * x\n",
            "tests/test_double.py": """
                import pytest
                from srclib import double

                def test_one():
                    assert double(1) == 2

                def test_zero():
                    assert double(0) == 0

                @pytest.mark.parametrize("x", [3, 4])
                def test_more(x):
                    assert double(x) == x + x
                """,
        ])
        try project.lock()
        let initialized = try project.initialize()
        #expect(initialized.exitCode == 0, "\(initialized.stderrText)")
        #expect(initialized.stdoutText.contains("tests: pytest (dependency group tests; ci installs it with --group tests)"), "\(initialized.stdoutText)")
        #expect(initialized.stdoutText.contains("prod: no entry point found"))
        #expect(initialized.stderrText.contains("devenv: warning: prod needs an entry point"), "\(initialized.stderrText)")
        #expect(!initialized.stdoutText.contains("warning"))

        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let sync = try project.devenv("sync-deps")
        #expect(sync.exitCode == 0, "\(sync.stderrText)")
        let imported = try project.devenv("exec", "--", "python", "-c", "import srclib, pytest; print(srclib.double(21))")
        #expect(imported.stdoutText == "42\n", "\(imported.stderrText)")

        let tests = try project.devenv("--profile", "ci", "test")
        #expect(tests.exitCode == 0, "\(tests.stderrText)")
        #expect((tests.stdoutText + tests.stderrText).contains("4 passed"), "\(tests.stdoutText)")

        // A library has no entry point: prod fails at once, saying so, instead of restart-looping.
        let prod = try project.devenv("--profile", "prod", "up")
        #expect(prod.exitCode == 1, "\(prod.stderrText)")
        #expect(prod.stderrText.contains("exited with code 1 within 3s of starting"), "\(prod.stderrText)")
        #expect(prod.stderrText.contains("prod has no entry point"), "\(prod.stderrText)")

        try project.addSix()
        let again = try project.devenv("up")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(again.stderrText.contains("dependencies out of date"), "\(again.stderrText)")
        let six = try project.devenv("exec", "--", "python", "-c", "import six, pytest, srclib; print(six.__name__)")
        #expect(six.stdoutText == "six\n", "\(six.stderrText)")
    }

    @Test("flat layout http.server app: pytest in dev, prod turns healthy; a new dependency is there after up")
    func flatLayoutWebApp() throws {
        _ = try TestEngine.require(images: [CorpusProject.image])
        let project = try CorpusProject(shape: "flatweb", files: [
            "pyproject.toml": """
                [project]
                name = "flatweb"
                version = "0.1.0"
                requires-python = ">=3.11"
                dependencies = []

                [dependency-groups]
                dev = ["pytest"]
                """,
            "flatweb/__init__.py": "def body():\n    return b'ok'\n",
            "flatweb/__main__.py": """
                import http.server, signal, sys
                from flatweb import body

                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200)
                        self.end_headers()
                        self.wfile.write(body())

                signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
                http.server.HTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
                """,
            "tests/test_body.py": "from flatweb import body\n\ndef test_body():\n    assert body() == b'ok'\n\ndef test_type():\n    assert isinstance(body(), bytes)\n",
        ])
        try project.lock()
        let initialized = try project.initialize()
        #expect(initialized.exitCode == 0, "\(initialized.stderrText)")
        #expect(initialized.stdoutText.contains("found flatweb: flat layout, package flatweb; not packaged"), "\(initialized.stdoutText)")
        #expect(initialized.stdoutText.contains("prod: runs python -m flatweb"))
        #expect(initialized.stdoutText.contains("tests: python -m pytest (dependency group dev)"), "\(initialized.stdoutText)")
        // Named after the folder, not the package: two checkouts do not collide.
        #expect(try project.read("devenv.toml").contains("name = \"\(project.name)\""))

        #expect(try project.devenv("up").exitCode == 0)
        let imported = try project.devenv("exec", "--", "python", "-c", "import flatweb, pytest; print(flatweb.body().decode())")
        #expect(imported.stdoutText == "ok\n", "\(imported.stderrText)")
        let tests = try project.devenv("--profile", "ci", "test")
        #expect(tests.exitCode == 0, "\(tests.stderrText)")
        #expect((tests.stdoutText + tests.stderrText).contains("2 passed"), "\(tests.stdoutText)")

        let prod = try project.devenv("--profile", "prod", "up")
        #expect(prod.exitCode == 0, "\(prod.stderrText)")
        #expect(try project.health("prod") == "healthy\n")
        let served = try TestEngine.docker(["exec", "\(DevenvNames.container(project.name, in: project.path, profile: "prod"))", "python", "-c",
                                            "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8080').read().decode())"])
        #expect(served.stdoutText == "ok\n", "\(served.stderrText)")

        try project.addSix()
        // status (text and --json) says the venv is behind uv.lock until up syncs it.
        func outOfDate() throws -> Bool? {
            let status = try project.devenv("status", "--json")
            let object = try JSONSerialization.jsonObject(with: Data(status.stdout)) as? [String: Any]
            let environments = object?["environments"] as? [[String: Any]] ?? []
            return environments.first { $0["profile"] as? String == "dev" }?["dependenciesOutOfDate"] as? Bool
        }
        #expect(try outOfDate() == true)
        let text = try project.devenv("status").stdoutText
        #expect(text.contains("deps out of date") && text.contains("dev: dependencies out of date (uv.lock changed since the venv was synced)"),
                "\(text)")
        #expect(try project.devenv("up").exitCode == 0)
        #expect(try outOfDate() == false)
        #expect(!(try project.devenv("status").stdoutText.contains("deps out of date")))
        let six = try project.devenv("exec", "--", "python", "-c", "import six, pytest; print(six.__name__)")
        #expect(six.stdoutText == "six\n", "\(six.stderrText)")
    }

    @Test("a C extension: init fills BUILD_PACKAGES, dev compiles it, unittest counts; zero tests fail; a new dependency is there after up")
    func cExtension() throws {
        _ = try TestEngine.require(images: [CorpusProject.image])
        let project = try CorpusProject(shape: "cext", files: [
            "pyproject.toml": """
                [project]
                name = "cext"
                version = "0.1.0"
                requires-python = ">=3.11"
                dependencies = []

                \(Self.setuptools)
                """,
            "setup.py": "from setuptools import Extension, setup\n\nsetup(ext_modules=[Extension(\"cext._fast\", [\"src/cext/_fast.c\"])])\n",
            "src/cext/__init__.py": "from cext._fast import add\n",
            "src/cext/_fast.c": """
                #define PY_SSIZE_T_CLEAN
                #include <Python.h>

                static PyObject *add(PyObject *self, PyObject *args) {
                    long a, b;
                    if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
                    return PyLong_FromLong(a + b);
                }

                static PyMethodDef methods[] = {{"add", add, METH_VARARGS, "a + b"}, {NULL, NULL, 0, NULL}};
                static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fast", NULL, -1, methods};
                PyMODINIT_FUNC PyInit__fast(void) { return PyModule_Create(&module); }
                """,
            "tests/test_add.py": "import unittest\nfrom cext import add\n\nclass AddTest(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n    def test_negative(self):\n        self.assertEqual(add(-2, 1), -1)\n",
            "nothing/README": "no tests here\n",
        ])
        try project.lock()
        let initialized = try project.initialize()
        #expect(initialized.exitCode == 0, "\(initialized.stderrText)")
        #expect(initialized.stdoutText.contains("compiled code: setuptools ext_modules in setup.py"), "\(initialized.stdoutText)")
        #expect(initialized.stdoutText.contains("tests: python -m unittest discover -s tests"))
        #expect(try project.read("devenv.toml").contains("\nbuild_args = { BUILD_PACKAGES = \"build-essential\" }\n"))

        #expect(try project.devenv("up").exitCode == 0)
        let sync = try project.devenv("sync-deps")
        #expect(sync.exitCode == 0, "\(sync.stderrText)")
        let imported = try project.devenv("exec", "--", "python", "-c", "import cext; print(cext.add(2, 40))")
        #expect(imported.stdoutText == "42\n", "\(imported.stderrText)")
        let tests = try project.devenv("--profile", "ci", "test")
        #expect(tests.exitCode == 0, "\(tests.stderrText)")
        #expect(tests.stderrText.contains("Ran 2 tests"), "\(tests.stderrText)")

        // unittest says OK for zero tests; devenv does not.
        try project.write("devenv.toml", try project.read("devenv.toml").replacingOccurrences(
            of: #"test_command = ["python", "-m", "unittest", "discover", "-s", "tests"]"#,
            with: #"test_command = ["python", "-m", "unittest", "discover", "-s", "nothing"]"#))
        let none = try project.devenv("--profile", "ci", "test")
        #expect(none.exitCode == 5, "\(none.stderrText)")
        #expect(none.stderrText.contains("ran no tests: that is not a pass"), "\(none.stderrText)")

        try project.addSix()
        #expect(try project.devenv("up").exitCode == 0)
        let six = try project.devenv("exec", "--", "python", "-c", "import six, cext; print(six.__name__, cext.add(1, 1))")
        #expect(six.stdoutText == "six 2\n", "\(six.stderrText)")
    }

    @Test("init refuses a setup.py-only project and a pyproject.toml without [project], saying why")
    func refusedShapes() throws {
        _ = try TestEngine.require(images: [CorpusProject.image])
        let legacy = try CorpusProject(shape: "legacy", files: ["setup.py": "from setuptools import setup\nsetup(name='legacy')\n"])
        let refused = try legacy.devenv("init")
        #expect(refused.exitCode == 2)
        #expect(refused.stderrText.contains("setup.py without pyproject.toml"), "\(refused.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: legacy.path + "/Dockerfile"))
        let toolOnly = try CorpusProject(shape: "toolonly", files: ["pyproject.toml": "[tool.black]\nline-length = 100\n", "setup.cfg": "[metadata]\nname = x\n"])
        let noProject = try toolOnly.devenv("init")
        #expect(noProject.exitCode == 2)
        #expect(noProject.stderrText.contains("has no [project] table (its metadata is in setup.cfg)"), "\(noProject.stderrText)")
    }
}
