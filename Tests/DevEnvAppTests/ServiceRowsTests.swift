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
        var dev = Status.EnvironmentReport(profile: "dev", container: "devenv-shop-dev", state: "running", health: "none", stale: false,
                                           ports: "", published: [], volumes: [])
        dev.services = [ServiceStatus.Report(name: "cache", container: "devenv-shop-dev-svc-cache", state: "running", health: "healthy",
                                             stale: true, ports: "127.0.0.1:26379->6379/tcp")]
        let report = Status.Report(project: "shop", root: AppFixture.root, user: "u", userSource: "host", engine: "default",
                                   environments: [dev])
        let rows = DashboardSnapshot.rows(environments: environments, report: report, ages: [:])
        #expect(rows.map(\.listName) == ["dev", "└ cache", "└ db", "ci", "prod"])
        let cache = rows[1]
        #expect(cache.profile == "dev" && cache.service == "cache" && cache.container == "devenv-shop-dev-svc-cache")
        #expect(cache.stateLabel(phase: nil) == "healthy")
        #expect(cache.stale && cache.staleReason?.contains("[services.cache] changed") == true)
        #expect(cache.ports == "26379")
        #expect(cache.volumes == ["devenv-shop-dev-svc-cache-data → /data"])
        let db = rows[2]
        #expect(db.stateLabel(phase: nil) == "not created")
        #expect(db.user == "999:999")
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
