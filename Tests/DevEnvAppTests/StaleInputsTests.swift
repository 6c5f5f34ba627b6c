@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `status` names the input that made a container stale (the `devenv.inputs` label `up` puts on
/// it, compared with the inputs now) and the command for that profile; still one docker call.
@Suite struct StaleInputsTests {
    /// An exited container of `profile` made from the inputs as they are now (so an edit after
    /// this call is what changed); `sameImage`: it runs the image the inputs give now.
    static func containerLine(_ fixture: AppFixture, profile: String = "dev", inputs: Bool = true) throws -> String {
        let environment = try fixture.environment(profile: profile)
        let image = try environment.image(fileSystem: fixture.fileSystem)
        var labels = AppFixture.ownLabels(profile: profile, hash: "old")
        if inputs { labels[EnvironmentInputs.label] = try environment.inputs(image: image, fileSystem: fixture.fileSystem).encoded }
        return AppFixture.psLine(name: "devenv-shop-\(profile)-497e78ff", state: "exited", status: "Exited (0) 1 minute ago", labels: labels)
            .replacingOccurrences(of: #""Image":"img""#, with: #""Image":"\#(image)""#)
    }

    static func status(_ fixture: AppFixture, lines: [String]) throws -> [String: [String: Any]] {
        fixture.runner.expect(try fixture.statusLookup(), stdout: lines.joined(separator: "\n"))
        #expect(fixture.run(["status", "--json"]) == 0, "\(fixture.console.stderr) \(fixture.console.stdout)")
        fixture.runner.verifyAllCalled()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fixture.console.stdout.utf8)) as? [String: Any])
        let environments = try #require(object["environments"] as? [[String: Any]], "\(fixture.console.stdout)")
        return Dictionary(uniqueKeysWithValues: environments.compactMap { entry in (entry["profile"] as? String).map { ($0, entry) } })
    }

    @Test func aChangedUvLockIsNamedAndRebuilds() throws {
        let fixture = AppFixture()
        let line = try Self.containerLine(fixture)
        fixture.fileSystem.addFile(AppFixture.root + "/uv.lock", "version = 1\n# requests added\n")
        let dev = try #require(try Self.status(fixture, lines: [line])["dev"])
        #expect(dev["stale"] as? Bool == true)
        #expect(dev["staleInputs"] as? [String] == ["uv.lock"])
        #expect(dev["staleReason"] as? String == "uv.lock changed: `devenv up` rebuilds and recreates")
    }

    /// dash30: with the Dockerfile gone (renamed, the project folder being removed) nothing
    /// can be compared with the container, and it was said up to date ("stale": false, the
    /// dashboard's stale mark cleared): on no evidence.
    @Test func aContainerNothingCanBeComparedWithIsNotSaidUpToDate() throws {
        let fixture = AppFixture()
        let line = try Self.containerLine(fixture)
        try fixture.fileSystem.removeFile(AppFixture.root + "/Dockerfile")
        let dev = try #require(try Self.status(fixture, lines: [line])["dev"])
        #expect(dev["stale"] as? Bool == true)
        #expect(dev["staleInputs"] as? [String] == [])
        #expect(dev["staleReason"] as? String == "cannot tell whether it is up to date: no Dockerfile at /src/shop/Dockerfile")
    }

    /// review31: a Dockerfile path with a line break in it (devenv allows any name) split the
    /// "is stale" note of the text output in two, the second line reading as a note of its own.
    @Test func aStaleReasonIsOneLineWhateverThePathHoldsInText() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\ndockerfile = \"Docker\\nfile\"\n")
        fixture.runner.expect(try fixture.statusLookup(), stdout: AppFixture.psLine(
            name: "devenv-shop-dev-497e78ff", state: "exited", status: "Exited (0) 1 minute ago",
            labels: AppFixture.ownLabels(profile: "dev", hash: "old")))
        #expect(fixture.run(["status", "--no-tui"]) == 0, "\(fixture.console.stderr)")
        let note = fixture.console.stdout.split(separator: "\n").filter { $0.hasPrefix("dev is stale: ") }
        #expect(note == ["dev is stale: cannot tell whether it is up to date: no Dockerfile at /src/shop/Docker\\x0afile"],
                "\(fixture.console.stdout)")
        #expect(!fixture.console.stdout.contains("\nfile\n"), "\(fixture.console.stdout)")
    }

    @Test func theEnvFileIsNamedAndOnlyRecreates() throws {
        let fixture = AppFixture()
        let line = try Self.containerLine(fixture)
        fixture.fileSystem.addFile(AppFixture.root + "/.env.dev", "A=2\n")
        let dev = try #require(try Self.status(fixture, lines: [line])["dev"])
        #expect(dev["staleInputs"] as? [String] == ["env_file"])
        #expect(dev["staleReason"] as? String == "the env file .env.dev changed: `devenv up` recreates the container")
    }

    @Test func theDockerfileOfTheProdProfileGivesItsCommand() throws {
        let fixture = AppFixture()
        let lines = [try Self.containerLine(fixture), try Self.containerLine(fixture, profile: "prod")]
        fixture.fileSystem.addFile(AppFixture.root + "/Dockerfile", "FROM base AS dev\nRUN true\n")
        let prod = try #require(try Self.status(fixture, lines: lines)["prod"])
        #expect(prod["staleInputs"] as? [String] == ["dockerfile"])
        #expect(prod["staleReason"] as? String == "the Dockerfile changed: `devenv up --profile prod` rebuilds and recreates")
    }

    @Test func aPyprojectCommentIsNoChangeButADependencyIs() throws {
        let fixture = AppFixture()
        fixture.fileSystem.addFile(AppFixture.root + "/pyproject.toml", "[project]\nname = \"shop\"\ndependencies = [\"requests\"]\n")
        let image = try fixture.environment().image(fileSystem: fixture.fileSystem)
        let line = try Self.containerLine(fixture)
        // A comment and a reformatting: same image, same inputs.
        fixture.fileSystem.addFile(AppFixture.root + "/pyproject.toml",
                                   "# the shop\n[project]\nname = \"shop\"\ndependencies = [\n  \"requests\",\n]\n")
        #expect(try fixture.environment().image(fileSystem: fixture.fileSystem) == image)
        // A new dependency: named.
        fixture.fileSystem.addFile(AppFixture.root + "/pyproject.toml", "[project]\nname = \"shop\"\ndependencies = [\"requests\", \"rich\"]\n")
        let dev = try #require(try Self.status(fixture, lines: [line])["dev"])
        #expect(dev["staleInputs"] as? [String] == ["pyproject.dependencies"])
        #expect(dev["staleReason"] as? String == "pyproject.toml's dependencies changed: `devenv up` rebuilds and recreates")
    }

    @Test func aDevenvTomlKeyAndABuildArgAreNamed() throws {
        let fixture = AppFixture()
        let line = try Self.containerLine(fixture)
        fixture.fileSystem.addFile(AppFixture.root + "/devenv.toml",
                                   "[project]\nname = \"shop\"\nbuild_args = { PYTHON_VERSION = \"3.13\" }\n[profiles.dev]\ncommand = [\"sleep\", \"1000\"]\n")
        let dev = try #require(try Self.status(fixture, lines: [line])["dev"])
        #expect(dev["staleInputs"] as? [String] == ["arg.PYTHON_VERSION", "devenv.toml.command"], "\(dev) \(line)")
        #expect(dev["staleReason"] as? String
                == "build arg PYTHON_VERSION and devenv.toml key command changed: `devenv up` rebuilds and recreates")
    }

    @Test func aContainerWithoutTheLabelKeepsTodaysWording() throws {
        let fixture = AppFixture()
        let line = try Self.containerLine(fixture, inputs: false)
        fixture.fileSystem.addFile(AppFixture.root + "/.env.dev", "A=2\n")
        let dev = try #require(try Self.status(fixture, lines: [line])["dev"])
        #expect(dev["staleInputs"] as? [String] == [])
        #expect(dev["staleReason"] as? String == "configuration or env file changed: `devenv up` recreates the container")
    }

    @Test func theTextOutputShowsTheReason() throws {
        let fixture = AppFixture()
        let line = try Self.containerLine(fixture)
        fixture.fileSystem.addFile(AppFixture.root + "/uv.lock", "version = 2\n")
        fixture.runner.expect(try fixture.statusLookup(), stdout: line)
        #expect(fixture.run(["status"]) == 0)
        #expect(fixture.console.stdout.contains("dev is stale: uv.lock changed: `devenv up` rebuilds and recreates"), "\(fixture.console.stdout)")
    }
}

