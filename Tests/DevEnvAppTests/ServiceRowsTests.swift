@testable import DevEnvApp
import Dashboard
import DevEnvCore
import Testing
import TestSupport

/// The dashboard's service rows (README, "Services") and its PORTS column's order.
@Suite("Dashboard service rows")
struct ServiceRowsTests {
    static let config = """
        [project]
        name = "shop"

        [profiles.dev]
        services = ["cache", "db"]

        [services.cache]
        image = "devenv-test/redis:latest"
        volumes = { data = "/data" }

        [services.db]
        image = "postgres:16"
        user = "999:999"
        """

    @Test("each service is a row under its environment's, with its state, health and ports; a missing one is not created")
    func rowsUnderTheEnvironment() throws {
        let fixture = AppFixture(devenvToml: Self.config)
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        var dev = Status.EnvironmentReport(profile: "dev", container: "devenv-shop-dev-497e78ff", state: "running", health: "none", stale: false,
                                           ports: "", published: [], volumes: [])
        dev.services = [ServiceStatus.Report(name: "cache", container: "devenv-shop-dev-497e78ff-svc-cache", state: "running", health: "healthy",
                                             stale: true, ports: "127.0.0.1:26379->6379/tcp")]
        let report = Status.Report(project: "shop", root: AppFixture.root, user: "u", userSource: "host", engine: "default",
                                   environments: [dev])
        let rows = DashboardSnapshot.rows(environments: environments, report: report, ages: [:])
        #expect(rows.map(\.listName) == ["dev", "└ cache", "└ db", "ci", "prod"])
        let cache = rows[1]
        #expect(cache.profile == "dev" && cache.service == "cache" && cache.container == "devenv-shop-dev-497e78ff-svc-cache")
        #expect(cache.stateLabel(phase: nil) == "healthy")
        #expect(cache.stale && cache.staleReason?.contains("[services.cache] changed") == true)
        #expect(cache.ports == "26379")
        #expect(cache.volumes == ["devenv-shop-dev-497e78ff-svc-cache-data → /data"])
        let db = rows[2]
        #expect(db.stateLabel(phase: nil) == "not created")
        #expect(db.user == "999:999")
    }

    @Test("an orphaned service container is a row under its environment, marked, with what its container says; a user's or another folder's container named like a service is none")
    func orphanedRows() throws {
        let fixture = AppFixture(devenvToml: OrphanedServicesTests.config)
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        // One `docker ps` (the app exited: no venv question); the image list; the running orphan's start time.
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: OrphanedServicesTests.listing(appState: "exited"))
            .expect(DockerPlanner.listProjectImages(cli: "docker", project: "shop").argv)
            .expect(["docker", "inspect", "--format", DashboardSnapshot.inspectFormat, "devenv-shop-dev-497e78ff-svc-cache"],
                    stdout: "/devenv-shop-dev-497e78ff-svc-cache 1970-01-02T00:00:01.5Z \"999:999\"\n")
        let rows = try DashboardSnapshot(environments: environments, context: fixture.context).take()
        fixture.runner.verifyAllCalled()
        #expect(rows.map(\.listName) == ["dev", "└ db", "└ cache", "└ old", "ci", "prod"])
        #expect(rows.map(\.orphaned) == [false, false, true, true, false, false])
        let cache = rows[2]
        #expect(cache.profile == "dev" && cache.service == "cache" && cache.container == "devenv-shop-dev-497e78ff-svc-cache")
        #expect(cache.stateLabel(phase: nil) == "running" && !cache.stale)
        #expect(cache.startedAt == 86401.5)
        #expect(cache.image == "img")
        #expect(cache.volumes.isEmpty && cache.envFile == nil)
        #expect(rows[3].stateLabel(phase: nil) == "exited (0)")
        #expect(!rows.contains { $0.container.hasSuffix("-svc-web") || $0.container.hasSuffix("-svc-mine") })
    }

    @Test("the PORTS column leads with the app port (the profile's first), not docker's order")
    func appPortFirst() {
        let published = PublishedPort.parseList("127.0.0.1:21802->5678/tcp, 127.0.0.1:21801->8000/tcp")
        let wanted = [PortMapping(hostIP: "127.0.0.1", hostPort: 21801, containerPort: 8000),
                      PortMapping(hostIP: "127.0.0.1", hostPort: 21802, containerPort: 5678)]
        #expect(Status.shortPorts(DashboardSnapshot.appFirst(published, wanted: wanted)) == "21801,21802")
        #expect(Status.shortPorts(DashboardSnapshot.appFirst(published, wanted: [])) == "21802,21801")
    }
}

