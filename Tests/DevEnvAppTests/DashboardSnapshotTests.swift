@testable import DevEnvApp
import Dashboard
import DevEnvCore
import Testing
import TestSupport

/// The dashboard's snapshot: the same docker calls as `status`, plus image ages and start
/// times, turned into rows with the configuration's details.
@Suite("Dashboard snapshot")
struct DashboardSnapshotTests {
    @Test("rows: state from docker, user, mounts, volumes, env file and security from the configuration")
    func rows() throws {
        let fixture = AppFixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let dev = try #require(environments.first { $0.spec.profile == "dev" })
        let image = try dev.image(fileSystem: fixture.fileSystem)
        let hash = try dev.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: hash), mounts: ["devenv-shop-dev-497e78ff-venv"])
            .replacingOccurrences(of: #""Image":"img""#, with: #""Image":"\#(image)""#)
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: ps + "\n")
            .expect(dev.planner.compareLockStamp().argv, exitCode: 0)
            .expect(DockerPlanner.listProjectImages(cli: "docker", project: "shop").argv,
                    stdout: #"{"Repository":"\#(image.split(separator: ":")[0])","Tag":"\#(image.split(separator: ":")[1])","CreatedSince":"3 hours ago","CreatedAt":"1970-01-02 01:00:00 +0100 CET"}"# + "\n")
            .expect(["docker", "inspect", "--format", DashboardSnapshot.inspectFormat, "devenv-shop-dev-497e78ff"],
                    stdout: "/devenv-shop-dev-497e78ff 1970-01-02T00:00:01.5Z \"1000:1000\"\n")
        let rows = try DashboardSnapshot(environments: environments, context: fixture.context).take()
        fixture.runner.verifyAllCalled()

        let row = try #require(rows.first { $0.profile == "dev" })
        #expect(row.stateLabel(phase: nil) == "running")
        #expect(!row.stale)
        #expect(row.imageAge == "3 hours ago")
        // The creation time, so the dashboard's clock ages it: 01:00 at +0100 is midnight UTC.
        #expect(row.imageCreated == 86400)
        #expect(row.imageAge(now: 86400 + 5 * 3600) == "5 hours ago")
        #expect(row.startedAt == 86401.5)
        #expect(row.uptime(now: 86401.5 + 3725) == "1h02m")
        #expect(row.user.hasSuffix("1500:1500"))
        #expect(row.userSource == "folder-owner")
        #expect(row.bindMount == "/src/shop → /app")
        #expect(row.volumes.contains("devenv-shop-dev-497e78ff-venv → /venv"))
        #expect(row.volumes.contains("devenv-shop-dev-497e78ff-cache → /home/dev/.cache (not created)"))
        #expect(row.envFile == ".env.dev")
        let prod = try #require(rows.first { $0.profile == "prod" })
        #expect(prod.stateLabel(phase: nil) == "not created")
        #expect(prod.security.contains("read-only"))
        #expect(prod.security.contains("cap-drop ALL"))
        #expect(prod.security.contains("no-new-privileges"))
    }

    /// mend26b: a container of today's name that `up` gave an earlier devenv's venv (adopted by
    /// its labels) showed today's venv name "(not created)" in the dashboard; and status, with no
    /// container, picked the earlier volume by name among this folder's. Both now go by
    /// `ResourceNames.volumeInUse`, the rule `up` adopts by: labels, role included.
    @Test("an earlier devenv's volume is shown where the environment uses it, judged by the rule up adopts by")
    func adoptedEarlierVolume() throws {
        let fixture = AppFixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let dev = try #require(environments.first { $0.spec.profile == "dev" })
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "old"),
                                   mounts: ["devenv-shop-dev-venv", "devenv-shop-dev-497e78ff-cache"])
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: ps + "\n")
            .expect(dev.planner.compareLockStamp().argv, exitCode: 0)
        let states = try DashboardSnapshot(environments: environments, context: fixture.context).states()
        fixture.runner.verifyAllCalled()
        let row = try #require(states.rows.first { $0.profile == "dev" })
        #expect(row.volumes.contains("devenv-shop-dev-venv → /venv"), "\(row.volumes)")
        #expect(row.volumes.contains("devenv-shop-dev-497e78ff-cache → /home/dev/.cache"), "\(row.volumes)")

        // No container: an earlier volume labelled for this folder, profile and role is the
        // role's; one labelled for another role is not, whatever its name.
        let bare = AppFixture()
        func volume(_ name: String, role: String) -> String {
            #"{"Name":"\#(name)","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=\#(role)"}"#
        }
        bare.runner
            .expect(try bare.statusLookup())
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: volume("devenv-shop-dev-venv", role: "venv") + "\n" + volume("devenv-shop-dev-cache", role: "venv") + "\n")
        let report = try Status(environments: environments, session: DockerSession(context: bare.context, dryRun: false),
                                context: bare.context).run()
        bare.runner.verifyAllCalled()
        let volumes = try #require(report.environments.first { $0.profile == "dev" }).volumes
        #expect(volumes.map(\.name) == ["devenv-shop-dev-venv"], "\(volumes)")
    }

    /// mend27a: Podman's `ps` names a container's mounts by their paths only, and status took
    /// today's name for each: a container `up` gave an earlier devenv's venv (adopted) showed it
    /// under today's name, which no volume has. On Podman the volumes of today's container are
    /// judged from the volume listing by the rule `up` adopted them by.
    @Test("Podman: a volume up adopted is shown under its own name, not today's")
    func adoptedEarlierVolumeOnPodman() throws {
        let fixture = AppFixture()
        fixture.extraEnvironment["DEVENV_DOCKER"] = "podman"
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let dev = try #require(environments.first { $0.spec.profile == "dev" })
        let names = environments.map(\.names)
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "old"),
                                   mounts: ["/venv", "/home/dev/.cache"])
        func volume(_ name: String, role: String) -> String {
            #"{"Name":"\#(name)","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=\#(role)"}"#
        }
        fixture.runner
            .expect(DockerPlanner.findContainers(cli: "podman", names: names.flatMap(\.lookupNames), prefixes: names.flatMap(\.lookupPrefixes),
                                                 engine: .podman).argv, stdout: ps + "\n")
            .expect(DockerPlanner.listProjectVolumes(cli: "podman", project: "shop", engine: .podman).argv,
                    stdout: volume("devenv-shop-dev-venv", role: "venv") + "\n" + volume("devenv-shop-dev-497e78ff-cache", role: "cache") + "\n")
            .expect(dev.planner.compareLockStamp().argv, exitCode: 0)
        let report = try Status(environments: environments, session: DockerSession(context: fixture.context, dryRun: false),
                                context: fixture.context).run()
        fixture.runner.verifyAllCalled()
        let volumes = try #require(report.environments.first { $0.profile == "dev" }).volumes
        #expect(volumes.map(\.name) == ["devenv-shop-dev-497e78ff-cache", "devenv-shop-dev-venv"], "\(volumes)")
    }

    @Test("the states' half makes status's calls only (ps, volume ls); the details' half then lists the images (issue 14)")
    func statesThenDetails() throws {
        let fixture = AppFixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let dev = try #require(environments.first { $0.spec.profile == "dev" })
        let parts = try dev.image(fileSystem: fixture.fileSystem).split(separator: ":")
        fixture.runner
            .expect(try fixture.statusLookup())
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        let snapshot = DashboardSnapshot(environments: environments, context: fixture.context)
        let (message, kept) = snapshot.statesMessage()
        fixture.runner.verifyAllCalled()
        guard case .partialSnapshot(let partial) = message, let states = kept else {
            Issue.record("expected partialSnapshot with states, got \(message)")
            return
        }
        #expect(partial.first { $0.profile == "dev" }?.stateLabel(phase: nil) == "not created")
        #expect(partial.first { $0.profile == "dev" }?.imageAge == nil)

        fixture.runner.expect(DockerPlanner.listProjectImages(cli: "docker", project: "shop").argv,
                              stdout: #"{"Repository":"\#(parts[0])","Tag":"\#(parts[1])","CreatedSince":"2 days ago"}"# + "\n")
        let full = snapshot.detailsMessage(after: states)
        fixture.runner.verifyAllCalled()
        guard case .snapshot(let rows) = full else {
            Issue.record("expected snapshot, got \(full)")
            return
        }
        #expect(rows.first { $0.profile == "dev" }?.imageAge == "2 days ago")
    }

    @Test("an environment without a container still shows its built image")
    func builtImageWithoutContainer() throws {
        let fixture = AppFixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let dev = try #require(environments.first { $0.spec.profile == "dev" })
        let image = try dev.image(fileSystem: fixture.fileSystem)
        let parts = image.split(separator: ":")
        fixture.runner
            .expect(try fixture.statusLookup())
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
            .expect(DockerPlanner.listProjectImages(cli: "docker", project: "shop").argv,
                    stdout: #"{"Repository":"\#(parts[0])","Tag":"\#(parts[1])","CreatedSince":"2 days ago"}"# + "\n")
        let rows = try DashboardSnapshot(environments: environments, context: fixture.context).take()
        fixture.runner.verifyAllCalled()
        let row = try #require(rows.first { $0.profile == "dev" })
        #expect(row.stateLabel(phase: nil) == "not created")
        #expect(row.image == image)
        #expect(row.imageAge == "2 days ago")
        #expect(rows.first { $0.profile == "prod" }?.image == nil)
    }

    @Test("docker's RFC 3339 start times")
    func startTimes() {
        #expect(DashboardSnapshot.epochSeconds("1970-01-01T00:00:00Z") == 0)
        #expect(DashboardSnapshot.epochSeconds("2000-03-01T12:30:15.25Z") == 951_913_815.25)
        #expect(DashboardSnapshot.epochSeconds("garbage") == nil)
        #expect(DashboardSnapshot.startTimes("/a 1970-01-01T00:01:00Z\nnot a line\n") == ["a": 60])
        #expect(DockerTime.rfc3339("1970-01-01T01:00:00+01:00") == 0)
        #expect(DockerTime.listed("2000-03-01 12:30:15 +0000 UTC") == 951_913_815)
        #expect(DockerTime.listed("2000-03-01 07:30:15 -0500 EST") == 951_913_815)
        #expect(DockerTime.listed("3 hours ago") == nil)
    }

    @Test("dashboard actions are the subcommands; a typed command runs with sh -c")
    func commands() {
        #expect(DashboardEffects.command(.up) == .up(ports: []))
        #expect(DashboardEffects.command(.down(volumes: true)) == .down(volumes: true))
        #expect(DashboardEffects.command(.downEverything) == .down(volumes: true, images: true))
        #expect(DashboardEffects.command(.syncDeps) == .syncDeps)
        #expect(DashboardEffects.command(.exec("ls -l | wc")) == .exec(["sh", "-c", "ls -l | wc"]))
        #expect(DashboardEffects.command(.shell) == .shell)
    }

    @Test("no dashboard without a terminal: `devenv` prints status")
    func noTerminal() throws {
        let fixture = AppFixture()
        fixture.runner
            .expect(try fixture.statusLookup())
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        var context = fixture.context
        context.dashboard = { _, _ in
            Issue.record("the dashboard must not open without a terminal")
            return 1
        }
        #expect(App.run([], context: context) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains("PROFILE"))
    }
}

/// What the dashboard is told when the engine is not there (issue 9 section 4).
@Suite("Dashboard snapshot without an engine")
struct DashboardSnapshotEngineTests {
    @Test("docker cannot connect: the dashboard hears `engineUnreachable`, not a list of profiles")
    func noEngine() throws {
        let fixture = AppFixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        fixture.runner.expect(try fixture.statusLookup(),
                              stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
                              exitCode: 1)
        let (message, states) = DashboardSnapshot(environments: environments, context: fixture.context).statesMessage()
        fixture.runner.verifyAllCalled()
        #expect(states == nil, "no details to ask for")
        guard case .engineUnreachable(let report) = message else {
            Issue.record("expected engineUnreachable, got \(message)")
            return
        }
        #expect(report.hasPrefix("devenv: error: no Docker engine answers"))
    }

    @Test("another docker failure stays a failed snapshot (the engine answered)")
    func otherFailure() throws {
        let fixture = AppFixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        fixture.runner.expect(try fixture.statusLookup(),
                              stderr: "permission denied while trying to list containers\n", exitCode: 1)
        let message = DashboardSnapshot(environments: environments, context: fixture.context).statesMessage().message
        guard case .snapshotFailed = message else {
            Issue.record("expected snapshotFailed, got \(message)")
            return
        }
    }
}
