@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// `down` of the app's container, scripted.
@Suite struct DownTests {
    /// A paused, restarting or running container is stopped (SIGTERM, then SIGKILL after
    /// --time) before its removal, as a service's and a recreate's previous container are
    /// (`ContainerSnapshot.hasProcess`); a paused app's went straight to `rm --force`, killed
    /// without its SIGTERM.
    @Test(arguments: ["running", "restarting", "paused"])
    func aContainerWithAProcessIsStoppedFirst(state: String) throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let line = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "c1", state: state, labels: AppFixture.ownLabels(hash: "h"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: line)
            .expect(planner.stop(id: "c1").argv)
            .expect(planner.remove(id: "c1").argv)
            .expectNoProjectNetwork(planner)
        #expect(fixture.run(["down"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
    }

    @Test(arguments: ["exited", "created", "dead"])
    func aContainerWithoutAProcessIsOnlyRemoved(state: String) throws {
        let fixture = AppFixture()
        let planner = try fixture.environment().planner
        let line = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "c1", state: state, status: "Exited (0) 1 minute ago",
                                     labels: AppFixture.ownLabels(hash: "h"))
        fixture.runner
            .expect(planner.findContainer().argv, stdout: line)
            .expect(planner.remove(id: "c1").argv)
            .expectNoProjectNetwork(planner)
        #expect(fixture.run(["down"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
    }
}

/// The command a service's note gives acts on its profile (`EnvironmentSpec.command`).
@Suite struct ServiceNotesTests {
    @Test func aStaleServiceNamesItsProfilesUp() {
        let report = ServiceStatus.Report(name: "db", container: "devenv-shop-ci-497e78ff-svc-db", state: "running", health: "none",
                                          exitCode: nil, stale: true, ports: "")
        #expect(ServiceStatus.notes(profile: "ci", defaultProfile: "dev", [report])
                == ["ci/db is stale: [services.db] changed: `devenv up --profile ci` recreates it (its volumes are kept)"])
        #expect(ServiceStatus.notes(profile: "ci", defaultProfile: "ci", [report])
                == ["ci/db is stale: [services.db] changed: `devenv up` recreates it (its volumes are kept)"])
    }
}

/// regress26: a container devenv made for this project in another folder is removed by hand;
/// the hint said `docker rm -f ID` on Podman too, where there may be no `docker` at all.
@Suite struct ConflictHintTests {
    @Test func theRemovalCommandUsesTheCLIDevenvRuns() {
        let error = ContainerLookup.conflict(name: "devenv-shop-dev", id: "fcbf8e0c9b78aa", owner: OneLine("devenv made it for /old"),
                                             movedFrom: OneLine("/old"), cli: "podman")
        #expect(error.exitCode == .conflict)
        #expect(error.hint?.hasSuffix("remove the container yourself: podman rm -f fcbf8e0c9b78") == true, "\(error.hint ?? "")")
    }
}
