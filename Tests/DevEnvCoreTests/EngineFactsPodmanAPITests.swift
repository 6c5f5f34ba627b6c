@testable import DevEnvCore
import Testing

/// engine30: the docker CLI with DOCKER_HOST on Podman's API socket is Docker by name and file;
/// the engine probe's answer tells it is Podman's API (one judgement, `EngineFacts.podmanAPI`,
/// that every command reads), and what that means for each thing devenv decides from it.
@Suite struct EngineFactsPodmanAPITests {
    /// Podman 4.3.1's compat `info` (rootful, then rootless: only the store differs), cut down.
    static func info(root: String) -> String {
        #"{"Plugins":{"Volume":["local"],"Network":["bridge","macvlan"],"Log":["k8s-file","none","passthrough","journald"]},"#
            + #""DockerRootDir":"\#(root)","ServerVersion":"4.3.1","SecurityOptions":["name=seccomp,profile=default"],"#
            + #""ClientInfo":{"Version":"28.2.2","Context":"default","Plugins":[]}}"#
    }

    @Test func podmansAPIBehindTheDockerCLIIsPodmansEngineWithDockersCalls() {
        var rootful = EngineFacts(kind: .docker)
        rootful.readInfo(stdout: Self.info(root: "/var/lib/containers/storage"))
        #expect(rootful.podmanAPI && rootful.kind == .docker && rootful.server == .podman)
        #expect(!rootful.isRootless && rootful.mode == "rootful Podman")
        #expect(rootful.userMapping == .direct)
        #expect(!rootful.runRemovalKeepsStatus)

        // Rootless: container root is the host user, as on rootless Docker (keep-id cannot pass
        // the docker CLI: its --userns takes only "host").
        var rootless = EngineFacts(kind: .docker)
        rootless.readInfo(stdout: Self.info(root: "/home/devenv-rootless/.local/share/containers/storage"))
        #expect(rootless.isRootless && rootless.mode == "rootless Podman")
        #expect(rootless.userMapping == .rootless)
        #expect(rootless.summary(location: "unix:///run/user/1500/podman/podman.sock", hostUser: "1500:1500")
                == "rootless Podman 4.3.1 · unix:///run/user/1500/podman/podman.sock · container root is host 1500:1500")

        // Its version names a "Podman Engine" component.
        var version = EngineFacts(kind: .docker)
        version.readVersion(stdout: #"{"Client":{"Version":"20.10.24+dfsg1","ApiVersion":"1.41"},"Server":{"Components":[{"Name":"Podman Engine","Version":"4.3.1"},{"Name":"Engine","Version":"4.3.1"}],"Version":"4.3.1","ApiVersion":"1.41"}}"#,
                            stderr: "", cli: "docker", succeeded: true)
        #expect(version.podmanAPI && version.server == .podman)
    }

    /// Docker's own answers are not Podman's; Podman's CLI is Podman by name, whose `run --rm`
    /// says the command's status.
    @Test func dockerAndPodmansOwnCLIAreNotPodmansAPI() {
        var docker = EngineFacts(kind: .docker)
        docker.readInfo(stdout: #"{"Plugins":{"Log":["awslogs","json-file","local","syslog"]},"DockerRootDir":"/var/lib/docker","SecurityOptions":["name=seccomp,profile=default","name=rootless"],"ClientInfo":{"Plugins":[]}}"#)
        docker.readVersion(stdout: #"{"Client":{"Version":"28.2.2"},"Server":{"Components":[{"Name":"Engine","Version":"28.2.2"}],"Version":"28.2.2"}}"#,
                           stderr: "", cli: "docker", succeeded: true)
        #expect(!docker.podmanAPI && docker.server == .docker && docker.runRemovalKeepsStatus)
        #expect(docker.mode == "rootless Docker")
        var podman = EngineFacts(kind: .podman)
        podman.readVersion(stdout: #"{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","OsArch":"linux/amd64"}}"#, stderr: "", cli: "podman", succeeded: true)
        #expect(!podman.podmanAPI && podman.server == .podman && podman.runRemovalKeepsStatus)
    }
}
