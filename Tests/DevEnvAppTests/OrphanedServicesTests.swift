@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// A service taken out of the profile (or out of devenv.toml) leaves its container running:
/// `down` removes it, `up` says once that it is there, `status` lists it, all from the `docker
/// ps` each already makes. A container named like a service that devenv did not make for this
/// folder and profile is never touched. Scripted; the real engine runs it in ServicesTests.
@Suite("Orphaned service containers")
struct OrphanedServicesTests {
    /// The profile runs db; cache was removed from it.
    static let config = """
        [project]
        name = "shop"

        [profiles.dev]
        services = ["db"]

        [services.db]
        image = "postgres:16"
        """

    static func serviceLabels(_ service: String, root: String = AppFixture.root) -> [String: String] {
        ["devenv.project": "shop", "devenv.profile": "dev", "devenv.root": root, "devenv.service": service,
         "devenv.config-hash": "old"]
    }

    /// The app, the orphaned cache (running), another folder's cache and a container the user
    /// named like a service, as `docker ps` lists them by name and prefix.
    static func listing(app: String = "h", appState: String = "running") -> String {
        [AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "app1", state: appState, labels: AppFixture.ownLabels(hash: app)),
         AppFixture.psLine(name: "devenv-shop-dev-497e78ff-svc-cache", id: "cache1", labels: serviceLabels("cache")),
         AppFixture.psLine(name: "devenv-shop-dev-497e78ff-svc-old", id: "old1", state: "exited", status: "Exited (0) 2 days ago",
                           labels: serviceLabels("old")),
         AppFixture.psLine(name: "devenv-shop-dev-497e78ff-svc-web", id: "theirs1", labels: serviceLabels("web", root: "/elsewhere/shop")),
         AppFixture.psLine(name: "devenv-shop-dev-497e78ff-svc-mine", id: "mine1", labels: [:])].joined(separator: "\n")
    }

    @Test("down stops and removes the orphaned service containers by ID, then the network; others' are left")
    func downRemovesOrphans() throws {
        for json in [false, true] {
            let fixture = AppFixture(devenvToml: Self.config)
            let planner = try fixture.environment().planner
            let services = ServicePlanner(planner: planner)
            fixture.runner
                .expect(planner.findContainer().argv, stdout: Self.listing())
                .expect(services.findContainers().argv,
                        stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff-svc-db", id: "db1", labels: Self.serviceLabels("db")))
                .expect(planner.stop(id: "app1").argv)
                .expect(planner.remove(id: "app1").argv)
                .expect(planner.stop(id: "db1").argv)
                .expect(planner.remove(id: "db1").argv)
                .expect(planner.stop(id: "cache1").argv)
                .expect(planner.remove(id: "cache1").argv)
                // Exited: removed without a stop.
                .expect(planner.remove(id: "old1").argv)
                .expectOwnProjectNetworkRemoved(planner)
            #expect(fixture.run(json ? ["down", "--json"] : ["down"]) == 0, "\(fixture.console.stderr)")
            fixture.runner.verifyAllCalled()
            let removed = fixture.runner.invocations.filter { $0.argv.dropFirst().first == "rm" }.compactMap(\.argv.last)
            #expect(!removed.contains("theirs1") && !removed.contains("mine1"))
            if json {
                #expect(fixture.console.stdout.contains(
                    #""removedServices":["devenv-shop-dev-497e78ff-svc-db","devenv-shop-dev-497e78ff-svc-cache","devenv-shop-dev-497e78ff-svc-old"]"#),
                        "\(fixture.console.stdout)")
            } else {
                #expect(fixture.console.stdout == """
                    removed devenv-shop-dev-497e78ff
                    removed devenv-shop-dev-497e78ff-svc-db
                    removed devenv-shop-dev-497e78ff-svc-cache
                    removed devenv-shop-dev-497e78ff-svc-old

                    """)
                #expect(fixture.console.stderr.contains("stopping and removing service cache (profile dev no longer runs it"),
                        "\(fixture.console.stderr)")
            }
        }
    }

    @Test("down of a profile that runs no service any more removes the orphans and the network it left")
    func downWithoutServicesRemovesOrphans() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff-svc-cache", id: "cache1", labels: Self.serviceLabels("cache")))
            .expect(planner.stop(id: "cache1").argv)
            .expect(planner.remove(id: "cache1").argv)
            .expectOwnProjectNetworkRemoved(planner)
        #expect(fixture.run(["down"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "dev: no container to remove\nremoved devenv-shop-dev-497e78ff-svc-cache\n")
    }

    @Test("down of a profile without services removes the network an earlier up left when no container is on it; by ID")
    func downRemovesALeftNetwork() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let services = ServicePlanner(planner: planner)
        #expect(services.networkUsers().argv == ["docker", "ps", "-a", "--filter", "network=devenv-shop-dev-497e78ff", "--format", "{{.Names}}"])
        fixture.runner
            .expect(planner.findContainer().argv)
            .expectOwnProjectNetworkRemoved(planner)
        #expect(fixture.run(["down"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("removing network devenv-shop-dev-497e78ff"), "\(fixture.console.stderr)")
    }

    @Test("down keeps its network while a container is still on it, naming it (escaped); never touches another's network")
    func downKeepsANetworkInUseOrNotOurs() throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let services = ServicePlanner(planner: planner)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(services.inspectNetwork().argv, stdout: FakeProcessRunner.ownNetwork)
            .expect(services.networkUsers().argv, stdout: "my-debugger\nodd\u{1B}[31m\n")
        #expect(fixture.run(["down"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("keeping network devenv-shop-dev-497e78ff: still used by my-debugger, odd\\x1b[31m"),
                "\(fixture.console.stderr)")
        #expect(!fixture.console.stderr.contains("\u{1B}[31m"), "no escape reaches the terminal")

        // Same name, not made by devenv for this folder and profile: neither asked about nor removed.
        let foreign = [#"theirs {"devenv.project":"shop","devenv.profile":"dev","devenv.root":"/elsewhere/shop"}"#,
                       #"theirs {"devenv.project":"shop","devenv.profile":"ci","devenv.root":"/src/shop"}"#,
                       #"theirs {"devenv.project":"shop","devenv.profile":"dev"}"#, "theirs null"]
        for answer in foreign {
            let other = AppFixture()
            other.runner
                .expect(planner.findContainer().argv)
                .expect(services.inspectNetwork().argv, stdout: answer)
            #expect(other.run(["down"]) == 0, "\(answer): \(other.console.stderr)")
            other.runner.verifyAllCalled()
            #expect(!other.console.stderr.contains("network"), "\(answer): \(other.console.stderr)")
        }
    }

    @Test("up on an unchanged environment says once which orphaned containers are there, still in one call, and leaves them")
    func upSaysOnce() throws {
        let fixture = AppFixture()
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.runner.expect(environment.planner.findContainer().argv, stdout: Self.listing(app: hash))
        #expect(fixture.run(["up", "--json"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 1)
        #expect(fixture.console.stdout.contains(#""result":"up-to-date""#))
        let warning = "devenv: note: containers of services that profile dev no longer runs (removed from devenv.toml or from the profile's `services`): devenv-shop-dev-497e78ff-svc-cache (service cache, running), devenv-shop-dev-497e78ff-svc-old (service old, exited); up leaves them as they are, `devenv down` removes them (volumes stay unless --volumes)\n"
        #expect(fixture.console.stderr == warning, "\(fixture.console.stderr)")

        // Without orphans: nothing said.
        let plain = AppFixture()
        plain.runner.expect(environment.planner.findContainer().argv,
                            stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: hash)))
        #expect(plain.run(["up"]) == 0)
        plain.runner.verifyAllCalled()
        #expect(!plain.console.stderr.contains("no longer runs"), "\(plain.console.stderr)")
    }

    @Test("one orphan is named in the singular, with the profile option for another profile")
    func noteWording() throws {
        let container = try #require(try ContainerSnapshot.parseList(
            AppFixture.psLine(name: "/devenv-shop-ci-497e78ff-svc-db", id: "d", labels: [:])).first)
        let note = Up.orphansNote([ContainerOwnership.OrphanedService(service: "db", container: container)], profile: "ci", defaultProfile: "dev")
        #expect(note == "a container of a service that profile ci no longer runs (removed from devenv.toml or from the profile's `services`): devenv-shop-ci-497e78ff-svc-db (service db, running); up leaves it as it is, `devenv down --profile ci` removes it (volumes stay unless --volumes)")
        #expect(Up.orphansNote([], profile: "dev", defaultProfile: "dev") == nil)
        // ci as the project's default_profile: the plain command acts on it.
        let asDefault = Up.orphansNote([ContainerOwnership.OrphanedService(service: "db", container: container)], profile: "ci", defaultProfile: "ci")
        #expect(asDefault?.hasSuffix("`devenv down` removes it (volumes stay unless --volumes)") == true, "\(asDefault ?? "")")
    }

    @Test("status lists an orphaned service under its profile, text and JSON, in its one docker call")
    func statusListsOrphans() throws {
        let fixture = AppFixture(devenvToml: Self.config)
        let lookup = try fixture.statusLookup()
        #expect(lookup.contains("name=^/?devenv-shop-dev-497e78ff-svc-") && lookup.contains("name=^/?devenv-shop-prod-497e78ff-svc-"))
        // The app exited: no venv question beside the one call.
        fixture.runner.expect(lookup, stdout: Self.listing(appState: "exited"))
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        let lines = fixture.console.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("dev/db ") && $0.contains("not created") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("dev/cache ") && $0.contains("running, orphaned") && $0.contains("devenv-shop-dev-497e78ff-svc-cache") },
                "\(lines)")
        #expect(lines.contains { $0.hasPrefix("dev/old ") && $0.contains("exited (0), orphaned") }, "\(lines)")
        #expect(!lines.contains { $0.contains("svc-web") || $0.contains("svc-mine") }, "\(lines)")
        #expect(lines.contains("dev/cache is orphaned: profile dev no longer runs service cache; `devenv down` removes its container (its volumes stay unless --volumes)"),
                "\(lines)")

        fixture.runner.expect(lookup, stdout: Self.listing(appState: "exited"))
        #expect(fixture.run(["status", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 2)
        let json = fixture.console.stdout
        #expect(json.contains(#"{"name":"db","container":"devenv-shop-dev-497e78ff-svc-db","state":"not created","owner":null,"health":"none","exitCode":null,"stale":false,"ports":"","user":null,"orphaned":false}"#),
                "\(json)")
        #expect(json.contains(#"{"name":"cache","container":"devenv-shop-dev-497e78ff-svc-cache","state":"running","owner":null,"health":"none","exitCode":null,"stale":false,"ports":"""#),
                "\(json)")
        #expect(json.contains(#""orphaned":true}"#))
    }
}
