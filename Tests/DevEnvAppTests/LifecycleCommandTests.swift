@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// The exact docker calls of each command, scripted (no engine): what crosses into Docker is
/// also run for real in IntegrationTests.
@Suite struct LifecycleCommandTests {
    /// `docker volume ls` lines for the environment's volumes, made by devenv.
    static func ownVolumes(_ environment: Environment) -> String {
        environment.spec.volumes.keys.sorted().map { role in
            #"{"Name":"devenv-shop-dev-497e78ff-\#(role)","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=\#(role)"}"#
        }.joined(separator: "\n")
    }

    @Test func upFromScratchBuildsCreatesVolumesAndStarts() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        #expect(planner.userArgument == "1500:1500")

        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, exitCode: 1)
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expect(planner.build(image: image, buildKit: true, noCache: false).argv, streamed: [(.stdout, "step 1\n")])
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        let roles = environment.spec.volumes.keys.sorted()
        #expect(roles.count >= 2)
        for role in roles { fixture.runner.expect(planner.createVolume(role: role).argv) }
        // The image just built is asked what it declares (nothing here), then one chown
        // container for all new volumes.
        fixture.runner.expect(planner.imageExists(image).argv, stdout: "sha256:1 null\n")
        fixture.runner.expect(try #require(planner.chownVolumes(roles: roles, image: image)).argv)
        fixture.runner
            .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem), inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.start(id: "new1").argv)
            // The venv's uv.lock stamp matches the workspace's: no sync.
            .expect(AppFixture.homeGift(planner), unordered: true)
            .expect(planner.compareLockStamp().argv, unordered: true)

        #expect(fixture.run(["up", "--no-tui"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "dev is up: devenv-shop-dev-497e78ff started\n")
        #expect(fixture.console.stderr.contains("step 1"))
        // The lock comparison was started before HOME was made (both run at once), and ended.
        let argvs = fixture.runner.invocations.map(\.argv)
        #expect(argvs.suffix(2) == [planner.compareLockStamp().argv, AppFixture.homeGift(planner)], "\(argvs.suffix(2))")
        #expect(fixture.runner.cancelled.isEmpty)
    }

    @Test func underRootlessDockerTheContainerRunsAsRootWhichIsTheHostUser() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        var rootless = planner
        rootless.userMapping = .rootless
        #expect(rootless.userArgument == "0:0")
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(["docker", "info", "--format", "{{json .}}"],
                    stdout: #"{"SecurityOptions":["name=seccomp,profile=default","name=rootless"],"ClientInfo":{"Context":"default"}}"#)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        for role in environment.spec.volumes.keys.sorted() {
            // No chown: the volume's root already is the host user.
            fixture.runner.expect(planner.createVolume(role: role).argv)
        }
        let create = rootless.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem), inputs: try fixture.inputs(environment, image: image)).argv
        #expect(create.contains("devenv.user=0:0"))
        fixture.runner.expect(create, stdout: "new1\n").expect(planner.start(id: "new1").argv)
        fixture.runner.expect(rootless.compareLockStamp().argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        // The fingerprint does not depend on the mapping, so the next up finds it unchanged.
        #expect(rootless.containerFingerprint(image: image) == planner.containerFingerprint(image: image))
    }

    @Test func podmanKeepsTheHostUserWithKeepID() throws {
        let fixture = AppFixture()
        var planner = try fixture.environment().planner
        // Rootful Podman maps directly (keep-id is rootless-only); rootless Podman keeps the id.
        var rootful = EngineFacts(kind: .podman)
        rootful.podmanRootless = false
        #expect(rootful.userMapping == .direct)
        var rootless = EngineFacts(kind: .podman)
        rootless.podmanRootless = true
        #expect(rootless.userMapping == .podmanKeepID(namesIDs: false), "the version unknown: the plain form")
        rootless.clientVersion = "4.2.1"
        #expect(rootless.userMapping == .podmanKeepID(namesIDs: false))
        rootless.clientVersion = "4.3.1"
        #expect(rootless.userMapping == .podmanKeepID(namesIDs: true))
        rootless.clientVersion = "5.0.0-dev"
        #expect(rootless.userMapping == .podmanKeepID(namesIDs: true))
        // Podman's shim answers `docker info` in Podman's shape.
        var shim = EngineFacts()
        shim.readInfo(stdout: #"{"host":{"security":{"rootless":true}},"store":{"graphRoot":"/s"},"version":{"Version":"4.3.1","APIVersion":"4.3.1"}}"#)
        #expect(shim.kind == .podman && shim.isRootless && shim.serverVersion == "4.3.1" && shim.dockerRootDir == "/s")
        planner.engine = .podman
        planner.userMapping = rootless.userMapping
        let argv = planner.create(image: "img", configHash: "h").argv
        #expect(argv.contains("--userns=keep-id:uid=1500,gid=1500"))
        #expect(argv.contains("1500:1500"))
        // The one-shot root containers that give volumes to the synced user use the same user
        // namespace, or the chown would give them to a subordinate id.
        let chown = try #require(planner.chownVolumes(roles: ["venv"], image: "img")).argv
        #expect(chown.contains("--userns=keep-id:uid=1500,gid=1500") && chown.contains("0:0"))
        let repair = try #require(planner.repairVolumeOwners(roles: ["venv"], image: "img")).argv
        #expect(repair.contains("--userns=keep-id:uid=1500,gid=1500"))
        planner.userMapping = .podmanKeepID(namesIDs: false)
        #expect(planner.create(image: "img", configHash: "h").argv.contains("--userns=keep-id"))
        // A fixed user (ci) is not the host user: no keep-id for it.
        var fixed = planner
        fixed.spec.user = .fixed(uid: 1001, gid: 1001)
        #expect(!fixed.create(image: "img", configHash: "h").argv.contains { $0.hasPrefix("--userns") })
        planner.userMapping = rootful.userMapping
        #expect(!planner.create(image: "img", configHash: "h").argv.contains { $0.hasPrefix("--userns") })
        // Builds keep HEALTHCHECK (docker format) and pass no --progress (Podman has none).
        let build = planner.build(image: "img", buildKit: true, noCache: false).argv
        #expect(build.starts(with: ["docker", "build", "--file", planner.spec.dockerfile, "--tag", "img", "--format", "docker"]))
        #expect(!build.contains("--progress"))
    }

    @Test func execUsesTheUserTheContainerWasStartedWith() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        var labels = AppFixture.ownLabels(hash: "h")
        labels["devenv.user"] = "0:0"
        fixture.runner
            .expect(planner.findContainer().argv, stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: labels))
            .expect(planner.exec(["id"], interactive: true, terminal: false, runningAs: "0:0", container: "c1").argv)
        #expect(fixture.run(["exec", "--", "id"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.last?.argv.contains("0:0") == true)
    }

    @Test func upOnARunningUnchangedEnvironmentMakesOneCall() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.runner.expect(environment.planner.findContainer().argv,
                              stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: hash)))
        #expect(fixture.run(["up", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 1)
        #expect(fixture.console.stdout.contains(#""ok":true,"command":"up","profile":"dev","result":"up-to-date""#))
    }

    @Test func aStaleContainerIsRecreatedKeepingVolumes() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let volumes = Self.ownVolumes(environment)
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "old"),
                                              mounts: AppFixture.ownVolumeNames))
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv, stdout: volumes)
            .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem),
                                   name: "devenv-shop-dev-497e78ff.replacement", inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.rename(id: "c1", to: "devenv-shop-dev-497e78ff.previous").argv)
            .expect(planner.stop(id: "c1").argv)
            .expect(planner.rename(id: "new1", to: "devenv-shop-dev-497e78ff").argv)
            .expect(planner.start(id: "new1").argv)
            .expect(planner.remove(id: "c1").argv)
            // uv.lock changed since the venv was synced (cmp exit 1): up syncs and records it.
            .expect(AppFixture.homeGift(planner), unordered: true)
            .expect(planner.compareLockStamp().argv, exitCode: 1, unordered: true)
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "new").merging(["devenv.user": "1500:1500"]) { a, _ in a }))
            .expect(planner.exec(["uv", "sync", "--frozen"], interactive: false, terminal: false, io: .stream, runningAs: "1500:1500").argv,
                    streamed: [(.stderr, "Installed 1 package\n")])
            .expect(planner.writeLockStamp(runningAs: "1500:1500").argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains("recreated"))
        #expect(fixture.console.stderr.contains("dependencies out of date (uv.lock changed since the venv was synced): syncing"))
    }

    /// break22: a signal during the recreate's last step (the previous container's removal,
    /// which runs to its end) said "interrupted; stopped cleanly", though the swap had finished
    /// and the container now runs the new configuration; what comes after it did not run.
    @Test func anInterruptionDuringTheLastSwapStepSaysTheRecreateFinished() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "old"),
                                              mounts: AppFixture.ownVolumeNames))
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv, stdout: Self.ownVolumes(environment))
            .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem),
                                   name: "devenv-shop-dev-497e78ff.replacement", inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.rename(id: "c1", to: "devenv-shop-dev-497e78ff.previous").argv)
            .expect(planner.stop(id: "c1").argv)
            .expect(planner.rename(id: "new1", to: "devenv-shop-dev-497e78ff").argv)
            .expect(planner.start(id: "new1").argv)
            .expect(planner.remove(id: "c1").argv, sideEffect: { fixture.interruption = 15 })
        #expect(fixture.run(["up"]) == 143)
        fixture.runner.verifyAllCalled()
        #expect(!fixture.console.stderr.contains("stopped cleanly"), "\(fixture.console.stderr)")
        // StartedInterruption's wording (review23: Up had a second one, naming plain `devenv up`).
        #expect(fixture.console.stderr.contains("interrupted by signal 15 while finishing the recreate (devenv-shop-dev-497e78ff runs the new configuration), "
                                                + "once devenv-shop-dev-497e78ff had started: it runs and is kept"), "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("hint: `devenv up` finishes it"), "\(fixture.console.stderr)")
    }

    @Test func aForeignContainerWithDevenvsNameIsLeftAloneWithExit4() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner.expect(planner.findContainer().argv,
                              stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: ["maintainer": "someone"]))
        #expect(fixture.run(["up"]) == 4)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv did not create"))
    }

    @Test func aFailedStartRemovesTheContainerItCreated() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: LifecycleCommandTests.ownVolumes(environment))
            .expect(AppFixture.volumeProbe(planner, image: image))
            .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem), inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.start(id: "new1").argv,
                    stderr: "Bind for 0.0.0.0:8000 failed: port is already allocated", exitCode: 1)
            .expect(planner.remove(id: "new1").argv)
        // Taken between devenv's check and docker's bind: still a conflict, exit 4.
        #expect(fixture.run(["up"]) == 4)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("a published port is already in use"))
    }

    /// A running container publishing `ports` (docker's Ports column), as `docker ps` lists it.
    static func publisher(_ name: String, ports: String, labels: [String: String]) -> String {
        AppFixture.psLine(name: name, labels: labels).replacingOccurrences(of: #""Ports":"""#, with: #""Ports":"\#(ports)""#)
    }

    @Test func aPortAnotherDevenvProjectHoldsIsExit4BeforeAnythingIsMade() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let blog = ["devenv.project": "blog", "devenv.profile": "dev", "devenv.root": "/src/blog"]
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv,
                    stdout: Self.publisher("devenv-blog-dev", ports: "127.0.0.1:8000->8000/tcp, 127.0.0.1:5679->5678/tcp", labels: blog))
        #expect(fixture.run(["up"]) == 4)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("host port 8000 (127.0.0.1:8000 for container port 8000) is in use by devenv project blog (profile dev, /src/blog; container devenv-blog-dev)"), "\(stderr)")
        #expect(stderr.contains(#"ports = ["8001:8000", ...] under [profiles.dev]"#), "\(stderr)")
        #expect(stderr.contains("devenv up --port 8000=8001"), "\(stderr)")
    }

    @Test func aPortAForeignContainerHoldsOnEveryInterfaceIsExit4() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv,
                    stdout: Self.publisher("web", ports: "0.0.0.0:5678->80/tcp, :::5678->80/tcp", labels: [:]))
        #expect(fixture.run(["up"]) == 4)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("host port 5678 (127.0.0.1:5678 for container port 5678) is in use by the container web"))
        #expect(fixture.console.stderr.contains("--port 5678=5679"))
    }

    @Test func aPortAHostProcessHoldsIsExit4NamingTheProcess() throws {
        let fixture = AppFixture()
        fixture.portHolder = { $0.hostPort == 8000 ? .process(name: "python3", pid: 77) : nil }
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
        #expect(fixture.run(["up", "--json"]) == 4)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("is in use by the host process python3 (pid 77)"))
        #expect(fixture.console.stdout.contains(#""ok":false"#))
    }

    @Test func upPortOverridePublishesTheContainerPortElsewhereOnLocalhost() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        #expect(environment.spec.ports.map(\.description) == ["127.0.0.1:8000:8000", "127.0.0.1:5678:5678"])
        var moved = environment
        try moved.spec.override(ports: [PortOverride(containerPort: 8000, hostPort: 8001)])
        moved.planner.spec = moved.spec
        // devenv.toml's ports are hashed as configured, the override under its own key.
        let inputs = try moved.inputs(image: try environment.image(fileSystem: fixture.fileSystem), fileSystem: fixture.fileSystem)
        let configured = try environment.inputs(image: try environment.image(fileSystem: fixture.fileSystem), fileSystem: fixture.fileSystem)
        #expect(inputs.changed(since: configured) == [EnvironmentInputs.portOverrideKey])
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let create = moved.planner.create(image: image, configHash: try moved.containerFingerprint(image: image, fileSystem: fixture.fileSystem), inputs: try fixture.inputs(moved, image: image)).argv
        #expect(create.contains("127.0.0.1:8001:8000"))
        fixture.runner
            .expect(environment.planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(environment.planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(environment.planner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv, stdout: Self.ownVolumes(environment))
            .expect(AppFixture.volumeProbe(environment.planner, image: image))
            .expect(create, stdout: "new1\n")
            .expect(moved.planner.start(id: "new1").argv)
            .expect(AppFixture.homeGift(moved.planner), unordered: true)
            .expect(moved.planner.compareLockStamp().argv, unordered: true)
        #expect(fixture.run(["up", "--port", "8000=8001"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    @Test func aBadPortOverrideIsAUsageError() throws {
        let fixture = AppFixture()
        #expect(fixture.run(["up", "--port", "9000=9001"]) == 2)
        #expect(fixture.console.stderr.contains("profile dev publishes no container port 9000 (it publishes 5678, 8000)"))
        #expect(fixture.run(["up", "--port", "8000"]) == 2)
        #expect(fixture.run(["up", "--port=8000=70000"]) == 2)
        #expect(fixture.run(["down", "--port", "8000=8001"]) == 2)
        fixture.runner.verifyAllCalled()
    }

    @Test func anImageDeclaringItsVolumePathsAsTheUsersNeedsNoChown() throws {
        for (label, chowned) in [("1500:1500 /venv /home/dev/.cache", [String]()), ("1500:1500 /venv", ["cache"]),
                                 ("1000:1000 /venv /home/dev/.cache", ["cache", "venv"])] {
            let fixture = AppFixture()
            let environment = try fixture.environment()
            let planner = environment.planner
            let image = try environment.image(fileSystem: fixture.fileSystem)
            let roles = environment.spec.volumes.keys.sorted()
            fixture.runner
                .expect(planner.findContainer().argv)
                .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
                .expect(planner.imageExists(image).argv, stdout: #"sha256:1 {"devenv.volume-owner":"\#(label)","other":"x"}"# + "\n")
                .expect(planner.engineInfo().argv, stdout: "null")
                .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
            for role in roles { fixture.runner.expect(planner.createVolume(role: role).argv) }
            if let chown = planner.chownVolumes(roles: chowned, image: image) { fixture.runner.expect(chown.argv) }
            fixture.runner
                .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem), inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
                .expect(planner.start(id: "new1").argv)
                .expect(AppFixture.homeGift(planner), unordered: true)
                .expect(planner.compareLockStamp().argv, unordered: true)
            #expect(fixture.run(["up"]) == 0, "\(label)")
            fixture.runner.verifyAllCalled()
        }
        #expect(ImageVolumeOwner(label: "x:1 /venv") == nil)
        #expect(ImageVolumeOwner.parse(inspectOutput: "sha256:1 null") == nil)
    }

    @Test func engineProbesAreAskedOncePerCommandAndBuildxOnlyFromClient23() throws {
        let fixture = AppFixture()
        fixture.runner
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "24.0.7\n")
            .expect(["docker", "buildx", "version"], stdout: "github.com/docker/buildx v0.11.2\n")
        let session = DockerSession(context: fixture.context, dryRun: false)
        var docker = EngineFacts(kind: .docker)
        docker.readInfo(stdout: AppFixture.dockerInfo)
        for _ in 0..<3 { #expect(try BuildKitSupport(session: session, cli: "docker").available(on: docker)) }
        // Behind Podman's API (the engine probe's judgement) there is none, and nothing is asked.
        var podmanAPI = EngineFacts(kind: .docker)
        podmanAPI.readInfo(stdout: AppFixture.podmanAPIInfo)
        #expect(try !BuildKitSupport(session: session, cli: "docker").available(on: podmanAPI))
        fixture.runner.verifyAllCalled()
        #expect(session.callCount == 2)
    }

    @Test func interruptedBuildStopsBeforeAnyContainerExists() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, exitCode: 1)
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expect(planner.build(image: image, buildKit: true, noCache: false).argv, exitCode: 130,
                    sideEffect: { fixture.interruption = 2 })
        #expect(fixture.run(["up"]) == 130)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("interrupted"))
    }

    /// review24 item 3: an interrupted command exits 128 + the signal's number, as a shell
    /// reports a process the signal ended (SIGINT 130, SIGHUP 129, SIGQUIT 131, SIGTERM 143),
    /// the same rule as the dashboard's (`ExitCode.status(afterSignal:)`); --json's error object
    /// carries the same code. Real signals to real processes: IntegrationTests
    /// (InterruptedFirstUpEngineTests, SafeLifecycleEngineTests), EndToEndTests (QuitKeyTests).
    @Test(arguments: [(Int32(2), Int32(130)), (1, 129), (3, 131), (15, 143)])
    func anInterruptionExitsWith128PlusTheSignal(_ signal: Int32, _ status: Int32) throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        fixture.runner.expect(environment.planner.findContainer().argv, sideEffect: { fixture.interruption = signal })
        #expect(fixture.run(["up", "--json"]) == status)
        #expect(fixture.console.stdout.contains("\"exitCode\":\(status)}"), "\(fixture.console.stdout)")
        #expect(ExitCode.status(afterSignal: signal) == status)
        #expect(ErrorReport.status(DevEnvError.failure("x"), interruption: signal) == 1)
        #expect(ErrorReport.status(DevEnvError(.interrupted, "x"), interruption: nil) == 130)
    }

    /// Interrupted during the chown, the volumes this run made go again. review24 item 1: one
    /// the engine refuses to remove is said (kind, name, ID, why, the command that removes it)
    /// and the exit code is 1, not 130 (which says nothing half-made was left); it was a `try?`
    /// that dropped the failure and exited 130.
    /// A first `up` of a built image, scripted until it has created the volumes of `roles`: the
    /// chown is next.
    static func expectAFirstUpUntilItsVolumes(_ fixture: AppFixture, _ planner: DockerPlanner, image: String, roles: [String]) {
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        for role in roles { fixture.runner.expect(planner.createVolume(role: role).argv) }
    }

    @Test(arguments: [false, true])
    func interruptedChownRemovesTheVolumesItJustMade(refused: Bool) throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let roles = environment.spec.volumes.keys.sorted()
        Self.expectAFirstUpUntilItsVolumes(fixture, planner, image: image, roles: roles)
        let first = environment.names.volume(role: roles[0])
        fixture.runner
            .expect(try #require(planner.chownVolumes(roles: roles, image: image)).argv, exitCode: 130,
                    sideEffect: { fixture.interruption = 2 })
            // Taken back as the run ends (`MadeObjects`): listed, labels checked, one at a time.
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: LifecycleCommandTests.ownVolumes(environment))
            .expect(planner.removeVolumes([first]).argv, stderr: refused ? "Error response from daemon: disk on fire\n" : "",
                    exitCode: refused ? 1 : 0)
        for role in roles.dropFirst() { fixture.runner.expect(planner.removeVolumes([environment.names.volume(role: role)]).argv) }
        #expect(fixture.run(["up"]) == (refused ? 1 : 130))
        fixture.runner.verifyAllCalled()
        let said = fixture.console.stderr
        #expect(said.contains("clean-up incomplete") == refused, "\(said)")
        guard refused else { return }
        #expect(said.contains("devenv: error: interrupted by signal 2; stopped cleanly; clean-up incomplete, left: volume \(first) "
            + "(ID \(first)): the engine refused: Error response from daemon: disk on fire\n"), "\(said)")
        #expect(said.contains("  hint: remove what was left: docker volume rm \(first)\n"), "\(said)")
    }

    /// break27: a signal between the chown's create and its start (`docker run --rm` removes
    /// only a container that ran) left it as created, holding the new volumes: the take-back's
    /// `volume rm` then failed ("volume is in use") and `down --volumes` failed for good. The
    /// chown carries its call's label; what it made and never started goes first, by ID.
    @Test func aChownCutShortBeforeItsStartLeavesNoContainer() throws {
        let fixture = AppFixture()
        let run = "0123456789abcdef0123456789abcdef"
        fixture.randomToken = run
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let roles = environment.spec.volumes.keys.sorted()
        let chown = try #require(planner.chownVolumes(roles: roles, image: image, run: run))
        #expect(chown.argv.contains("\(DockerPlanner.runLabel)=\(run)"))
        Self.expectAFirstUpUntilItsVolumes(fixture, planner, image: image, roles: roles)
        fixture.runner
            .expect(chown.argv, exitCode: 130, sideEffect: { fixture.interruption = 15 })
            .expect(planner.findByRun(run, neverStarted: true).argv, stdout: "made1\n")
            .expect(planner.remove(id: "made1").argv)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: LifecycleCommandTests.ownVolumes(environment))
        for role in roles { fixture.runner.expect(planner.removeVolumes([environment.names.volume(role: role)]).argv) }
        #expect(fixture.run(["up"]) == 143)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("interrupted by signal 15; stopped cleanly"), "\(fixture.console.stderr)")
    }

    /// Interrupted as the app's container is created, it goes again (by ID); one the engine
    /// refuses to remove is said by ID, exit 1 (review24 item 1).
    @Test(arguments: [false, true])
    func interruptedRunRemovesTheContainerItCreated(refused: Bool) throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: LifecycleCommandTests.ownVolumes(environment))
            .expect(AppFixture.volumeProbe(planner, image: image))
            .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem), inputs: try fixture.inputs(environment, image: image)).argv,
                    stdout: "abc\n", sideEffect: { fixture.interruption = 15 })
            .expect(planner.remove(id: "abc").argv, stderr: refused ? "Error response from daemon: driver failed\n" : "",
                    exitCode: refused ? 1 : 0)
        #expect(fixture.run(["up"]) == (refused ? 1 : 143))
        fixture.runner.verifyAllCalled()
        let said = fixture.console.stderr
        #expect(said.contains("interrupted by signal 15"), "\(said)")
        #expect(said.contains("clean-up incomplete") == refused, "\(said)")
        guard refused else { return }
        #expect(said.contains("clean-up incomplete, left: container \(environment.names.container) (ID abc): the engine did not remove it\n"), "\(said)")
        #expect(said.contains("  hint: remove what was left: docker rm --force abc\n"), "\(said)")
    }

    @Test func aPausedUnchangedContainerIsUnpausedNotRecreated() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(environment.planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", state: "paused", labels: AppFixture.ownLabels(hash: hash)))
            .expect(environment.planner.unpause(id: "c1").argv)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    @Test func aChangedEnvFileMakesTheContainerStale() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let before = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.dev", "A=2\n")
        #expect(try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem) != before)
    }

    @Test func theProjectIsFoundFromASubfolder() throws {
        let fixture = AppFixture()
        fixture.fileSystem.addDirectory("\(AppFixture.root)/src/shop")
        var context = fixture.context
        context.currentDirectory = "\(AppFixture.root)/src/shop"
        let loader = EnvironmentLoader(context: context, options: GlobalOptions())
        #expect(loader.projectDirectory == AppFixture.root)
        #expect(try loader.load().spec.projectRoot == AppFixture.root)
    }

    @Test func downVolumesRefusesAForeignVolumeAndRemovesNothing() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h")))
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: #"{"Name":"devenv-shop-dev-497e78ff-venv","Labels":""}"#)
        #expect(fixture.run(["down", "--volumes"]) == 4)
        fixture.runner.verifyAllCalled()
    }

    /// break26: a volume carrying this environment's labels under a name devenv never gives
    /// (a backup a script cloned with its labels, `docker volume create --label ...`) is the
    /// user's: `down --volumes` removed it with the environment's own.
    @Test func downVolumesLeavesAVolumeThatOnlyCopiedDevenvsLabels() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let labels = "devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop"
        let copies = [#"{"Name":"backup-devenv-shop-dev-497e78ff-venv","Labels":"\#(labels),devenv.role=venv"}"#,
                      #"{"Name":"devenv-shop-dev-497e78ff-venv-copy","Labels":"\#(labels),devenv.role=venv"}"#,
                      #"{"Name":"mydata-devenv-shop-x","Labels":"\#(labels)"}"#]
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: ([Self.ownVolumes(environment)] + copies).joined(separator: "\n"))
            .expectNoProjectNetwork(planner)
            .expect(planner.removeVolumes(environment.spec.volumes.keys.sorted().map { environment.names.volume(role: $0) }).argv)
        #expect(fixture.run(["down", "--volumes"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(!fixture.console.stdout.contains("backup-") && !fixture.console.stdout.contains("mydata"), "\(fixture.console.stdout)")
    }

    @Test func downStopsAndRemovesOnlyItsOwn() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expectDownOfOwnContainer(planner)
        #expect(fixture.run(["down"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "removed devenv-shop-dev-497e78ff\n")
    }

    @Test func dryRunPrintsTheWholePlanAndRunsNothing() throws {
        let fixture = AppFixture()
        // The one call a dry run makes asks which engine it plans for (it changes nothing):
        // here rootless Docker, so the plan runs the synced user as 0:0 (issue 11).
        fixture.runner.expect(["docker", "info", "--format", "{{json .}}"],
                              stdout: #"{"SecurityOptions":["name=rootless"],"ClientInfo":{"Context":"default"}}"#)
        #expect(fixture.run(["up", "--dry-run"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 1)
        #expect(fixture.console.stderr.contains("dry run: planned for rootless Docker (context default)"), "\(fixture.console.stderr)")
        #expect(fixture.console.stdout.contains("--user 0:0"))
        let lines = fixture.console.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("docker ps --all") == true)
        #expect(lines.contains { $0.hasPrefix("DOCKER_BUILDKIT=1 docker build --file /src/shop/Dockerfile") })
        #expect(lines.dropLast().last?.hasPrefix("docker create --name devenv-shop-dev-497e78ff --init") == true)
        #expect(lines.last == "docker start devenv-shop-dev-497e78ff")
    }

    /// Issue 11: a dry run whose plan does not depend on the engine's user mapping says so
    /// instead of leaving it unsaid; `user = "0:0"` asks the engine (rootful Docker warns about
    /// root's files, a rootless engine would not).
    @Test func aDryRunForAProfileThatDoesNotSyncSaysWhatItAssumed() throws {
        let prod = AppFixture()
        prod.fileSystem.addFile("\(AppFixture.root)/Dockerfile", "FROM base AS dev\nFROM base AS prod\n")
        #expect(prod.run(["--profile", "prod", "up", "--dry-run"]) == 0)
        prod.runner.verifyAllCalled()
        #expect(prod.runner.invocations.isEmpty)
        #expect(prod.console.stderr.contains("devenv: note: dry run: profile prod runs as its image's USER on every engine, so the plan does not depend on how the engine maps users\n"),
                "\(prod.console.stderr)")
        let root = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\nuser = \"0:0\"\n")
        root.runner.expect(["docker", "info", "--format", "{{json .}}"],
                           stdout: #"{"SecurityOptions":["name=rootless"],"ClientInfo":{"Context":"default"}}"#)
        #expect(root.run(["up", "--dry-run"]) == 0)
        root.runner.verifyAllCalled()
        #expect(root.console.stderr.contains("profile dev runs as 0:0 (`user` in devenv.toml) on every engine, so the plan does not depend on how the engine maps users (a rootless one here: root in the container is the host user)"),
                "\(root.console.stderr)")
        #expect(!root.console.stderr.contains("warning:"), "\(root.console.stderr)")
    }

    @Test func statusOfARunningEnvironmentIsOneCallAndReportsStaleness() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        fixture.runner
            .expect(try fixture.statusLookup(),
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", status: "Up 3 minutes (healthy)",
                                              labels: AppFixture.ownLabels(hash: "old"),
                                              mounts: ["/src/shop", "devenv-shop-dev-497e78ff-venv"]))
            // The running dev venv follows uv.lock: one exec compares its stamp (1: different).
            .expect(environment.planner.compareLockStamp().argv, exitCode: 1)
        #expect(fixture.run(["status", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        let out = fixture.console.stdout
        #expect(out.contains(#""profile":"dev","container":"devenv-shop-dev-497e78ff","state":"running","owner":null,"health":"healthy","exitCode":null,"stale":true"#))
        #expect(out.contains(#""dependenciesOutOfDate":true"#))
        #expect(out.contains(#""profile":"prod","container":"devenv-shop-prod-497e78ff","state":"not created""#))
        #expect(out.contains(#""volumes":[{"name":"devenv-shop-dev-497e78ff-venv","role":"venv","path":"\#(environment.spec.volumes["venv"] ?? "")"}]"#))
    }

    @Test func statusListsVolumesWhenAnEnvironmentWithVolumesHasNoContainer() throws {
        let fixture = AppFixture()
        fixture.runner
            .expect(try fixture.statusLookup())
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: #"{"Name":"devenv-shop-dev-497e78ff-venv","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=venv"}"# + "\n"
                        + #"{"Name":"devenv-shop-dev-497e78ff-cache","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/elsewhere,devenv.role=cache"}"#)
        #expect(fixture.run(["status"]) == 0)
        fixture.runner.verifyAllCalled()
        let out = fixture.console.stdout
        #expect(out.contains("dev      not created"))
        #expect(out.contains("volume devenv-shop-dev-497e78ff-venv (venv at /venv)"))
        // Another folder's volume of the same name is not this project's.
        #expect(!out.contains("devenv-shop-dev-497e78ff-cache"))
    }

    @Test func execPassesTheExitCodeThroughAndUsesTtyOnlyOnTerminals() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h")))
            .expect(planner.exec(["python", "-c", "raise SystemExit(7)"], interactive: true, terminal: false, container: "c1").argv,
                    exitCode: 7)
        #expect(fixture.run(["exec", "--", "python", "-c", "raise SystemExit(7)"]) == 7)
        fixture.runner.verifyAllCalled()
    }

    /// leftovers25: `devenv exec -- echo hi >&-` exited 0 with the output lost (docker says
    /// nothing of a closed stdout). Now exit 1 with the words other commands use, and nothing
    /// runs: no lookup, no exec; `shell` and `exec --service` the same. mend26a: the one rule
    /// (`CommandSpec.outputIsThePoint`) for every command whose output is its point: `test`
    /// (its runner's output went nowhere, exit 0), `logs`, `status` (also as plain `devenv`),
    /// `config`, `doctor`.
    @Test(arguments: [["exec", "--", "echo", "hi"], ["shell"], ["exec", "--service", "db", "--", "true"], ["test"], ["test", "-x"],
                      ["logs"], ["logs", "-f"], ["status"], [], ["config"], ["doctor"]])
    func execWithStandardOutputClosedRunsNothingAndFails(_ arguments: [String]) throws {
        let fixture = AppFixture()
        fixture.console.outputClosed = "Bad file descriptor"
        #expect(fixture.run(arguments) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.isEmpty, "\(fixture.runner.invocations.map(\.shellQuoted))")
        #expect(fixture.console.stderr.contains("devenv: error: cannot write to standard output: Bad file descriptor; "
            + "the command was not run (`>/dev/null` discards its output)"), "\(fixture.console.stderr)")
    }

    /// On a terminal exec and shell hand the container the host's TERM and COLORTERM; into a pipe
    /// they pass neither (no terminal to describe).
    @Test func execOnATerminalPassesTermAndColorterm() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: running)
            .expect(planner.exec(["id"], interactive: true, terminal: true,
                                 terminalEnvironment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"], container: "c1").argv)
            .expect(planner.findContainer().argv, stdout: running)
            .expect(planner.exec(DockerPlanner.shellCommand, interactive: true, terminal: true,
                                 terminalEnvironment: ["TERM": "screen-256color"], container: "c1").argv)
        var context = fixture.context
        context.console = CollectingConsole(terminal: true)
        context.environment["TERM"] = "xterm-256color"
        context.environment["COLORTERM"] = "truecolor"
        #expect(App.run(["exec", "id"], context: context) == 0)
        context.environment["TERM"] = "screen-256color"
        context.environment["COLORTERM"] = nil
        #expect(App.run(["shell"], context: context) == 0)
        fixture.runner.verifyAllCalled()
        let argv = planner.exec(["id"], interactive: true, terminal: true, terminalEnvironment: ["TERM": "xterm-256color"]).argv
        #expect(argv.contains("TERM=xterm-256color"))
        #expect(!planner.exec(["id"], interactive: true, terminal: false, terminalEnvironment: ["TERM": "xterm"]).argv
            .contains("TERM=xterm"))
    }

    /// Every `ok:false` carries the documented error object, a command's non-zero exit included.
    @Test func jsonFailuresCarryTheErrorObject() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h")))
            .expect(planner.exec(["sh", "-c", "exit 5"], interactive: true, terminal: false, container: "c1").argv, exitCode: 5)
        #expect(fixture.run(["--json", "exec", "sh", "-c", "exit 5"]) == 5)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == #"{"ok":false,"command":"exec","profile":"dev","exitCode":5,"error":{"message":"sh -c exit 5 exited with 5","exitCode":5}}"# + "\n")
        // A usage error and a missing container: the same error object.
        let usage = AppFixture()
        #expect(usage.run(["--json", "exec"]) == 2)
        #expect(usage.console.stdout.hasPrefix(#"{"ok":false,"error":{"message":"exec needs COMMAND [ARGS...]","exitCode":2"#))
        let stopped = AppFixture()
        stopped.runner.expect(try stopped.environment().planner.findContainer().argv)
        #expect(stopped.run(["--json", "shell"]) == 1)
        #expect(stopped.console.stdout.hasPrefix(#"{"ok":false,"error":{"message":"the dev container"#))
    }

    @Test func execOnAStoppedContainerSaysToRunUp() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner.expect(planner.findContainer().argv)
        #expect(fixture.run(["shell"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv up"))
    }

    @Test func cleanCacheReportsFilesAndBytes() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h")))
            .expect(planner.cleanCache().argv, stdout: "12 3456\n")
        #expect(fixture.run(["clean-cache"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "clean-cache: removed 12 files, 3456 bytes\n")
    }

    /// Issue 9 section 8: caches the user cannot remove (root's, from an earlier root
    /// container) go in one root container on the bind mount; what even root cannot remove is
    /// listed, after the rest was done, and the script is never the message.
    @Test func cleanCacheRemovesRootOwnedCachesAsRootAndListsWhatRemains() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: ps)
            .expect(planner.cleanCache().argv, stdout: "failed\t./src/__pycache__\nfailed\t./.pytest_cache\n1 10\n")
            .expect(planner.cleanCacheAsRoot(image: "img").argv, stdout: "4 40\n")
        #expect(fixture.run(["clean-cache"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "clean-cache: removed 5 files, 50 bytes\n")
        let root = planner.cleanCacheAsRoot(image: "img").argv
        #expect(root.contains("0:0") && root.contains("type=bind,source=/src/shop,target=/app"))
        // Labelled for this environment, whatever labels the image carries.
        #expect(Array(root.prefix(9)) == ["docker", "run", "--rm", "--label", "devenv.project=shop", "--label", "devenv.profile=dev",
                                          "--label", "devenv.root=/src/shop"], "\(root)")

        let stuck = AppFixture()
        stuck.runner
            .expect(planner.findContainer().argv, stdout: ps)
            .expect(planner.cleanCache().argv, stdout: "failed\t./a/__pycache__\nfailed\t./b\u{1B}]0;x\u{07}.pyc\n1 10\n")
            .expect(planner.cleanCacheAsRoot(image: "img").argv, stdout: "failed\t./a/__pycache__\nfailed\t./b\u{1B}]0;x\u{07}.pyc\n0 0\n")
        #expect(stuck.run(["clean-cache"]) == 1)
        stuck.runner.verifyAllCalled()
        let text = stuck.console.stderr
        #expect(text.contains("clean-cache removed 1 file, 10 bytes but could not remove 2 paths, not even as root"), "\(text)")
        #expect(text.contains("  a/__pycache__\n"), "\(text)")
        #expect(text.contains("  b\\x1b]0;x\\x07.pyc"), "\(text)")
        #expect(!text.contains("while IFS") && !text.contains("find ."), "the script was shown: \(text)")

        let broken = AppFixture()
        broken.runner
            .expect(planner.findContainer().argv, stdout: ps)
            .expect(planner.cleanCache().argv, stderr: "OCI runtime exec failed: exec: \"sh\": executable file not found in $PATH\n", exitCode: 126)
        #expect(broken.run(["clean-cache"]) == 1)
        #expect(broken.console.stderr.contains("clean-cache in devenv-shop-dev-497e78ff failed (exit 126): OCI runtime exec failed"), "\(broken.console.stderr)")
        #expect(!broken.console.stderr.contains("while IFS"), "\(broken.console.stderr)")
    }

    /// engine30: through the docker CLI on Podman's API `run --rm` says 0 whatever the command
    /// did (podman#18889), so clean-cache's root pass that failed was taken for "removed 0". The
    /// engine probe's judgement (`EngineFacts.podmanAPI`) is every one-off's: the pass runs
    /// without `--rm` (`DockerPlanner.keptToItsEnd`), its status is its own, and it is removed by
    /// its label and ID, failed or not.
    @Test(arguments: [Int32(0), Int32(2)])
    func cleanCachesRootPassThroughPodmansAPIIsKeptToItsEndAndRemoved(status: Int32) throws {
        let fixture = AppFixture()
        let token = "0123456789abcdef0123456789abcdef"
        fixture.randomToken = token
        let planner = try fixture.environment().planner
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))
        let root = DockerPlanner.keptToItsEnd(planner.cleanCacheAsRoot(image: "img", run: token))
        #expect(!root.argv.contains("--rm") && planner.cleanCacheAsRoot(image: "img", run: token).argv.contains("--rm"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: ps)
            .expect(planner.cleanCache().argv, stdout: "failed\t./src/__pycache__\n1 10\n")
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.podmanAPIInfo)
            .expect(root.argv, stdout: status == 0 ? "4 40\n" : "", stderr: status == 0 ? "" : "sh: find: not found\n", exitCode: status)
            .expect(planner.findByRun(token).argv, stdout: "c0ffee\n")
            .expect(planner.remove(id: "c0ffee").argv)
        #expect(fixture.run(["clean-cache"]) == (status == 0 ? 0 : 1))
        fixture.runner.verifyAllCalled()
        if status != 0 {
            #expect(fixture.console.stderr.contains("clean-cache in a root container of img failed (exit 2): sh: find: not found"), "\(fixture.console.stderr)")
        } else {
            #expect(fixture.console.stdout == "clean-cache: removed 5 files, 50 bytes\n")
        }
    }

    /// leftovers25: an engine that stopped answering clean-cache's exec (or its root run) was
    /// reported with the whole script quoted twice (message and detail). Now the step, named
    /// once; the script stays for --verbose.
    @Test func cleanCacheOnAnEngineThatStopsAnsweringNamesTheStepNotTheScript() throws {
        let planner = try AppFixture().environment().planner
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "2"]
        fixture.runner
            .expect(planner.findContainer().argv, stdout: ps)
            .expect(planner.cleanCache().argv, neverAnswers: true)
        #expect(fixture.run(["clean-cache"]) == 3)
        fixture.runner.verifyAllCalled()
        let text = fixture.console.stderr
        #expect(text.contains("devenv: error: the Docker engine (the default context) did not answer `docker exec` "
            + "(clean-cache in devenv-shop-dev-497e78ff) within 2 s\n"), "\(text)")
        #expect(text.contains("(no answer within 2 s; the call was ended; --verbose prints it whole)"), "\(text)")
        #expect(!text.contains("while IFS") && !text.contains("find ."), "the script was shown: \(text)")
    }

    @Test func aMissingEnvFileNamesItsTemplate() throws {
        let fixture = AppFixture()
        fixture.fileSystem.remove("\(AppFixture.root)/.env.dev")
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.dev.template", "A=\n")
        // Checked before any docker call.
        #expect(fixture.run(["up"]) == 2)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("cp .env.dev.template .env.dev"))
    }

    @Test func noEngineIsExit3WithHowToStartOne() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner.expect(planner.findContainer().argv,
                              stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
                              exitCode: 1)
        #expect(fixture.run(["up"]) == 3)
        #expect(fixture.console.stderr.contains("no Docker engine answers"))
    }

    @Test func aContainerThatRestartsInItsFirstSecondsFailsUpWithItsExitCodeAndLastLines() throws {
        let fixture = AppFixture()
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.prod", "A=1\n", owner: (1500, 1500))
        let environment = try fixture.environment(profile: "prod")
        let planner = environment.planner
        #expect(planner.watchesStart)
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let fingerprint = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.create(image: image, configHash: fingerprint, inputs: try fixture.inputs(environment, image: image)).argv, stdout: "abc123\n")
            .expect(planner.start(id: "abc123").argv)
            .expect(planner.watchStart(container: "abc123").argv, stdout: #"{"Action":"die"}"# + "\n")
            .expect(planner.startVerdict(container: "abc123").argv, stdout: "restarting 1 2\n")
            .expect(planner.lastLogLines(container: "abc123", count: 15).argv,
                    stderr: "Traceback (most recent call last):\nModuleNotFoundError: No module named 'shop'\n")
            .expect(planner.stop(id: "abc123").argv)
        #expect(fixture.run(["--profile", "prod", "up"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv-shop-prod-497e78ff exited with code 1 within 3s of starting and was restarted 2 times; it is stopped and kept"), "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("  ModuleNotFoundError: No module named 'shop'"))
        // The watch waits on the engine's clock: `--until` a negative duration is in the future.
        #expect(planner.watchStart(container: "abc123").argv.last == "--until=-3s")
        // The dev profile's idle container is not watched.
        #expect(try !fixture.environment().planner.watchesStart)
    }

    /// Restarted by its policy and running again when inspected, a container reports ExitCode
    /// 0: the code it died with comes from the last `die` event of the watch (seen in CI).
    @Test func aContainerRunningAgainAfterRestartsIsReportedWithTheCodeItDiedWith() throws {
        let fixture = AppFixture()
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.prod", "A=1\n", owner: (1500, 1500))
        let environment = try fixture.environment(profile: "prod")
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let fingerprint = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        let die = #"{"Type":"container","Action":"die","Actor":{"ID":"abc123","Attributes":{"exitCode":"1","name":"devenv-shop-prod-497e78ff"}},"timeNano":1}"#
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.create(image: image, configHash: fingerprint, inputs: try fixture.inputs(environment, image: image)).argv, stdout: "abc123\n")
            .expect(planner.start(id: "abc123").argv)
            .expect(planner.watchStart(container: "abc123").argv, stdout: die + "\n" + die + "\n")
            .expect(planner.startVerdict(container: "abc123").argv, stdout: "running 0 4\n")
            .expect(planner.lastLogLines(container: "abc123", count: 15).argv, stdout: "prod has no entry point\n")
            .expect(planner.stop(id: "abc123").argv)
        #expect(fixture.run(["--profile", "prod", "up"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("devenv-shop-prod-497e78ff exited with code 1 within 3s of starting and was restarted 4 times"),
                "\(fixture.console.stderr)")
    }

    @Test func testRunsPublishNoPortsAndAMissingRunnerIsNamed() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let oneOff = environment.planner.runToCompletion(image: image, command: ["pytest"]).argv
        #expect(!environment.spec.ports.isEmpty)
        #expect(!oneOff.contains("--publish"))
        #expect(TestRun.runnerReportsNoTests(["pytest", "-x"]))
        #expect(TestRun.runnerReportsNoTests(["python", "-m", "pytest"]))
        #expect(!TestRun.runnerReportsNoTests(["python", "-m", "unittest"]))
        let scan = OutputScan()
        scan.add(Array("\n-------\nRan 0 tests in 0.000s\n\nOK".utf8))
        #expect(scan.ranNoTests)
        let ran = OutputScan()
        ran.add(Array("Ran 10 tests in 0.1s\n".utf8))
        #expect(!ran.ranNoTests)
    }

    /// The note "add it to a dependency group" names the runner: it is given when the runner's
    /// own module is missing, not when a test's import fails (break25: the project's package,
    /// not yet in a new dev venv, gave "uv add --group tests unittest").
    @Test func theMissingRunnerNoteIsForTheRunnersOwnModuleOnly() throws {
        let scan = OutputScan()
        scan.add(Array("/venv/bin/python: No module named pytest\nModuleNotFoundError: No module named 'app.core'\n".utf8))
        #expect(scan.missingModules == ["pytest", "app"])
        #expect(TestRun.runnerModule(["python", "-m", "pytest", "-x"]) == "pytest")
        #expect(TestRun.runnerModule(["/usr/bin/python3", "-m", "unittest", "discover"]) == "unittest")
        #expect(TestRun.runnerModule(["pytest"]) == "pytest")

        for (said, noted) in [("ModuleNotFoundError: No module named 'shop'\n", false), ("/usr/bin/python: No module named unittest\n", true)] {
            let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\ntest_command = [\"python\", \"-m\", \"unittest\"]\n")
            let environment = try fixture.environment()
            let image = try environment.image(fileSystem: fixture.fileSystem)
            fixture.runner
                .expectATestUpToItsRun(environment, image: image)
                .expect(environment.planner.runToCompletion(image: image, command: ["python", "-m", "unittest"]).argv, exitCode: 1, streamed: [(.stderr, said)])
            #expect(fixture.run(["test"]) == 1)
            fixture.runner.verifyAllCalled()
            #expect(fixture.console.stderr.contains("add it to a dependency group (`uv add --group tests unittest`") == noted, "\(fixture.console.stderr)")
        }
    }

    /// mend26a: dev `test` before `sync-deps` (or after `uv add --dev pytest`: the venv volume keeps
    /// what it held) failed "pytest is not in the dev image" with a hint to add it to a dependency
    /// group, which it already was. Where the profile keeps its venv in a volume it syncs, the
    /// error names the volume and `devenv sync-deps` first; ci (venv in the image) as before.
    @Test(arguments: ["dev", "ci"])
    func aRunnerMissingFromASyncedVenvVolumePointsAtSyncDeps(profile: String) throws {
        let fixture = AppFixture()
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.ci", "A=1\n", owner: (1500, 1500))
        fixture.fileSystem.addFile("\(AppFixture.root)/Dockerfile", "FROM base AS dev\nFROM base AS ci\n", owner: (1500, 1500))
        let environment = try fixture.environment(profile: profile)
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let command = environment.spec.testCommand
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expect(environment.planner.build(image: image, buildKit: true, noCache: false).argv)
        if profile == "dev" {
            fixture.runner.expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop", engine: environment.planner.engine).argv,
                                  stdout: AppFixture.ownVolumeNames.map { #"{"Name":"\#($0)","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop"}"# + "\n" }.joined())
        }
        fixture.runner.expect(environment.planner.runToCompletion(image: image, command: command).argv, exitCode: 127)
        #expect(fixture.run(["test", "--profile", profile]) == 1)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        if profile == "dev" {
            #expect(stderr.contains("devenv: error: the test runner \(command[0]) is not in the dev venv volume (devenv-shop-dev-497e78ff-venv at /venv) (exit 127: not found)"), "\(stderr)")
            #expect(stderr.contains("hint: run `devenv sync-deps` (with the container up) to install the locked dependencies into the venv volume, then test again; "
                + "if \(command[0]) is not among them, add it to a dependency group"), "\(stderr)")
        } else {
            #expect(stderr.contains("is not in the ci image (exit 127: not found)"), "\(stderr)")
            #expect(!stderr.contains("sync-deps"), "\(stderr)")
        }
    }

    /// break28: on Podman a missing runner was taken for failed tests: Podman's init (catatonit,
    /// for `--init`) says "failed to exec pid1: No such file or directory" and exits 1, where
    /// Docker's (tini) exits 127, so `devenv test` exited 1 with catatonit's line and no word of
    /// the runner (Podman 4.3.1, rootful and rootless). Its output is read there, and that line
    /// with exit 1 is a missing runner as 127 is; tests that fail (exit 1, no such line) are not.
    @Test(arguments: [true, false])
    func podmansInitThatFindsNoRunnerIsAMissingRunner(initSaidIt: Bool) throws {
        let fixture = AppFixture()
        fixture.extraEnvironment = ["DEVENV_DOCKER": "podman"]
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.ci", "A=1\n", owner: (1500, 1500))
        fixture.fileSystem.addFile("\(AppFixture.root)/Dockerfile", "FROM base AS dev\nFROM base AS ci\n", owner: (1500, 1500))
        let environment = try fixture.environment(profile: "ci")
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let said = initSaidIt ? "ERROR (catatonit:6): failed to exec pid1: No such file or directory\n" : "1 failed, 2 passed\n"
        fixture.runner
            .expect(DockerPlanner.engineVersion(cli: "podman").argv, stdout: #"{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","OsArch":"linux/amd64"}}"#)
            .expect(environment.planner.build(image: image, buildKit: true, noCache: false).argv)
            .expect(environment.planner.runToCompletion(image: image, command: environment.spec.testCommand).argv, exitCode: 1,
                    streamed: [(.stderr, said)])
        #expect(fixture.run(["test", "--profile", "ci"]) == 1)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("devenv: error: the test runner pytest is not in the ci image (exit 1: not found)") == initSaidIt, "\(stderr)")
        #expect(stderr.contains(said), "\(stderr)")
    }

    /// engine30 (stop 28's leftover): `test_command = ["sh", "-c", "..."]` with a command missing
    /// inside the script: the shell says "not found" and exits 127, and devenv said "the test
    /// runner sh is not in the dev venv volume". A 127 is the runner missing only when the init
    /// said it could not start the runner (tini's line); otherwise it is the tests' own status.
    @Test(arguments: [("sh: missing-cmd: not found\n", false), ("[FATAL tini (7)] exec sh failed: No such file or directory\n", true)])
    func aShellsOwn127IsTheTestsStatus(said: String, runnerMissing: Bool) throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\ntest_command = [\"sh\", \"-c\", \"missing-cmd\"]\n")
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expectATestUpToItsRun(environment, image: image)
            .expect(environment.planner.runToCompletion(image: image, command: ["sh", "-c", "missing-cmd"]).argv, exitCode: 127, streamed: [(.stderr, said)])
        #expect(fixture.run(["test"]) == (runnerMissing ? 1 : 127))
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("the test runner sh is not in the dev") == runnerMissing, "\(stderr)")
        #expect(stderr.contains(said), "\(stderr)")
    }

    /// engine30 (stop 28's leftover): each chunk of the test run's output was decoded on its own,
    /// so a character a read cut in two showed as two U+FFFD. Each stream is decoded across its
    /// reads; one that ends inside a character shows U+FFFD once, at its end.
    @Test func aCharacterSplitAcrossReadsIsShownWhole() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\ntest_command = [\"sh\", \"-c\", \"true\"]\n")
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let euro = Array("€".utf8), snake = Array("🐍".utf8)
        fixture.runner
            .expectATestUpToItsRun(environment, image: image)
            .expect(environment.planner.runToCompletion(image: image, command: ["sh", "-c", "true"]).argv, streamedBytes: [
                (.stdout, Array("price ".utf8) + Array(euro.prefix(1))), (.stderr, Array(snake.prefix(2))), (.stdout, Array(euro.dropFirst())),
                (.stdout, Array(" ok\n".utf8)), (.stderr, Array(snake.dropFirst(2)) + [0x0A]), (.stdout, [0xE2, 0x82])])
        #expect(fixture.run(["test"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "price € ok\n\u{FFFD}", "\(fixture.console.stdout)")
        #expect(fixture.console.stderr.contains("🐍\n"), "\(fixture.console.stderr)")
        #expect(!fixture.console.stderr.contains("\u{FFFD}"), "\(fixture.console.stderr)")
    }

    /// path29 (break28's "bare exit 1"): the docker CLI with DOCKER_HOST on Podman's socket is
    /// Docker by name, so `test` neither read catatonit's line nor knew Podman's `run --rm`
    /// exits 0 whatever the command said (podman#18889): a missing runner was catatonit's line
    /// alone with exit 0 or 1, and failing tests passed. The engine probe's `info` tells (Podman's
    /// log drivers; engine30: one judgement, `EngineFacts.podmanAPI`): the build has no BuildKit
    /// (Debian's 20.10 client's BuildKit build failed there: "failed to dial gRPC") and asks no
    /// version, the run keeps no `--rm` and is removed by its label and ID, its status is the
    /// tests', and its output is read.
    @Test(arguments: [(true, Int32(1)), (false, Int32(3))])
    func aDockerCLIOnPodmansSocketIsPodmanForTest(initSaidIt: Bool, status: Int32) throws {
        let fixture = AppFixture()
        fixture.randomToken = "0123456789abcdef0123456789abcdef"
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.ci", "A=1\n", owner: (1500, 1500))
        fixture.fileSystem.addFile("\(AppFixture.root)/Dockerfile", "FROM base AS dev\nFROM base AS ci\n", owner: (1500, 1500))
        let environment = try fixture.environment(profile: "ci")
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let planner = environment.planner
        let token = "0123456789abcdef0123456789abcdef"
        let said = initSaidIt ? "ERROR (catatonit:6): failed to exec pid1: No such file or directory\n" : "1 failed, 2 passed\n"
        fixture.runner
            .expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.podmanAPIInfo)
            .expect(planner.build(image: image, buildKit: false, noCache: false).argv)
            .expect(DockerPlanner.keptToItsEnd(planner.runToCompletion(image: image, command: environment.spec.testCommand, run: token)).argv,
                    exitCode: status, streamed: [(.stderr, said)])
            .expect(planner.findByRun(token).argv, stdout: "c0ffee\n")
            .expect(planner.remove(id: "c0ffee").argv)
        #expect(fixture.run(["test", "--profile", "ci"]) == status)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("devenv: error: the test runner pytest is not in the ci image (exit 1: not found)") == initSaidIt, "\(stderr)")
        #expect(stderr.contains(said), "\(stderr)")
    }

    @Test func upWarnsAboutARootOwnedFolderAsDoctorDoes() throws {
        let fixture = AppFixture()
        fixture.folderOwner = (0, 0)
        let environment = try fixture.environment()
        #expect(environment.identity.source == .fallback)
        // The container lookup fails at once: the warning comes before any docker call.
        fixture.runner.expect(environment.planner.findContainer().argv, stderr: "Cannot connect to the Docker daemon", exitCode: 1)
        #expect(fixture.run(["up"]) == 3)
        let warning = DoctorChecks.rootOwnedFolder(synced: "\(environment.identity.uid):\(environment.identity.gid)")
        #expect(fixture.console.stderr.hasPrefix("devenv: warning: \(warning.summary); fix: \(warning.fix)\n"), "\(fixture.console.stderr)")
    }
}

