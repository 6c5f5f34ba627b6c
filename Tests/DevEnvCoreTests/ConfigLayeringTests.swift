import DevEnvCore
import Testing
import TestSupport

@Suite struct ConfigLayeringTests {
    typealias F = ConfigFixture

    @Test func defaultsWithoutProjectFiles() throws {
        let eval = F.evaluate(F.fileSystem())
        #expect(eval.diagnostics == [])
        let config = try #require(eval.config)
        #expect(config.project.name == .builtIn("my-app"))
        #expect(config.project.dockerfile == .builtIn("Dockerfile"))
        #expect(config.project.dockerfilePath == "/home/ada/src/My App/Dockerfile")
        #expect(config.project.workspace == .builtIn("/app"))
        #expect(config.project.defaultProfile == .builtIn("dev"))
        #expect(config.profile.name == "dev")
        #expect(config.profileNames == ["dev", "prod"])
        #expect(config.files == ["\(F.shipped)/dev.toml", "\(F.shipped)/prod.toml"])
        #expect(config.profile.target == Sourced("dev", F.location("\(F.shipped)/dev.toml", 1, 1)))
        #expect(config.profile.user.value == .host)
        #expect(config.profile.syncCommand == .builtIn(["uv", "sync", "--frozen"]))
    }

    @Test func devenvTomlOverridesShippedProfileKeyByKey() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [project]
            name = "shop"

