@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv init --with postgres|redis` (README, "Services"): the service table, the dev
/// profile running it, and the env vars the app reaches it with; the result is a
/// configuration devenv reads without a finding.
@Suite struct InitWithServiceTests {
    typealias Fixture = InitCommandTests.Fixture

    @Test func withPostgresAndRedisAddsTheServicesTheProfileAndTheEnvVars() throws {
        let fixture = Fixture()
        #expect(fixture.run(["init", "--with", "postgres", "--with", "redis"]) == 0, "\(fixture.console.stderr)")
        let toml = try #require(fixture.text("devenv.toml"))
        #expect(toml.contains("""
            [profiles.dev]
            # Started first by `devenv up`, each healthy before the app; see [services.NAME] below.
            services = ["db", "cache"]
            """), "\(toml)")
        #expect(toml.contains("""
            [services.db]
            image = "postgres:16"
            """))
        #expect(toml.contains("healthcheck = { test = \"pg_isready -U app -d shop\", interval = 1, retries = 60 }"))
        #expect(toml.contains("""
            [services.cache]
            image = "redis:7"
            volumes = { data = "/data" }
            """))
        for file in [".env.dev.template", ".env.dev"] {
            let env = try #require(fixture.text(file))
            #expect(env.contains("DATABASE_URL=postgresql://app:devenv@db:5432/shop\nREDIS_URL=redis://cache:6379/0\n"), "\(env)")
            #expect(!env.contains("# DATABASE_URL="))
        }
        // What init wrote is read back without a finding, the dev profile running both.
        let evaluation = ConfigLoader.evaluate(projectDirectory: InitCommandTests.root, profile: nil, executablePath: "/usr/bin/devenv",
                                               environment: ["HOME": "/root", "DEVENV_PROFILES_DIR": "/usr/share/devenv/profiles"],
                                               fileSystem: fixture.fileSystem)
        #expect(evaluation.diagnostics.map(\.description) == [])
        let config = try #require(evaluation.config)
        #expect(config.services(for: config.profile).map(\.name) == ["db", "cache"])
    }

    @Test func anUnknownServiceIsAUsageErrorNamingTheList() throws {
        #expect(try CommandLineParser.parse(["init", "--with", "redis"]).command
                == .initialize(baseImage: nil, python: nil, force: false, with: ["redis"]))
        #expect {
            try CommandLineParser.parse(["init", "--with", "mongo"])
        } throws: { error in
            (error as? DevEnvError)?.message == "--with takes postgres or redis, not \"mongo\""
        }
    }
}
