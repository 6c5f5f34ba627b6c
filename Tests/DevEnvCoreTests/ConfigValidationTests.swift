import DevEnvCore
import Testing
import TestSupport

@Suite struct ConfigValidationTests {
    typealias F = ConfigFixture

    /// The findings for one devenv.toml, as `file:line:col: severity: message` lines.
    func findings(_ devenvToml: String, profile: String? = nil, more: [String: String] = [:]) -> [String] {
        var files = more
        files["devenv.toml"] = devenvToml
        return F.evaluate(F.fileSystem(files), profile: profile).diagnostics.map(\.description)
    }

    @Test func unknownKeysAreErrorsWithTheNearestKey() {
        // Findings come in file order, then line and column order.
        #expect(findings("""
            [project]
            dockerfle = "Dockerfile"
            colour = "blue"

            [profiles.dev]
            port = ["8000:8000"]
            read-only = true

            [profile.dev]
            """) == [
            "devenv.toml:2:1: error: unknown key \"dockerfle\" in [project]; did you mean \"dockerfile\"?",
            "devenv.toml:3:1: error: unknown key \"colour\" in [project]",
            "devenv.toml:6:1: error: unknown key \"port\" in [profiles.dev]; did you mean \"ports\"?",
            "devenv.toml:7:1: error: unknown key \"read-only\" in [profiles.dev]; did you mean \"read_only\"?",
            "devenv.toml:9:2: error: unknown key \"profile\" in devenv.toml; did you mean \"profiles\"?",
        ])
    }

    /// Every string of devenv.toml may become a process argument, environment entry or path:
    /// a NUL would cut it short (docker got `A=a` for `A = "a\u0000b"`, `dockerfile =
    /// "Dockerfile\u0000.x"` read Dockerfile), and one over Linux's 128 KiB per argument made
    /// `up` build and make volumes, then fail with "Argument list too long" (exit 1). Each is
    /// exit 2 at the value, wherever it stands: a plain string, an array element, a table value
    /// or name, a shell command.
    @Test func stringsThatNoProcessCanTakeAreErrorsAtTheValue() {
        let long = String(repeating: "x", count: ConfigLimits.maximumArgumentBytes)
        let nul = "holds a NUL character (\\u0000), which no command line, environment or path can carry"
        #expect(findings("""
            [project]
            dockerfile = "Dockerfile\\u0000.x"
            [profiles.dev]
            command = ["sleep", "a\\u0000b"]
            env = { A = "a\\u0000b", "B\\u0000" = "x" }
            post_start = "echo \\u0000"
            """) == [
            "devenv.toml:2:14: error: \"dockerfile\" \(nul)",
            "devenv.toml:4:21: error: an element of \"command\" \(nul)",
            "devenv.toml:5:13: error: \"env.A\" \(nul)",
            "devenv.toml:5:25: error: the name \"env.B\u{0}\" \(nul)",
            "devenv.toml:6:14: error: \"post_start\" \(nul)",
        ])
        #expect(findings("[profiles.dev]\nenv = { BIG = \"\(long.dropLast(4))\" }\ndescription = \"\(long)\"") == [
            "devenv.toml:2:15: error: \"env.BIG\" is 131072 bytes with its name; Linux passes at most 131071 bytes in one argument",
            "devenv.toml:3:15: error: \"description\" is 131072 bytes; Linux passes at most 131071 bytes in one argument",
        ])
        // Just under the limit is a value like any other.
        #expect(findings("[profiles.dev]\nenv = { BIG = \"\(long.dropLast(5))\" }").isEmpty)
    }

    @Test func unknownKeyInProfileFolderNamesTheFile() {
        let fs = F.fileSystem([".devenv/profiles/dev.toml": "\n  comand = [\"bash\"]\n"])
        #expect(F.evaluate(fs).diagnostics.map(\.description) == [
            ".devenv/profiles/dev.toml:2:3: error: unknown key \"comand\" in profile .devenv/profiles/dev.toml; did you mean \"command\"?",
        ])
    }

    @Test func wrongTypesAreErrorsAtTheValue() {
        #expect(findings("""
            [project]
            workspace = 5
            mounts = "data:/data"

            [profiles.dev]
            read_only = "yes"
            command = ["python", 3]
            env = { DEBUG = 1, PORT = "8000" }
            """) == [
            "devenv.toml:2:13: error: \"workspace\" must be a string, found an integer",
            "devenv.toml:3:10: error: \"mounts\" must be an array of strings, found a string",
            "devenv.toml:6:13: error: \"read_only\" must be true or false, found a string",
            "devenv.toml:7:22: error: \"command\" must contain only strings, found an integer",
            "devenv.toml:8:17: error: \"env.DEBUG\" must be a string, found an integer (quote it)",
        ])
    }

    @Test func badPortSpecs() {
        #expect(findings("""
            [profiles.dev]
            ports = ["8000", "0:80", "8000:70000", "a:80",
                     "300.1.1.1:80:80", "80:80/sctp", "8000-8010:8000-8010", "127.0.0.1:9000:9000/udp",
                     "9000:1", "9000:2", "[::1]:9000:9000", "[::1:9000:9000"]
            """) == [
            "devenv.toml:2:10: error: bad port spec \"8000\": expected HOST:CONTAINER, e.g. \"8000:8000\"",
            "devenv.toml:2:18: error: bad port spec \"0:80\": host port 0 is out of range 1-65535",
            "devenv.toml:2:26: error: bad port spec \"8000:70000\": container port 70000 is out of range 1-65535",
            "devenv.toml:2:40: error: bad port spec \"a:80\": host port \"a\" is not a number",
            "devenv.toml:3:10: error: bad port spec \"300.1.1.1:80:80\": \"300.1.1.1\" is not an IPv4 address",
            "devenv.toml:3:29: error: bad port spec \"80:80/sctp\": unknown protocol \"sctp\" (use tcp or udp)",
            "devenv.toml:3:43: error: bad port spec \"8000-8010:8000-8010\": port ranges are not supported (host port \"8000-8010\")",
            "devenv.toml:4:20: error: port spec \"9000:2\" publishes host port 9000 again (already in \"9000:1\")",
            "devenv.toml:4:49: error: bad port spec \"[::1:9000:9000\": missing ']' after the IPv6 address",
        ])
    }

    @Test func badMountSpecsAndPathsLeavingTheProject() {
        #expect(findings("""
            [project]
            dockerfile = "../Dockerfile"
            context = "docker/../.."
            mounts = ["data:/data", "data", "data:rel", "data:/d:rx", "../shared:/shared:ro", "/abs/ok:/ok", "~/.aws:/aws:ro"]

            [project.build_secrets]
            pip = { src = "../pip.conf" }
            npm = { env = "NPM_TOKEN" }
            both = { src = "a", env = "B" }
            none = { path = "a" }

            [profiles.dev]
            env_file = "../.env"
            """) == [
            "devenv.toml:2:14: error: \"dockerfile\" path \"../Dockerfile\" leaves the project folder",
            "devenv.toml:3:11: error: \"context\" path \"docker/../..\" leaves the project folder",
            "devenv.toml:4:25: error: bad mount spec \"data\": expected HOST:CONTAINER or HOST:CONTAINER:ro",
            "devenv.toml:4:33: error: bad mount spec \"data:rel\": the container path \"rel\" must be absolute",
            "devenv.toml:4:45: error: bad mount spec \"data:/d:rx\": unknown option \"rx\" (use ro or rw)",
            "devenv.toml:4:59: error: \"mounts\" path \"../shared\" leaves the project folder",
            "devenv.toml:7:15: error: \"build_secrets.pip.src\" path \"../pip.conf\" leaves the project folder",
            "devenv.toml:9:1: error: build secret \"both\" must have either src or env, not both",
            "devenv.toml:10:10: error: unknown key \"path\" in build secret \"none\"",
            "devenv.toml:13:12: error: \"env_file\" path \"../.env\" leaves the project folder",
        ])
    }

    @Test func userSpecs() {
        #expect(findings("""
            [profiles.dev]
            user = "root"
            [profiles.prod]
            user = "1000:"
            [profiles.ci]
            user = "1001:1001"
            """) == [
            "devenv.toml:2:8: error: \"user\" must be \"host\", \"image\" or \"UID:GID\" (numbers), found \"root\"",
            "devenv.toml:4:8: error: \"user\" must be \"host\", \"image\" or \"UID:GID\" (numbers), found \"1000:\"",
        ])
    }

    @Test func secretLookingNamesAreWarnings() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [project.build_args]
            PYTHON_VERSION = "3.12"
            GITHUB_TOKEN = "ghp_x"
            AWS_SECRET_ACCESS_KEY = "k"

            [profiles.dev.env]
            DB_PASSWORD = "hunter2"
            Stripe_Api_Key = "sk"
            KEYBOARD = "us"
            """])
        let eval = F.evaluate(fs)
        #expect(eval.diagnostics.map(\.description) == [
            "devenv.toml:3:1: warning: build arg \"GITHUB_TOKEN\" looks like a secret: build args stay in the image history; use [project.build_secrets] and RUN --mount=type=secret instead",
            "devenv.toml:4:1: warning: build arg \"AWS_SECRET_ACCESS_KEY\" looks like a secret: build args stay in the image history; use [project.build_secrets] and RUN --mount=type=secret instead",
            "devenv.toml:7:1: warning: \"env.DB_PASSWORD\" looks like a secret written in a configuration file; put it in the profile's env_file (not committed) instead",
            "devenv.toml:8:1: warning: \"env.Stripe_Api_Key\" looks like a secret written in a configuration file; put it in the profile's env_file (not committed) instead",
        ])
        // Warnings do not stop loading, and travel with the config.
        let config = try #require(eval.config)
        #expect(config.diagnostics.count == 4)
        #expect(config.project.buildArgs.map(\.name) == ["AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "PYTHON_VERSION"])
    }

    @Test func otherValueChecks() {
        #expect(findings("""
            [project]
            name = "My App"
            workspace = "app"
            default_profile = "staging"

            [profiles.dev]
            restart = "sometimes"
            cap_add = ["NET-ADMIN"]
            tmpfs = ["tmp"]
            volumes = { venv = "venv", "bad role" = "/x" }
            command = []
            env = { "1X" = "a" }
            """) == [
            "devenv.toml:2:8: error: \"name\" \"My App\" cannot name Docker images and volumes (lowercase letters, digits and single '.', '_', '-' between); try \"my-app\"",
            "devenv.toml:3:13: error: \"workspace\" must be an absolute container path other than /, found \"app\"",
            "devenv.toml:4:1: error: default_profile \"staging\" is not a profile (available: dev, prod)",
            "devenv.toml:7:11: error: \"restart\" must be no, always, unless-stopped, on-failure or on-failure:N, found \"sometimes\"",
            "devenv.toml:8:12: error: \"cap_add\" entry \"NET-ADMIN\" is not a capability name (like NET_BIND_SERVICE or ALL)",
            "devenv.toml:9:10: error: \"tmpfs\" entry \"tmp\" must start with an absolute container path",
            "devenv.toml:10:20: error: \"volumes.venv\" must be an absolute container path, found \"venv\"",
            "devenv.toml:10:28: error: volume role \"bad role\" may only use letters, digits, '_' and '-'",
            "devenv.toml:11:11: error: \"command\" must not be empty",
            "devenv.toml:12:9: error: \"env.1X\" is not a valid environment variable name",
        ])
    }

    @Test func tomlSyntaxErrorsAreFindingsWithTheirPlace() {
        let result = findings("[project]\nname = \n")
        #expect(result.count == 1)
        #expect(result.first?.hasPrefix("devenv.toml:2:") == true)
        #expect(result.first?.contains(": error: ") == true)
    }

    @Test func unreadableFileIsAnError() {
        let fs = F.fileSystem(["devenv.toml": "[project]\n"])
        fs.unreadable.insert("\(F.project)/devenv.toml")
        #expect(F.evaluate(fs).diagnostics.map(\.description) == [
            "error: cannot read devenv.toml: permission denied: \(F.project)/devenv.toml",
        ])
    }
}

@Suite struct ConfigStructureValidationTests {
    typealias F = ConfigFixture

    @Test func oddFilesAndTablesAreReportedNotIgnored() {
        let fs = F.fileSystem([
            ".devenv/profiles/my profile.toml": "target = \"dev\"\n",
            ".devenv/profiles/notes.txt": "not a profile, not read",
            "devenv.toml": "project = \"x\"\n\n[profiles]\ndev = 1\n\"a b\" = {}\n",
        ])
        #expect(F.evaluate(fs).diagnostics.map(\.description) == [
            "warning: .devenv/profiles/my profile.toml is not used: profile names may only use letters, digits, '_', '.' and '-'",
            "devenv.toml:1:11: error: \"project\" must be a table, found a string",
            "devenv.toml:4:7: error: \"profiles.dev\" must be a table, found an integer",
            "devenv.toml:5:1: error: profile name \"a b\" may only use letters, digits, '_', '.' and '-'",
        ])
    }
}

@Suite struct ConfigLoadErrorTests {
    typealias F = ConfigFixture

    @Test func severalErrorsAreCountedAndAllListedWithWarnings() {
        let fs = F.fileSystem(["devenv.toml": "[project]\nnam = \"x\"\nbuild_args = { API_KEY = \"k\" }\n[profiles.dev]\nuser = \"me\"\n"])
        do {
            _ = try ConfigLoader.load(projectDirectory: F.project, profile: nil, executablePath: F.executable,
                                      environment: F.environment, fileSystem: fs)
            Issue.record("loaded a configuration with errors")
        } catch let error as DevEnvError {
            #expect(error.exitCode == .usage)
            #expect(error.message == "2 errors in the configuration")
            #expect(error.detail?.split(separator: "\n").map { String($0.prefix(22)) } == [
                "devenv.toml:2:1: error",
                "devenv.toml:3:16: warn",
                "devenv.toml:5:8: error",
            ])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

/// Names from files that Docker could not carry (names24): a clear error at the key.
@Suite struct ConfigNameLengthTests {
    typealias F = ConfigFixture

    @Test func tooLongProjectProfileAndVolumeNamesAreErrorsAtTheirKeys() {
        let long = String(repeating: "a", count: 70)
        let profile = String(repeating: "P", count: 65)
        let fs = F.fileSystem(["devenv.toml": "[project]\nname = \"\(long)\"\n\n[profiles.\(profile)]\nextends = \"dev\"\n\n[profiles.dev]\nvolumes = { \(String(repeating: "v", count: 65)) = \"/v\" }\n"])
        #expect(F.evaluate(fs).diagnostics.map(\.description) == [
            "devenv.toml:2:8: error: \"name\" is 70 characters long; at most 64 fit in Docker's volume and image names; try \"\(String(repeating: "a", count: 64))\"",
            "devenv.toml:4:11: error: profile name \"\(profile)\" may be at most 64 characters long (found 65): Docker's image tags hold 128",
            "devenv.toml:8:13: error: volume role \"\(String(repeating: "v", count: 65))\" may be at most 64 characters long (found 65): it ends a Docker volume's name",
        ])
        // 64 of each is fine.
        let fits = F.fileSystem(["devenv.toml": "[project]\nname = \"\(String(repeating: "a", count: 64))\"\n\n[profiles.\(String(repeating: "P", count: 64))]\nextends = \"dev\"\n"])
        #expect(F.evaluate(fits).diagnostics.filter { $0.description.contains("error") }.isEmpty)
    }

    @Test func aNameDockerRefusesIsAnErrorWithAValidSuggestion() {
        for (written, suggestion) in [("Shop", "shop"), ("-x", "x"), ("a..b", "a.b"), ("café", "caf")] {
            let fs = F.fileSystem(["devenv.toml": "[project]\nname = \"\(written)\"\n"])
            #expect(F.evaluate(fs).diagnostics.map(\.description) == [
                "devenv.toml:2:8: error: \"name\" \"\(written)\" cannot name Docker images and volumes (lowercase letters, digits and single '.', '_', '-' between); try \"\(suggestion)\"",
            ], "\(written)")
        }
    }
}
