import DevEnvCore
import Testing
import TestSupport

/// What status and the dashboard say of the engine and of the user a container runs as, for
/// each engine kind (issue 11), and how a `docker` that is Podman is known before any call.
@Suite struct EngineReportsTests {
    let identity = HostIdentity(uid: 1000, gid: 1000, userName: "ada", home: "/home/ada", source: .host)

    func planner(_ mapping: DockerPlanner.UserMapping, engine: EngineKind, user: EnvironmentSpec.User = .host) -> DockerPlanner {
        var spec = EnvironmentSpec(project: "shop", profile: "dev", projectRoot: "/src/shop",
                                   dockerfile: "/src/shop/Dockerfile", context: "/src/shop")
        spec.user = user
        var planner = DockerPlanner(cli: engine == .podman ? "podman" : "docker", spec: spec, identity: identity)
        planner.userMapping = mapping
        return planner
    }

    /// The label `create` puts on the container, and what status then says, per engine kind.
    @Test(arguments: [
        (DockerPlanner.UserMapping.direct, EngineKind.docker, EnvironmentSpec.User.host, "direct", "1000:1000"),
        (.rootless, .docker, .host, "rootless 1000:1000", "0:0 (host 1000:1000, rootless)"),
        (.rootless, .docker, .fixed(uid: 1001, gid: 1001), "rootless 1000:1000",
         "1001:1001 (a subordinate ID of host 1000:1000, rootless)"),
        (.direct, .podman, .host, "direct", "1000:1000"),
        (.podmanKeepID(namesIDs: true), .podman, .host, "keep-id 1000:1000", "1000:1000 (host 1000:1000, keep-id)"),
        // Rootless Podman without keep-id (a fixed user): it maps as rootless Docker does.
        (.podmanKeepID(namesIDs: true), .podman, .fixed(uid: 1001, gid: 1001), "rootless 1000:1000",
         "1001:1001 (a subordinate ID of host 1000:1000, rootless)"),
        (.direct, .docker, .image, "direct", "the image's USER"),
    ])
    func labelAndText(_ mapping: DockerPlanner.UserMapping, _ engine: EngineKind, _ user: EnvironmentSpec.User,
                      _ label: String, _ text: String) {
        let planner = planner(mapping, engine: engine, user: user)
        let argv = planner.create(image: "img", configHash: "h").argv
        #expect(argv.contains("devenv.user-mapping=\(label)"), "\(argv)")
        // Keep-id goes on exactly when the label says so.
        #expect(argv.contains { $0.hasPrefix("--userns=keep-id") } == label.hasPrefix("keep-id"))
        var labels = ["devenv.user-mapping": label]
        if let given = planner.userArgument { labels["devenv.user"] = given }
        #expect(ContainerUser.of(labels: labels).text == text)
        // The fingerprint does not count the label: an engine change alone makes nothing stale.
        var other = planner
        other.userMapping = .direct
        #expect(planner.containerFingerprint(image: "img") == other.containerFingerprint(image: "img"))
    }

