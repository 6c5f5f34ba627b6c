@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// legacy25: a Dockerfile without the profile's stage passed `up --dry-run` and failed only at
/// `docker build --target` ("target stage ... could not be found"). It is exit 2 before any docker
/// call, naming where `target` was set and the stages the Dockerfile has.
@Suite struct DockerfileTargetTests {
    @Test func aMissingStageIsExit2AtTheTargetSetting() {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n\n[profiles.dev]\ntarget = \"dev\"\n")
        fixture.fileSystem.addFile("\(AppFixture.root)/Dockerfile", "FROM base AS builder\nRUN true\n\nfrom builder as prod\n")
        #expect(fixture.run(["--no-tui", "up", "--dry-run"]) == 2)
        #expect(fixture.console.stderr.contains(
            #"devenv.toml:5:1: profile dev: target "dev" is not a stage of Dockerfile; its stages: builder (Dockerfile:1:1), prod (Dockerfile:4:1)"#),
                "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("add `FROM ... AS dev` to Dockerfile"))
        fixture.runner.verifyAllCalled()
    }

    /// Stage names are case-insensitive (Dockerfile reference, FROM): `AS DEV` is target dev's.
    /// A stage named through an ARG is for the builder to judge.
    @Test(arguments: ["FROM base AS DEV\n", "ARG STAGE=dev\nFROM base AS ${STAGE}\n"])
    func aStageTheBuilderFindsIsNoError(dockerfile: String) throws {
        let fixture = AppFixture()
        fixture.fileSystem.addFile("\(AppFixture.root)/Dockerfile", dockerfile)
        let environment = try fixture.environment()
        #expect(environment.spec.target == "dev")
        #expect(throws: Never.self) { try environment.checkTarget(dockerfile: Array(dockerfile.utf8)) }
    }
}
