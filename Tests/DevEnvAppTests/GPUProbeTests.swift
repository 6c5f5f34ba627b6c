@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// GPUs: devcontainer.json's `hostRequirements.gpu` (`--gpus all`) and a profile's `run_args`
/// `--gpus` only when the engine has a GPU runtime, read from the engine description's one
/// `docker info`; a required GPU or `run_args`' `--gpus` the engine cannot give is one warning
/// naming the property, an optional GPU is silent.
@Suite struct GPUProbeTests {
    static func fixture(gpu: String) -> AppFixture {
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                                   #"{ "image": "python:3.12", "hostRequirements": { "gpu": \#(gpu) } }"#)
        return fixture
    }

    static func runArgsFixture(_ runArgs: String) -> AppFixture {
        AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\nrun_args = \(runArgs)\n")
    }

    static let nvidia = #"{"Runtimes":{"nvidia":{"path":"nvidia-container-runtime"},"runc":{"path":"runc"}},"SecurityOptions":["name=seccomp,profile=default"]}"#
    static let plain = #"{"Runtimes":{"io.containerd.runc.v2":{"path":"runc"},"runc":{"path":"runc"}},"SecurityOptions":["name=seccomp,profile=default"]}"#

    func probe(_ fixture: AppFixture, _ planner: inout DockerPlanner) throws {
        let session = DockerSession(context: fixture.context, dryRun: false)
        try GPUProbe(session: session, context: fixture.context).apply(to: &planner)
    }

    func gpuWords(_ argv: [String]) -> [String] {
        argv.indices.filter { argv[$0] == "--gpus" || argv[$0].hasPrefix("--gpus=") }
            .map { argv[$0] == "--gpus" ? "--gpus \(argv[$0 + 1])" : argv[$0] }
    }

    @Test func theEngineDescriptionReadsTheRuntimes() {
        var facts = EngineFacts()
        facts.readInfo(stdout: Self.nvidia)
        #expect(facts.runtimes == ["nvidia", "runc"] && facts.hasGPURuntime)
        facts.readInfo(stdout: Self.plain)
        #expect(!facts.hasGPURuntime)
        #expect(!EngineFacts().hasGPURuntime)
    }

    @Test func anEngineWithTheNvidiaRuntimeGivesAllGPUs() throws {
        let fixture = Self.fixture(gpu: "true")
        var planner = try fixture.environment().planner
        fixture.runner.expect(planner.engineInfo().argv, stdout: Self.nvidia)
        try probe(fixture, &planner)
        fixture.runner.verifyAllCalled()
        #expect(planner.engineHasGPURuntime == true)
        #expect(gpuWords(planner.create(image: "python:3.12", configHash: "h").argv) == ["--gpus all"])
        #expect(fixture.console.stderr.isEmpty)
    }

