@testable import DevEnvApp
import DevEnvCore
import Foundation
import TestSupport

/// A project at /src/shop owned by 1500:1500, run by root (so the folder owner is synced),
/// with the real shipped profiles, a scripted docker and a collecting console.
final class AppFixture: @unchecked Sendable {
    static let root = "/src/shop"
    let fileSystem = InMemoryFileSystem()
    let runner = FakeProcessRunner()
    let console = CollectingConsole()
    var interruption: Int32?
    /// How many interrupting signals came (`AppContext.interruptionCount`).
    var interruptionCount = 0
    /// Who holds a host port, as the host probe would say; free by default.
    var portHolder: @Sendable (PortMapping) -> PortConflict.Holder? = { _ in nil }
    /// Added to the environment devenv sees (DEVENV_TIMEOUT, DOCKER_HOST).
    var extraEnvironment: [String: String] = [:]
    /// Who owns the project folder (root: the synced user falls back to 1000).
    var folderOwner: (uid: UInt32, gid: UInt32) = (1500, 1500)
    /// The private state folder (ContainerMemory); nil: devenv remembers nothing.
    var stateFolder: String?
    /// ARG_MAX as the app sees it (`AppContext.argumentLimit`).
    var argumentLimit = 2 * 1024 * 1024
    /// Whom file permissions are checked for (`AppContext.credentials`).
    var credentials: [UInt32] = []
    /// The token `exec`, `shell` and `test` mark what they make with (`AppContext.randomToken`).
    var randomToken: String?
    /// When a process started (`AppContext.processStart`); nil: devenv cannot tell.
    var processStart: (@Sendable (Int32) -> UInt64?)?
    /// The wall clock in nanoseconds (`AppContext.wallClock`); nil: no configuration is kept
    /// between runs (`ConfigurationCache`).
    var wallClock: Int64?
    /// Seconds on the monotonic clock (`AppContext.clock`): moved on only by `pause`, which
    /// records each pause asked for in `pauses`.
    var elapsed: Double = 0
    var pauses: [Double] = []

    init(devenvToml: String = "[project]\nname = \"shop\"\n") {
        let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Profiles")
        for name in ["dev", "ci", "prod"] {
            let text = (try? String(contentsOf: profiles.appendingPathComponent("\(name).toml"), encoding: .utf8)) ?? ""
            fileSystem.addFile("/usr/share/devenv/profiles/\(name).toml", text)
        }
        fileSystem.addFile("\(Self.root)/devenv.toml", devenvToml, owner: (1500, 1500))
        fileSystem.addFile("\(Self.root)/Dockerfile", "FROM base AS dev\n", owner: (1500, 1500))
        fileSystem.addFile("\(Self.root)/uv.lock", "version = 1\n", owner: (1500, 1500))
        fileSystem.addFile("\(Self.root)/.env.dev", "A=1\n", owner: (1500, 1500))
    }

    var context: AppContext {
        let fixture = self
        var context = AppContext(
            environment: ["DEVENV_PROFILES_DIR": "/usr/share/devenv/profiles", "HOME": "/root", "PATH": "/usr/bin"]
                .merging(extraEnvironment) { _, extra in extra },
            currentDirectory: Self.root, executablePath: "/usr/bin/devenv", runner: runner, fileSystem: fileSystem,
            console: console,
            hostFacts: { [folderOwner] _ in HostFacts(uid: 0, gid: 0, userName: "root", home: "/root", folderOwner: folderOwner) },
            clock: { fixture.elapsed }, interruption: { fixture.interruption }, portHolder: fixture.portHolder,
            stateFolder: stateFolder.map { folder in { @Sendable in folder } })
        context.pause = { seconds in
            fixture.pauses.append(seconds)
            fixture.elapsed += seconds
        }
        context.interruptionCount = { fixture.interruptionCount }
        context.argumentLimit = argumentLimit
        context.credentials = credentials
        context.randomToken = { [randomToken] in randomToken }
        context.processStart = processStart
        context.wallClock = wallClock.map { now in { @Sendable in now } }
        return context
    }

    func run(_ arguments: [String]) -> Int32 { App.run(arguments, context: context) }

    /// The environment as the app resolves it, to compute names and fingerprints.
    func environment(profile: String? = nil) throws -> Environment {
        var options = GlobalOptions()
        options.profile = profile
        return try EnvironmentLoader(context: context, options: options).load()
    }

    /// The `devenv.inputs` label `up` puts on the containers of `environment` (made from `image`).
    func inputs(_ environment: Environment, image: String) throws -> String {
        try environment.inputs(image: image, fileSystem: fileSystem).encoded
    }

    /// The `docker ps` by name that `status` and the dashboard make for every profile.
    func statusLookup() throws -> [String] {
        let names = try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll().map(\.names)
        return DockerPlanner.findContainers(cli: "docker", names: names.flatMap(\.lookupNames), prefixes: names.flatMap(\.lookupPrefixes)).argv
    }

