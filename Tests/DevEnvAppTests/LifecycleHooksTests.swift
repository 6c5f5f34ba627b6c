import Dashboard
@testable import DevEnvApp
import DevEnvCore
@testable import DevEnvSystem
import Testing
import TestSupport

/// Lifecycle commands (post_create ..., devcontainer.json's onCreateCommand ...), scripted:
/// the exact docker calls, what is remembered, and what the user reads. The same run against
/// the real engine is in IntegrationTests/DevcontainerEngineTests.
@Suite struct LifecycleHooksTests {
    static let id = "0123456789abcdef"
    static let user = "1500:1500"
    static let stateFolder = "/root/.local/state/devenv"

    static let image = "sha256:1111"

    static func facts(id: String = id, startedAt: String = "2026-12-06T06:00:00Z", image: String = image) -> String {
        "\(id)\t\(startedAt)\t\(user)\t\(image)\n"
    }

    /// A project whose dev container runs, unchanged: `up` returns after one `docker ps`.
    static func runningFixture(_ devenvToml: String, files: [String: String] = [:]) throws -> (AppFixture, Environment) {
        let fixture = AppFixture(devenvToml: devenvToml)
        for (path, text) in files { fixture.fileSystem.addFile(AppFixture.root + "/" + path, text, owner: (1500, 1500)) }
        let environment = try fixture.environment()
        return (fixture, environment)
    }

