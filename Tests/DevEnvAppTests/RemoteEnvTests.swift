@testable import DevEnvApp
@testable import DevEnvCore
import Testing
import TestSupport

/// devcontainer.json remoteEnv entries that refer to `${containerEnv:VAR}`: resolved when the
/// container is created, against the image's Config.Env (from the image inspect `up` already
/// makes) under the profile's env.
@Suite struct RemoteEnvTests {
    static func fixture() -> AppFixture {
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json", """
            { "image": "tool:1",
              "containerEnv": { "MODE": "dev" },
              "remoteEnv": { "PATH": "${containerEnv:PATH}:/opt/tool/bin", "X": "${containerEnv:TOOL_HOME}/x",
                             "D": "${containerEnv:UNSET:fallback}", "E": "[${containerEnv:UNSET}]", "M": "${containerEnv:MODE}-m" } }
            """)
        return fixture
    }

    static let inspectOutput = "sha256:1 null\t\"\"\t[\"PATH=/usr/local/bin:/usr/bin:/bin\",\"TOOL_HOME=/opt/tool\",\"MODE=image\",\"EQ=a=b\"]\n"

    func envArguments(_ argv: [String]) -> [String] {
        argv.indices.filter { argv[$0] == "--env" }.map { argv[$0 + 1] }
    }

    @Test func theImageInspectCarriesConfigEnv() {
        #expect(ImageEnvironment.parse(inspectOutput: Self.inspectOutput)
                == ["PATH": "/usr/local/bin:/usr/bin:/bin", "TOOL_HOME": "/opt/tool", "MODE": "image", "EQ": "a=b"])
        #expect(ImageEnvironment.parse(inspectOutput: "sha256:1 null\t\"\"\tnull\n") == [:])
        // An older two-field answer says nothing about the environment; the user is still read.
        #expect(ImageEnvironment.parse(inspectOutput: "sha256:1 null\t\"dev\"\n") == nil)
        #expect(ImageVolumeOwner.configUser(inspectOutput: Self.inspectOutput) == "")
        #expect(ImageVolumeOwner.configUser(inspectOutput: "sha256:1 null\t\"dev\"\t[]\n") == "dev")
    }

    @Test func theVariablesResolveWithDefaultsAndEmptyWhenUnset() {
        let env = ["PATH": "/bin", "A": "1"]
        #expect(DevcontainerVariables.resolveContainerEnvironment("${containerEnv:PATH}:/x", environment: env) == "/bin:/x")
        #expect(DevcontainerVariables.resolveContainerEnvironment("${containerEnv:B:dflt}/${containerEnv:A}", environment: env) == "dflt/1")
        #expect(DevcontainerVariables.resolveContainerEnvironment("[${containerEnv:B}]", environment: env) == "[]")
        #expect(DevcontainerVariables.resolveContainerEnvironment("${containerEnv:B:a:b}", environment: env) == "a:b")
        #expect(DevcontainerVariables.resolveContainerEnvironment("${containerEnv:A", environment: env) == "${containerEnv:A")
    }

    @Test func aRemoteEnvOverTheSameContainerEnvNameBuildsOnContainerEnvsValue() throws {
        #expect(DevcontainerVariables.resolvingContainerEnvironment("P", to: "/c", in: "${containerEnv:P}:${containerEnv:Q}:${containerEnv:P:d}/x")
                == "/c:${containerEnv:Q}:/c/x")
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json", """
            { "image": "tool:1", "containerEnv": { "PATH": "/c/bin" },
              "remoteEnv": { "PATH": "${containerEnv:PATH}:/r/bin", "HOMEISH": "${containerEnv:HOME}/h" } }
            """)
        var planner = try fixture.environment().planner
        #expect(planner.spec.environment["PATH"] == "/c/bin:/r/bin")
        #expect(planner.spec.environmentResolvedAtCreate == ["HOMEISH"])
        planner.imageEnvironment = ["PATH": "/image/bin", "HOME": "/root"]
        #expect(envArguments(planner.create(image: "tool:1", configHash: "h").argv) == ["HOMEISH=/root/h", "PATH=/c/bin:/r/bin"])
    }

    @Test func theEnvFileIsPartOfWhatTheTemplatesResolveAgainst() throws {
        let fixture = AppFixture(devenvToml: """
            devcontainer = ".devcontainer/devcontainer.json"
            [project]
            name = "shop"
            [profiles.dev]
            env_file = ".env.dev"
            """)
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json", """
            { "image": "tool:1", "remoteEnv": { "X": "${containerEnv:TOOL_HOME}/x", "H": "${containerEnv:HOME}" } }
            """)
        fixture.fileSystem.addFile(AppFixture.root + "/.env.dev", "TOOL_HOME=/from/env-file\nHOME\n")
        let environment = try fixture.environment()
        let base = try environment.containerBaseEnvironment(inspectOutput: Self.inspectOutput, context: fixture.context)
        // The env file over the image; a bare name takes the host's value, as Docker does.
        #expect(base?["TOOL_HOME"] == "/from/env-file")
        #expect(base?["HOME"] == "/root")
        #expect(base?["PATH"] == "/usr/local/bin:/usr/bin:/bin")
        var planner = environment.planner
        planner.imageEnvironment = base
        let env = envArguments(planner.create(image: "tool:1", configHash: "h").argv)
        #expect(env == ["H=/root", "X=/from/env-file/x"])
    }

    @Test func theContainerGetsTheResolvedValuesAndTheFingerprintTheTemplates() throws {
        let fixture = Self.fixture()
        var planner = try fixture.environment().planner
        let fingerprint = planner.containerFingerprint(image: "tool:1")
        // Before the image is known (a dry run): the templates as written.
        #expect(envArguments(planner.create(image: "tool:1", configHash: "h").argv).contains("PATH=${containerEnv:PATH}:/opt/tool/bin"))
        planner.imageEnvironment = ImageEnvironment.parse(inspectOutput: Self.inspectOutput)
        let env = envArguments(planner.create(image: "tool:1", configHash: "h").argv)
        #expect(env == ["D=fallback", "E=[]", "M=dev-m", "MODE=dev", "PATH=/usr/local/bin:/usr/bin:/bin:/opt/tool/bin", "X=/opt/tool/x"])
        // The one-off test container too.
        #expect(envArguments(planner.runToCompletion(image: "tool:1", command: ["pytest"]).argv) == env)
        // The image's answer is not configuration: the container is not stale because of it.
        #expect(planner.containerFingerprint(image: "tool:1") == fingerprint)
    }

    @Test func upResolvesFromTheImageInspectItAlreadyMakes() throws {
        let fixture = Self.fixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        var resolved = planner
        resolved.imageEnvironment = ImageEnvironment.parse(inspectOutput: Self.inspectOutput)
        let fingerprint = try environment.containerFingerprint(image: "tool:1", fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(planner.imageExists("tool:1").argv, stdout: Self.inspectOutput)
            .expect(planner.engineInfo().argv, stdout: #"{"SecurityOptions":["name=seccomp,profile=default"]}"#)
            .expect(resolved.create(image: "tool:1", configHash: fingerprint, inputs: try fixture.inputs(environment, image: "tool:1")).argv,
                    stdout: "new1\n")
            .expect(planner.start(id: "new1").argv)
            .expect(AppFixture.homeGift(planner))
        #expect(fixture.run(["up", "--no-tui"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
    }
}