@Suite struct StatusURLTests {
    /// A folder may be named with a newline (devenv allows it): status's first line still
    /// holds the whole path, the newline and tab shown escaped (break25: it was cut in two).
    @Test func theProjectLineIsOneLineWhateverTheFolderIsCalled() {
        let report = Status.Report(project: "shop", root: "/src/a\nb\tc", user: "ada 1:1", userSource: "host",
                                   engine: "unix:///run/x\ny.sock", environments: [])
        let first = Status.text(report).split(separator: "\n").first.map(String.init)
        #expect(first == #"project shop (/src/a\x0ab\x09c), user ada 1:1 from host, engine unix:///run/x\x0ay.sock"#)
    }

    @Test func theAppURLIsWhereTheFirstTCPContainerPortIsPublished() {
        let wanted = [PortMapping(hostIP: "127.0.0.1", hostPort: 27687, containerPort: 8000),
                      PortMapping(hostIP: "127.0.0.1", hostPort: 28923, containerPort: 5678)]
        let published = PublishedPort.parseList("127.0.0.1:28923->5678/tcp, 127.0.0.1:27687->8000/tcp")
        #expect(Status.url(app: wanted, published: published) == "http://127.0.0.1:27687/")
        #expect(Status.url(app: wanted, published: PublishedPort.parseList("0.0.0.0:9000->8000/tcp, :::9000->8000/tcp"))
                == "http://127.0.0.1:9000/")
        #expect(Status.url(app: wanted, published: []) == nil)
        #expect(Status.shortPorts(PublishedPort.parseList("0.0.0.0:9000->8000/tcp, :::9000->8000/tcp, 0.0.0.0:53->53/udp")) == "9000,53/udp")
    }
}
