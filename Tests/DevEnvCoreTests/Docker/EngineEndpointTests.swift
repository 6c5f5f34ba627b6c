@testable import DevEnvCore
import Foundation
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

    /// config.json's `currentContext` is read by JSONScanner (issue 14: Foundation's JSONDecoder
    /// was 450,000 instructions of every `status`), and reads what JSONDecoder read: the member
    /// of the top-level object when it is a string, else nothing (the default context); of a
    /// name written twice, the last, as the docker CLI reads it.
    @Test func currentContextReadsWhatJSONDecoderRead() {
        struct Config: Decodable { var currentContext: String? }
        let files = [
            #"{"auths":{"ghcr.io":{"auth":"eA=="}},"credsStore":"desktop","currentContext":"ci","plugins":{}}"#,
            #"{"currentContext":"default"}"#, #"{"currentContext":""}"#, #"{"currentContext":null}"#,
            #"{"currentContext":7}"#, #"{"currentContext":["ci"]}"#, #"{"other":{"currentContext":"ci"}}"#,
            #"{"currentContext":"\u0063i"}"#,
            #"["currentContext"]"#, #""ci""#, "", "{", #"{"currentContext":"ci"} x"#,
            " \n{ \"currentContext\" : \"ci\" }\n",
        ]
        for file in files {
            let bytes = Array(file.utf8)
            let decoded = (try? JSONDecoder().decode(Config.self, from: Data(bytes)))?.currentContext
            #expect(EngineEndpoint.currentContext(bytes) == decoded, "\(file)")
        }
        // A name written twice: the docker CLI (Go's encoding/json) keeps the last value, as
        // JSONScanner does; Foundation's JSONDecoder kept the first.
        #expect(EngineEndpoint.currentContext(Array(#"{"currentContext":"a","currentContext":"b"}"#.utf8)) == "b")
        #expect(EngineEndpoint.resolve(environment: [:], configFile: Array(#"{"currentContext":7}"#.utf8)).source == .builtIn)
        #expect(EngineEndpoint.resolve(environment: [:], configFile: Array("not json".utf8)).source == .builtIn)
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
        // regress26: Debian's 20.10 CLI (the one devenv builds with) words it otherwise; an empty
        // DOCKER_CONTEXT is such a context there. Both were "check DOCKER_HOST".
        for (stderr, name) in [(#"unable to resolve docker endpoint: context "nope" does not exist"#, "nope"),
                               (#"unable to resolve docker endpoint: context "" does not exist"#, "")] {
            let old = DockerFailure.error("listing containers", invocation: call, result: ProcessResult(exitCode: 1, stderr: Array(stderr.utf8)))
            #expect(old.exitCode == .noEngine && old.message.contains("context \"\(name)\" does not exist")
                        && old.hint?.contains("DOCKER_CONTEXT") == true && old.hint?.contains("DOCKER_HOST") == false, "\(old.message) \(old.hint ?? "")")
        }
        let host = DockerFailure.error("listing containers", invocation: call, result: ProcessResult(exitCode: 1, stderr: Array(
            "Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?".utf8)))
        #expect(host.exitCode == .noEngine && host.message.contains("tcp://127.0.0.1:1") && host.hint?.contains("DOCKER_HOST") == true)
        let malformed = DockerFailure.error("listing containers", invocation: call, result: ProcessResult(exitCode: 1, stderr: Array(
            "Failed to initialize: unable to resolve docker endpoint: invalid bind address format: bogus://".utf8)))
        #expect(malformed.exitCode == .noEngine && malformed.hint?.contains("DOCKER_HOST") == true)
        // regress26: a DOCKER_HOST the CLI cannot even parse (a control character, a bad %
        // escape) or an ssh:// without a host was exit 1, "listing containers failed".
        for stderr in [#"parse "unix:///tmp/\x1b]0;T\a.sock": net/url: invalid control character in URL"#,
                       #"parse "unix:///x%zz": invalid URL escape "%zz""#, "ssh host connection is not valid: no host specified"] {
            let bad = DockerFailure.error("listing containers", invocation: call, result: ProcessResult(exitCode: 1, stderr: Array(stderr.utf8)))
            #expect(bad.exitCode == .noEngine && bad.hint?.contains("DOCKER_HOST") == true, "\(stderr): \(bad.message)")
        }
        // Podman's log lines about systemd timers are not the engine failing.
        let podman = DockerFailure.error("starting", invocation: call, result: ProcessResult(exitCode: 125, stderr: Array(
            #"time="x" level=error msg="unable to get systemd connection: dial unix /run/systemd/private: connect: no such file or directory""#.utf8)))
        #expect(podman.exitCode == .failure)
    }
}
