@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `up`'s wait for a service's health (`ServiceHealthWait`) on a scripted engine: on Podman
/// devenv runs the check itself at the container's interval (`HealthCheckDriving`), on Docker
/// never. Clock: seconds that move only when a scripted call says so.
@Suite("Service health wait")
struct ServiceHealthWaitTests {
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var seconds = 0.0
        var now: Double { lock.lock(); defer { lock.unlock() }; return seconds }
        func advance(_ by: Double) { lock.lock(); seconds += by; lock.unlock() }
    }

    struct Setup {
        let fixture: AppFixture
        let clock = ManualClock()
        let planner: ServicePlanner
        let wait: ServiceHealthWait
        let id = "c0ffee"

        init(cli: String, deadline: Double = 60, createdNow: Bool = false) throws {
            fixture = AppFixture(devenvToml: ServiceRowsTests.config)
            fixture.extraEnvironment["DEVENV_DOCKER"] = cli
            planner = ServicePlanner(planner: try fixture.environment().planner)
            var context = fixture.context
            let clock = self.clock
            context.clock = { clock.now }
            let session = DockerSession(context: context, dryRun: false)
            wait = ServiceHealthWait(session: session, planner: planner,
                                     progress: Progress(console: fixture.console, clock: { clock.now }, quiet: false, plain: true),
                                     service: "cache", deadlineSeconds: deadline, createdNow: createdNow)
        }

        var inspect: [String] { planner.health(id: id).argv }
        var check: [String] { planner.runHealthCheck(id: id).argv }
        /// One wait step that lasts `seconds` on the clock.
        func step(_ seconds: Double = 1) {
            let clock = self.clock
            fixture.runner.expect(planner.waitStep(id: id).argv, sideEffect: { clock.advance(seconds) })
        }
        func status(_ health: String, interval: String = "2s") {
            fixture.runner.expect(inspect, stdout: "running \(health) 0 \(interval)\n")
        }
    }

    @Test("Podman: starting, the check is run by ID one interval (2 s) after the wait began, then healthy; it says so once")
    func podmanHealthy() throws {
        let setup = try Setup(cli: "podman")
        setup.status("starting"); setup.step()
        setup.status("starting"); setup.step()
        setup.status("starting")
        setup.fixture.runner.expect(setup.check, exitCode: 1)
        setup.status("starting"); setup.step(); setup.status("starting"); setup.step()
        setup.status("starting")
        setup.fixture.runner.expect(setup.check)
        setup.status("healthy")
        #expect(try setup.wait.wait(id: setup.id) == .healthy("healthy"))
        setup.fixture.runner.verifyAllCalled()
        #expect(setup.check == ["podman", "healthcheck", "run", "c0ffee"])
        let checks = setup.fixture.runner.invocations.filter { $0.argv == setup.check }
        #expect(checks.count == 2 && checks.allSatisfy { $0.deadline == 30 }, "each check under the query deadline")
        let said = setup.fixture.console.stderr
        #expect(said.components(separatedBy: "running the health check of service cache every 2 s").count == 2, "\(said)")
        #expect(said.contains("service cache is healthy"))
        #expect(setup.planner.waitStep(id: setup.id).argv.last == "--until=1s", "Podman's wait step lasts 1 s (its -1s is the past)")
    }

    @Test("Podman: a check that fails as often as its retries leaves it unhealthy, and the wait ends at once")
    func podmanUnhealthy() throws {
        let setup = try Setup(cli: "podman")
        setup.status("starting", interval: "1s"); setup.step()
        setup.status("starting", interval: "1s")
        setup.fixture.runner.expect(setup.check, exitCode: 1)
        setup.status("unhealthy", interval: "1s")
        #expect(try setup.wait.wait(id: setup.id) == .unhealthy)
        setup.fixture.runner.verifyAllCalled()
    }

    @Test("Podman: still starting when the deadline passes: the wait ends expired, no check after it")
    func podmanDeadline() throws {
        let setup = try Setup(cli: "podman", deadline: 3)
        setup.status("starting", interval: "0s"); setup.step(2)
        setup.status("starting", interval: "0s")
        setup.fixture.runner.expect(setup.check, exitCode: 1)
        setup.status("starting", interval: "0s"); setup.step(1.5)
        setup.status("starting", interval: "0s")
        #expect(try setup.wait.wait(id: setup.id) == .expired(health: "starting"))
        setup.fixture.runner.verifyAllCalled()
    }

    @Test("Podman: a check the engine never answers ends the wait with exit 3 naming the call")
    func podmanFrozen() throws {
        let setup = try Setup(cli: "podman")
        setup.status("starting", interval: "1s"); setup.step()
        setup.status("starting", interval: "1s")
        setup.fixture.runner.expect(setup.check, neverAnswers: true)
        let error = try #require(throws: DevEnvError.self) { try setup.wait.wait(id: setup.id) }
        #expect(error.exitCode == .noEngine)
        #expect(error.message.contains("healthcheck run c0ffee") && error.message.contains("within 30 s"), "\(error.message)")
        setup.fixture.runner.verifyAllCalled()
    }

    /// Docker's `events --format '{{json .}}'` line for a health change of the container.
    static func healthLine(_ status: String, id: String) -> String {
        #"{"status":"health_status: \#(status)","id":"\#(id)","from":"redis","Type":"container","Action":"health_status: \#(status)","#
            + #""Actor":{"ID":"\#(id)","Attributes":{"name":"devenv-demo-dev-svc-cache"}},"scope":"local","time":1700000000,"timeNano":1700000000000000001}"#
            + "\n"
    }

    @Test("Docker: a container this run made is healthy at the wait step's health_status: healthy line, with no health call after it")
    func dockerTakesTheHealthyLineOfANewContainer() throws {
        let setup = try Setup(cli: "docker", createdNow: true)
        setup.status("starting")
        setup.fixture.runner.expect(setup.planner.waitStep(id: setup.id).argv, stdout: Self.healthLine("healthy", id: setup.id))
        #expect(try setup.wait.wait(id: setup.id) == .healthy("healthy"))
        setup.fixture.runner.verifyAllCalled()
        #expect(setup.fixture.console.stderr.contains("service cache is healthy"))
    }

    @Test("Docker: for a container that ran before, a healthy line may be replayed from its earlier life: its state is asked again")
    func dockerAsksAgainForAnOlderContainer() throws {
        let setup = try Setup(cli: "docker", createdNow: false)
        setup.status("starting")
        setup.fixture.runner.expect(setup.planner.waitStep(id: setup.id).argv, stdout: Self.healthLine("healthy", id: setup.id))
        setup.status("starting"); setup.step()
        setup.status("healthy")
        #expect(try setup.wait.wait(id: setup.id) == .healthy("healthy"))
        setup.fixture.runner.verifyAllCalled()
    }

    @Test("Docker: an unhealthy line is never the answer: the state is asked, and says so")
    func dockerUnhealthyLineIsChecked() throws {
        let setup = try Setup(cli: "docker", createdNow: true)
        setup.status("starting")
        setup.fixture.runner.expect(setup.planner.waitStep(id: setup.id).argv, stdout: Self.healthLine("unhealthy", id: setup.id))
        setup.status("unhealthy")
        #expect(try setup.wait.wait(id: setup.id) == .unhealthy)
        setup.fixture.runner.verifyAllCalled()
    }

    @Test("Wait steps: Docker's replays its last 2 s first (a change between the state call and the stream is not lost), Podman's does not")
    func waitStepArguments() throws {
        let docker = try Setup(cli: "docker").planner.waitStep(id: "c0ffee")
        #expect(Array(docker.argv.suffix(2)) == ["--since=2s", "--until=-1s"])
        #expect(docker.endsAtFirstLine)
        let podman = try Setup(cli: "podman").planner.waitStep(id: "c0ffee")
        #expect(!podman.argv.contains { $0.hasPrefix("--since") } && podman.argv.last == "--until=1s")
    }

    @Test("Podman: a container this run started 2 s ago gets its first check at once (one interval after its start, not after the wait began)")
    func podmanFirstCheckCountsFromTheStart() throws {
        let fixture = try Setup(cli: "podman")
        fixture.clock.advance(5)
        let wait = ServiceHealthWait(session: DockerSession(context: { var c = fixture.fixture.context; let clock = fixture.clock; c.clock = { clock.now }; return c }(), dryRun: false),
                                     planner: fixture.planner, progress: Progress(console: fixture.fixture.console, clock: { 0 }, quiet: false, plain: true),
                                     service: "cache", deadlineSeconds: 60, startedAt: 3)
        fixture.status("starting")
        fixture.fixture.runner.expect(fixture.check)
        fixture.status("healthy")
        #expect(try wait.wait(id: fixture.id) == .healthy("healthy"))
        fixture.fixture.runner.verifyAllCalled()
    }

    @Test("Docker runs its checks itself: devenv only watches, never runs one, and says nothing about it")
    func dockerNeverDrives() throws {
        let setup = try Setup(cli: "docker")
        for _ in 0..<5 { setup.status("starting"); setup.step() }
        setup.status("healthy")
        #expect(try setup.wait.wait(id: setup.id) == .healthy("healthy"))
        setup.fixture.runner.verifyAllCalled()
        #expect(!setup.fixture.runner.invocations.contains { $0.argv.contains("healthcheck") })
        #expect(!setup.fixture.console.stderr.contains("running the health check"))
        #expect(setup.planner.waitStep(id: setup.id).argv.last == "--until=-1s")
    }
}
