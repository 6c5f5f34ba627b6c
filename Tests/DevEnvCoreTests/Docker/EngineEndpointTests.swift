import DevEnvCore
import Testing

/// The engine's address as the docker CLI picks it, and the failures that name the variable
/// (issue 11); the messages are docker 28's own.
@Suite struct EngineEndpointTests {
    @Test func chosenTheWayTheCLIChooses() {
        let config = Array(#"{"auths":{},"currentContext":"ci"}"#.utf8)
        #expect(EngineEndpoint.resolve(environment: ["DOCKER_CONTEXT": "x", "DOCKER_HOST": "tcp://h:1"], configFile: config)
                == EngineEndpoint(context: "x", source: .contextVariable))
        #expect(EngineEndpoint.resolve(environment: ["DOCKER_HOST": "tcp://h:1"], configFile: config)
                == EngineEndpoint(context: "default", host: "tcp://h:1", source: .hostVariable))
        #expect(EngineEndpoint.resolve(environment: [:], configFile: config) == EngineEndpoint(context: "ci", source: .configFile))
        #expect(EngineEndpoint.resolve(environment: [:], configFile: nil).source == .builtIn)
        #expect(EngineEndpoint.configPath(environment: ["HOME": "/h"]) == "/h/.docker/config.json")
        #expect(EngineEndpoint.configPath(environment: ["HOME": "/h", "DOCKER_CONFIG": "/c"]) == "/c/config.json")
    }

    @Test func remoteMeansAnotherMachine() {
        func remote(_ host: String) -> Bool { EngineEndpoint(context: "default", host: host, source: .hostVariable).isRemote }
        #expect(remote("ssh://dev@build"))
        #expect(remote("tcp://10.0.0.5:2376"))
        #expect(!remote("tcp://127.0.0.1:2375"))
        #expect(!remote("tcp://localhost:2375"))
        #expect(!remote("unix:///run/user/1000/docker.sock"))
    }

    /// `status`'s word for the engine (text and `engine` in --json), declared once for it, the
    /// engine probe's description and the "did not answer" message.
    @Test func theLabelNamesTheContextOrTheHost() {
        #expect(EngineEndpoint.resolve(environment: ["DOCKER_CONTEXT": "ci"], configFile: nil).label == "context ci")
        #expect(EngineEndpoint.resolve(environment: ["DOCKER_HOST": "tcp://h:2376"], configFile: nil).label == "tcp://h:2376")
        #expect(EngineEndpoint.resolve(environment: [:], configFile: Array(#"{"currentContext":"rootless"}"#.utf8)).label == "context rootless")
        #expect(EngineEndpoint.resolve(environment: [:], configFile: nil).label == "default")
    }

    @Test func aBadContextOrHostIsExit3NamingTheVariable() {
        let call = ProcessInvocation(["docker", "ps"])
        let context = DockerFailure.error("listing containers", invocation: call, result: ProcessResult(exitCode: 1, stderr: Array(
            #"Failed to initialize: unable to resolve docker endpoint: context "nope": context not found: open /root/.docker/contexts/meta/x/meta.json: no such file or directory"#.utf8)))
        #expect(context.exitCode == .noEngine && context.message.contains(#""nope""#) && context.hint?.contains("DOCKER_CONTEXT") == true)
        let host = DockerFailure.error("listing containers", invocation: call, result: ProcessResult(exitCode: 1, stderr: Array(
            "Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?".utf8)))
        #expect(host.exitCode == .noEngine && host.message.contains("tcp://127.0.0.1:1") && host.hint?.contains("DOCKER_HOST") == true)
        let malformed = DockerFailure.error("listing containers", invocation: call, result: ProcessResult(exitCode: 1, stderr: Array(
            "Failed to initialize: unable to resolve docker endpoint: invalid bind address format: bogus://".utf8)))
        #expect(malformed.exitCode == .noEngine && malformed.hint?.contains("DOCKER_HOST") == true)
        // Podman's log lines about systemd timers are not the engine failing.
        let podman = DockerFailure.error("starting", invocation: call, result: ProcessResult(exitCode: 125, stderr: Array(
            #"time="x" level=error msg="unable to get systemd connection: dial unix /run/systemd/private: connect: no such file or directory""#.utf8)))
        #expect(podman.exitCode == .failure)
    }
}