    @Test func aRequiredGPUTheEngineCannotGiveIsAWarning() throws {
        let fixture = Self.fixture(gpu: "true")
        var planner = try fixture.environment().planner
        let fingerprint = planner.containerFingerprint(image: "python:3.12")
        fixture.runner.expect(planner.engineInfo().argv, stdout: Self.plain)
        try probe(fixture, &planner)
        fixture.runner.verifyAllCalled()
        #expect(planner.engineHasGPURuntime == false)
        #expect(gpuWords(planner.create(image: "python:3.12", configHash: "h").argv) == [])
        #expect(fixture.console.stderr == "devenv: warning: hostRequirements.gpu: this engine has no GPU runtime (`docker info` lists no nvidia runtime), "
                + "so devenv-shop-dev-497e78ff runs without GPUs (no --gpus all); install the NVIDIA Container Toolkit and register its runtime, "
                + "or set hostRequirements.gpu to \"optional\" to silence this\n")
        // The engine's answer is not configuration: the container is not stale because of it.
        #expect(planner.containerFingerprint(image: "python:3.12") == fingerprint)
    }

    @Test func anOptionalGPUIsSilentAndNoGPUAsksNothing() throws {
        let fixture = Self.fixture(gpu: #""optional""#)
        var planner = try fixture.environment().planner
        fixture.runner.expect(planner.engineInfo().argv, stdout: Self.plain)
        try probe(fixture, &planner)
        fixture.runner.verifyAllCalled()
        #expect(gpuWords(planner.create(image: "python:3.12", configHash: "h").argv) == [])
        #expect(fixture.console.stderr.isEmpty)

        let none = Self.fixture(gpu: "false")
        var plain = try none.environment().planner
        try probe(none, &plain)
        #expect(gpuWords(plain.create(image: "python:3.12", configHash: "h").argv) == [])
        #expect(none.runner.invocations.isEmpty)
    }

    @Test func runArgsGPUsAreLeftOutWithOneWarningWhenTheEngineHasNoRuntime() throws {
        let fixture = Self.runArgsFixture(#"["--shm-size", "1g", "--gpus", "all", "--gpus=device=1"]"#)
        var planner = try fixture.environment().planner
        let fingerprint = planner.containerFingerprint(image: "i")
        #expect(gpuWords(planner.create(image: "i", configHash: "h").argv) == ["--gpus all", "--gpus=device=1"])
        fixture.runner.expect(planner.engineInfo().argv, stdout: Self.plain)
        try probe(fixture, &planner)
        fixture.runner.verifyAllCalled()
        let argv = planner.create(image: "i", configHash: "h").argv
        #expect(gpuWords(argv) == [])
        #expect(argv.contains("--shm-size"))
        #expect(gpuWords(planner.runToCompletion(image: "i", command: ["pytest"]).argv) == [])
        #expect(fixture.console.stderr == "devenv: warning: run_args: --gpus all, --gpus=device=1 left out: this engine has no GPU runtime "
                + "(`docker info` lists no nvidia runtime), so devenv-shop-dev-497e78ff runs without GPUs; install the NVIDIA Container Toolkit "
                + "and register its runtime, or remove it from run_args\n")
        #expect(planner.containerFingerprint(image: "i") == fingerprint)

        // With the runtime they are passed as written, silently.
        let gpu = Self.runArgsFixture(#"["--gpus", "all"]"#)
        var withRuntime = try gpu.environment().planner
        gpu.runner.expect(withRuntime.engineInfo().argv, stdout: Self.nvidia)
        try probe(gpu, &withRuntime)
        #expect(gpuWords(withRuntime.create(image: "i", configHash: "h").argv) == ["--gpus all"])
        #expect(gpu.console.stderr.isEmpty)
    }

    @Test func aDryRunPlansWithTheGPUs() throws {
        let fixture = Self.fixture(gpu: "true")
        #expect(fixture.run(["up", "--dry-run"]) == 0)
        #expect(fixture.console.stdout.contains(" --gpus all "))
        let runArgs = Self.runArgsFixture(#"["--gpus", "all"]"#)
        #expect(runArgs.run(["up", "--dry-run"]) == 0)
        #expect(runArgs.console.stdout.contains(" --gpus all "))
    }

    @Test func theOneOffTestContainerGetsTheGPUsToo() throws {
        var planner = try Self.fixture(gpu: "true").environment().planner
        planner.engineHasGPURuntime = false
        #expect(!planner.runToCompletion(image: "i", command: ["pytest"]).argv.contains("--gpus"))
        planner.engineHasGPURuntime = true
        #expect(gpuWords(planner.runToCompletion(image: "i", command: ["pytest"]).argv) == ["--gpus all"])
        #expect(gpuWords(planner.startForTests(image: "i").argv) == ["--gpus all"])
        let dry = Self.fixture(gpu: "true")
        dry.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                               #"{ "build": { "dockerfile": "Dockerfile" }, "hostRequirements": { "gpu": true } }"#)
        dry.fileSystem.addFile(AppFixture.root + "/.devcontainer/Dockerfile", "FROM base\n")
        #expect(dry.run(["test", "--dry-run"]) == 0)
        #expect(dry.console.stdout.contains(" --gpus all "))
    }

    /// Issue 13's shortfall: `hostRequirements.gpu` and run_args' `--gpus` together gave `--gpus
    /// all` twice (or `--gpus all` beside `--gpus device=1`, which hands over every GPU). One
    /// rule now: run_args' own options decide, `hostRequirements.gpu` adds `--gpus all` only
    /// without them; an engine without a runtime gets none and one warning naming both.
    static let both: [(gpu: String, runArgs: String, expected: [String])] = [
        ("true", #"["--gpus", "all"]"#, ["--gpus all"]),
        ("true", #"["--gpus=all"]"#, ["--gpus=all"]),
        (#""optional""#, #"["--gpus", "device=1"]"#, ["--gpus device=1"]),
        (#"{ "cores": 2 }"#, #"["--shm-size", "1g", "--gpus", "\"device=0,1\""]"#, [#"--gpus "device=0,1""#]),
        ("true", #"["--shm-size", "1g"]"#, ["--gpus all"]),
        ("false", #"["--gpus", "all"]"#, ["--gpus all"]),
    ]

    @Test(arguments: both.indices)
    func bothAskOnAGPUEngineGivesOneSetOfGPUOptions(_ index: Int) throws {
        let (gpu, runArgs, expected) = Self.both[index]
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                                   #"{ "image": "python:3.12", "hostRequirements": { "gpu": \#(gpu) }, "runArgs": \#(runArgs) }"#)
        var planner = try fixture.environment().planner
        let fingerprint = planner.containerFingerprint(image: "i")
        fixture.runner.expect(planner.engineInfo().argv, stdout: Self.nvidia)
        try probe(fixture, &planner)
        fixture.runner.verifyAllCalled()
        for argv in [planner.create(image: "i", configHash: "h").argv, planner.runToCompletion(image: "i", command: ["pytest"]).argv,
                     planner.startForTests(image: "i").argv] {
            #expect(gpuWords(argv) == expected, "\(gpu) \(runArgs): \(argv)")
        }
        #expect(fixture.console.stderr.isEmpty, "\(fixture.console.stderr)")
        // The engine's answer is not configuration.
        #expect(planner.containerFingerprint(image: "i") == fingerprint)
        // A dry run plans the same.
        let dry = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        dry.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                               #"{ "image": "python:3.12", "hostRequirements": { "gpu": \#(gpu) }, "runArgs": \#(runArgs) }"#)
        #expect(dry.run(["up", "--dry-run"]) == 0, "\(dry.console.stderr)")
        let create = try #require(dry.console.stdout.split(separator: "\n").first { $0.hasPrefix("docker create") })
        #expect(create.components(separatedBy: "--gpus").count - 1 == expected.count, "\(create)")
    }

    @Test func bothAskOnAnEngineWithoutARuntimeGetNoGPUsAndOneWarning() throws {
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                                   #"{ "image": "python:3.12", "hostRequirements": { "gpu": true }, "runArgs": ["--gpus", "all", "--shm-size", "1g"] }"#)
        var planner = try fixture.environment().planner
        fixture.runner.expect(planner.engineInfo().argv, stdout: Self.plain)
        try probe(fixture, &planner)
        let argv = planner.create(image: "i", configHash: "h").argv
        #expect(gpuWords(argv) == [] && argv.contains("--shm-size"))
        #expect(fixture.console.stderr == "devenv: warning: hostRequirements.gpu and runArgs (--gpus all): this engine has no GPU runtime "
                + "(`docker info` lists no nvidia runtime), so devenv-shop-dev-497e78ff runs without GPUs (no --gpus at all); install the NVIDIA "
                + "Container Toolkit and register its runtime, or set hostRequirements.gpu to \"optional\" and remove --gpus all from "
                + "runArgs to silence this\n")
        // An optional GPU beside run_args' --gpus: only run_args is named.
        let optional = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        optional.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json",
                                    #"{ "image": "python:3.12", "hostRequirements": { "gpu": "optional" }, "runArgs": ["--gpus=device=1"] }"#)
        var quiet = try optional.environment().planner
        optional.runner.expect(quiet.engineInfo().argv, stdout: Self.plain)
        try probe(optional, &quiet)
        #expect(gpuWords(quiet.create(image: "i", configHash: "h").argv) == [])
        #expect(optional.console.stderr.hasPrefix("devenv: warning: runArgs: --gpus=device=1 left out: "), "\(optional.console.stderr)")
    }

    /// The rule alone, for each answer of the engine.
    @Test func theRuleItself() {
        let asked = GPUArguments(request: .required, runArgs: ["--gpus", "device=1"], engineHasGPURuntime: true)
        #expect(asked.added == [] && asked.runArgs == ["--gpus", "device=1"] && asked.shortfall == nil)
        let unasked = GPUArguments(request: .required, runArgs: ["--gpus", "device=1"], engineHasGPURuntime: nil)
        #expect(unasked == asked)
        let none = GPUArguments(request: .required, runArgs: ["--gpus", "device=1", "--init"], engineHasGPURuntime: false)
        #expect(none.added == [] && none.runArgs == ["--init"])
        #expect(none.shortfall?.requiredGPU == true && none.shortfall?.runArgsOptions == ["--gpus device=1"])
        let optional = GPUArguments(request: .optional, runArgs: [], engineHasGPURuntime: false)
        #expect(optional.added == [] && optional.shortfall == nil)
        #expect(GPUArguments(request: .optional, runArgs: [], engineHasGPURuntime: true).added == ["--gpus", "all"])
        #expect(GPUArguments(request: nil, runArgs: ["--cpus", "2"], engineHasGPURuntime: false).shortfall == nil)
    }
}