    @Test("a container made before the mapping was recorded says only its user; the inspected user wins")
    func olderContainersAndInspectedUser() {
        #expect(ContainerUser.of(labels: ["devenv.user": "1000:1000"]) == ContainerUser(container: "1000:1000", mapping: nil))
        #expect(ContainerUser.of(labels: ["devenv.user": "1000:1000"]).text == "1000:1000")
        #expect(ContainerUser.of(labels: [:]).text == "the image's USER")
        let prod = ContainerUser.of(labels: ["devenv.user-mapping": "rootless 1000:1000"], configured: "10001")
        #expect(prod.text == "10001 (a subordinate ID of host 1000:1000, rootless)")
        #expect(ContainerUser.of(labels: ["devenv.user-mapping": "rootless 1000:1000"], configured: "root").text
                == "root (host 1000:1000, rootless)")
        // A label someone else wrote with an unknown word is no mapping.
        #expect(ContainerUser.of(labels: ["devenv.user-mapping": "sideways"]).mapping == nil)
        // mend26b: the text is a table cell: a newline or tab in a label (or the image's USER) is escaped.
        #expect(ContainerUser.of(labels: ["devenv.user": "1000\n:\t1000"]).text == #"1000\x0a:\x091000"#)
    }

    @Test("services map as the app does: keep-id only for the synced user")
    func services() {
        var service = ServiceSpec(name: "db", origin: .builtIn)
        service.image = "postgres"
        let rootlessPodman = ServicePlanner(planner: planner(.podmanKeepID(namesIDs: true), engine: .podman))
        #expect(rootlessPodman.containerUser(service) == ContainerUser(container: nil, mapping: .rootless, hostUser: "1000:1000"))
        #expect(rootlessPodman.create(service, image: "postgres", configHash: "h").argv.contains("devenv.user-mapping=rootless 1000:1000"))
        service.user = .host
        let synced = rootlessPodman.create(service, image: "postgres", configHash: "h").argv
        #expect(synced.contains("devenv.user-mapping=keep-id 1000:1000") && synced.contains { $0.hasPrefix("--userns=keep-id") }, "\(synced)")
        #expect(ServicePlanner(planner: planner(.direct, engine: .docker)).containerUser(service).labelValue == "direct")
    }

    @Test("a network's inspect answer: labels, none (`null`), or not an answer")
    func networkAnswer() {
        #expect(ServicePlanner.parseNetwork("abc123 {\"devenv.project\":\"/p\"}\n")?.labels == ["devenv.project": "/p"])
        // Someone else's network made without labels is an answer (so `up` can say whose it is), not garbage.
        let unlabelled = ServicePlanner.parseNetwork("abc123 null\n")
        #expect(unlabelled?.id == "abc123" && unlabelled?.labels == [:])
        #expect(ServicePlanner.parseNetwork("abc123 [1]") == nil)
        #expect(ServicePlanner.parseNetwork("abc123 {\"a\":1}") == nil)
        #expect(ServicePlanner.parseNetwork("abc123") == nil)
        #expect(ServicePlanner.parseNetwork(" null") == nil)
    }

    @Test("the dashboard header's words for each engine kind")
    func summaries() {
        var docker = EngineFacts()
        docker.serverVersion = "20.10.24+dfsg1"
        #expect(docker.summary(location: "context default", hostUser: "1000:1000")
                == "rootful Docker 20.10.24+dfsg1 · context default · container UIDs are host UIDs")
        docker.securityOptions = ["name=seccomp,profile=default", "name=rootless"]
        #expect(docker.summary(location: "context rootless", hostUser: "1000:1000")
                == "rootless Docker 20.10.24+dfsg1 · context rootless · container root is host 1000:1000")
        var podman = EngineFacts(kind: .podman)
        podman.serverVersion = "4.3.1"
        podman.podmanRootless = false
        #expect(podman.summary(location: "local", hostUser: "0:0") == "rootful Podman 4.3.1 · local · container UIDs are host UIDs")
        podman.podmanRootless = true
        #expect(podman.summary(location: "local", hostUser: "1000:1000")
                == "rootless Podman 4.3.1 · local · keep-id: host 1000:1000 is 1000:1000 inside")
    }

    @Test("`docker version` in Podman's words is Podman, even without the shim's notice; Docker's is not")
    func versionSaysPodman() {
        var shim = EngineFacts()
        shim.readVersion(stdout: #"{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","GitCommit":"","BuiltTime":"Thu Jan  1 00:00:00 1970","Built":0,"OsArch":"linux/amd64","Os":"linux"}}"#,
                         stderr: "", cli: "docker", succeeded: true)
        #expect(shim.kind == .podman)
        #expect(shim.serverVersion == "4.3.1")
        var docker = EngineFacts()
        docker.readVersion(stdout: #"{"Client":{"Version":"28.2.2","ApiVersion":"1.41","Os":"linux","Arch":"amd64","Context":"default"},"Server":{"Version":"20.10.24+dfsg1","ApiVersion":"1.41"}}"#,
                           stderr: "", cli: "docker", succeeded: true)
        #expect(docker.kind == .docker)
    }

    @Test("a docker on PATH that is Podman's shim or a script exec'ing podman is Podman before any call")
    func shimOnPath() {
        let files = InMemoryFileSystem()
        files.addFile("/opt/shim/docker", """
            #!/bin/sh
            [ -e /etc/containers/nodocker ] || \\
            echo "Emulate Docker CLI using podman. Create /etc/containers/nodocker to quiet msg." >&2
            exec /usr/bin/podman "$@"
            """, mode: 0o755)
        files.addFile("/opt/wrap/docker", "#!/bin/sh\nexec env CONTAINERS_CONF=/x 'podman' --log-level=error \"$@\"\n", mode: 0o755)
        files.addFile("/opt/other/docker", "#!/bin/sh\n# podman is not used here\nexec /usr/bin/docker.real \"$@\"\n", mode: 0o755)
        files.addFile("/usr/bin/docker", "\u{7F}ELF binary", mode: 0o755)
        #expect(EngineKind.of(cli: "docker", searchPath: "/opt/shim:/usr/bin", fileSystem: files) == .podman)
        #expect(EngineKind.of(cli: "docker", searchPath: "/nowhere:/opt/wrap", fileSystem: files) == .podman)
        #expect(EngineKind.of(cli: "docker", searchPath: "/opt/other:/opt/shim", fileSystem: files) == .docker)
        #expect(EngineKind.of(cli: "docker", searchPath: "/usr/bin:/opt/shim", fileSystem: files) == .docker)
        #expect(EngineKind.of(cli: "/opt/shim/docker", searchPath: nil, fileSystem: files) == .podman)
        #expect(EngineKind.of(cli: "podman-remote", searchPath: "", fileSystem: files) == .podman)
        #expect(EngineKind.of(cli: "docker", searchPath: "/nowhere", fileSystem: files) == .docker)
    }

    @Test("the engine from a CLI's name and from a wrapper script's exec line")
    func namesAndScripts() {
        #expect(EngineKind.named("podman") == .podman)
        #expect(EngineKind.named("/usr/bin/podman-remote") == .podman)
        #expect(EngineKind.named("/opt/podman/bin/docker") == .docker)
        #expect(EngineKind.named("docker") == .docker)
        #expect(EngineKind.named("") == .docker)
        #expect(EngineKind.execsPodman(script: "#!/bin/sh\r\n# é ü 日本\r\nexec \"/usr/bin/podman\" \"$@\"\r\n"))
        #expect(EngineKind.execsPodman(script: "#!/bin/sh\nexec LANG=C.UTF-8 /usr/bin/env -i podman \"$@\""))
        #expect(!EngineKind.execsPodman(script: "#!/bin/sh\necho exec podman\nexec /usr/bin/docker \"$@\"\n"))
        #expect(!EngineKind.execsPodman(script: "#!/bin/sh\nexec\n"))
        #expect(!EngineKind.execsPodman(script: ""))
    }
}
