@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv init` on an in-memory project: what it writes, refuses and keeps. No docker call.
@Suite struct InitCommandTests {
    static let root = "/src/shop"

    final class Fixture: @unchecked Sendable {
        let fileSystem = InMemoryFileSystem()
        let runner = FakeProcessRunner()
        let console = CollectingConsole()
        let uid: UInt32

        init(uid: UInt32 = 1500) {
            self.uid = uid
            fileSystem.addFile(InitCommandTests.root + "/pyproject.toml", """
                [project]
                name = "shop"
                dependencies = ["httpx"]
                [project.scripts]
                shop = "shop:main"
                [build-system]
                requires = ["uv_build"]
                build-backend = "uv_build"
                """, owner: (1500, 1500))
            fileSystem.addFile(InitCommandTests.root + "/uv.lock", "version = 1\n", owner: (1500, 1500))
            fileSystem.addFile(InitCommandTests.root + "/src/shop/__init__.py", "", owner: (1500, 1500))
            fileSystem.addFile(InitCommandTests.root + "/.gitignore", "dist/\n", owner: (1500, 1500))
            let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Profiles")
            for name in ["dev", "ci", "prod"] {
                let text = (try? String(contentsOf: profiles.appendingPathComponent("\(name).toml"), encoding: .utf8)) ?? ""
                fileSystem.addFile("/usr/share/devenv/profiles/\(name).toml", text)
            }
        }

        var context: AppContext {
            let uid = self.uid
            return AppContext(environment: ["HOME": "/root"], currentDirectory: InitCommandTests.root,
                              executablePath: "/usr/bin/devenv", runner: runner, fileSystem: fileSystem, console: console,
                              hostFacts: { _ in HostFacts(uid: uid, gid: uid, userName: "u", home: "/home/u", folderOwner: (1500, 1500)) },
                              clock: { 0 })
        }

        func run(_ arguments: [String]) -> Int32 { App.run(arguments, context: context) }
        func text(_ relative: String) -> String? { fileSystem.text(InitCommandTests.root + "/" + relative) }
    }

    @Test func parsesItsOptions() throws {
        let parsed = try CommandLineParser.parse(["init", "--python", "3.12", "--base-image=local/py:1", "--force"])
        #expect(parsed.command == .initialize(baseImage: "local/py:1", python: "3.12", force: true))
        #expect(try CommandLineParser.parse(["doctor", "--json"]).command == .doctor)
        #expect(throws: DevEnvError.self) { try CommandLineParser.parse(["init", "--python"]) }
        #expect(throws: DevEnvError.self) { try CommandLineParser.parse(["doctor", "--force"]) }
    }

    @Test func writesEveryFileAndSaysWhatItFound() throws {
        let fixture = Fixture()
        #expect(fixture.run(["init", "--base-image", "local/py:1"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.isEmpty)
        let dockerfile = try #require(fixture.text("Dockerfile"))
        #expect(dockerfile.contains("ARG BASE_IMAGE=local/py:1"))
        #expect(fixture.text("docker/create-user.sh")?.hasPrefix("#!/bin/sh") == true)
        #expect(fixture.fileSystem.mode(Self.root + "/docker/create-user.sh") == 0o755)
        #expect(fixture.fileSystem.mode(Self.root + "/.env.dev") == 0o600)
        #expect(fixture.text(".env.dev") == fixture.text(".env.dev.template"))
        #expect(fixture.text(".env.prod.template")?.contains("APP_ENV=production") == true)
        #expect(fixture.text(".env.prod") == nil)
        #expect(fixture.text(".gitignore")?.hasPrefix("dist/\n\n# devenv:") == true)
        #expect(fixture.text("devenv.toml")?.contains("name = \"shop\"") == true)
        let out = fixture.console.stdout
        #expect(out.contains("found shop: src layout, package shop; packaged (uv_build); uv.lock; 1 dependency, 0 dev"))
        #expect(out.contains("base image local/py:1 (--base-image)"))
        #expect(out.contains("wrote Dockerfile\n"))
        #expect(out.contains("added the missing devenv entries to .gitignore"))
        // The files are what a later `devenv up` reads: the configuration loads.
        #expect(try ConfigLoader.load(projectDirectory: Self.root, profile: nil, executablePath: "/usr/bin/devenv",
                                      environment: ["DEVENV_PROFILES_DIR": "/usr/share/devenv/profiles"],
                                      fileSystem: fixture.fileSystem).project.name.value == "shop")
    }

    /// break30: a disk that fills halfway left part of the scaffold and said only "cannot write
    /// PATH: cannot create PATH.devenv-tmp-…": not which files were there, nor that init
    /// finishes them. It names what it wrote, and a second init writes the rest.
    @Test func aWriteThatFailsHalfwaySaysWhatWasWrittenAndInitFinishesIt() throws {
        let fixture = Fixture()
        fixture.fileSystem.unwritableFolders = [Self.root + "/docker"]
        #expect(fixture.run(["init"]) == 1)
        let said = fixture.console.stderr
        #expect(said.contains("devenv: error: permission denied: \(Self.root)/docker/create-user.sh; written before it: Dockerfile"), "\(said)")
        #expect(said.contains(", the rest was not\n"), "\(said)")
        #expect(said.contains("hint: make room, then run `devenv init` again: it leaves the files that hold what it writes"), "\(said)")
        #expect(fixture.text("Dockerfile") != nil)
        fixture.fileSystem.unwritableFolders = []
        #expect(fixture.run(["init"]) == 0, "\(fixture.console.stderr)")
        #expect(fixture.text("docker/create-user.sh")?.hasPrefix("#!/bin/sh") == true)
        #expect(fixture.text("devenv.toml")?.contains("name = \"shop\"") == true)
    }

    @Test func refusesToOverwriteWithoutForceAndKeepsBackupsWithIt() throws {
        let fixture = Fixture()
        fixture.fileSystem.addFile(Self.root + "/Dockerfile", "FROM old\n", owner: (1500, 1500))
        fixture.fileSystem.addFile(Self.root + "/.env.dev", "MINE=1\n", owner: (1500, 1500))
        #expect(fixture.run(["init"]) == 2)
        #expect(fixture.console.stderr.contains("init would overwrite Dockerfile; nothing was written"))
        #expect(fixture.console.stderr.contains("--force"))
        #expect(fixture.text("Dockerfile") == "FROM old\n")
        #expect(fixture.text("devenv.toml") == nil)

        #expect(fixture.run(["init", "--force"]) == 0)
        #expect(fixture.text("Dockerfile.bak") == "FROM old\n")
        #expect(fixture.text("Dockerfile")?.contains("AS prod") == true)
        #expect(fixture.text(".env.dev") == "MINE=1\n", "an existing env file is never replaced")
        #expect(fixture.console.stdout.contains("replaced Dockerfile (the old one kept as Dockerfile.bak)"))
        #expect(fixture.console.stdout.contains("kept .env.dev (it exists)"))
    }

    @Test func jsonAndDryRun() throws {
        let fixture = Fixture()
        #expect(fixture.run(["init", "--json", "--dry-run", "--python", "3.12"]) == 0)
        #expect(fixture.text("Dockerfile") == nil, "--dry-run writes nothing")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fixture.console.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == true)
        #expect(object["python"] as? String == "3.12")
        #expect(object["baseImage"] as? String == "python:3.12-slim-bookworm")
        let project = try #require(object["project"] as? [String: Any])
        #expect(project["layout"] as? String == "src")
        #expect(project["scripts"] as? [String] == ["shop"])
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["path"] as? String }.contains("docker/create-user.sh"))
        #expect(files.allSatisfy { $0["action"] as? String == "write" || $0["action"] as? String == "append" })
    }

    /// A warning is a diagnostic: on stderr in the one form (`devenv: warning: ...`), under
    /// --quiet too; stdout keeps the report.
    @Test func warningsGoToStderrEvenWhenQuiet() throws {
        for quiet in [false, true] {
            let fixture = Fixture()
            fixture.fileSystem.remove(Self.root + "/uv.lock")
            #expect(fixture.run(["init"] + (quiet ? ["--quiet"] : [])) == 0)
            #expect(fixture.console.stderr.contains("devenv: warning: no uv.lock: the Dockerfile installs with `uv sync --frozen`"),
                    "quiet \(quiet): \(fixture.console.stderr)")
            #expect(!fixture.console.stdout.contains("warning"), "\(fixture.console.stdout)")
            #expect(fixture.console.stdout.contains("found shop") == !quiet)
        }
    }

    @Test func rootGivesTheFilesToTheFolderOwner() throws {
        let fixture = Fixture(uid: 0)
        #expect(fixture.run(["init"]) == 0)
        #expect(fixture.fileSystem.owner(of: Self.root + "/Dockerfile")?.uid == 1500)
        #expect(fixture.fileSystem.owner(of: Self.root + "/.env.dev")?.gid == 1500)
    }

    @Test func noPyprojectIsAUsageError() {
        let fixture = Fixture()
        fixture.fileSystem.remove(Self.root + "/pyproject.toml")
        #expect(fixture.run(["init"]) == 2)
        #expect(fixture.console.stderr.contains("uv init"))
    }
}

@Suite struct InitBackupTests {
    @Test func aSecondForceKeepsTheFirstBackupAndUnchangedFilesAreNoConflict() {
        let files = [ScaffoldPlan.File(path: "Dockerfile", text: "new", mode: 0o644, kind: .generated)]
        let present: Set<String> = ["Dockerfile", "Dockerfile.bak", "Dockerfile.bak.1"]
        let plan = ScaffoldPlan.make(files: files, exists: { present.contains($0) }, force: true)
        #expect(plan.steps.first?.backup == "Dockerfile.bak.2")
        let same = ScaffoldPlan.make(files: files, exists: { present.contains($0) }, force: false, unchanged: { _ in true })
        #expect(same.conflicts.isEmpty)
        #expect(same.steps.first?.action == .skip)
    }
}