    static func psLine(name: String, id: String = "c1", state: String = "running", status: String = "Up 1 minute",
                       labels: [String: String], mounts: [String] = []) -> String {
        let joined = labels.keys.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",")
        return #"{"ID":"\#(id)","Names":"\#(name)","Image":"img","State":"\#(state)","Status":"\#(status)","Labels":"\#(joined)","Ports":"","CreatedAt":"now","RunningFor":"1 minute ago","Mounts":"\#(mounts.joined(separator: ","))"}"#
    }

    /// The dev environment's volumes, as `docker ps` lists a container's mounts.
    static let ownVolumeNames = ["devenv-shop-dev-497e78ff-cache", "devenv-shop-dev-497e78ff-venv"]

    /// The engine probe's answer on rootful Docker (`docker info --format '{{json .}}'`, cut down).
    static let dockerInfo = #"{"SecurityOptions":["name=seccomp,profile=default"],"Plugins":{"Log":["json-file","local","syslog"]},"DockerRootDir":"/var/lib/docker","ServerVersion":"20.10.24+dfsg1","ClientInfo":{"Plugins":[]}}"#

    /// The same through the docker CLI on Podman's API socket (Podman 4.3.1, rootful; cut down).
    static let podmanAPIInfo = #"{"SecurityOptions":["name=seccomp,profile=default"],"Plugins":{"Log":["k8s-file","none","passthrough","journald"]},"DockerRootDir":"/var/lib/containers/storage","ServerVersion":"4.3.1","ClientInfo":{"Plugins":[]}}"#

    /// `up`'s ownership probe of the dev volumes that no started container of ours mounts.
    static func volumeProbe(_ planner: DockerPlanner, image: String) -> [String] {
        planner.repairVolumeOwners(roles: ["cache", "venv"], image: image)?.argv ?? []
    }

    /// `up`'s root exec that makes the synced user's HOME after a start.
    static func homeGift(_ planner: DockerPlanner) -> [String] {
        planner.giveHome()?.argv ?? []
    }

    static func ownLabels(profile: String = "dev", hash: String? = nil) -> [String: String] {
        var labels = ["devenv.project": "shop", "devenv.profile": profile, "devenv.root": root]
        if let hash { labels["devenv.config-hash"] = hash }
        return labels
    }
}

extension FakeProcessRunner {
    /// A build of `environment`'s image on the fixture's rootful Docker with Debian's 20.10
    /// client: the engine probe (`EngineProbe`), the client's version (BuildKit built in), the build.
    @discardableResult
    func expectABuild(_ environment: Environment, image: String) -> FakeProcessRunner {
        expect(DockerPlanner.engineInfo(cli: "docker").argv, stdout: AppFixture.dockerInfo)
            .expect(["docker", "version", "--format", BuildKitSupport.versionTemplate], stdout: "20.10.24+dfsg1\n")
            .expect(environment.planner.build(image: image, buildKit: true, noCache: false).argv)
    }

    /// `test` on the fixture's dev profile up to its run: the build (`expectABuild`), then the
    /// volumes' listing, which finds them all there and devenv's.
    @discardableResult
    func expectATestUpToItsRun(_ environment: Environment, image: String) -> FakeProcessRunner {
        expectABuild(environment, image: image)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop", engine: environment.planner.engine).argv,
                    stdout: AppFixture.ownVolumeNames.map { #"{"Name":"\#($0)","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop"}"# + "\n" }.joined())
    }

    /// No image under `name`: the answer to the `image inspect` a build asks before it takes
    /// the name (`BuiltImages.keepRecord`).
    @discardableResult
    func expectNoImage(_ name: String) -> FakeProcessRunner {
        expect(DockerPlanner.inspectImages(cli: "docker", ids: [name]).argv, stderr: "Error: No such image: \(name)\n", exitCode: 1)
    }

    /// A `down` of the fixture's own dev container (`c1`, `devenv-shop-dev-497e78ff`): found,
    /// stopped, removed, and no project network.
    @discardableResult
    func expectDownOfOwnContainer(_ planner: DockerPlanner) -> FakeProcessRunner {
        expect(planner.findContainer().argv,
               stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h")))
            .expect(planner.stop(id: "c1").argv)
            .expect(planner.remove(id: "c1").argv)
            .expectNoProjectNetwork(planner)
    }

    /// `down`'s question about the project network, answered "no such network" (every `down`
    /// asks: `ServiceSet.removeNetwork`).
    @discardableResult
    func expectNoProjectNetwork(_ planner: DockerPlanner) -> FakeProcessRunner {
        expect(ServicePlanner(planner: planner).inspectNetwork().argv,
               stderr: "Error: No such network: \(planner.names.network)\n", exitCode: 1)
    }

    /// `network inspect`'s answer for the project network devenv made for the fixture's dev profile.
    static let ownNetwork = #"net1 {"devenv.project":"shop","devenv.profile":"dev","devenv.root":"/src/shop"}"#

    /// `down` finding the project network devenv made (`ownNetwork`), no container on it, and
    /// removing it by ID.
    @discardableResult
    func expectOwnProjectNetworkRemoved(_ planner: DockerPlanner) -> FakeProcessRunner {
        let services = ServicePlanner(planner: planner)
        return expect(services.inspectNetwork().argv, stdout: Self.ownNetwork)
            .expect(services.networkUsers().argv)
            .expect(services.removeNetwork(id: "net1").argv)
    }
}
