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
        let ps = AppFixture.psLine(name: "devenv-shop-dev", id: "c1", state: "exited", status: "Exited (0) 1 minute ago", labels: dev)
            + "\n" + AppFixture.psLine(name: "devenv-shop-prod", id: "c2", state: "exited", status: "Exited (0) 1 minute ago", labels: prod)
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
        #expect(json.contains(#""profile":"ci","container":"devenv-shop-ci","state":"not created""#))
        #expect(json.contains(#""runningFor":null,"user":null"#), "\(json)")
    }
}