extension StaleInputsTests {
    /// A build arg and an env key changed together: both named, and a rebuild (the arg).
    @Test func aBuildArgAndAnEnvKeyAreBothNamed() throws {
        let fixture = AppFixture()
        let line = try Self.containerLine(fixture)
        fixture.fileSystem.addFile(AppFixture.root + "/devenv.toml",
                                   "[project]\nname = \"shop\"\nbuild_args = { PYTHON_VERSION = \"3.13\" }\n[profiles.dev]\nenv = { FEATURE = \"on\" }\n")
        let dev = try #require(try Self.status(fixture, lines: [line])["dev"])
        #expect(dev["staleInputs"] as? [String] == ["arg.PYTHON_VERSION", "devenv.toml.env"], "\(dev)")
        #expect(dev["staleReason"] as? String == "build arg PYTHON_VERSION and devenv.toml key env changed: `devenv up` rebuilds and recreates")
    }
}

extension StaleInputsTests {
    /// The command a message gives acts on the profile it is about: without `--profile` devenv
    /// acts on `default_profile`, so with `default_profile = "prod"` dev's is `devenv up
    /// --profile dev` and prod's plain `devenv up` (it said `devenv up` for dev, which went to prod).
    @Test func theCommandFollowsTheDefaultProfile() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\ndefault_profile = \"prod\"\n")
        let lines = [try Self.containerLine(fixture), try Self.containerLine(fixture, profile: "prod")]
        fixture.fileSystem.addFile(AppFixture.root + "/uv.lock", "version = 1\n# requests added\n")
        let environments = try Self.status(fixture, lines: lines)
        let dev = try #require(environments["dev"])
        let prod = try #require(environments["prod"])
        #expect(dev["staleReason"] as? String == "uv.lock changed: `devenv up --profile dev` rebuilds and recreates")
        #expect(prod["staleReason"] as? String == "uv.lock changed: `devenv up` rebuilds and recreates")
    }
}
