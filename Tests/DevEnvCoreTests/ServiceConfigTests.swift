import DevEnvCore
import Testing
import TestSupport

/// `[services.NAME]` and a profile's `services` (README, "Services"): parsed once, with
/// file:line:col findings like the rest of the configuration.
@Suite struct ServiceConfigTests {
    typealias F = ConfigFixture

    func evaluate(_ devenvToml: String, profile: String? = nil) -> ConfigLoader.Evaluation {
        F.evaluate(F.fileSystem(["devenv.toml": devenvToml]), profile: profile)
    }

    @Test func aServiceWithEveryKeyIsReadAndTheProfileRunsIt() throws {
        let evaluation = evaluate("""
            [profiles.dev]
            services = ["db", "cache"]

            [services.db]
            build = { dockerfile = "docker/db.Dockerfile", context = "docker", target = "db", args = { PG = "16" } }
            env = { POSTGRES_PASSWORD = "" }
            env_file = ".env.db"
            ports = ["5432:5432"]
            volumes = { data = "/var/lib/postgresql/data" }
            command = ["postgres", "-c", "fsync=off"]
            healthcheck = { test = "pg_isready -U postgres", interval = 2, retries = 10 }
            user = "999:999"

            [services.cache]
            image = "redis:7"
            """)
        #expect(evaluation.diagnostics.map(\.description) == [])
        let config = try #require(evaluation.config)
        let services = config.services(for: config.profile)
        #expect(services.map(\.name) == ["db", "cache"])
        let db = services[0]
        #expect(db.build == ServiceSpec.Build(dockerfile: "docker/db.Dockerfile", context: "docker", target: "db",
                                              args: [NamedSetting(name: "PG", value: "16", origin: F.location("devenv.toml", 5, 92))]))
        #expect(db.env.map(\.name) == ["POSTGRES_PASSWORD"])
        #expect(db.envFile == ".env.db")
        #expect(db.ports.map(\.description) == ["5432:5432"])
        #expect(db.volumes.map { "\($0.name)=\($0.value)" } == ["data=/var/lib/postgresql/data"])
        #expect(db.command == ["postgres", "-c", "fsync=off"])
        #expect(db.healthcheck == ServiceSpec.Healthcheck(test: .shell("pg_isready -U postgres"), intervalSeconds: 2, retries: 10))
        #expect(db.user == .ids(uid: 999, gid: 999))
        #expect(services[1].image == "redis:7" && services[1].healthcheck == nil && services[1].user == .image)
        // A profile that names none runs none.
        #expect(config.selecting("prod").map { config.services(for: $0.profile) }?.isEmpty == true)
    }

    @Test func badServicesAreErrorsWithTheirPlace() {
        #expect(evaluate("""
            [profiles.dev]
            services = ["db", "cahce", "Web", "queue"]

            [services.db]
            imag = "postgres"
            ports = ["99999:1"]
            healthcheck = { test = [], interval = 0 }
            user = "postgres"

            [services.cache]
            image = "redis"
            build = { context = "." }

            [services.Web]
            image = "nginx"

            [services.worker]
            """).diagnostics.map(\.description) == [
            "devenv.toml:2:19: error: profile dev names service \"cahce\", which no [services.cahce] declares; did you mean \"cache\"?",
            "devenv.toml:2:35: error: profile dev names service \"queue\", which no [services.queue] declares (declared: Web, cache, db, worker)",
            "devenv.toml:4:11: error: service \"db\" needs `image = \"NAME\"` or a `build` table",
            "devenv.toml:5:1: error: unknown key \"imag\" in [services.db]; did you mean \"image\"?",
            "devenv.toml:6:10: error: bad port spec \"99999:1\": host port 99999 is out of range 1-65535",
            "devenv.toml:7:24: error: \"healthcheck.test\" must not be empty",
            "devenv.toml:7:39: error: \"healthcheck.interval\" must be a whole number from 1 to 3600 (seconds), found 0",
            "devenv.toml:8:8: error: \"user\" must be \"host\", \"image\" or \"UID:GID\" (numbers), found \"postgres\"",
            "devenv.toml:10:11: error: service \"cache\" has both `image` and `build`: keep one",
            "devenv.toml:14:11: error: service name \"Web\" must start with a lowercase letter and use only lowercase letters, digits and '-' (at most 32): it is a host name on the project network",
            "devenv.toml:17:11: error: service \"worker\" needs `image = \"NAME\"` or a `build` table",
        ])
    }

    @Test func aDeclaredServiceNoProfileRunsIsAWarning() throws {
        let evaluation = evaluate("""
            [services.cache]
            image = "redis"
            """)
        #expect(evaluation.diagnostics.map(\.description) == [
            "devenv.toml:1:11: warning: service \"cache\" is declared but no profile runs it; add it to a profile's `services = [\"cache\"]`",
        ])
        #expect(evaluation.config != nil)
    }

    @Test func servicesMustBeATableOfTables() {
        #expect(evaluate("""
            services = ["db"]
            """).diagnostics.map(\.description) == [
            "devenv.toml:1:12: error: \"services\" must be a table of services ([services.NAME]), found an array",
        ])
    }
}