    static func expectUpToDate(_ fixture: AppFixture, _ environment: Environment) throws {
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.runner.expect(environment.planner.findContainer().argv,
                              stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: hash)))
    }

    static func recordPath(_ environment: Environment) -> String {
        stateFolder + "/lifecycle/" + LifecycleRecord.fileName(projectRoot: AppFixture.root, profile: "dev")
    }

    static let profileHooks = """
        [project]
        name = "shop"

        [profiles.dev]
        post_create = ["uv", "sync", "--frozen"]
        post_start = "echo started >> started.txt"
        post_attach = ["echo", "hello"]
        """

    @Test func postCreateRunsOncePerContainerAndPostStartOncePerStart() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let planner = environment.planner
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["uv", "sync", "--frozen"], runningAs: Self.user).argv,
                    streamed: [(.stdout, "Resolved 3 packages\n")])
            .expect(planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"], runningAs: Self.user).argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: post_create in devenv-shop-dev-497e78ff\n  Resolved 3 packages\n"))
        #expect(fixture.console.stderr.contains("devenv: post_start in devenv-shop-dev-497e78ff\n"))
        let created = LifecycleRecord.createdValue(image: Self.image, lifecycle: environment.spec.lifecycle)
        #expect(fixture.fileSystem.text(Self.recordPath(environment))
                == "created \(created)\nstarted \(Self.id) 2026-12-06T06:00:00Z\ncontainer \(Self.id)\n")
        // Each command's argv is exec'd as the container's user, in the workspace.
        let exec = planner.lifecycleCommand(["uv", "sync", "--frozen"], runningAs: Self.user).argv
        // Marked, so that an interrupted command's processes can be found and ended.
        #expect(exec.starts(with: ["docker", "exec", "--env", DockerPlanner.lifecycleMark, "--user", "1500:1500", "--workdir", environment.spec.workspace]))

        // The same container, the same start: nothing runs again.
        try Self.expectUpToDate(fixture, environment)
        fixture.runner.expect(planner.lifecycleFacts().argv, stdout: Self.facts())
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()

        // Started again (`restart`, the engine): postStart only.
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts(startedAt: "2026-12-06T07:00:00Z"))
            .expect(planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"], runningAs: Self.user).argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()

        // A new container of the same image (after `down`): the environment's volumes and
        // project kept what post_create did; postStart only, and up says why.
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts(id: "fedcba9876543210"))
            .expect(planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"], runningAs: Self.user).argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("post_create not run again: it ran for this environment (same volumes, image and command)"),
                "\(fixture.console.stderr)")
        // Said once for that container, not at every up.
        let said = fixture.console.stderr.components(separatedBy: "not run again").count
        try Self.expectUpToDate(fixture, environment)
        fixture.runner.expect(planner.lifecycleFacts().argv, stdout: Self.facts(id: "fedcba9876543210"))
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.components(separatedBy: "not run again").count == said)

        // Another image (a rebuild): the create stages again.
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts(id: "aaaa", image: "sha256:2222"))
            .expect(planner.lifecycleCommand(["uv", "sync", "--frozen"], runningAs: Self.user).argv)
            .expect(planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"], runningAs: Self.user).argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.fileSystem.text(Self.recordPath(environment))?.hasPrefix("created sha256:2222 ") == true)
    }

    @Test func testRunsTheCreateStagesAndPostStartInItsOneOffContainerFirst() throws {
        let fixture = AppFixture(devenvToml: Self.profileHooks)
        fixture.fileSystem.addFile(AppFixture.root + "/tests/test_a.py", "def test_a(): pass\n")
        #expect(fixture.run(["test", "--dry-run"]) == 0, "\(fixture.console.stderr)")
        let lines = fixture.console.stdout.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.contains(" run --detach --rm ") }, "\(lines)")
        #expect(lines[start].hasSuffix(" sleep infinity"))
        #expect(!lines[start].contains("--publish"))
        let rest = Array(lines[(start + 1)...])
        #expect(rest.count == 4, "\(rest)")
        #expect(rest.first?.contains(" exec ") == true && rest.first?.hasSuffix(" TEST-CONTAINER uv sync --frozen") == true, "\(rest)")
        #expect(rest.dropFirst().first?.hasSuffix(" TEST-CONTAINER sh -c 'echo started >> started.txt'") == true, "\(rest)")
        #expect(rest.dropFirst(2).first?.hasSuffix(" TEST-CONTAINER pytest") == true, "\(rest)")
        #expect(rest.last?.hasSuffix(" rm --force TEST-CONTAINER") == true, "\(rest)")
        // post_attach is for shells only.
        #expect(!fixture.console.stdout.contains("echo hello"))
    }

    @Test func aChangedCommandOrNewVolumesRunTheCreateStagesAgain() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let path = Self.recordPath(environment)
        fixture.fileSystem.addFile(path, "created \(LifecycleRecord.createdValue(image: Self.image, lifecycle: environment.spec.lifecycle))\n")
        // Volumes made by this up: the record forgets the create stages at once.
        let hooks = LifecycleHooks(environment: environment, session: DockerSession(context: fixture.context, dryRun: false),
                                   context: fixture.context, progress: Progress(console: fixture.console, clock: { 0 }, quiet: false, plain: true))
        try hooks.forgetCreateStages()
        #expect(fixture.fileSystem.text(path) == "")
        // A changed post_create is another command.
        var changed = environment.spec.lifecycle
        changed[.postCreate] = .argv(["uv", "sync"])
        #expect(LifecycleRecord.commandsPrint(changed) != LifecycleRecord.commandsPrint(environment.spec.lifecycle))
        let record = LifecycleRecord(created: LifecycleRecord.createdValue(image: Self.image, lifecycle: environment.spec.lifecycle))
        #expect(record.pending(container: "c", image: Self.image, startedAt: "t", lifecycle: changed) == [.postCreate, .postStart])
    }

    @Test func theDashboardsUpShowsTheOutputInTheActionPane() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let planner = environment.planner
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["uv", "sync", "--frozen"], runningAs: Self.user).argv,
                    streamed: [(.stdout, "Resolved 3 packages\n"), (.stderr, "\u{1B}]52;c;SGVsbG8=\u{07}\u{1B}[2Jclipboard\n")])
            .expect(planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"], runningAs: Self.user).argv,
                    exitCode: 6)
        // As DashboardLoop runs an action: the subcommand with a console that feeds the pane.
        let inbox = MessageInbox<DashboardMessage>()
        var context = fixture.context
        context.console = ActionConsole(inbox: inbox, profile: "dev")
        var options = GlobalOptions()
        options.profile = "dev"
        #expect(throws: DevEnvError.self) { try App.dispatch(.up(ports: []), options: options, context: context) }
        fixture.runner.verifyAllCalled()
        let pane = inbox.takeAll().compactMap { message -> String? in
            if case .actionOutput(let profile, let text) = message, profile == "dev" { return text }
            return nil
        }.joined()
        #expect(pane.contains("devenv: post_create in devenv-shop-dev-497e78ff\n  Resolved 3 packages\n"))
        #expect(pane.contains("devenv: post_create in devenv-shop-dev-497e78ff: done in"))
        #expect(pane.contains("devenv: post_start in devenv-shop-dev-497e78ff: failed in"))
        // The container's bytes are text: no escape sequence reaches the pane (or a terminal).
        #expect(!pane.contains("\u{1B}") && !pane.contains("\u{07}"))
        #expect(pane.contains("clipboard\n"))
    }

    @Test func aFailedPostCreateStopsUpWithItsExitCodeAndRunsAgainNextTime() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let planner = environment.planner
        let sync = planner.lifecycleCommand(["uv", "sync", "--frozen"], runningAs: Self.user).argv
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(sync, stderr: "error: no uv.lock\n", exitCode: 3, streamed: [(.stderr, "error: no uv.lock\n")])
        #expect(fixture.run(["up"]) == 1)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("devenv: error: post_create failed with exit code 3 in devenv-shop-dev-497e78ff; the container is running"))
        #expect(stderr.contains("devenv: post_create in devenv-shop-dev-497e78ff: failed"))
        #expect(stderr.contains("error: no uv.lock"))
        #expect(stderr.contains("fix it in devenv.toml, then run `devenv up` again (it runs the lifecycle commands that did not finish)"))
        // post_start did not run, and nothing was remembered as run (the record, written before
        // anything runs, names the container only): the next up tries both again.
        #expect(fixture.fileSystem.text(Self.recordPath(environment)) == "container \(Self.id)\n")
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(sync)
            .expect(planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"], runningAs: Self.user).argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    /// break30: on a full state folder post_create ran, its record could not be written, up
    /// failed naming a temporary file, and every up ran post_create again. The record is
    /// written before anything runs; where it cannot be, nothing runs and up says why.
    @Test func aStateFolderThatTakesNoRecordRunsNoLifecycleCommand() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let planner = environment.planner
        fixture.fileSystem.unwritableFolders = [Self.stateFolder + "/lifecycle"]
        try Self.expectUpToDate(fixture, environment)
        fixture.runner.expect(planner.lifecycleFacts().argv, stdout: Self.facts())
        #expect(fixture.run(["up"]) == 1)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("devenv: error: devenv cannot record which lifecycle commands ran ("), "\(stderr)")
        #expect(stderr.contains("post_create, post_start not run, since they would run again at every `devenv up`"), "\(stderr)")
        #expect(stderr.contains("hint: free space in (or make writable) devenv's state folder \(Self.stateFolder), then run `devenv up` again"),
                "\(stderr)")
        // Writable again: each runs once.
        fixture.fileSystem.unwritableFolders = []
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["uv", "sync", "--frozen"], runningAs: Self.user).argv)
            .expect(planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"], runningAs: Self.user).argv)
        #expect(fixture.run(["up"]) == 0)
        try Self.expectUpToDate(fixture, environment)
        fixture.runner.expect(planner.lifecycleFacts().argv, stdout: Self.facts())
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    @Test func aCommandNotFoundSaysSo() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let planner = environment.planner
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["uv", "sync", "--frozen"], runningAs: Self.user).argv, exitCode: 127)
        #expect(fixture.run(["up"]) == 1)
        #expect(fixture.console.stderr.contains("post_create failed with exit code 127 (command not found)"))
    }

    @Test func withoutLifecycleCommandsUpMakesNoExtraCall() throws {
        let (fixture, environment) = try Self.runningFixture("[project]\nname = \"shop\"\n[profiles.dev]\npost_attach = \"true\"\n")
        try Self.expectUpToDate(fixture, environment)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 1)
    }

    @Test func shellRunsPostAttachFirstAsTheContainersUser() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let planner = environment.planner
        var labels = AppFixture.ownLabels(hash: "h")
        labels["devenv.user"] = "0:0"
        fixture.runner
            .expect(planner.findContainer().argv, stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: labels))
            .expect(planner.lifecycleCommand(["echo", "hello"], runningAs: "0:0").argv, streamed: [(.stdout, "hello\n")])
            .expect(planner.exec(DockerPlanner.shellCommand, interactive: true, terminal: false, runningAs: "0:0", container: "c1").argv)
        #expect(fixture.run(["shell"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv: post_attach in devenv-shop-dev-497e78ff\n  hello\n"))

        // exec is no attach.
        fixture.runner
            .expect(planner.findContainer().argv, stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: labels))
            .expect(planner.exec(["id"], interactive: true, terminal: false, runningAs: "0:0", container: "c1").argv)
        #expect(fixture.run(["exec", "id"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    @Test func aFailedPostAttachOpensNoShell() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        let planner = environment.planner
        fixture.runner
            .expect(planner.findContainer().argv, stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h")))
            .expect(planner.lifecycleCommand(["echo", "hello"]).argv, exitCode: 2)
        #expect(fixture.run(["shell"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("post_attach failed with exit code 2 in devenv-shop-dev-497e78ff; the shell was not opened"))
    }

    // MARK: devcontainer.json

    static let devcontainerToml = "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n"
    static let dockerfile = ".devcontainer/Dockerfile"

    static func devcontainer(_ body: String) -> [String: String] {
        [".devcontainer/devcontainer.json": "{\n  \"build\": { \"dockerfile\": \"Dockerfile\" },\n\(body)\n}\n",
         dockerfile: "FROM base\n"]
    }

    @Test func anObjectRunsItsNamedCommandsTogetherEachLineNamed() throws {
        let (fixture, environment) = try Self.runningFixture(Self.devcontainerToml, files: Self.devcontainer("""
              "postCreateCommand": { "web": "npm ci", "py": ["uv", "sync"] },
            """))
        let planner = environment.planner
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["uv", "sync"], runningAs: Self.user).argv,
                    streamed: [(.stdout, "synced\npart"), (.stdout, "ial\n")], unordered: true)
            .expect(planner.lifecycleCommand(["sh", "-c", "npm ci"], runningAs: Self.user).argv,
                    streamed: [(.stdout, "added 1 package")], unordered: true)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("devenv: postCreateCommand in devenv-shop-dev-497e78ff\n"))
        #expect(stderr.contains("  py: synced\n"))
        #expect(stderr.contains("  py: partial\n"))
        #expect(stderr.contains("  web: added 1 package\n"))
    }

    @Test func aNamedCommandsEndlessLineIsShownInNamedPieces() throws {
        let (fixture, environment) = try Self.runningFixture(Self.devcontainerToml, files: Self.devcontainer("""
              "postCreateCommand": { "big": "yes | tr -d '\\\\n'", "py": ["uv", "sync"] },
            """))
        let planner = environment.planner
        try Self.expectUpToDate(fixture, environment)
        let chunk = String(repeating: "a", count: 4096)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["sh", "-c", "yes | tr -d '\\n'"], runningAs: Self.user).argv,
                    streamed: Array(repeating: (.stdout, chunk), count: 33), unordered: true)
            .expect(planner.lifecycleCommand(["uv", "sync"], runningAs: Self.user).argv, stdout: "", unordered: true)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        let lines = fixture.console.stderr.split(separator: "\n").filter { $0.hasPrefix("  big: ") }
        #expect(lines.map { $0.count - "  big: ".count } == [Progress.longestLine, Progress.longestLine, 4096], "\(lines.map(\.count))")
    }

    @Test func oneFailedNamedCommandFailsTheStageNamingIt() throws {
        let (fixture, environment) = try Self.runningFixture(Self.devcontainerToml, files: Self.devcontainer("""
              "onCreateCommand": { "a": "true", "b": "exit 4" },
              "postCreateCommand": "echo never",
            """))
        let planner = environment.planner
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["sh", "-c", "true"], runningAs: Self.user).argv, unordered: true)
            .expect(planner.lifecycleCommand(["sh", "-c", "exit 4"], runningAs: Self.user).argv, exitCode: 4, unordered: true)
        #expect(fixture.run(["up"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("onCreateCommand \"b\" failed with exit code 4 in devenv-shop-dev-497e78ff; the container is running"))
        #expect(fixture.console.stderr.contains("fix it in .devcontainer/devcontainer.json"))
    }

    @Test func waitForMarksWhereTheEnvironmentIsReady() throws {
        let (fixture, environment) = try Self.runningFixture(Self.devcontainerToml, files: Self.devcontainer("""
              "onCreateCommand": "echo one",
              "postCreateCommand": "exit 5",
              "waitFor": "onCreateCommand",
            """))
        let planner = environment.planner
        try Self.expectUpToDate(fixture, environment)
        fixture.runner
            .expect(planner.lifecycleFacts().argv, stdout: Self.facts())
            .expect(planner.lifecycleCommand(["sh", "-c", "echo one"], runningAs: Self.user).argv)
            .expect(planner.lifecycleCommand(["sh", "-c", "exit 5"], runningAs: Self.user).argv, exitCode: 5)
        #expect(fixture.run(["up"]) == 1)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        let ready = try #require(stderr.range(of: "dev is ready (waitFor: onCreateCommand finished)"))
        let later = try #require(stderr.range(of: "devenv: postCreateCommand in devenv-shop-dev-497e78ff"))
        #expect(ready.upperBound < later.lowerBound)
        #expect(stderr.contains("postCreateCommand failed with exit code 5 in devenv-shop-dev-497e78ff; dev is running and ready (waitFor finished)"))
        // onCreate finished but the create stages did not: the next up runs them all again
        // (the record names the container only).
        #expect(fixture.fileSystem.text(Self.recordPath(environment)) == "container \(Self.id)\n")
    }

    @Test func aDryRunPrintsEveryStageOfANewContainer() throws {
        let (fixture, environment) = try Self.runningFixture(Self.profileHooks)
        #expect(fixture.run(["up", "--dry-run"]) == 0)
        let planner = environment.planner
        let stdout = fixture.console.stdout
        #expect(stdout.contains(planner.lifecycleCommand(["uv", "sync", "--frozen"]).shellQuoted + "\n"
                                + planner.lifecycleCommand(["sh", "-c", "echo started >> started.txt"]).shellQuoted + "\n"))
        #expect(fixture.fileSystem.text(Self.recordPath(environment)) == nil)
    }

    // MARK: initializeCommand

    static let initializeFiles = devcontainer("""
          "initializeCommand": ["sh", "-c", "touch .initialized"],
        """)

    static func allowancePath(_ content: String) -> String {
        let file = AppFixture.root + "/.devcontainer/devcontainer.json"
        return stateFolder + "/initialize-allowed/" + InitializeAllowance.fileName(path: file, content: Array(content.utf8))
    }

    @Test func initializeCommandRunsOnlyOnceTheUserAllowedThisContent() throws {
        let (fixture, environment) = try Self.runningFixture(Self.devcontainerToml, files: Self.initializeFiles)
        // Not allowed: exit 2 before any docker call, saying what it would run and how to allow it.
        #expect(fixture.run(["up"]) == 2)
        #expect(fixture.runner.invocations.isEmpty)
        let refused = fixture.console.stderr
        #expect(refused.contains(".devcontainer/devcontainer.json has an initializeCommand, which runs on this machine as you (not in the container): [\"sh\", \"-c\", \"touch .initialized\"]"))
        #expect(refused.contains("run `devenv up --allow-initialize`"))
        #expect(refused.contains("remembered in \(Self.stateFolder)"))

        // Allowed: remembered, run on the host in the project folder, then up goes on.
        let host = ProcessInvocation(["sh", "-c", "touch .initialized"], workingDirectory: AppFixture.root, io: .stream)
        fixture.runner.expect(host.argv)
        try Self.expectUpToDate(fixture, environment)
        #expect(fixture.run(["up", "--allow-initialize"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.first?.workingDirectory == AppFixture.root)
        let content = try #require(Self.initializeFiles[".devcontainer/devcontainer.json"])
        #expect(fixture.fileSystem.text(Self.allowancePath(content)) == AppFixture.root + "/.devcontainer/devcontainer.json\n" + content)

        // Allowed before: runs without asking.
        fixture.runner.expect(host.argv)
        try Self.expectUpToDate(fixture, environment)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()

        // The file changed: asked again.
        let changed = content.replacingOccurrences(of: ".initialized", with: ".other")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json", changed)
        let calls = fixture.runner.invocations.count
        #expect(fixture.run(["up"]) == 2)
        #expect(fixture.runner.invocations.count == calls)
    }

    @Test func aForgedAllowanceWithTheRightNameButOtherContentAllowsNothing() throws {
        let (fixture, _) = try Self.runningFixture(Self.devcontainerToml, files: Self.initializeFiles)
        let content = try #require(Self.initializeFiles[".devcontainer/devcontainer.json"])
        fixture.fileSystem.addFile(Self.allowancePath(content), "something else")
        #expect(fixture.run(["up"]) == 2)
        #expect(fixture.runner.invocations.isEmpty)
    }

    @Test func aFailedInitializeCommandStopsUpBeforeTheEngine() throws {
        let (fixture, _) = try Self.runningFixture(Self.devcontainerToml, files: Self.initializeFiles)
        fixture.runner.expect(["sh", "-c", "touch .initialized"], exitCode: 9)
        #expect(fixture.run(["up", "--allow-initialize"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("initializeCommand failed with exit code 9 on this machine; nothing was built or started"))
    }

    @Test func aHostCommandGetsNoDockerQueryDeadlineWhateverItsWords() throws {
        // `make info` ends like `docker info`, a query with a deadline; on the host it is none.
        let (fixture, environment) = try Self.runningFixture(Self.devcontainerToml, files: Self.devcontainer("""
              "initializeCommand": ["make", "info"],
            """))
        fixture.runner.expect(["make", "info"])
        try Self.expectUpToDate(fixture, environment)
        #expect(fixture.run(["up", "--allow-initialize"]) == 0)
        fixture.runner.verifyAllCalled()
        let host = try #require(fixture.runner.invocations.first)
        #expect(host.argv == ["make", "info"] && host.deadline == nil && host.workingDirectory == AppFixture.root)
    }
}
