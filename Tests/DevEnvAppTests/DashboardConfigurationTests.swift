@testable import DevEnvApp
import Dashboard
import DevEnvCore
import Testing
import TestSupport

/// dash29: what the dashboard's snapshots take from the configuration is worked out once per
/// change of it, not once per snapshot (one comes with every container event).
@Suite("Dashboard configuration")
struct DashboardConfigurationTests {
    static let root = AppFixture.root
    static let dockerfile = "\(root)/Dockerfile"

    /// The shop project with a pyproject.toml, and a state folder and clock, so its reading is
    /// kept between readings (`ConfigurationCache`) as on a real machine.
    static func fixture(devenvToml: String = "[project]\nname = \"shop\"\n") -> AppFixture {
        let fixture = AppFixture(devenvToml: devenvToml)
        fixture.fileSystem.addFile("\(root)/pyproject.toml", "[project]\nname = \"shop\"\nversion = \"1\"\n")
        fixture.fileSystem.addFile("/usr/bin/devenv", "devenv build 1")
        fixture.stateFolder = "/state"
        fixture.wallClock = 1_000_000_000_000_000_000
        return fixture
    }

    /// The files read since `before`, devenv's own state (the kept reading, what it remembers
    /// of containers) left out.
    static func reads(_ fixture: AppFixture, since before: [String: Int]) -> [String: Int] {
        var read: [String: Int] = [:]
        for (path, count) in fixture.fileSystem.readCounts() where !path.hasPrefix("/state/") && count != before[path] {
            read[path] = count - (before[path] ?? 0)
        }
        return read
    }