            [profiles.dev]
            ports = ["9000:8000"]
            env = { LOG_LEVEL = "INFO", EXTRA = "x" }
            volumes.cache = "/home/dev/.cache"
            """])
        let config = try #require(F.evaluate(fs).config)
        #expect(config.project.name == Sourced("shop", F.location("devenv.toml", 2, 1)))
        #expect(config.profile.ports.value.map(\.description) == ["9000:8000"])
        #expect(config.profile.ports.origin == F.location("devenv.toml", 5, 1))
        // env merges by name: DEBUG stays from the shipped file, LOG_LEVEL is replaced.
        #expect(config.profile.env == [
            NamedSetting(name: "DEBUG", value: "1", origin: F.location("\(F.shipped)/dev.toml", 7, 1)),
            NamedSetting(name: "EXTRA", value: "x", origin: F.location("devenv.toml", 6, 29)),
            NamedSetting(name: "LOG_LEVEL", value: "INFO", origin: F.location("devenv.toml", 6, 9)),
        ])
        #expect(config.profile.volumes.map(\.name) == ["cache", "venv"])
        #expect(config.profile.command.value == ["sleep", "infinity"])
        #expect(config.files.last == "devenv.toml")
    }

    @Test func projectAddsProfileThatExtendsAnother() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [profiles.dev]
            ports = ["8001:8000"]

            [profiles.staging]
            extends = "prod"
            ports = ["8443:8443"]
            restart = "always"
            """])
        let config = try #require(F.evaluate(fs, profile: "staging").config)
        #expect(config.profileNames == ["dev", "prod", "staging"])
        #expect(config.profile.name == "staging")
        #expect(config.profile.extends == Sourced("prod", F.location("devenv.toml", 5, 1)))
        #expect(config.profile.target == Sourced("prod", F.location("\(F.shipped)/prod.toml", 1, 1)))
        #expect(config.profile.readOnly.value == true)
        #expect(config.profile.mountWorkspace.value == false)
        #expect(config.profile.restart == Sourced("always", F.location("devenv.toml", 7, 1)))

        // A profile extending dev sees dev's project override too.
        let fs2 = F.fileSystem(["devenv.toml": """
            [profiles.dev]
            ports = ["8001:8000"]

            [profiles.debug]
            extends = "dev"
            """])
        let debug = try #require(F.evaluate(fs2, profile: "debug").config)
        #expect(debug.profile.ports.value.map(\.description) == ["8001:8000"])
        #expect(debug.profile.env["DEBUG"] == "1")
    }

    @Test func newProfileWithoutExtendsStartsFromBuiltInDefaults() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [profiles.docs]
            command = ["mkdocs", "serve"]
            """])
        let config = try #require(F.evaluate(fs, profile: "docs").config)
        #expect(config.profile.target == .builtIn(nil))
        #expect(config.profile.user == .builtIn(.image))
        #expect(config.profile.mountWorkspace == .builtIn(true))
        #expect(config.profile.command == Sourced(["mkdocs", "serve"], F.location("devenv.toml", 2, 1)))
    }

    @Test func pyprojectToolDevenvIsReadWhenThereIsNoDevenvToml() throws {
        let fs = F.fileSystem(["pyproject.toml": """
            [project]
            name = "ignored-by-devenv"

            [tool.devenv.project]
            workspace = "/srv/app"
            default_profile = "prod"

            [tool.devenv.profiles.prod]
            ports = ["80:8080"]
            """])
        let eval = F.evaluate(fs)
        #expect(eval.diagnostics == [])
        let config = try #require(eval.config)
        #expect(config.project.workspace == Sourced("/srv/app", F.location("pyproject.toml", 5, 1)))
        #expect(config.profile.name == "prod")
        #expect(config.profile.ports.origin == F.location("pyproject.toml", 9, 1))
    }

    @Test func devenvTomlWinsOverPyprojectAndSaysSo() throws {
        let fs = F.fileSystem([
            "devenv.toml": "[project]\nworkspace = \"/work\"\n",
            "pyproject.toml": "[project]\nname = \"x\"\n\n[tool.devenv.project]\nworkspace = \"/srv\"\n",
        ])
        let eval = F.evaluate(fs)
        let config = try #require(eval.config)
        #expect(config.project.workspace.value == "/work")
        #expect(eval.diagnostics.count == 1)
        #expect(eval.diagnostics.first?.severity == .warning)
        #expect(eval.diagnostics.first?.location == SourceLocation(file: "pyproject.toml", line: 4, column: 7))
        #expect(config.diagnostics == eval.diagnostics)
        #expect(config.files == ["\(F.shipped)/dev.toml", "\(F.shipped)/prod.toml", "devenv.toml"])

        // A broken pyproject.toml next to devenv.toml is uv's business, not a devenv error.
        let broken = F.fileSystem(["devenv.toml": "", "pyproject.toml": "[project\n"])
        #expect(F.evaluate(broken).diagnostics == [])
    }

    @Test func userAndProjectProfileFoldersLayerInOrder() throws {
        let fs = F.fileSystem([
            ".devenv/profiles/dev.toml": "ports = [\"7000:8000\"]\n",
            ".devenv/profiles/lab.toml": "extends = \"dev\"\nnetwork = \"none\"\n",
            "devenv.toml": "[profiles.dev]\nnetwork = \"host\"\n",
        ], other: [
            "/home/ada/.config/devenv/profiles/dev.toml": "ports = [\"6000:8000\"]\nenv_file = \".env.mine\"\nnetwork = \"bridge\"\n",
            "/home/ada/.config/devenv/profiles/prod.toml": "restart = \"always\"\n",
        ])
        let eval = F.evaluate(fs)
        #expect(eval.diagnostics == [])
        let dev = try #require(eval.config).profile
        // project-local beats user beats shipped; devenv.toml beats all.
        #expect(dev.ports.origin == F.location(".devenv/profiles/dev.toml", 1, 1))
        #expect(dev.envFile == Sourced(".env.mine", F.location("/home/ada/.config/devenv/profiles/dev.toml", 2, 1)))
        #expect(dev.network == Sourced("host", F.location("devenv.toml", 2, 1)))
        #expect(try #require(eval.config).files == [
            "\(F.shipped)/dev.toml", "\(F.shipped)/prod.toml",
            "/home/ada/.config/devenv/profiles/dev.toml", "/home/ada/.config/devenv/profiles/prod.toml",
            ".devenv/profiles/dev.toml", ".devenv/profiles/lab.toml", "devenv.toml",
        ])
        let lab = try #require(F.evaluate(fs, profile: "lab").config)
        #expect(lab.profileNames == ["dev", "lab", "prod"])
        #expect(lab.profile.network.value == "none")
        #expect(lab.profile.ports.value.map(\.description) == ["7000:8000"])

        // XDG_CONFIG_HOME moves the user folder.
        fs.addFile("/xdg/devenv/profiles/dev.toml", "user = \"1234:5678\"\n")
        let xdg = try #require(F.evaluate(fs, environment: ["HOME": "/home/ada", "XDG_CONFIG_HOME": "/xdg"]).config)
        #expect(xdg.profile.user == Sourced(.ids(uid: 1234, gid: 5678), F.location("/xdg/devenv/profiles/dev.toml", 1, 1)))
        #expect(xdg.profile.envFile == .builtIn(nil))
    }

    @Test func unknownProfileAndLoadThrowsUsageWithEveryFinding() {
        let fs = F.fileSystem()
        let eval = F.evaluate(fs, profile: "qa")
        #expect(eval.config == nil)
        #expect(eval.diagnostics == [Diagnostic(.error, "unknown profile \"qa\" (available: dev, prod)", at: nil)])
        #expect(throws: DevEnvError.self) {
            try ConfigLoader.load(projectDirectory: F.project, profile: "qa", executablePath: F.executable,
                                  environment: F.environment, fileSystem: fs)
        }
        do {
            _ = try ConfigLoader.load(projectDirectory: F.project, profile: "qa", executablePath: F.executable,
                                      environment: F.environment, fileSystem: fs)
        } catch let error as DevEnvError {
            #expect(error.exitCode == .usage)
            // The single finding is the message; the detail does not say it again (issue 15).
            #expect(error.detail == nil)
            #expect(error.message == "unknown profile \"qa\" (available: dev, prod)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func extendsCyclesAndUnknownBasesAreErrors() {
        let fs = F.fileSystem(["devenv.toml": """
            [profiles.a]
            extends = "b"
            [profiles.b]
            extends = "a"
            [profiles.c]
            extends = "nope"
            """])
        let messages = F.evaluate(fs).diagnostics.map(\.description)
        #expect(messages == [
            "devenv.toml:2:1: error: \"extends\" makes a cycle: b -> a -> b",
            "devenv.toml:4:1: error: \"extends\" makes a cycle: a -> b -> a",
            "devenv.toml:6:1: error: profile \"c\" extends unknown profile \"nope\" (available: a, b, c, dev, prod)",
        ])
    }
}
