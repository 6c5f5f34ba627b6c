@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// devcontainer.json's `hostRequirements.gpu`: `--gpus all` only when the engine has a GPU
/// runtime; a required GPU it cannot give is a warning, an optional one silent.
@Suite struct GPUProbeTests {
    static func fixture(gpu: String) -> AppFixture {
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                                   #"{ "image": "python:3.12", "hostRequirements": { "gpu": \#(gpu) } }"#)
        return fixture
    }

    static let nvidia = #"{"nvidia":{"path":"nvidia-container-runtime"},"runc":{"path":"runc"}}"#
    static let plain = #"{"io.containerd.runc.v2":{"path":"runc"},"runc":{"path":"runc"}}"#

    @Test func anEngineWithTheNvidiaRuntimeGivesAllGPUs() throws {
        let fixture = Self.fixture(gpu: "true")
        var planner = try fixture.environment().planner
        fixture.runner.expect(planner.engineRuntimes().argv, stdout: Self.nvidia)
        let session = DockerSession(context: fixture.context, dryRun: false)
        planner.gpus = try GPUProbe(session: session, planner: planner, console: fixture.console).gpus()
        fixture.runner.verifyAllCalled()
        #expect(planner.gpus)
        let create = planner.create(image: "python:3.12", configHash: "h").argv
        #expect(create.contains("--gpus") && create[(create.firstIndex(of: "--gpus") ?? 0) + 1] == "all")
        #expect(fixture.console.stderr.isEmpty)
    }

    @Test func aRequiredGPUTheEngineCannotGiveIsAWarning() throws {
        let fixture = Self.fixture(gpu: "true")
        var planner = try fixture.environment().planner
        let fingerprint = planner.containerFingerprint(image: "python:3.12")
        fixture.runner.expect(planner.engineRuntimes().argv, stdout: Self.plain)
        let session = DockerSession(context: fixture.context, dryRun: false)
        planner.gpus = try GPUProbe(session: session, planner: planner, console: fixture.console).gpus()
        fixture.runner.verifyAllCalled()
        #expect(!planner.gpus)
        #expect(!planner.create(image: "python:3.12", configHash: "h").argv.contains("--gpus"))
        #expect(fixture.console.stderr.contains("devenv: warning: hostRequirements.gpu: this engine has no GPU runtime"))
        // The engine's answer is not configuration: the container is not stale because of it.
        #expect(planner.containerFingerprint(image: "python:3.12") == fingerprint)
    }

    @Test func anOptionalGPUIsSilentAndNoGPUAsksNothing() throws {
        let fixture = Self.fixture(gpu: #""optional""#)
        let planner = try fixture.environment().planner
        fixture.runner.expect(planner.engineRuntimes().argv, stdout: Self.plain)
        let session = DockerSession(context: fixture.context, dryRun: false)
        #expect(try GPUProbe(session: session, planner: planner, console: fixture.console).gpus() == false)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.isEmpty)

        let none = Self.fixture(gpu: "false")
        let plain = try none.environment().planner
        #expect(try GPUProbe(session: DockerSession(context: none.context, dryRun: false), planner: plain, console: none.console).gpus() == false)
        #expect(none.runner.invocations.isEmpty)
    }

    @Test func aDryRunPlansWithTheGPUs() throws {
        let fixture = Self.fixture(gpu: "true")
        #expect(fixture.run(["up", "--dry-run"]) == 0)
        #expect(fixture.console.stdout.contains(" --gpus all "))
        #expect(!fixture.console.stdout.contains("info --format"))
    }

    @Test func theOneOffTestContainerGetsTheGPUsToo() throws {
        var planner = try Self.fixture(gpu: "true").environment().planner
        #expect(!planner.runToCompletion(image: "i", command: ["pytest"]).argv.contains("--gpus"))
        planner.gpus = true
        let argv = planner.runToCompletion(image: "i", command: ["pytest"]).argv
        #expect(argv.contains("--gpus") && argv[(argv.firstIndex(of: "--gpus") ?? 0) + 1] == "all")
        let dry = Self.fixture(gpu: "true")
        dry.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                               #"{ "build": { "dockerfile": "Dockerfile" }, "hostRequirements": { "gpu": true } }"#)
        dry.fileSystem.addFile(AppFixture.root + "/.devcontainer/Dockerfile", "FROM base\n")
        #expect(dry.run(["test", "--dry-run"]) == 0)
        #expect(dry.console.stdout.contains(" --gpus all "))
    }
}