    /// The dev container as `up` made it from the files as they are now (stopped, so status
    /// asks nothing of its venv).
    static func psLine(_ fixture: AppFixture) throws -> String {
        let dev = try fixture.environment(profile: "dev")
        let expected = try dev.expectation(fileSystem: fixture.fileSystem)
        var labels = AppFixture.ownLabels(hash: expected.fingerprint)
        labels[EnvironmentInputs.label] = try fixture.inputs(dev, image: expected.image)
        return AppFixture.psLine(name: dev.names.container, state: "exited", status: "Exited (0) 1 minute ago", labels: labels)
            .replacingOccurrences(of: #""Image":"img""#, with: #""Image":"\#(expected.image)""#) + "\n"
    }

    /// One refresh as the dashboard makes it (`DashboardEffects`, `.refresh`): the
    /// configuration, then the states' half of a snapshot, answered with `ps`.
    static func refresh(_ configuration: DashboardConfiguration, _ fixture: AppFixture, context: AppContext,
                        readAgain: Bool = true, engine: EngineKind? = .docker, ps: String,
                        memo: StalenessMemo? = nil, said: (String?) -> Void = { #expect($0 == nil) }) throws -> [EnvironmentRow] {
        let current = configuration.refreshed(readAgain: readAgain, context: context, options: GlobalOptions(), engine: engine,
                                              said: said)
        let names = current.environments.map(\.names)
        fixture.runner.expect(DockerPlanner.findContainers(cli: "docker", names: names.flatMap(\.lookupNames),
                                                           prefixes: names.flatMap(\.lookupPrefixes), engine: engine ?? .docker).argv,
                              stdout: ps)
        if ps.isEmpty { fixture.runner.expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop", engine: engine ?? .docker).argv) }
        var snapshot = DashboardSnapshot(environments: current.environments, context: context)
        snapshot.stalenessMemo = memo
        let states = try snapshot.states()
        fixture.runner.verifyAllCalled()
        return states.rows
    }

    /// Without this, setting the probed engine on every planner dropped the expectations the
    /// reading kept, and every snapshot read the Dockerfile, pyproject.toml, uv.lock and env
    /// file again (and the states' half read the Dockerfile once more for the image names).
    @Test("a snapshot with nothing changed reads no Dockerfile and no configuration file")
    func nothingChangedReadsNothing() throws {
        let fixture = Self.fixture()
        let ps = try Self.psLine(fixture)
        // Without the dashboard's cache of file contents: every read a refresh asks for counts.
        let context = fixture.context
        let configuration = DashboardConfiguration(try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll())
        let before = fixture.fileSystem.readCounts()
        // The first uses what the dashboard read on opening; the engine's probe answers; then events.
        let first = try Self.refresh(configuration, fixture, context: context, readAgain: false, engine: nil, ps: ps)
        let second = try Self.refresh(configuration, fixture, context: context, ps: ps)
        let third = try Self.refresh(configuration, fixture, context: context, ps: ps)
        #expect(Self.reads(fixture, since: before) == [:])
        for rows in [first, second, third] {
            #expect(rows.first { $0.profile == "dev" }?.dockerState == "exited")
            #expect(rows.first { $0.profile == "dev" }?.stale == false)
        }
    }

    /// The watch reports an edit of the Dockerfile: the next snapshot reads that file again,
    /// and only it (the dashboard's cache of file contents serves the others), and its row is
    /// stale at once, saying why.
    @Test("a snapshot after a Dockerfile edit reads that file again, and only it, and says stale")
    func changedDockerfileIsReadAlone() throws {
        let fixture = Self.fixture()
        let ps = try Self.psLine(fixture)
        let context = fixture.context.readingOnce()
        let configuration = DashboardConfiguration(try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll())
        _ = try Self.refresh(configuration, fixture, context: context, readAgain: false, engine: nil, ps: ps)
        let fresh = try Self.refresh(configuration, fixture, context: context, ps: ps)
        #expect(fresh.first { $0.profile == "dev" }?.stale == false)

        fixture.fileSystem.addFile(Self.dockerfile, "FROM base AS dev\nRUN true\n")
        let before = fixture.fileSystem.readCounts()
        let edited = try Self.refresh(configuration, fixture, context: context, ps: ps)
        #expect(Self.reads(fixture, since: before) == [Self.dockerfile: 1])
        let row = try #require(edited.first { $0.profile == "dev" })
        #expect(row.stale)
        #expect(row.staleReason?.hasPrefix("the Dockerfile changed") == true, "\(row.staleReason ?? "")")

        let again = fixture.fileSystem.readCounts()
        let later = try Self.refresh(configuration, fixture, context: context, ps: ps)
        #expect(Self.reads(fixture, since: again) == [:])
        #expect(later.first { $0.profile == "dev" }?.staleReason == row.staleReason)
    }

    /// A docker CLI that turns out to be Podman (the probe's family wins): the expectations
    /// the reading worked out for Docker are worked out again for Podman once, not per snapshot.
    @Test("an engine family the probe corrects works the expectations out once")
    func correctedEngineOnce() throws {
        let fixture = Self.fixture()
        let context = fixture.context
        let configuration = DashboardConfiguration(try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll())
        let before = fixture.fileSystem.readCounts()
        let first = try Self.refresh(configuration, fixture, context: context, engine: .podman, ps: "")
        #expect(Self.reads(fixture, since: before)[Self.dockerfile] ?? 0 > 0)
        #expect(configuration.environments.allSatisfy { $0.planner.engine == .podman && $0.expected != nil })
        let after = fixture.fileSystem.readCounts()
        let second = try Self.refresh(configuration, fixture, context: context, engine: .podman, ps: "")
        #expect(Self.reads(fixture, since: after) == [:])
        #expect(first == second)
    }

    /// dash30: a stale container's staleness (what changed, and what `u` does about it) is
    /// worked out once while nothing it depends on changes: each snapshot (one with every
    /// container event) read its Dockerfile, uv.lock, pyproject.toml and env file again and
    /// hashed them (0.67 M instructions a refresh).
    @Test("a stale container's staleness is worked out once, not on every snapshot")
    func staleContainerJudgedOnce() throws {
        let fixture = Self.fixture()
        let ps = try Self.psLine(fixture)
        fixture.fileSystem.addFile(Self.dockerfile, "FROM base AS dev\nRUN true\n")
        // Without the dashboard's cache of file contents: every read a refresh asks for counts.
        let context = fixture.context
        let configuration = DashboardConfiguration(try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll())
        let memo = StalenessMemo()
        let first = try Self.refresh(configuration, fixture, context: context, readAgain: false, engine: nil, ps: ps, memo: memo)
        let reason = try #require(first.first { $0.profile == "dev" }?.staleReason)
        #expect(reason.hasPrefix("the Dockerfile changed"), "\(reason)")
        let before = fixture.fileSystem.readCounts()
        for _ in 0..<3 {
            let rows = try Self.refresh(configuration, fixture, context: context, ps: ps, memo: memo)
            #expect(rows.first { $0.profile == "dev" }?.staleReason == reason)
        }
        #expect(Self.reads(fixture, since: before) == [:])

        // An edit of what it depends on is judged again: the env file now differs too.
        fixture.fileSystem.addFile("\(Self.root)/.env.dev", "A=2\n")
        let edited = try Self.refresh(configuration, fixture, context: context, ps: ps, memo: memo)
        #expect(edited.first { $0.profile == "dev" }?.staleReason?.hasPrefix("the Dockerfile and the env file .env.dev changed") == true,
                "\(edited.first { $0.profile == "dev" }?.staleReason ?? "")")
    }

    /// dash30: taken apart by `rm -rf`, the project folder was read again between the removal
    /// of its files and its own, as a bare folder: the rows became another project's (named
    /// after the folder; here a renamed one), every container "not created", under the first
    /// one's header. A reading that names another project is refused and the rows keep theirs.
    @Test("a reading that names another project is refused: the rows keep the project, stale mark and all")
    func anotherProjectIsRefused() throws {
        let fixture = Self.fixture()
        let ps = try Self.psLine(fixture)
        let context = fixture.context.readingOnce()
        let configuration = DashboardConfiguration(try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll())
        fixture.fileSystem.addFile(Self.dockerfile, "FROM base AS dev\nRUN true\n")
        let stale = try Self.refresh(configuration, fixture, context: context, ps: ps)
        #expect(stale.first { $0.profile == "dev" }?.stale == true)

        fixture.fileSystem.addFile("\(Self.root)/devenv.toml", "[project]\nname = \"other\"\n")
        var said: [String?] = []
        let rows = try Self.refresh(configuration, fixture, context: context, ps: ps) { said.append($0) }
        #expect(configuration.environments.allSatisfy { $0.names.project == "shop" })
        #expect(rows.first { $0.profile == "dev" }?.stale == true)
        #expect(rows.first { $0.profile == "dev" }?.dockerState == "exited")
        #expect(said.count == 1 && said.first??.contains("now names project other") == true, "\(said)")
    }

    /// dash30: each snapshot read every service's Dockerfile and env file again to judge its
    /// container; what it is compared with is now worked out with the configuration
    /// (`Environment.Expectation.services`) and read again only when one of them changed.
    @Test("a snapshot reads no service Dockerfile or env file while neither changed; an edit makes the service stale")
    func serviceFilesAreReadOncePerChange() throws {
        let fixture = Self.fixture(devenvToml: """
            [project]
            name = "shop"
            [profiles.dev]
            services = ["db"]
            [services.db]
            build = { context = "db" }
            env_file = ".env.db"
            """)
        fixture.fileSystem.addFile("\(Self.root)/db/Dockerfile", "FROM postgres\n")
        fixture.fileSystem.addFile("\(Self.root)/.env.db", "POSTGRES_PASSWORD=x\n")
        let dev = try fixture.environment(profile: "dev")
        let wanted = try #require(dev.serviceFingerprints(fileSystem: fixture.fileSystem)["db"])
        var labels = AppFixture.ownLabels(hash: "old")
        labels["devenv.service"] = "db"
        labels["devenv.config-hash"] = wanted
        let ps = try Self.psLine(fixture) + AppFixture.psLine(name: dev.names.serviceContainer("db"), id: "db1", labels: labels) + "\n"
        let context = fixture.context
        let configuration = DashboardConfiguration(try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll())
        _ = try Self.refresh(configuration, fixture, context: context, readAgain: false, engine: nil, ps: ps)
        let before = fixture.fileSystem.readCounts()
        for _ in 0..<3 {
            let rows = try Self.refresh(configuration, fixture, context: context, ps: ps)
            #expect(rows.first { $0.service == "db" }?.stale == false)
        }
        #expect(Self.reads(fixture, since: before) == [:])

        fixture.fileSystem.addFile("\(Self.root)/db/Dockerfile", "FROM postgres:16\n")
        let edited = try Self.refresh(configuration, fixture, context: context, ps: ps)
        #expect(edited.first { $0.service == "db" }?.stale == true)
    }

    /// dash30: the configuration is read again on every refresh (one with each container
    /// event); kept between runs, that was the kept reading's file read, its checksum taken and
    /// every profile's spec decoded each time. Now the reading in use is kept in memory and
    /// asked the same questions; an edit is still seen at once.
    @Test("the kept configuration is not read from its file on every refresh, and an edit is still seen")
    func keptReadingIsRememberedInMemory() throws {
        let fixture = Self.fixture()
        let ps = try Self.psLine(fixture)
        let context = fixture.context.rememberingConfiguration()
        let configuration = DashboardConfiguration(try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll())
        func keptReadings() -> Int {
            fixture.fileSystem.readCounts().filter { $0.key.hasPrefix("/state/") && $0.key.hasSuffix(".config") }.values.reduce(0, +)
        }
        _ = try Self.refresh(configuration, fixture, context: context, readAgain: false, engine: nil, ps: ps)
        let before = keptReadings()
        for _ in 0..<3 {
            let rows = try Self.refresh(configuration, fixture, context: context, ps: ps)
            #expect(rows.first { $0.profile == "dev" }?.stale == false)
        }
        #expect(keptReadings() == before)

        fixture.fileSystem.addFile(Self.dockerfile, "FROM base AS dev\nRUN true\n")
        let edited = try Self.refresh(configuration, fixture, context: context, ps: ps)
        #expect(edited.first { $0.profile == "dev" }?.stale == true)
    }
}