/// `--dry-run` and the usage errors of the service commands, on a scripted runner.
@Suite("Services: dry run and usage")
struct ServiceCommandTests {
    @Test("up --dry-run prints the services' plan first: their lookup, the network, the volume, the container, its start")
    func dryRunPlan() throws {
        let fixture = AppFixture(devenvToml: ServiceRowsTests.config)
        // The one call a dry run makes: which engine it plans for (EngineProbe, issue 11).
        fixture.runner.expect(["docker", "info", "--format", "{{json .}}"], stdout: #"{"SecurityOptions":[]}"#)
        #expect(fixture.run(["up", "--dry-run"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 1)
        let lines = fixture.console.stdout.split(separator: "\n").map(String.init)
        func index(_ prefix: String) -> Int? { lines.firstIndex { $0.hasPrefix(prefix) } }
        let network = try #require(index("docker network create --label devenv.project=shop --label devenv.profile=dev"))
        let volume = try #require(index("docker volume create --label devenv.project=shop --label devenv.profile=dev --label devenv.root=/src/shop --label devenv.service=cache"))
        let cache = try #require(index("docker create --name devenv-shop-dev-497e78ff-svc-cache"))
        let db = try #require(index("docker create --name devenv-shop-dev-497e78ff-svc-db"))
        let app = try #require(index("docker create --name devenv-shop-dev-497e78ff --init"))
        #expect(network < volume && volume < cache && cache < db && db < app)
        #expect(lines[cache].contains("--network devenv-shop-dev-497e78ff --network-alias cache"))
        #expect(lines[db].contains("--user 999:999"))
        #expect(lines[app].contains("--network devenv-shop-dev-497e78ff "))
        #expect(index("docker ps --all --no-trunc --filter 'name=^/?devenv-shop-dev-497e78ff-svc-cache$' --filter 'name=^/?devenv-shop-dev-svc-cache$' "
                      + "--filter 'name=^/?devenv-shop-dev-497e78ff-svc-db$' --filter 'name=^/?devenv-shop-dev-svc-db$'") != nil)
    }

    @Test("a service run as the synced user gets the user mapping the engine probe found: keep-id on rootless Podman, 0:0 on rootless Docker",
          arguments: [(#"{"host":{"security":{"rootless":true}},"store":{"graphRoot":"/s"},"version":{"Version":"4.3.1","APIVersion":"4.3.1"}}"#,
                       "--user 1500:1500 --userns=keep-id:uid=1500,gid=1500 "),
                      (#"{"SecurityOptions":["name=seccomp,profile=default","name=rootless"]}"#, "--user 0:0 ")])
    func serviceAsTheSyncedUser(info: String, user: String) throws {
        let config = ServiceRowsTests.config.replacingOccurrences(of: "volumes = { data = \"/data\" }",
                                                                  with: "volumes = { data = \"/data\" }\nuser = \"host\"")
        let fixture = AppFixture(devenvToml: config)
        // One probe for the whole command, services and app alike.
        fixture.runner.expect(["docker", "info", "--format", "{{json .}}"], stdout: info)
        #expect(fixture.run(["up", "--dry-run"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 1)
        let lines = fixture.console.stdout.split(separator: "\n").map(String.init)
        let cache = try #require(lines.first { $0.hasPrefix("docker create --name devenv-shop-dev-497e78ff-svc-cache") })
        #expect(cache.contains(user), "\(cache)")
        // The new volume's chown: in the same user namespace on rootless Podman; none on rootless
        // Docker, where the volume's root already is the host user.
        // Labelled for the service of this environment, not with the image's labels.
        let chown = lines.first { $0.hasPrefix("docker run --rm --label devenv.project=shop --label devenv.profile=dev --label devenv.root=")
            && $0.contains(" --label devenv.service=cache --network none --user 0:0") && $0.contains("devenv-shop-dev-497e78ff-svc-cache-data") }
        if user.contains("keep-id") {
            #expect(chown?.contains("--user 0:0 --userns=keep-id:uid=1500,gid=1500 --entrypoint chown") == true, "\(chown ?? "no chown")")
        } else {
            #expect(chown == nil, "\(chown ?? "")")
        }
        let db = try #require(lines.first { $0.hasPrefix("docker create --name devenv-shop-dev-497e78ff-svc-db") })
        #expect(db.contains("--user 999:999 ") && !db.contains("--userns"), "a fixed user is not the host user: \(db)")
        let app = try #require(lines.first { $0.hasPrefix("docker create --name devenv-shop-dev-497e78ff --init") })
        #expect(app.contains(user), "\(app)")
        // The plan names the engine once, though services and app both asked for the mapping.
        #expect(fixture.console.stderr.components(separatedBy: "dry run: planned for").count == 2, "\(fixture.console.stderr)")
    }

    @Test("logs and exec --service name a service the profile runs, else exit 2 naming its services")
    func unknownService() {
        let fixture = AppFixture(devenvToml: ServiceRowsTests.config)
        #expect(fixture.run(["logs", "redis"]) == 2)
        #expect(fixture.console.stderr.contains("profile dev runs no service \"redis\" (its services: cache, db)"), "\(fixture.console.stderr)")
        #expect(fixture.run(["exec", "--service", "web", "--", "true"]) == 2)
        #expect(fixture.runner.invocations.isEmpty)
    }

    @Test("a profile with services cannot also set network: exit 2")
    func networkWithServices() {
        let fixture = AppFixture(devenvToml: ServiceRowsTests.config.replacingOccurrences(of: "services = [\"cache\", \"db\"]",
                                                                                           with: "services = [\"cache\", \"db\"]\nnetwork = \"none\""))
        #expect(fixture.run(["up"]) == 2)
        #expect(fixture.console.stderr.contains("profile dev runs services (cache, db) but sets `network = \"none\"`"), "\(fixture.console.stderr)")
        // Where `network` was set (a configuration error says file:line:col).
        #expect(fixture.console.stderr.hasPrefix("devenv: error: devenv.toml:6:"), "\(fixture.console.stderr)")
        #expect(fixture.runner.invocations.isEmpty)
    }
}
