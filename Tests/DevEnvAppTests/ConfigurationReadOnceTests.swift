@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14, item 1: one command reads and decodes each configuration file once and asks for
/// the host user once, however many profiles it resolves; the dashboard's long-lived cache
/// reads a file again only when it changed. Counted through the ports, never timed.
@Suite("Configuration read once")
struct ConfigurationReadOnceTests {
    /// Counts calls of `hostFacts` (the /etc/passwd lookups).
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    /// devenv.toml with `extra` profiles extending dev, a pyproject.toml, and a project profile file.
    static func fixture(profiles extra: Int) -> AppFixture {
        var toml = "[project]\nname = \"shop\"\n"
        for index in 0..<extra { toml += "\n[profiles.p\(index)]\nextends = \"dev\"\nenv = { N = \"\(index)\" }\n" }
        let fixture = AppFixture(devenvToml: toml)
        fixture.fileSystem.addFile("\(AppFixture.root)/pyproject.toml", "[project]\nname = \"shop\"\nversion = \"1\"\n")
        fixture.fileSystem.addFile("\(AppFixture.root)/.devenv/profiles/local.toml", "extends = \"dev\"\n")
        return fixture
    }

    static func counting(_ fixture: AppFixture, _ counter: Counter) -> AppContext {
        var context = fixture.context
        let facts = context.hostFacts
        context.hostFacts = { counter.increment(); return facts($0) }
        return context
    }

    @Test("status with 40 profiles, every container running: each file read once, the host user looked up once",
          arguments: [3, 40])
    func statusReadsEachFileOnce(profiles: Int) throws {
        let fixture = Self.fixture(profiles: profiles)
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        #expect(environments.count == profiles + 4) // dev, ci, prod, local
        let ps = environments.map {
            AppFixture.psLine(name: $0.names.container, labels: AppFixture.ownLabels(profile: $0.spec.profile, hash: "old"))
        }.joined(separator: "\n")
        fixture.runner.expect(try fixture.statusLookup(), stdout: ps + "\n")
        // Each running container whose venv follows uv.lock: one exec comparing its stamp.
        for environment in environments where environment.planner.tracksLock {
            fixture.runner.expect(environment.planner.compareLockStamp().argv, exitCode: 0)
        }
        let before = Dictionary(uniqueKeysWithValues: Self.watched.map { ($0, fixture.fileSystem.readCount($0)) })
        let counter = Counter()

        #expect(App.run(["status", "--json"], context: Self.counting(fixture, counter)) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains(#""profile":"p0""#))
        for path in Self.watched {
            #expect(fixture.fileSystem.readCount(path) - (before[path] ?? 0) == 1, "\(path)")
        }
        #expect(counter.count == 1)
    }

    static let watched = ["\(AppFixture.root)/devenv.toml", "\(AppFixture.root)/pyproject.toml",
                          "\(AppFixture.root)/.devenv/profiles/local.toml", "/usr/share/devenv/profiles/dev.toml",
                          "\(AppFixture.root)/Dockerfile", "\(AppFixture.root)/uv.lock", "\(AppFixture.root)/.env.dev"]

    @Test("the dashboard's cache: nothing reread while unchanged, only the edited file after an edit (with the configuration kept between runs too)",
          arguments: [false, true])
    func dashboardRereadsOnlyChangedFiles(keptBetweenRuns: Bool) throws {
        let fixture = Self.fixture(profiles: 12)
        if keptBetweenRuns {
            // A reading recorded for the `ConfigurationCache` still reuses the dashboard's cache.
            fixture.stateFolder = "/state"
            fixture.wallClock = ConfigurationCacheTests.now
            fixture.fileSystem.addFile("/usr/bin/devenv", "devenv")
        }
        let counter = Counter()
        let context = Self.counting(fixture, counter).readingOnce().rememberingHostFacts()
        let loader = EnvironmentLoader(context: context, options: GlobalOptions())
        _ = try loader.loadAll()
        let devenv = "\(AppFixture.root)/devenv.toml", local = "\(AppFixture.root)/.devenv/profiles/local.toml"
        #expect(fixture.fileSystem.readCount(devenv) == 1)
        _ = try loader.loadAll()
        _ = try loader.loadAll()
        #expect(fixture.fileSystem.readCount(devenv) == 1)
        #expect(fixture.fileSystem.readCount(local) == 1)
        #expect(counter.count == 1)

        fixture.fileSystem.addFile(devenv, "[project]\nname = \"shop\"\n[profiles.extra]\nextends = \"ci\"\n")
        let edited = try loader.loadAll()
        #expect(edited.map(\.spec.profile).contains("extra"))
        #expect(!edited.map(\.spec.profile).contains("p0"))
        #expect(fixture.fileSystem.readCount(devenv) == 2)
        #expect(fixture.fileSystem.readCount(local) == 1)
        #expect(counter.count == 1)

        // A changed password database (or project folder) asks for the host user again.
        fixture.fileSystem.addFile("/etc/passwd", "root:x:0:0::/root:/bin/sh\n")
        _ = try loader.loadAll()
        #expect(counter.count == 2)
    }

    @Test("a broken file is decoded once too, and its error reported each time")
    func brokenFileErrorIsRemembered() throws {
        let fixture = Self.fixture(profiles: 0)
        let devenv = "\(AppFixture.root)/devenv.toml"
        fixture.fileSystem.addFile(devenv, "[project]\nname = \n")
        let context = fixture.context.readingOnce()
        for _ in 0..<2 {
            #expect(throws: DevEnvError.self) { try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll() }
        }
        #expect(fixture.fileSystem.readCount(devenv) == 1)
        #expect(App.run(["status"], context: context) == 2)
        #expect(fixture.console.stderr.contains("devenv.toml:2:"))
        #expect(fixture.fileSystem.readCount(devenv) == 1)
    }
}
