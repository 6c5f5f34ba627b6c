import DevEnvCore
import Testing

@Suite struct DoctorChecksTests {
    static let cleanDockerfile = """
        ARG BASE_IMAGE=local/py:1
        FROM ${BASE_IMAGE} AS base
        ENV UV_PROJECT_ENVIRONMENT=/venv \\
            PYTHONUNBUFFERED=1
        FROM base AS dev
        ARG UID=1000
        USER ${UID}:${GID}
        FROM base AS ci
        USER 1001:1001
        FROM base AS prod
        # a comment
        USER 10001:10001
        """

    /// A healthy machine and project: nothing fails.
    static func healthy() -> DoctorFacts {
        var facts = DoctorFacts(cli: "docker")
        facts.engine.readVersion(stdout: #"{"Client":{"Version":"20.10.24+dfsg1","Context":"default"},"Server":{"Version":"20.10.24+dfsg1"}}"#,
                                 stderr: "", cli: "docker")
        facts.engine.readInfo(stdout: #"{"SecurityOptions":["name=seccomp,profile=default"],"DockerRootDir":"/var/lib/docker","ClientInfo":{"Plugins":[]}}"#)
        facts.hostUID = 1500
        facts.hostGID = 1500
        facts.folderOwner = (1500, 1500)
        facts.identity = HostIdentity(uid: 1500, gid: 1500, userName: "ada", home: "/home/ada", source: .host)
        facts.profiles = [
            .init(name: "dev", target: "dev", user: .host),
            .init(name: "ci", target: "ci", user: .ids(uid: 1001, gid: 1001)),
            .init(name: "prod", target: "prod", user: .image, readOnly: true, capAdd: ["NET_BIND_SERVICE"], capDrop: ["ALL"],
                  noNewPrivileges: true),
        ]
        facts.dockerfile = cleanDockerfile
        facts.envFiles = [.init(path: ".env.dev", permissions: 0o600, tracked: false)]
        facts.imageAccounts = .init(image: "devenv-shop-497e78ff:dev-1", isBuilt: true,
                                    accounts: AccountDatabase.parse(passwd: "root:x:0:0:root:/root:/bin/sh\nada:x:1500:1500::/home/dev:/bin/sh",
                                                                    group: "root:x:0:\nada:x:1500:"))
        facts.volumeOwnerExpected = (1500, 1500)
        facts.volumes = [.init(name: "devenv-shop-dev-497e78ff-venv", uid: 1500, gid: 1500)]
        facts.freeBytes = 50 << 30
        facts.diskPath = "/var/lib/docker"
        return facts
    }

    static func status(_ checks: [DoctorCheck], _ id: String) -> DoctorCheck.Status? {
        checks.first { $0.id == id }?.status
    }

    @Test func aHealthyProjectPassesEveryCheck() {
        let checks = DoctorChecks.evaluate(Self.healthy())
        #expect(checks.map(\.id) == ["docker-cli", "engine", "versions", "buildkit", "engine-mode", "host-user", "container-user", "image-users",
                                     "volumes", "env-files", "secrets", "ca-bundle", "prod-profile", "stages", "build-context", "disk"])
        for check in checks { #expect(check.status == .ok, "\(check.id): \(check.summary)") }
    }

