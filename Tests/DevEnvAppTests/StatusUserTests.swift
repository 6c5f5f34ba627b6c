@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// `status`'s USER: who each container runs as and who that is on the host, read from the
/// container's own labels (issue 11), still with one docker call.
@Suite struct StatusUserTests {
    @Test func statusSaysWhoEachContainerRunsAsInOneCall() throws {
        let fixture = AppFixture()
        var dev = AppFixture.ownLabels(hash: "h")
        dev["devenv.user"] = "0:0"
        dev["devenv.user-mapping"] = "rootless 1500:1500"
        var prod = AppFixture.ownLabels(profile: "prod", hash: "h")
        prod["devenv.user-mapping"] = "direct"
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "c1", state: "exited", status: "Exited (0) 1 minute ago", labels: dev)
            + "\n" + AppFixture.psLine(name: "devenv-shop-prod-497e78ff", id: "c2", state: "exited", status: "Exited (0) 1 minute ago", labels: prod)
        let lookup = try fixture.statusLookup()
        fixture.runner.expect(lookup, stdout: ps)
        #expect(fixture.run(["status"]) == 0)
        let lines = fixture.console.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("PROFILE") && $0.contains("  USER  ") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("dev ") && $0.contains("  0:0 (host 1500:1500, rootless)  ") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("prod ") && $0.contains("  the image's USER  ") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("ci ") && $0.contains("not created") }, "\(lines)")

        fixture.runner.expect(lookup, stdout: ps)
        #expect(fixture.run(["status", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        // One `docker ps` per status, no engine probe: the mapping is the container's label.
        #expect(fixture.runner.invocations.count == 2)
        let json = fixture.console.stdout
        #expect(json.contains(#""user":{"container":"0:0","mapping":"rootless","host":"1500:1500","text":"0:0 (host 1500:1500, rootless)"}"#), "\(json)")
        #expect(json.contains(#""user":{"container":null,"mapping":"direct","host":null,"text":"the image's USER"}"#), "\(json)")
        #expect(json.contains(#""profile":"ci","container":"devenv-shop-ci-497e78ff","state":"not created""#))
        #expect(json.contains(#""runningFor":null,"user":null"#), "\(json)")
    }

    /// Issue 11's shortfall: an environment without a container showed user `-`. It now shows
    /// who `up` would run it as, marked planned, in the USER column and as `plannedUser` in JSON
    /// (`user` keeps its meaning: null without a container). The mapping is the one the
    /// project's containers recorded; with none, unknown (status asks the engine nothing).
    @Test func anEnvironmentWithoutAContainerShowsItsPlannedUser() throws {
        // dev was made on rootless Docker: ci (user 1001:1001) would run as a subordinate ID there.
        let fixture = AppFixture()
        var dev = AppFixture.ownLabels(hash: "h")
        dev["devenv.user"] = "0:0"
        dev["devenv.user-mapping"] = "rootless 1500:1500"
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "c1", state: "exited", status: "Exited (0) 1 minute ago", labels: dev)
        let lookup = try fixture.statusLookup()
        fixture.runner.expect(lookup, stdout: ps)
        #expect(fixture.run(["status"]) == 0)
        let lines = fixture.console.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("ci ") && $0.contains("not created") && $0.contains("  1001:1001 (a subordinate ID of host 1500:1500, rootless) (planned)  ") },
                "\(lines)")
        fixture.runner.expect(lookup, stdout: ps)
        #expect(fixture.run(["status", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 2)
        let json = fixture.console.stdout
        #expect(json.contains(#""runningFor":null,"user":null,"plannedUser":{"container":"1001:1001","mapping":"rootless","host":"1500:1500","text":"1001:1001 (a subordinate ID of host 1500:1500, rootless)"}"#),
                "\(json)")
        // dev has its container: its user is the container's, and no plan.
        #expect(json.contains(#""text":"0:0 (host 1500:1500, rootless)"},"plannedUser":null"#), "\(json)")

        // No container anywhere: dev's synced user, the mapping unknown.
        let empty = AppFixture()
        empty.runner.expect(try empty.statusLookup(), stdout: "")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv, stdout: "")
        #expect(empty.run(["status", "--json"]) == 0)
        #expect(empty.console.stdout.contains(#""profile":"dev","container":"devenv-shop-dev-497e78ff","state":"not created""#))
        #expect(empty.console.stdout.contains(#""user":null,"plannedUser":{"container":"1500:1500","mapping":null,"host":null,"text":"1500:1500"}"#),
                "\(empty.console.stdout)")
    }
}
