import DevEnvCore
import TerminalUI
import Testing
import TestSupport

@Suite struct ConfigReportTests {
    typealias F = ConfigFixture

    func config() throws -> LoadedConfig {
        let fs = F.fileSystem(["devenv.toml": """
            [project]
            name = "shop"
            build_args = { PYTHON_VERSION = "3.12" }
            build_secrets = { pip = { src = "pip.conf" } }

            [profiles.dev]
            env = { LOG_LEVEL = "INFO" }
            """])
        return try #require(F.evaluate(fs).config)
    }

    @Test func textShowsEveryValueWithItsOrigin() throws {
        let text = ConfigReport.text(try config(), width: DisplayWidth.of)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "# devenv configuration for /home/ada/src/My App")
        #expect(lines[1] == "# profile: dev (available: dev, prod)")
        #expect(lines[2] == "# files read, lowest layer first: \(F.shipped)/dev.toml, \(F.shipped)/prod.toml, devenv.toml")
        #expect(lines[3] == "")
        #expect(lines.contains("[project]"))
        #expect(lines.contains("[profiles.dev]"))
        func row(_ key: String) -> String? {
            lines.first { $0.hasPrefix("  \(key) ") }.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        }
        #expect(row("name") == "name = \"shop\" # devenv.toml:2:1")
        #expect(row("dockerfile") == "dockerfile = \"Dockerfile\" # default")
        #expect(row("base_image") == "base_image = (not set) # default")
        #expect(row("build_args.PYTHON_VERSION") == "build_args.PYTHON_VERSION = \"3.12\" # devenv.toml:3:16")
        #expect(row("build_secrets.pip") == "build_secrets.pip = { src = \"pip.conf\" } # devenv.toml:4:19")
        #expect(row("target") == "target = \"dev\" # \(F.shipped)/dev.toml:1:1")
        #expect(row("env.DEBUG") == "env.DEBUG = \"1\" # \(F.shipped)/dev.toml:7:1")
        #expect(row("env.LOG_LEVEL") == "env.LOG_LEVEL = \"INFO\" # devenv.toml:7:9")
        #expect(row("ports") == "ports = [\"8000:8000\"] # \(F.shipped)/dev.toml:3:1")
        #expect(row("read_only") == "read_only = false # default")
        #expect(row("env_file") == "env_file = (not set) # default")
        #expect(!text.contains("# findings"))
        // The `=` signs of a section line up.
        let profileSection = lines.drop { $0 != "[profiles.dev]" }.dropFirst().filter { $0.hasPrefix("  ") }
        #expect(Set(profileSection.map { line in line.firstIndex(of: "=").map { line.distance(from: line.startIndex, to: $0) } ?? -1 }).count == 1)
    }

    @Test func jsonHasAStableDocumentedShape() throws {
        let json = ConfigReport.json(try config())
        #expect(json.hasPrefix("""
            {
              "profile": "dev",
              "profiles": [
                "dev",
                "prod"
              ],
              "projectDirectory": "/home/ada/src/My App",
              "files": [
                "\(F.shipped)/dev.toml",
                "\(F.shipped)/prod.toml",
                "devenv.toml"
              ],
              "project": {
                "name": {
                  "value": "shop",
                  "origin": {
                    "file": "devenv.toml",
                    "line": 2,
                    "column": 1
                  }
                },
                "dockerfile": {
                  "value": "Dockerfile",
                  "origin": null
                },
            """))
        #expect(json.contains("""
                "build_args": {
                  "PYTHON_VERSION": {
                    "value": "3.12",
            """))
        #expect(json.contains("""
                "build_secrets": {
                  "pip": {
                    "value": {
                      "src": "pip.conf"
                    },
            """))
        #expect(json.contains("""
                "volumes": {
                  "venv": {
                    "value": "/venv",
            """))
        #expect(json.contains("""
                "mounts": {
                  "value": [],
                  "origin": null
                }
            """))
        #expect(json.hasSuffix("""
              "diagnostics": []
            }

            """))
        // Same input, same text.
        #expect(ConfigReport.json(try config()) == json)
    }

    @Test func emptyMapsAndFindingsAppear() throws {
        let fs = F.fileSystem(["devenv.toml": "[profiles.prod.env]\nAPI_TOKEN = \"x\"\n"])
        let config = try #require(F.evaluate(fs, profile: "prod").config)
        let json = ConfigReport.json(config)
        #expect(json.contains("\"build_args\": {},"))
        #expect(json.contains("\"volumes\": {},"))
        #expect(json.contains("""
              "diagnostics": [
                {
                  "severity": "warning",
                  "file": "devenv.toml",
                  "line": 2,
                  "column": 1,
                  "message": "\\"env.API_TOKEN\\" looks like
            """))
        let text = ConfigReport.text(config, width: DisplayWidth.of)
        #expect(text.contains("\n# findings:\n#   devenv.toml:2:1: warning: \"env.API_TOKEN\" looks like a secret"))
        #expect(text.contains("  volumes"))
    }

    @Test func lifecycleCommandsShowWithTheirOrigins() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [profiles.dev]
            post_create = ["uv", "sync", "--frozen"]
            post_start = "echo up"
            """])
        let config = try #require(F.evaluate(fs).config)
        let lines = ConfigReport.text(config, width: DisplayWidth.of).split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("post_create = [\"uv\", \"sync\", \"--frozen\"] # devenv.toml:2:1"))
        #expect(lines.contains("post_start = \"echo up\" # devenv.toml:3:1"))
        #expect(lines.contains("post_attach = (not set) # default"))
        // (Pretty-printed: compared without the layout's blanks.)
        let json = String(ConfigReport.json(config).filter { !$0.isWhitespace })
        #expect(json.contains(#""post_create":{"value":["uv","sync","--frozen"],"origin":{"file":"devenv.toml","line":2,"column":1}}"#))
        #expect(json.contains(#""post_attach":{"value":null,"origin":null}"#))
    }

    /// legacy25: the `#` of a row whose key or value has CJK characters or an emoji stood as many
    /// columns right of the others as the row had wide characters (widths were counted in
    /// characters, not terminal columns).
    @Test func wideCharactersKeepTheOriginColumn() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [profiles.dev]
            env = { GREETING = "こんにちは", MOOD = "🙂", ACCENT = "e\u{0301}", NAME = "名前" }
            """])
        let config = try #require(F.evaluate(fs).config)
        let rows = ConfigReport.text(config, width: DisplayWidth.of).split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("  env.") || $0.hasPrefix("  target ") }
        #expect(rows.count >= 6, "\(rows)")
        let columns = rows.compactMap { row in row.range(of: "  # ").map { DisplayWidth.of(String(row[..<$0.lowerBound])) } }
        #expect(columns.count == rows.count && Set(columns).count == 1, "the # of each row at one column:\n\(rows.joined(separator: "\n"))")
    }
}
