import DevEnvCore
import Testing

@Suite struct DockerPlannerTests {
    let identity = HostIdentity(uid: 1234, gid: 2345, userName: "ada", home: "/home/ada", source: .host)

    func devSpec() -> EnvironmentSpec {
        var spec = EnvironmentSpec(project: "shop", profile: "dev", projectRoot: "/src/shop",
                                   dockerfile: "/src/shop/Dockerfile", context: "/src/shop")
        spec.target = "dev"
        spec.network = "none"
        spec.ports = [PortMapping(hostIP: "127.0.0.1", hostPort: 8000, containerPort: 8000)]
        spec.environment = ["LOG_LEVEL": "DEBUG", "DEBUG": "1"]
        spec.envFile = "/src/shop/.env.dev"
        spec.volumes = ["venv": "/venv", "cache": "/home/dev/.cache"]
        spec.command = ["sleep", "infinity"]
        return spec
    }

    @Test func createArgvForDev() {
        let planner = DockerPlanner(cli: "docker", spec: devSpec(), identity: identity)
        #expect(planner.create(image: "devenv-shop-497e78ff:dev-abc", configHash: "h1").argv == [
            "docker", "create", "--name", "devenv-shop-dev-497e78ff", "--init",
            "--label", "devenv.project=shop", "--label", "devenv.profile=dev", "--label", "devenv.root=/src/shop",
            "--label", "devenv.config-hash=h1", "--network", "none", "--label", "devenv.user-mapping=direct",
            "--label", "devenv.user=1234:2345", "--user", "1234:2345",
            "--env-file", "/src/shop/.env.dev",
            "--env", "DEBUG=1", "--env", "LOG_LEVEL=DEBUG", "--env", "UV_PROJECT_ENVIRONMENT=/venv",
            "--publish", "127.0.0.1:8000:8000", "--mount", "type=bind,source=/src/shop,target=/app",
            "--mount", "type=volume,source=devenv-shop-dev-497e78ff-cache,target=/home/dev/.cache",
            "--mount", "type=volume,source=devenv-shop-dev-497e78ff-venv,target=/venv",
            "--workdir", "/app", "devenv-shop-497e78ff:dev-abc", "sleep", "infinity",
        ])
    }

    @Test func runArgvForProdCarriesTheSecurityFlags() {
        var spec = EnvironmentSpec(project: "shop", profile: "prod", projectRoot: "/src/shop",
                                   dockerfile: "/src/shop/Dockerfile", context: "/src/shop")
        spec.user = .image
        spec.mountWorkspace = false
        spec.readOnly = true
        spec.tmpfs = ["/tmp:rw,noexec,nosuid,size=100m"]
        spec.capDrop = ["ALL"]
        spec.capAdd = ["NET_BIND_SERVICE"]
        spec.noNewPrivileges = true
        spec.restart = "unless-stopped"
        let argv = DockerPlanner(cli: "docker", spec: spec, identity: identity).create(image: "img", configHash: "").argv
        #expect(!argv.contains("--user"))
        #expect(!argv.contains { $0.contains("type=bind") })
        let tail = Array(argv.drop { $0 != "--workdir" })
        #expect(tail == ["--workdir", "/app", "--read-only", "--tmpfs", "/tmp:rw,noexec,nosuid,size=100m",
                         "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE",
                         "--security-opt", "no-new-privileges:true", "--restart", "unless-stopped", "img"])
    }

    @Test func buildArgvPassesUserIdsSecretsAndBuildKit() {
        var spec = devSpec()
        spec.buildArgs = ["PYTHON": "3.13"]
        spec.buildSecrets = [.init(id: "pypi", source: .file("/src/shop/.secrets/pypi")),
                             .init(id: "token", source: .environment("INDEX_TOKEN"))]
        let planner = DockerPlanner(cli: "/usr/bin/docker", spec: spec, identity: identity)
        let build = planner.build(image: "devenv-shop-497e78ff:dev-abc", buildKit: true, noCache: true)
        #expect(build.argv == [
            "/usr/bin/docker", "build", "--file", "/src/shop/Dockerfile", "--tag", "devenv-shop-497e78ff:dev-abc",
            "--target", "dev", "--label", "devenv.project=shop", "--label", "devenv.profile=dev",
            "--label", "devenv.root=/src/shop", "--network", "none",
            "--build-arg", "USERNAME=ada", "--build-arg", "UID=1234", "--build-arg", "GID=2345",
            "--build-arg", "PYTHON=3.13",
            "--secret", "id=pypi,src=/src/shop/.secrets/pypi", "--secret", "id=token,env=INDEX_TOKEN",
            "--no-cache", "--progress", "plain", "/src/shop",
        ])
        #expect(build.environment == ["DOCKER_BUILDKIT": "1"])
        #expect(build.io == .stream)
        // Without BuildKit nothing forces it (a CLI without buildx would fail).
        let legacy = planner.build(image: "x", buildKit: false, noCache: false)
        #expect(legacy.environment.isEmpty)
        #expect(!legacy.argv.contains("--progress"))
    }

    @Test func ciUsesItsFixedIdsAndImageUserNone() {
        var spec = devSpec()
        spec.user = .fixed(uid: 1001, gid: 1001)
        let ci = DockerPlanner(cli: "docker", spec: spec, identity: identity)
        #expect(ci.userArgument == "1001:1001")
        #expect(ci.buildArguments().map { "\($0.0)=\($0.1)" } == ["UID=1001", "GID=1001"])
        spec.user = .image
        let prod = DockerPlanner(cli: "docker", spec: spec, identity: identity)
        #expect(prod.userArgument == nil)
        #expect(prod.chownVolumes(roles: ["venv"], image: "img") == nil)
    }

    @Test func hostUserNamesThatLinuxRejectsBecomeDev() {
        for (name, expected) in [("ada", "ada"), ("Ada Lovelace", "dev"), ("9lives", "dev"), ("_svc", "_svc")] {
            let planner = DockerPlanner(cli: "docker", spec: devSpec(),
                                        identity: HostIdentity(uid: 501, gid: 20, userName: name, home: "/", source: .host))
            #expect(planner.buildArguments().first?.1 == expected, "\(name)")
        }
    }

    @Test func volumesAreLabelledAndChownedByAOneShotRootContainer() {
        let planner = DockerPlanner(cli: "docker", spec: devSpec(), identity: identity)
        #expect(planner.createVolume(role: "venv").argv == [
            "docker", "volume", "create", "--label", "devenv.project=shop", "--label", "devenv.profile=dev",
            "--label", "devenv.root=/src/shop", "--label", "devenv.role=venv", "devenv-shop-dev-497e78ff-venv",
        ])
        // Every new volume in one container, labelled for this environment: not the image's
        // labels, which a build cache that ignores --label may have made another project's.
        #expect(planner.chownVolumes(roles: ["cache", "venv"], image: "img")?.argv == [
            "docker", "run", "--rm", "--label", "devenv.project=shop", "--label", "devenv.profile=dev",
            "--label", "devenv.root=/src/shop", "--network", "none", "--user", "0:0", "--entrypoint", "chown",
            "--volume", "devenv-shop-dev-497e78ff-cache:/volumes/cache", "--volume", "devenv-shop-dev-497e78ff-venv:/volumes/venv",
            "img", "-R", "1234:2345", "/volumes/cache", "/volumes/venv",
        ])
        #expect(planner.chownVolumes(roles: [], image: "img") == nil)
    }

    /// Issue 9 section 8: the synced user's HOME is made by a root exec after a start; the
    /// image's own user, rootless Docker (container root is the host user) and a synced root
    /// need none.
    @Test func theHomeOfTheSyncedUserIsMadeByARootExec() {
        var spec = devSpec()
        spec.environment["HOME"] = "/home/dev"
        var planner = DockerPlanner(cli: "docker", spec: spec, identity: identity)
        let argv = planner.giveHome()?.argv ?? []
        #expect(Array(argv.prefix(7)) == ["docker", "exec", "--user", "0:0", "devenv-shop-dev-497e78ff", "sh", "-c"])
        #expect(Array(argv.suffix(3)) == ["sh", "1234:2345", "/home/dev"])
        spec.environment["HOME"] = nil
        #expect(DockerPlanner(cli: "docker", spec: spec, identity: identity).giveHome()?.argv.last == "")
        planner.userMapping = .rootless
        #expect(planner.giveHome() == nil)
        spec.user = .image
        #expect(DockerPlanner(cli: "docker", spec: spec, identity: identity).giveHome() == nil)
        spec.user = .fixed(uid: 0, gid: 0)
        #expect(DockerPlanner(cli: "docker", spec: spec, identity: identity).giveHome() == nil)
    }

    @Test func theVolumeOwnerProbeRunsAsRootOnEveryVolumeGiven() {
        let planner = DockerPlanner(cli: "docker", spec: devSpec(), identity: identity)
        let argv = planner.repairVolumeOwners(roles: ["cache", "venv"], image: "img")?.argv ?? []
        #expect(Array(argv.prefix(19)) == [
            "docker", "run", "--rm", "--label", "devenv.project=shop", "--label", "devenv.profile=dev",
            "--label", "devenv.root=/src/shop", "--network", "none", "--user", "0:0", "--entrypoint", "sh",
            "--volume", "devenv-shop-dev-497e78ff-cache:/volumes/cache", "--volume", "devenv-shop-dev-497e78ff-venv:/volumes/venv",
        ])
        #expect(Array(argv.suffix(4)) == ["sh", "1234:2345", "/volumes/cache", "/volumes/venv"])
        #expect(planner.repairVolumeOwners(roles: [], image: "img") == nil)
    }

    @Test func execAddsTtyOnlyWhenAsked() {
        let planner = DockerPlanner(cli: "docker", spec: devSpec(), identity: identity)
        #expect(planner.exec(["id", "-u"], interactive: true, terminal: false).argv == [
            "docker", "exec", "--interactive", "--user", "1234:2345", "--workdir", "/app",
            "--env", "UV_PROJECT_ENVIRONMENT=/venv", "devenv-shop-dev-497e78ff", "id", "-u",
        ])
        #expect(planner.exec(["bash"], interactive: true, terminal: true).argv.contains("--tty"))
    }

    @Test func imageFingerprintFollowsDockerfileLockFileAndBuildArgs() {
        let planner = DockerPlanner(cli: "docker", spec: devSpec(), identity: identity)
        let base = planner.imageFingerprint(dockerfile: Array("FROM x".utf8),
                                            dependencyFiles: [("uv.lock", Array("a".utf8))])
        #expect(base == planner.imageFingerprint(dockerfile: Array("FROM x".utf8),
                                                 dependencyFiles: [("uv.lock", Array("a".utf8))]))
        #expect(base != planner.imageFingerprint(dockerfile: Array("FROM y".utf8),
                                                 dependencyFiles: [("uv.lock", Array("a".utf8))]))
        #expect(base != planner.imageFingerprint(dockerfile: Array("FROM x".utf8),
                                                 dependencyFiles: [("uv.lock", Array("b".utf8))]))
        var other = devSpec()
        other.buildArgs = ["X": "1"]
        #expect(base != DockerPlanner(cli: "docker", spec: other, identity: identity)
            .imageFingerprint(dockerfile: Array("FROM x".utf8), dependencyFiles: [("uv.lock", Array("a".utf8))]))
        #expect(base.count == 12)
    }

    @Test func containerFingerprintChangesWithAnyRunSetting() {
        let planner = DockerPlanner(cli: "docker", spec: devSpec(), identity: identity)
        var changed = devSpec()
        changed.ports = [PortMapping(hostIP: "127.0.0.1", hostPort: 8001, containerPort: 8000)]
        let other = DockerPlanner(cli: "docker", spec: changed, identity: identity)
        #expect(planner.containerFingerprint(image: "i") == planner.containerFingerprint(image: "i"))
        #expect(planner.containerFingerprint(image: "i") != other.containerFingerprint(image: "i"))
        #expect(planner.containerFingerprint(image: "i") != planner.containerFingerprint(image: "j"))
        // Which docker CLI runs it is not the container's configuration.
        #expect(DockerPlanner(cli: "/usr/bin/docker", spec: devSpec(), identity: identity).containerFingerprint(image: "i")
            == planner.containerFingerprint(image: "i"))
    }

    @Test func pathsWithColonsCommasAndQuotesSurviveMountAndSecretParsing() {
        var spec = EnvironmentSpec(project: "shop", profile: "dev", projectRoot: "/src/a:b,c=d",
                                   dockerfile: "/src/a:b,c=d/Dockerfile", context: "/src/a:b,c=d")
        spec.mounts = [.init(source: "/data/\"x\",y", target: "/data", readOnly: true)]
        spec.buildSecrets = [.init(id: "pip", source: .file("/src/a:b,c=d/pip.conf"))]
        let planner = DockerPlanner(cli: "docker", spec: spec, identity: identity)
        let run = planner.create(image: "i", configHash: "").argv
        #expect(run.contains(#"type=bind,"source=/src/a:b,c=d",target=/app"#))
        #expect(run.contains(#"type=bind,"source=/data/""x"",y",target=/data,readonly"#))
        #expect(planner.build(image: "i", buildKit: true, noCache: false).argv.contains(#"id=pip,"src=/src/a:b,c=d/pip.conf""#))
    }

    /// BuildKit's session sends the context folder's last name in an HTTP header: a control
    /// character there failed the build ("no active session"), so such a folder is given as
    /// `DIR/.`; other folders as they are.
    @Test func aContextFolderNamedWithAControlCharacterIsGivenAsItsDot() {
        let folder = "/src/red\u{1B}[31m"
        var spec = EnvironmentSpec(project: "shop", profile: "dev", projectRoot: folder, dockerfile: folder + "/Dockerfile", context: folder)
        var db = ServiceSpec(name: "db", origin: .builtIn)
        db.build = .init(dockerfile: nil, context: folder + "/db\u{7F}", target: nil, args: [])
        spec.services = [db]
        let planner = DockerPlanner(cli: "docker", spec: spec, identity: identity)
        #expect(planner.build(image: "i", buildKit: true, noCache: false).argv.last == folder + "/.")
        let service = ServicePlanner(planner: planner)
        #expect(service.build(db, image: "s", buildKit: true)?.argv.last == folder + "/db\u{7F}/.")
        // Only the last name counts; tab, newline and a plain name stay as they are.
        for plain in ["/src/red\u{1B}/shop", "/src/a\tb", "/src/a\nb", "/src/shop"] {
            #expect(DockerPlanner.contextArgument(plain) == plain)
        }
    }

    @Test func containersAreActedOnByIDAndFoundByExactNames() {
        let planner = DockerPlanner(cli: "docker", spec: devSpec(), identity: identity)
        #expect(planner.remove(id: "abc123").argv == ["docker", "rm", "--force", "abc123"])
        // No --time: the container's own stop timeout (run_args' --stop-timeout) decides.
        #expect(planner.stop(id: "abc123").argv == ["docker", "stop", "abc123"])
        #expect(planner.restart(id: "abc123").argv == ["docker", "restart", "abc123"])
        // A profile's --stop-timeout delays "still waiting for `docker stop`" by as much.
        #expect(planner.stop(id: "abc123").grace == 10)
        var slow = devSpec()
        slow.runArgs = ["--stop-timeout", "60"]
        #expect(DockerPlanner(cli: "docker", spec: slow, identity: identity).stop(id: "abc123").grace == 60)
        slow.runArgs = ["--stop-timeout=45"]
        #expect(DockerPlanner(cli: "docker", spec: slow, identity: identity).restart(id: "abc123").grace == 45)
        // What the stop waits for, said as it starts and when Ctrl-C comes during it (left23):
        // the profile's signal and timeout, else SIGTERM and the engine's 10 s.
        #expect(planner.stop(id: "abc123").waitsFor == "its process gets SIGTERM, then SIGKILL if it has not exited within 10 s (the engine's default)")
        slow.runArgs = ["--stop-signal", "SIGINT", "--stop-timeout", "30", "--stop-timeout=60"]
        #expect(DockerPlanner(cli: "docker", spec: slow, identity: identity).restart(id: "abc123").waitsFor
                == "its process gets SIGINT, then SIGKILL if it has not exited within 60 s (run_args' --stop-timeout)")
        #expect(planner.findContainer().argv == [
            "docker", "ps", "--all", "--no-trunc", "--filter", "name=^/?devenv-shop-dev-497e78ff$",
            "--filter", #"name=^/?devenv-shop-dev-497e78ff\.replacement$"#, "--filter", #"name=^/?devenv-shop-dev-497e78ff\.previous$"#,
            "--filter", "name=^/?devenv-shop-dev$",
            "--filter", #"name=^/?devenv-shop-dev\.replacement$"#, "--filter", #"name=^/?devenv-shop-dev\.previous$"#,
            "--filter", "name=^/?devenv-shop-dev-497e78ff-svc-", "--filter", "name=^/?devenv-shop-dev-svc-",
            "--format", DockerPlanner.containerFormat(.docker),
        ])
    }

    /// Docker's `ps` template, exactly: devenv's own labels one by one (`.Label`), in this order,
    /// after the whole record. Built without generic joins (it is made before `status` starts its
    /// docker call), so its text is pinned here.
    @Test func theDockerTemplateAsksForEachOwnLabel() {
        #expect(DockerPlanner.containerFormat(.docker) == #"{"CreatedAt":{{json .CreatedAt}},"ID":{{json .ID}},"Image":{{json .Image}},"#
            + #""Labels":{{json .Labels}},"Mounts":{{json .Mounts}},"Names":{{json .Names}},"Ports":{{json .Ports}},"#
            + #""RunningFor":{{json .RunningFor}},"State":{{json .State}},"Status":{{json .Status}}}"# + "\t{"
            + #""devenv.project":{{json (.Label "devenv.project")}},"devenv.profile":{{json (.Label "devenv.profile")}},"#
            + #""devenv.root":{{json (.Label "devenv.root")}},"devenv.config-hash":{{json (.Label "devenv.config-hash")}},"#
            + #""devenv.role":{{json (.Label "devenv.role")}},"devenv.service":{{json (.Label "devenv.service")}},"#
            + #""devenv.user":{{json (.Label "devenv.user")}},"#
            + #""devenv.inputs":{{json (.Label "devenv.inputs")}},"devenv.user-mapping":{{json (.Label "devenv.user-mapping")}}}"#)
        // Volumes keep the whole record (the volume list measures nothing), then the same labels.
        #expect(DockerPlanner.volumeFormat(.docker) == "{{json .}}" + DockerPlanner.containerFormat(.docker).drop { $0 != "\t" })
    }

    /// A service taken out of the profile leaves its container: ours only with this folder's
    /// and profile's labels, a service label the profile no longer runs, and that service's
    /// container name. Anyone else's container named like one stays out of it.
    @Test func orphanedServicesAreOnlyDevenvsOwnForThisEnvironment() throws {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        func line(_ id: String, _ name: String, _ labels: String, state: String = "running") -> String {
            #"{"ID":"\#(id)","Names":"\#(name)","Image":"i","State":"\#(state)","Status":"Up","Labels":"\#(labels)","Ports":"","CreatedAt":"now"}"#
        }
        let own = "devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop"
        let listing = [
            line("app", "devenv-shop-dev-497e78ff", own),
            line("db", "devenv-shop-dev-497e78ff-svc-db", own + ",devenv.service=db"),
            line("old", "/devenv-shop-dev-497e78ff-svc-cache", own + ",devenv.service=cache", state: "exited"),
            line("mine", "devenv-shop-dev-497e78ff-svc-mine", ""),
            line("compose", "devenv-shop-dev-497e78ff-svc-web", "com.docker.compose.project=shop,devenv.service=web"),
            line("other", "devenv-shop-dev-497e78ff-svc-q", "devenv.project=shop,devenv.profile=dev,devenv.root=/elsewhere,devenv.service=q"),
            line("ci", "devenv-shop-dev-497e78ff-svc-r", "devenv.project=shop,devenv.profile=ci,devenv.root=/src/shop,devenv.service=r"),
            line("renamed", "my-cache", own + ",devenv.service=cache2"),
            line("empty", "devenv-shop-dev-497e78ff-svc-", own + ",devenv.service="),
            line("zz", "devenv-shop-dev-497e78ff-svc-aaa", own + ",devenv.service=aaa"),
        ].joined(separator: "\n")
        let containers = try ContainerSnapshot.parseList(listing)
        let orphans = ContainerOwnership.orphanedServices(in: containers, names: names, configured: ["db"])
        #expect(orphans.map(\.service) == ["aaa", "cache"])
        #expect(orphans.map(\.container.id) == ["zz", "old"])
        #expect(ContainerOwnership.orphanedServices(in: containers, names: names, configured: ["db", "cache", "aaa"]).isEmpty)
        // The app's own container is never a service's.
        #expect(!ContainerOwnership.orphanedServices(in: containers, names: names, configured: []).contains { $0.container.id == "app" })
    }

    @Test func ownershipIsOursForeignOrAbsentAndSaysWhoOwnsIt() throws {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        func line(_ labels: String) -> String {
            #"{"ID":"f00","Names":"devenv-shop-dev-497e78ff","Image":"i","State":"running","Status":"Up","Labels":"\#(labels)","Ports":"","CreatedAt":"now"}"#
        }
        func ownership(_ labels: String) throws -> ContainerOwnership {
            ContainerOwnership(name: "devenv-shop-dev-497e78ff", in: try ContainerSnapshot.parseList(line(labels)), names: names)
        }
        #expect(ContainerOwnership(name: "devenv-shop-dev-497e78ff", in: [], names: names) == .absent)
        #expect(try ownership("devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop").ours?.id == "f00")
        guard case .foreign(_, let other) = try ownership("devenv.project=shop,devenv.profile=dev,devenv.root=/real/shop") else {
            Issue.record("another folder's container is foreign")
            return
        }
        #expect(other == "devenv made it for /real/shop (project shop, profile dev)")
        guard case .foreign(_, let partial) = try ownership("devenv.project=shop,devenv.profile=dev") else {
            Issue.record("a container without the root label is foreign")
            return
        }
        // It has devenv labels: the message must not claim it has none.
        #expect(partial == "it carries devenv labels (devenv.profile=dev, devenv.project=shop) but not this project's")
        guard case .foreign(_, let compose) = try ownership("com.docker.compose.project=web") else { return }
        #expect(compose == "Docker Compose project web made it")
        guard case .foreign(_, let none) = try ownership("maintainer=x") else { return }
        #expect(none == "it has no devenv labels")
        // mend26b: a label's newline is shown escaped: the owner is said inside one line.
        guard case .foreign(_, let odd) = try ownership(#"devenv.project=shop,devenv.profile=dev,devenv.root=/real\nerror: fake"#) else { return }
        #expect(odd.description == #"devenv made it for /real\x0aerror: fake (project shop, profile dev)"#)
        let moved = ContainerOwnership.movedFrom(["devenv.project": "shop", "devenv.profile": "dev", "devenv.root": "/a\nb"], names: names)
        #expect(moved?.description == #"/a\x0ab"#)
    }

    @Test func shellQuotingIsWhatAShellNeeds() {
        let invocation = ProcessInvocation(["docker", "exec", "c", "sh", "-c", "echo 'hi' $HOME", ""],
                                           environment: ["DOCKER_BUILDKIT": "1"])
        #expect(invocation.shellQuoted == "DOCKER_BUILDKIT=1 docker exec c sh -c 'echo '\\''hi'\\'' $HOME' ''")
    }

    /// break22: the notice of a call that runs to its end printed its whole line: a `docker
    /// create` holds every `--env` value of the profile, a token's among them.
    @Test func aCallInAFewWordsNamesWhatItActsOnAndNoOptionValue() {
        let id = String(repeating: "0123456789abcdef", count: 4)
        let create = ProcessInvocation(["/usr/bin/docker", "create", "--name", "devenv-shop-dev-497e78ff.replacement", "--env", "API_TOKEN=s3cr3t",
                                        "--label", "devenv.root=/tmp/a b", "img:dev-1", "sleep", "infinity"])
        #expect(create.summary == "docker create --name devenv-shop-dev-497e78ff.replacement")
        #expect(ProcessInvocation(["docker", "rename", id, "devenv-shop-dev-497e78ff.previous"]).summary
            == "docker rename 0123456789ab devenv-shop-dev-497e78ff.previous")
        #expect(ProcessInvocation(["docker", "stop", "--time", "10", id]).summary == "docker stop 0123456789ab")
        #expect(ProcessInvocation(["docker", "rm", "--force", id]).summary == "docker rm 0123456789ab")
        #expect(ProcessInvocation(["docker", "version"]).summary == "docker version")
        // Quoted as a shell would need it; a control character escaped.
        #expect(ProcessInvocation(["docker", "create", "--name", "a b\u{1b}"]).summary == "docker create --name $'a b\\x1b'")
    }
}
