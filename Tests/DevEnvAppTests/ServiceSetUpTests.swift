@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `ServiceSet.up` on a scripted engine: what it asks at once, what it makes, and the wait it
/// hands back unwaited (`PendingServiceHealth`) for `up` to resolve before the app starts.
@Suite("Services up (scripted)")
struct ServiceSetUpTests {
    static let config = """
        [project]
        name = "shop"

        [profiles.dev]
        services = ["cache"]

        [services.cache]
        image = "devenv-test/redis:latest"
        volumes = { data = "/data" }
        healthcheck = { test = ["redis-cli", "ping"], interval = 1, retries = 30 }
        """

    struct Setup {
        let fixture = AppFixture(devenvToml: ServiceSetUpTests.config)
        let environment: Environment
        let services: ServicePlanner
        let set: ServiceSet

        init() throws {
            environment = try fixture.environment()
            services = ServicePlanner(planner: environment.planner)
            set = ServiceSet(environment: environment, session: DockerSession(context: fixture.context, dryRun: false),
                             progress: Progress(console: fixture.console, clock: { 0 }, quiet: false, plain: true))
        }

        var cache: ServiceSpec { services.services[0] }
        var listVolumes: [String] { DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv }

        /// The calls of a first `up`: the three questions (any order), the lookup, then what is made.
        func expectFirstUp() throws {
            fixture.runner
                .expect(services.inspectNetwork().argv, exitCode: 1, unordered: true)
                .expect(listVolumes, unordered: true)
                .expect(environment.planner.imageExists("devenv-test/redis:latest").argv, stdout: "sha256:1 null\n", unordered: true)
                .expect(services.findContainers().argv)
                .expect(services.createNetwork().argv)
                .expect(services.createVolume(cache, volume: "data").argv)
            let hash = services.fingerprint(cache, image: "devenv-test/redis:latest", envFileContents: nil)
            fixture.runner
                .expect(services.create(cache, image: "devenv-test/redis:latest", configHash: hash).argv, stdout: "svc1\n")
                .expect(environment.planner.start(id: "svc1").argv)
        }
    }

    @Test("the network, the volumes and the image are asked while the containers are looked up; the service is started and its health not yet waited for")
    func asksAtOnceAndHandsTheWaitBack() throws {
        let setup = try Setup()
        try setup.expectFirstUp()
        let (outcomes, pending) = try setup.set.up()
        setup.fixture.runner.verifyAllCalled()
        let first = setup.fixture.runner.invocations.prefix(4).map(\.argv)
        #expect(first.last == setup.services.findContainers().argv, "the three questions were started before the lookup: \(first)")
        #expect(outcomes.map(\.result) == ["started"])
        let wait = try #require(pending)
        #expect(wait.id == "svc1" && wait.createdNow && wait.startedAt != nil)

        // Resolved: one health call says healthy; a second resolve asks nothing.
        setup.fixture.runner.expect(setup.services.health(id: "svc1").argv, stdout: "running healthy 0 1s\n")
        #expect(try wait.resolve() == "healthy")
        #expect(try wait.resolve() == "healthy")
        // Healthy at the first look: said all the same, for a service this run started.
        #expect(setup.fixture.console.stderr.components(separatedBy: "service cache is healthy").count == 2, "\(setup.fixture.console.stderr)")
        // Healthy: nothing to remove when up stops later.
        wait.abandon()
        setup.fixture.runner.verifyAllCalled()
    }

    @Test("up stopped before the wait (interrupted): the service container this run made goes, by ID, once")
    func abandonRemovesWhatThisRunMade() throws {
        let setup = try Setup()
        try setup.expectFirstUp()
        let wait = try #require(try setup.set.up().pending)
        setup.fixture.runner.expect(setup.environment.planner.remove(id: "svc1").argv)
        wait.abandon()
        wait.abandon()
        setup.fixture.runner.verifyAllCalled()
    }

    /// leftovers25: an interrupted recreate whose new service container the engine would not
    /// remove said only "interrupted" (exit 130): the container is in no MadeObjects (a
    /// recreated one is kept once healthy), and `noted` spoke only of a removal that worked.
    @Test("a recreated service's container that could not be removed after an interruption is named as left, exit 1")
    func aRecreatedServiceContainerLeftAfterAnInterruptionIsNamed() throws {
        let setup = try Setup()
        let wait = PendingServiceHealth(service: setup.cache, id: "svc2", createdNow: true, startedAt: 0, replacedPrevious: true, set: setup.set)
        setup.fixture.runner.expect(setup.environment.planner.remove(id: "svc2").argv, stderr: "Error response from daemon: busy\n", exitCode: 1)
        wait.abandon()
        setup.fixture.runner.verifyAllCalled()
        let error = try #require(wait.noted(DevEnvError.interrupted(by: SIGINT)) as? DevEnvError)
        #expect(error.exitCode == .failure, "\(error.message)")
        let name = setup.environment.names.serviceContainer("cache")
        #expect(error.message.contains("; clean-up incomplete, left: container \(name) (ID svc2): the engine did not remove it"), "\(error.message)")
        #expect(error.hint?.contains(setup.environment.planner.remove(id: "svc2").shellQuoted) == true, "\(error.hint ?? "")")
        // Removed after all: the recreate's note, as before.
        let removedAfter = try Setup()
        let second = PendingServiceHealth(service: removedAfter.cache, id: "svc3", createdNow: true, startedAt: 0, replacedPrevious: true,
                                          set: removedAfter.set)
        removedAfter.fixture.runner.expect(removedAfter.environment.planner.remove(id: "svc3").argv)
        second.abandon()
        let noted = try #require(second.noted(DevEnvError.interrupted(by: SIGINT)) as? DevEnvError)
        #expect(noted.exitCode == .interrupted && noted.message.contains("service cache was being recreated"), "\(noted.message)")
    }

    @Test("the engine stops answering the container lookup: the questions started with it are ended, none is left running")
    func aFailedLookupEndsTheQuestions() throws {
        let setup = try Setup()
        setup.fixture.runner
            .expect(setup.services.inspectNetwork().argv, exitCode: 1, unordered: true)
            .expect(setup.listVolumes, unordered: true)
            .expect(setup.environment.planner.imageExists("devenv-test/redis:latest").argv, unordered: true)
            .expect(setup.services.findContainers().argv, neverAnswers: true)
        let error = try #require(throws: DevEnvError.self) { try setup.set.up() }
        #expect(error.exitCode == .noEngine, "\(error.message)")
        setup.fixture.runner.verifyAllCalled()
        #expect(setup.fixture.runner.cancelled.count == 3)
    }
}
