import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A uv project made by `devenv init` on the real engine (test base image, no network), in a
/// folder owned by 4242:4242; the tests run as root, so devenv syncs to the folder's owner.
final class InitializedProject {
    let files: TemporaryProject
    let name: String
    var path: String { files.path }

    /// The demo uv project without its own Docker files, then `devenv init`.
    init() throws {
        files = try TestEngine.makeDemoProject(uid: 4242, gid: 4242)
        name = "in" + String(UUID().uuidString.prefix(8)).lowercased()
        for generated in ["Dockerfile", "docker", ".dockerignore", ".env.dev", ".env.dev.template", ".env.prod"] {
            try? FileManager.default.removeItem(atPath: files.path + "/" + generated)
        }
        initResult = try DevenvBinary.run(["init", "--base-image", TestEngine.pythonImage], in: files.path)
        // The shipped profiles as shipped, on host ports no other test uses.
        var toml = try String(contentsOfFile: files.path + "/devenv.toml", encoding: .utf8)
        toml = toml.replacingOccurrences(of: "name = \"demoapp\"", with: "name = \"\(name)\"")
        toml = HostPorts.withProfileOverrides(toml)
        try write("devenv.toml", toml)
    }

    /// What `devenv init` printed, and its exit code.
    private(set) var initResult: ProcessResult

    func write(_ relative: String, _ text: String, mode: Int = 0o644) throws {
        let file = path + "/" + relative
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        chown(file, files.uid, files.gid)
        chmod(file, mode_t(mode))
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    @discardableResult
    func devenv(_ arguments: String...) throws -> ProcessResult {
        try DevenvBinary.run(arguments, in: path)
    }

    deinit {
        TestEngine.removeEverything(ofProject: name)
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdoutText)")
    }

    /// The image `devenv build --profile PROFILE` made.
    func build(_ profile: String) throws -> (image: String, log: String) {
        let result = try devenv("--profile", profile, "build", "--json")
        #expect(result.exitCode == 0, "\(result.stderrText)")
        return (try Self.json(result)["image"] as? String ?? "", result.stderrText)
    }
}

/// BuildKit's plain progress: whether the step whose command contains `command` was CACHED.
func buildStepWasCached(_ log: String, command: String) -> Bool? {
    // devenv indents the build's output under its progress line.
    let lines = log.split(separator: "\n").map { String($0.drop { $0 == " " }) }
    guard let header = lines.first(where: { $0.hasPrefix("#") && $0.contains("] ") && $0.hasSuffix(command) }),
          let step = header.split(separator: " ").first else { return nil }
    return lines.contains("\(step) CACHED")
}

@Suite("init on a real engine", .serialized)
struct InitTests {
    @Test("init, then dev up, sync-deps and import as the folder's owner; prod turns healthy read-only; ci tests pass")
    func initializedProjectRunsEveryProfile() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try InitializedProject()
        #expect(project.initResult.exitCode == 0, "\(project.initResult.stderrText)")
        #expect(project.initResult.stdoutText.hasPrefix("found demoapp: src layout, package demoapp; packaged (uv_build); uv.lock"))
        // Root ran init in 4242's folder: the files are 4242's, the env file private.
        var info = stat()
        #expect(stat(project.path + "/Dockerfile", &info) == 0 && info.st_uid == 4242)
        #expect(stat(project.path + "/docker", &info) == 0 && info.st_uid == 4242)
        #expect(stat(project.path + "/.env.dev", &info) == 0 && info.st_mode & 0o777 == 0o600)

        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let sync = try project.devenv("sync-deps")
        #expect(sync.exitCode == 0, "\(sync.stderrText)")
        let imported = try project.devenv("exec", "--", "python", "-c", "import demoapp, os, sys; print(demoapp.greeting('init'), sys.prefix, os.getuid(), os.environ['HOME'])")
        #expect(imported.stdoutText == "hello, init /venv 4242 /home/dev\n", "\(imported.stderrText)")
        let written = try project.devenv("exec", "--", "touch", "/app/from-container")
        #expect(written.exitCode == 0)
        #expect(stat(project.path + "/from-container", &info) == 0 && info.st_uid == 4242 && info.st_gid == 4242)

