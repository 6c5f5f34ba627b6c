import DevEnvCore
import Testing

/// The per-input hashes stored on a container and how a change is named.
@Suite struct EnvironmentInputsTests {
    @Test func encodesParsesAndNamesChanges() throws {
        var old = EnvironmentInputs()
        old.add("dockerfile", "FROM x")
        old.add("arg.UID", "1000")
        old.add("devenv.toml.env", "A=1")
        old.add("devenv.toml.env", "B=2")
        let parsed = try #require(EnvironmentInputs.parse(old.encoded))
        #expect(parsed == old)
        #expect(old.encoded.split(separator: ",").count == 3)

        var new = EnvironmentInputs()
        new.add("dockerfile", "FROM x")
        new.add("arg.UID", "1001")
        new.add("devenv.toml.env", "A=1")
        new.add("devenv.toml.env", "B=3")
        new.add("env_file", "X=1")
        #expect(new.changed(since: parsed) == ["arg.UID", "devenv.toml.env", "env_file"])
        #expect(EnvironmentInputs.parse(nil) == nil)
        #expect(EnvironmentInputs.parse("") == nil)
        #expect(EnvironmentInputs.needsBuild("arg.UID") && EnvironmentInputs.needsBuild("uv.lock"))
        #expect(!EnvironmentInputs.needsBuild("env_file") && !EnvironmentInputs.needsBuild("devenv.toml.ports"))
        #expect(EnvironmentInputs.describe("arg.PYTHON_VERSION") == "build arg PYTHON_VERSION")
        #expect(EnvironmentInputs.describe("devenv.toml.ports") == "devenv.toml key ports")
        #expect(EnvironmentInputs.describe("env_file", envFile: ".env.prod") == "the env file .env.prod")
    }

    @Test func pyprojectCountsByItsDependencyTables() {
        func deps(_ text: String) -> [UInt8]? { EnvironmentInputs.pyprojectDependencies(Array(text.utf8)) }
        let base = deps("[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"requests>=2\"]\n[dependency-groups]\ndev = [\"pytest\"]\n")
        // Comments, layout, key order, other keys: no change.
        #expect(deps("# c\n[dependency-groups]\ndev = [ \"pytest\" ]  # tests\n[project]\nversion = \"2\"\nname = \"a\"\ndescription = \"x\"\ndependencies = [\n \"requests>=2\",\n]\n") == base)
        // A dependency, a group, the build backend, tool.uv, requires-python: a change.
        #expect(deps("[project]\nname = \"a\"\ndependencies = [\"requests>=3\"]\n[dependency-groups]\ndev = [\"pytest\"]\n") != base)
        #expect(deps("[project]\nname = \"a\"\ndependencies = [\"requests>=2\"]\n[dependency-groups]\ndev = [\"pytest\", \"ruff\"]\n") != base)
        #expect(deps("[project]\nname = \"a\"\ndependencies = [\"requests>=2\"]\nrequires-python = \">=3.12\"\n[dependency-groups]\ndev = [\"pytest\"]\n") != base)
        #expect(deps("[project]\nname = \"a\"\ndependencies = [\"requests>=2\"]\n[dependency-groups]\ndev = [\"pytest\"]\n[tool.uv]\nindex-url = \"file:///srv/wheels\"\n") != base)
        // Not TOML: the bytes count. No file: nil.
        #expect(deps("[project") == Array("[project".utf8))
        #expect(EnvironmentInputs.pyprojectDependencies(nil) == nil)
    }

    @Test func containerSettingsAreNamedByTheirDevenvTomlKey() {
        var inputs = EnvironmentInputs()
        inputs.addContainer(arguments: ["--init", "--label", "devenv.project=shop", "--user", "1000:1000", "--env", "A=1",
                                        "--publish", "127.0.0.1:8000:8000", "--mount", "type=bind,src=/p,dst=/app",
                                        "--mount", "type=volume,src=v,dst=/venv", "--read-only", "img", "sleep", "infinity"],
                            image: "img")
        #expect(inputs.entries.map(\.key) == ["devenv.toml.init", "devenv.toml.user", "devenv.toml.env", "devenv.toml.ports",
                                              "devenv.toml.mounts", "devenv.toml.volumes", "devenv.toml.read_only", "devenv.toml.command"])
    }
}