    @Test func everyProblemHasAReasonAndAFix() {
        var facts = Self.healthy()
        facts.envFiles = [.init(path: ".env.prod", permissions: 0o600, tracked: true)]
        facts.dockerfile = Self.cleanDockerfile.replacingOccurrences("FROM base AS ci\nUSER 1001:1001\n", "")
            .replacingOccurrences("USER 10001:10001", "ARG DB_PASSWORD=hunter2\nENV API_TOKEN abc")
        facts.buildArgs = [("PIP_INDEX_URL", "https://me:pw@example.com/simple")]
        let checks = DoctorChecks.evaluate(facts)
        #expect(Self.status(checks, "env-files") == .fail)
        #expect(Self.status(checks, "prod-profile") == .fail)
        #expect(Self.status(checks, "stages") == .fail)
        let secrets = checks.first { $0.id == "secrets" }
        #expect(secrets?.status == .fail)
        #expect(secrets?.summary.contains("ARG DB_PASSWORD (Dockerfile:") == true)
        #expect(secrets?.summary.contains("ENV API_TOKEN") == true)
        #expect(secrets?.summary.contains("build arg PIP_INDEX_URL") == true)
        #expect(checks.first { $0.id == "stages" }?.summary.contains("ci (target ci)") == true)
        #expect(checks.first { $0.id == "prod-profile" }?.summary.contains("stage prod sets no USER") == true)
        for check in checks where check.status != .ok { #expect(check.fix != nil, "\(check.id)") }
    }

    @Test func prodAsRootWritableOrWithCapabilities() {
        var facts = Self.healthy()
        facts.profiles[2].user = .ids(uid: 0, gid: 0)
        #expect(Self.status(DoctorChecks.evaluate(facts), "prod-profile") == .fail)
        facts.profiles[2].user = .image
        facts.dockerfile = Self.cleanDockerfile.replacingOccurrences("USER 10001:10001", "USER root")
        #expect(Self.status(DoctorChecks.evaluate(facts), "prod-profile") == .fail)
        facts.dockerfile = Self.cleanDockerfile
        facts.profiles[2].readOnly = false
        facts.profiles[2].capAdd = ["SYS_ADMIN"]
        let check = DoctorChecks.evaluate(facts).first { $0.id == "prod-profile" }
        #expect(check?.status == .warn)
        #expect(check?.summary.contains("read_only = false") == true)
        #expect(check?.summary.contains("SYS_ADMIN") == true)
    }

    @Test func readableEnvFilesWarn() {
        var facts = Self.healthy()
        facts.envFiles = [.init(path: ".env.dev", permissions: 0o644, tracked: false)]
        let check = DoctorChecks.evaluate(facts).first { $0.id == "env-files" }
        #expect(check?.status == .warn)
        #expect(check?.fix == "chmod 600 .env.dev")
    }

    @Test func engineDownSkipsEngineChecksAndFails() {
        var facts = Self.healthy()
        facts.engine = EngineFacts()
        facts.engine.readVersion(stdout: #"{"Client":{"Version":"28.2.2"},"Server":null}"#,
                                 stderr: "Cannot connect to the Docker daemon at unix:///x. Is the docker daemon running?\n", cli: "docker")
        let checks = DoctorChecks.evaluate(facts)
        #expect(Self.status(checks, "engine") == .fail)
        #expect(checks.first { $0.id == "engine" }?.summary.contains("Cannot connect") == true)
        #expect(!checks.contains { ["buildkit", "image-users", "volumes", "disk"].contains($0.id) })
        var missing = Self.healthy()
        missing.cliFound = false
        #expect(Self.status(DoctorChecks.evaluate(missing), "docker-cli") == .fail)
        // A file passed over by the program search (path29): said, with its own fix.
        missing.cliPassedOver = "/opt/bin/docker is there but is not a file devenv may execute: a program search (execvp's) passes it over"
        let check = DoctorChecks.evaluate(missing).first { $0.id == "docker-cli" }
        #expect(check?.summary.contains("/opt/bin/docker is there but is not a file devenv may execute") == true, "\(String(describing: check))")
        #expect(check?.fix?.contains("chmod +x") == true, "\(String(describing: check))")
    }

    @Test func buildKitNeedsBuildxFromClient23() {
        var facts = Self.healthy()
        facts.engine.clientVersion = "28.2.2"
        #expect(Self.status(DoctorChecks.evaluate(facts), "buildkit") == .fail)
        facts.engine.clientPlugins = ["buildx", "compose"]
        #expect(Self.status(DoctorChecks.evaluate(facts), "buildkit") == .ok)
    }

    @Test func rootlessAndPodmanAreNamedWithWhatTheyMeanForUIDSync() {
        var facts = Self.healthy()
        facts.engine.securityOptions.append("name=rootless")
        let rootless = DoctorChecks.evaluate(facts).first { $0.id == "engine-mode" }
        // Doctor says what up does (0:0, which is the host user), and asks for nothing.
        #expect(rootless?.status == .ok)
        #expect(rootless?.summary.contains("rootless Docker") == true && rootless?.summary.contains("0:0") == true)
        #expect(rootless?.fix == nil)
        var podman = EngineFacts()
        podman.readVersion(stdout: #"{"Client":{"Version":"4.3.1"},"Server":{"Version":"4.3.1"}}"#,
                           stderr: "Emulate Docker CLI using podman. Create /etc/containers/nodocker to quiet msg.\n", cli: "docker")
        #expect(podman.isPodman)
        #expect(podman.serverVersion == "4.3.1")
        facts.engine = podman
        let checks = DoctorChecks.evaluate(facts)
        // A podman shim's server part but no `info`: rootful unless Podman says otherwise.
        #expect(checks.first { $0.id == "engine-mode" }?.summary.hasPrefix("rootful Podman") == true)
        facts.engine.podmanRootless = true
        let rootlessPodman = DoctorChecks.evaluate(facts).first { $0.id == "engine-mode" }
        #expect(rootlessPodman?.status == .ok && rootlessPodman?.summary.contains("keep-id") == true)
        #expect(Self.status(checks, "buildkit") == .ok)
    }

    @Test func hostUserVersusTheFolderOwner() {
        var facts = Self.healthy()
        facts.folderOwner = (0, 0)
        #expect(Self.status(DoctorChecks.evaluate(facts), "host-user") == .warn)
        facts.identity?.source = .fallback
        #expect(Self.status(DoctorChecks.evaluate(facts), "host-user") == .warn)
        facts.identity?.source = .folderOwner
        #expect(Self.status(DoctorChecks.evaluate(facts), "host-user") == .ok)
    }

    /// Issue 9 section 8: doctor says what `up` warns about, in the same words, for every
    /// mapping that runs the dev container as root, and never claims the folder owner then.
    @Test func aRootContainerUserIsWarnedAboutAsUpDoes() {
        var facts = Self.healthy()
        #expect(Self.status(DoctorChecks.evaluate(facts), "container-user") == .ok)
        let identity = facts.identity!
        facts.profiles[0].user = .ids(uid: 0, gid: 0)
        var check = DoctorChecks.evaluate(facts).first { $0.id == "container-user" }
        #expect(check?.status == .warn)
        #expect(check?.summary == HostIdentity.rootMappingWarnings(user: .fixed(uid: 0, gid: 0), identity: identity, profile: "dev", rootlessEngine: false).first)
        let host = DoctorChecks.evaluate(facts).first { $0.id == "host-user" }
        #expect(host?.summary.contains("does not sync to you") == true, "\(host?.summary ?? "")")

        facts.profiles[0].user = .image
        facts.dockerfile = "FROM busybox AS dev\nRUN true\n"
        check = DoctorChecks.evaluate(facts).first { $0.id == "container-user" }
        #expect(check?.status == .warn)
        #expect(check?.summary == "profile dev runs its container as root (`user = \"image\"` and stage dev sets no USER): files it writes on the bind mount belong to root")
        facts.dockerfile = "FROM busybox AS dev\nUSER 1000:1000\n"
        #expect(Self.status(DoctorChecks.evaluate(facts), "container-user") == .ok)
        facts.dockerfile = "FROM busybox AS dev\nUSER root:users\n"
        #expect(Self.status(DoctorChecks.evaluate(facts), "container-user") == .warn)

        facts.profiles[0].user = .host
        facts.identity = HostIdentity(uid: 1500, gid: 0, userName: "ada", home: "/home/ada", source: .sudo)
        #expect(Self.status(DoctorChecks.evaluate(facts), "container-user") == .warn)
    }

    @Test func rootUsersAreRecognisedInEveryForm() {
        for user in ["", "root", "0", "0:0", "root:staff", ":1"] { #expect(HostIdentity.isRootUser(user), "\(user)") }
        for user in ["1000", "dev", "dev:0", "1000:0", "rooted"] { #expect(!HostIdentity.isRootUser(user), "\(user)") }
    }

    @Test func baseImageCollisionsFailOnlyWithoutReuse() {
        var facts = Self.healthy()
        facts.imageAccounts = .init(image: "ubuntu:24.04", isBuilt: false,
                                    accounts: AccountDatabase.parse(passwd: "ubuntu:x:1500:1500::/home/ubuntu:/bin/bash",
                                                                    group: "dialout:x:1500:"))
        facts.dockerfile = Self.cleanDockerfile + "\nRUN useradd -u $UID dev\n"
        let plain = DoctorChecks.evaluate(facts).first { $0.id == "image-users" }
        #expect(plain?.status == .fail)
        #expect(plain?.summary.contains("UID 1500 is ubuntu, GID 1500 is dialout") == true)
        facts.dockerfile = Self.cleanDockerfile + "\nRUN --mount=type=bind,source=docker/create-user.sh,target=/tmp/c sh /tmp/c\n"
        #expect(Self.status(DoctorChecks.evaluate(facts), "image-users") == .ok)
        // The built dev image without the synced user.
        facts.imageAccounts = .init(image: "devenv-shop-497e78ff:dev-1", isBuilt: true,
                                    accounts: AccountDatabase.parse(passwd: "root:x:0:0::/root:/bin/sh", group: ""))
        #expect(Self.status(DoctorChecks.evaluate(facts), "image-users") == .warn)
    }

    /// Issue 11: on rootless Docker doctor says who the container runs as the way `up` makes it
    /// (0:0, the host user who runs the engine), warns about no root mapping (root there is
    /// that user), and judges no volume owner (`up` gives none; root writes them all).
    @Test func rootlessDockerAgreesWithWhatUpDoes() {
        var facts = Self.healthy()
        facts.engine.securityOptions.append("name=rootless")
        facts.volumes = [.init(name: "devenv-shop-dev-497e78ff-venv", uid: 0, gid: 0)]
        let checks = DoctorChecks.evaluate(facts)
        let host = checks.first { $0.id == "host-user" }
        #expect(host?.status == .ok)
        #expect(host?.summary == "you are 1500:1500 and own the project folder; the container runs as 0:0 (rootless Docker: container root is the host user who runs the engine)")
        let user = checks.first { $0.id == "container-user" }
        #expect(user?.status == .ok && user?.summary == "profile dev runs its container as 0:0 (rootless Docker: container root is the host user who runs the engine)")
        let volumes = checks.first { $0.id == "volumes" }
        #expect(volumes?.status == .ok && volumes?.summary.contains("runs as 0:0 on rootless Docker") == true, "\(volumes?.summary ?? "")")
        #expect(!checks.contains { $0.fix?.contains("0:0") == true || $0.fix?.contains("user =") == true }, "\(checks)")
        // `user = "0:0"` or an image USER root: the host user's files, nothing to warn about.
        facts.profiles[0].user = .ids(uid: 0, gid: 0)
        #expect(Self.status(DoctorChecks.evaluate(facts), "container-user") == .ok)
        #expect(DoctorChecks.evaluate(facts).first { $0.id == "host-user" }?.summary.hasSuffix("on this rootless engine its root is the host user who runs the engine") == true)
        facts.profiles[0].user = .image
        facts.dockerfile = "FROM busybox AS dev\nRUN true\n"
        #expect(Self.status(DoctorChecks.evaluate(facts), "container-user") == .ok)
        #expect(HostIdentity.rootMappingWarnings(user: .fixed(uid: 0, gid: 0), identity: facts.identity!, profile: "dev", rootlessEngine: true).isEmpty)
    }

    /// regress26: on rootless Docker the dev container runs as 0:0, so a built dev image without
    /// the host user's UID is no problem: doctor warned "no user with UID 1600: whoami and ~ do
    /// not work in the container" and told the user to create one, while `up` never uses it.
    @Test func rootlessDockerJudgesTheBuiltImageByTheUserTheContainerRunsAs() {
        var facts = Self.healthy()
        facts.engine.securityOptions.append("name=rootless")
        facts.imageAccounts = .init(image: "devenv-shop-497e78ff:dev-1", isBuilt: true,
                                    accounts: AccountDatabase.parse(passwd: "root:x:0:0::/root:/bin/sh", group: "root:x:0:"))
        let check = DoctorChecks.evaluate(facts).first { $0.id == "image-users" }
        #expect(check?.status == .ok, "\(check?.summary ?? "")")
        #expect(check?.summary.contains("0:0") == true && check?.fix == nil, "\(check?.summary ?? "")")
        // A rootful engine still wants the synced user in the image.
        facts.engine.securityOptions.removeLast()
        #expect(Self.status(DoctorChecks.evaluate(facts), "image-users") == .warn)
    }

    @Test func volumesOwnedByAnotherUserFail() {
        var facts = Self.healthy()
        facts.volumes = [.init(name: "devenv-shop-dev-497e78ff-venv", uid: 0, gid: 0)]
        let check = DoctorChecks.evaluate(facts).first { $0.id == "volumes" }
        #expect(check?.status == .fail)
        #expect(check?.summary.contains("devenv-shop-dev-497e78ff-venv is 0:0") == true)
    }

    @Test func diskThresholds() {
        var facts = Self.healthy()
        facts.freeBytes = 5 << 30
        #expect(Self.status(DoctorChecks.evaluate(facts), "disk") == .warn)
        facts.freeBytes = 1 << 30
        #expect(Self.status(DoctorChecks.evaluate(facts), "disk") == .fail)
        facts.freeBytes = nil
        #expect(Self.status(DoctorChecks.evaluate(facts), "disk") == .warn)
    }

    @Test func secretNamesAndURLCredentials() {
        for name in ["PASSWORD", "db_password", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "API_KEY", "NPM_AUTH_KEY"] {
            #expect(DoctorChecks.isSecretName(name), "\(name)")
        }
        for name in ["UID", "USERNAME", "BASE_IMAGE", "SECRET_KEY_FILE", "TOKEN_PATH", "AUTHOR"] {
            #expect(!DoctorChecks.isSecretName(name), "\(name)")
        }
        #expect(DoctorChecks.hasURLCredentials("https://user:pw@example.com/simple"))
        #expect(!DoctorChecks.hasURLCredentials("https://example.com/simple"))
        #expect(!DoctorChecks.hasURLCredentials("https://example.com/a:b@c"))
    }

    @Test func dockerfileSummaryReadsStagesUsersAndVariables() {
        let summary = DockerfileSummary.parse(Self.cleanDockerfile + "\nFROM --platform=linux/amd64 scratch\n")
        #expect(summary.stageNames == ["base", "dev", "ci", "prod", "4"])
        #expect(summary.effectiveUser(of: "dev") == "${UID}:${GID}")
        #expect(summary.effectiveUser(of: "base") == nil)
        #expect(summary.baseImage() == "local/py:1")
        #expect(summary.baseImage(overrides: ["BASE_IMAGE": "other:2"]) == "other:2")
        let env = summary.variables.filter { $0.kind == .env }
        #expect(env.map(\.name) == ["UV_PROJECT_ENVIRONMENT", "PYTHONUNBUFFERED"])
        #expect(env.allSatisfy { $0.line == 3 })
    }

    @Test func engineFactsFromRealOutputs() {
        var facts = EngineFacts()
        facts.readVersion(stdout: #"{"Client":{"Platform":{"Name":""},"Version":"20.10.24+dfsg1","ApiVersion":"1.41","Context":"default","Experimental":true},"Server":{"Platform":{"Name":""},"Version":"20.10.24+dfsg1"}}"#,
                          stderr: "", cli: "/usr/bin/docker")
        facts.readInfo(stdout: #"{"ID":"X","SecurityOptions":["name=seccomp,profile=default","name=rootless"],"DockerRootDir":"/home/u/.local/share/docker","ClientInfo":{"Debug":false,"Context":"default","Plugins":[{"Name":"buildx","Version":"v0.11"}],"Warnings":null}}"#)
        #expect(facts.clientMajor == 20)
        #expect(facts.isRootless)
        #expect(facts.clientPlugins == ["buildx"])
        #expect(facts.dockerRootDir == "/home/u/.local/share/docker")
        #expect(!facts.isPodman)
        var podman = EngineFacts()
        podman.readVersion(stdout: "", stderr: "", cli: "/usr/bin/podman")
        #expect(podman.isPodman)
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    @Test func secretNamesAreWholeWordsNotSubstrings() {
        for name in ["DB_PASSWORD", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "API_KEY", "STRIPE_SECRET", "pip-token"] {
            #expect(DoctorChecks.isSecretName(name), "\(name)")
        }
        for name in ["TOKENIZERS_PARALLELISM", "KEY", "SECRETARY_NAME", "PASSWORD_FILE", "MONKEY", "KEYBOARD_LAYOUT"] {
            #expect(!DoctorChecks.isSecretName(name), "\(name)")
        }
    }
}