        try project.write(".env.prod", try project.read(".env.prod.template"), mode: 0o600)
        let prod = try project.devenv("--profile", "prod", "up")
        #expect(prod.exitCode == 0, "\(prod.stderrText)")
        let container = "\(DevenvNames.container(project.name, in: project.path, profile: "prod"))"
        let config = try TestEngine.docker(["inspect", "--format", "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}", container])
        #expect(config.stdoutText == "true 10001:10001\n", "\(config.stderrText)")
        #expect(try TestEngine.waitForHealth(of: container) == "healthy\n")
        #expect(try TestEngine.docker(["inspect", "--format", "{{.State.Running}}", container]).stdoutText == "true\n")

        let tests = try project.devenv("--profile", "ci", "test")
        #expect(tests.exitCode == 0, "\(tests.stderrText)")
        #expect(tests.stderrText.contains("Ran 1 test"))
        // A plain `devenv test` runs dev, with init's runner (it ran pytest, not in the image).
        let devTests = try project.devenv("test")
        #expect(devTests.exitCode == 0, "\(devTests.stderrText)")
        #expect(devTests.stderrText.contains("Ran 1 test"), "\(devTests.stderrText)")

        // And doctor finds nothing wrong with it.
        let doctor = try project.devenv("doctor")
        #expect(doctor.exitCode == 0, "\(doctor.stdoutText)\(doctor.stderrText)")
        #expect(doctor.stdoutText.contains("ok    volumes: \(DevenvNames.container(project.name, in: project.path))-cache, \(DevenvNames.container(project.name, in: project.path))-venv belong to 4242:4242"))
    }

    @Test("a flat project without [build-system]: prod runs the copied source tree and turns healthy")
    func virtualFlatProject() throws {
        let docker = try TestEngine.require(images: [TestEngine.pythonImage])
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-flat-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let path = parent + "/tool"
        let name = "fl" + String(UUID().uuidString.prefix(8)).lowercased()
        try FileManager.default.createDirectory(atPath: path + "/tool", withIntermediateDirectories: true)
        try "[project]\nname = \"tool\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = []\n"
            .write(toFile: path + "/pyproject.toml", atomically: true, encoding: .utf8)
        try "def hello():\n    return 'hi'\n".write(toFile: path + "/tool/__init__.py", atomically: true, encoding: .utf8)
        try "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\nwhile True:\n    time.sleep(1)\n"
            .write(toFile: path + "/tool/__main__.py", atomically: true, encoding: .utf8)
        let lock = try TestEngine.run([docker, "run", "--rm", "--network", "none", "-v", "\(path):/app", "-w", "/app",
                                       "-e", "UV_CACHE_DIR=/tmp/uv", TestEngine.pythonImage, "uv", "lock", "--quiet"])
        #expect(lock.exitCode == 0, "\(lock.stderrText)")
        defer {
            for profile in ["dev", "prod"] { _ = try? DevenvBinary.run(["--profile", profile, "down", "--volumes"], in: path) }
            TestEngine.removeImages(ofProject: name) { try TestEngine.docker($0) }
        }
        let initialized = try DevenvBinary.run(["init", "--base-image", TestEngine.pythonImage], in: path)
        #expect(initialized.stdoutText.hasPrefix("found tool: flat layout, package tool; not packaged"), "\(initialized.stderrText)")
        var toml = try String(contentsOfFile: path + "/devenv.toml", encoding: .utf8)
        toml = toml.replacingOccurrences(of: "name = \"tool\"", with: "name = \"\(name)\"")
        toml = HostPorts.withProfileOverrides(toml)
        try toml.write(toFile: path + "/devenv.toml", atomically: true, encoding: .utf8)
        try "APP_ENV=production\n".write(toFile: path + "/.env.prod", atomically: true, encoding: .utf8)

        #expect(try DevenvBinary.run(["up"], in: path).exitCode == 0)
        let hello = try DevenvBinary.run(["exec", "--", "python", "-c", "import tool; print(tool.hello())"], in: path)
        #expect(hello.stdoutText == "hi\n", "\(hello.stderrText)")
        let prod = try DevenvBinary.run(["--profile", "prod", "up"], in: path)
        #expect(prod.exitCode == 0, "\(prod.stderrText)")
        #expect(try TestEngine.waitForHealth(of: "\(DevenvNames.container(name, in: path, profile: "prod"))") == "healthy\n")
    }

    @Test("the prod image holds no compiler, no sudo, no setuid binary, no uv and no uv cache")
    func prodImageIsMinimal() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try InitializedProject()
        let (image, _) = try project.build("prod")
        let audit = """
            find / -xdev -type f -perm /6000 2>/dev/null
            for tool in gcc cc c++ make sudo uv uvx; do command -v "$tool"; done
            find / -xdev \\( -path /proc -o -path /sys \\) -prune -o -type d -path '*cache*/uv' -print 2>/dev/null
            true
            """
        let inProd = try TestEngine.docker(["run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "sh", image, "-c", audit])
        #expect(inProd.exitCode == 0, "\(inProd.stderrText)")
        #expect(inProd.stdoutText == "", "found in prod: \(inProd.stdoutText)")
        // The same audit finds setuid binaries and uv in the base image: the check can fail.
        let inBase = try TestEngine.docker(["run", "--rm", "--network", "none", "--entrypoint", "sh", TestEngine.pythonImage, "-c", audit])
        #expect(inBase.stdoutText.contains("/usr/local/bin/uv"))
        #expect(inBase.stdoutText.contains("/bin/su") || inBase.stdoutText.contains("/usr/bin/passwd"), "\(inBase.stdoutText)")
    }

    @Test("a source change reuses the dependency layer; a uv.lock change rebuilds it")
    func dependencyLayerCaching() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try InitializedProject()
        let dependencies = "uv sync --frozen --no-install-project --no-dev"
        let code = "uv build --wheel --out-dir /dist"
        let venvCopy = "COPY --from=builder /venv /venv"
        let first = try project.build("prod")
        #expect(buildStepWasCached(first.log, command: dependencies) != nil, "no dependency step in:\n\(first.log)")

        let module = "src/demoapp/__init__.py"
        try project.write(module, try project.read(module) + "\n\ndef farewell() -> str:\n    return \"bye \(project.name)\"\n")
        let afterSource = try project.build("prod")
        #expect(buildStepWasCached(afterSource.log, command: dependencies) == true, "\(afterSource.log)")
        #expect(buildStepWasCached(afterSource.log, command: code) == false, "\(afterSource.log)")
        // prod's copy of the dependencies is reused too: only the project's wheel is new.
        #expect(buildStepWasCached(afterSource.log, command: venvCopy) == true, "\(afterSource.log)")
        let farewell = try TestEngine.docker(["run", "--rm", "--network", "none", "--entrypoint", "python", afterSource.image,
                                              "-c", "import demoapp; print(demoapp.farewell())"])
        #expect(farewell.stdoutText == "bye \(project.name)\n", "\(farewell.stderrText)")

        try project.write("uv.lock", try project.read("uv.lock") + "# touched by \(project.name)\n")
        let afterLock = try project.build("prod")
        #expect(buildStepWasCached(afterLock.log, command: dependencies) == false, "\(afterLock.log)")
        let lockFarewell = try TestEngine.docker(["run", "--rm", "--network", "none", "--entrypoint", "python", afterLock.image,
                                                  "-c", "import demoapp; print(demoapp.farewell())"])
        #expect(lockFarewell.stdoutText == "bye \(project.name)\n", "\(lockFarewell.stderrText)")
    }
}
