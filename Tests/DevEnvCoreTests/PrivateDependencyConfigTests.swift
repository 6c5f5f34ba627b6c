import DevEnvCore
import Testing
import TestSupport

/// Issue 10 item 10: `$VAR` in mounts, `ssh = true`, build secrets from the environment.
@Suite struct PrivateDependencyConfigTests {
    typealias F = ConfigFixture

    @Test func variablesExpandFromTheEnvironment() throws {
        let environment: HostEnvironment = ["SOCK": "/tmp/ssh-x/agent.1", "A_1": "a:b", "EMPTY": ""]
        #expect(try VariableExpansion.expand("${SOCK}", environment: environment).get() == "/tmp/ssh-x/agent.1")
        #expect(try VariableExpansion.expand("$SOCK.d/x", environment: environment).get() == "/tmp/ssh-x/agent.1.d/x")
        #expect(try VariableExpansion.expand("p/${A_1}/$$HOME", environment: environment).get() == "p/a:b/$HOME")
        #expect(try VariableExpansion.expand("x$EMPTY", environment: environment).get() == "x")
        #expect(try VariableExpansion.expand("no refs", environment: [:]).get() == "no refs")
        func failure(_ text: String) -> VariableExpansion.Failure? {
            if case .failure(let failure) = VariableExpansion.expand(text, environment: environment) { return failure }
            return nil
        }
        #expect(failure("ab${SSH_AUTH_SOCK}") == .init(reason: "the environment variable SSH_AUTH_SOCK is not set", offset: 2))
        #expect(failure("$UNSET/x")?.reason == "the environment variable UNSET is not set")
        #expect(failure("${SOCK")?.reason == "\"${\" without its closing \"}\"")
        #expect(failure("${SOCK:-/x}")?.reason.contains("not an environment variable name") == true)
        #expect(failure("${}")?.offset == 0)
        #expect(failure("a$")?.offset == 1)
        #expect(failure("$1")?.reason.contains("$NAME or ${NAME}") == true)
    }

    @Test func mountsExpandVariablesOrFailAtTheDollar() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [project]
            mounts = ["data:/data", "${SSH_AUTH_SOCK}:/ssh", "$HOME/.aws:/aws:ro", "x:/$NOPE"]
            """])
        #expect(F.evaluate(fs).diagnostics.map(\.description) == [
            "devenv.toml:2:26: error: bad mount spec \"${SSH_AUTH_SOCK}:/ssh\": the environment variable SSH_AUTH_SOCK is not set",
            "devenv.toml:2:76: error: bad mount spec \"x:/$NOPE\": the environment variable NOPE is not set",
        ])
        let set = F.evaluate(F.fileSystem(["devenv.toml": """
            [project]
            mounts = ["${SSH_AUTH_SOCK}:/ssh", "$HOME/.aws:/aws:ro", "a$$b:/x"]
            """]), environment: ["HOME": "/home/ada", "SSH_AUTH_SOCK": "/tmp/ssh-1/agent.9"])
        let mounts = try #require(set.config).project.mounts.value
        #expect(mounts.map(\.resolvedHostPath) == ["/tmp/ssh-1/agent.9", "/home/ada/.aws", F.project + "/a$b"])
        #expect(mounts.map(\.hostPath) == ["${SSH_AUTH_SOCK}", "$HOME/.aws", "a$$b"])
        // An expanded relative path is held to the project folder like a written one.
        let escaping = F.evaluate(F.fileSystem(["devenv.toml": "[project]\nmounts = [\"$UP/x:/x\"]\n"]),
                                  environment: ["UP": "../.."])
        #expect(escaping.diagnostics.map(\.description)
                == ["devenv.toml:2:11: error: bad mount spec \"$UP/x:/x\": the host path \"../../x\" leaves the project folder"])
    }

    @Test func sshIsAProfileKeyThatAddsBuildSSHAndTheAgentMount() throws {
        let config = try #require(F.evaluate(F.fileSystem(["devenv.toml": """
            [profiles.dev]
            ssh = true
            home = "/home/dev"
            """])).config)
        #expect(config.profile.ssh.value)
        #expect(config.profile.ssh.origin == F.location("devenv.toml", 2, 1))
        let bad = F.evaluate(F.fileSystem(["devenv.toml": "[profiles.dev]\nssh = \"yes\"\n"])).diagnostics.map(\.description)
        #expect(bad == ["devenv.toml:2:7: error: \"ssh\" must be true or false, found a string"])

        var spec = EnvironmentSpec(project: "p", profile: "dev", projectRoot: "/p", dockerfile: "/p/Dockerfile", context: "/p")
        spec.ssh = true
        spec.environment["HOME"] = "/home/dev"
        var withAgent = spec
        let warning = SSHForwarding.apply(to: &withAgent, environment: ["SSH_AUTH_SOCK": "/tmp/s/agent.1", "HOME": "/h"],
                                          fileExists: { $0 == "/h/.gitconfig" }, origin: "devenv.toml:2:1")
        #expect(warning == nil)
        #expect(withAgent.mounts == [
            .init(source: "/tmp/s/agent.1", target: SSHForwarding.agentTarget, origin: "devenv.toml:2:1"),
            .init(source: "/h/.gitconfig", target: "/home/dev/.gitconfig", readOnly: true, origin: "devenv.toml:2:1"),
        ])
        #expect(withAgent.environment["SSH_AUTH_SOCK"] == SSHForwarding.agentTarget)
        let planner = DockerPlanner(cli: "docker", spec: withAgent, identity: HostIdentity(uid: 1000, gid: 1000, userName: "ada", home: "/h", source: .sudo))
        let build = planner.build(image: "i", buildKit: true, noCache: false).argv
        #expect(build.joined(separator: " ").contains("--ssh default"))
        let create = planner.create(image: "i", configHash: "h").argv.joined(separator: " ")
        #expect(create.contains("--mount type=bind,source=/tmp/s/agent.1,target=/run/devenv/ssh-agent.sock"))
        #expect(create.contains("--mount type=bind,source=/h/.gitconfig,target=/home/dev/.gitconfig,readonly"))
        #expect(create.contains("--env SSH_AUTH_SOCK=/run/devenv/ssh-agent.sock"))

        // No agent: a warning, no socket mount; no HOME in the container: git's system file.
        var noAgent = spec
        noAgent.environment = [:]
        let said = SSHForwarding.apply(to: &noAgent, environment: ["HOME": "/h"], fileExists: { _ in true }, origin: nil)
        #expect(said?.contains("SSH_AUTH_SOCK is not set") == true)
        #expect(noAgent.mounts.map(\.target) == ["/etc/gitconfig"])
        // A profile that does not mount the project (prod) gets the build's --ssh only.
        var prod = spec
        prod.mountWorkspace = false
        #expect(SSHForwarding.apply(to: &prod, environment: ["SSH_AUTH_SOCK": "/s"], fileExists: { _ in true }, origin: nil) == nil)
        #expect(prod.mounts.isEmpty)
        // Without ssh the build has no --ssh and the fingerprint differs.
        var plain = withAgent
        plain.ssh = false
        let plainPlanner = DockerPlanner(cli: "docker", spec: plain, identity: planner.identity)
        #expect(!plainPlanner.build(image: "i", buildKit: true, noCache: false).argv.contains("--ssh"))
        #expect(plainPlanner.imageFingerprint(dockerfile: [], dependencyFiles: [])
                != planner.imageFingerprint(dockerfile: [], dependencyFiles: []))
    }
}
