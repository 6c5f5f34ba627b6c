/// A service `devenv init --with NAME` adds (README, "Starting a project"): its
/// `[services.NAME]` table with sensible defaults for development, and the env vars the app
/// reaches it with in `.env.dev.template`. The short list is declared here, once; the command
/// line's `--with` checks against it.
public struct InitService: Sendable, Hashable {
    /// What `--with` takes: `postgres`, `redis`.
    public var name: String
    /// The service's name in devenv.toml, its host name on the project network.
    public var service: String
    /// The `[services.NAME]` table, without its header.
    public var table: String
    /// `.env.dev.template` lines: how the app reaches it, by its service name.
    public var envLines: [String]

    public static func named(_ name: String) -> InitService? { all.first { $0.name == name } }

    /// `project`: the database's name (the package's module name).
    public static func all(project: String = "app") -> [InitService] {
        [
            InitService(name: "postgres", service: "db", table: """
                image = "postgres:16"
                # Development credentials only: the database is reached from the project network (and
                # not published on the host unless you add ports = ["5432:5432"]).
                env = { POSTGRES_USER = "app", POSTGRES_PASSWORD = "devenv", POSTGRES_DB = "\(project)" }
                volumes = { data = "/var/lib/postgresql/data" }
                healthcheck = { test = "pg_isready -U app -d \(project)", interval = 1, retries = 60 }
                """, envLines: ["DATABASE_URL=postgresql://app:devenv@db:5432/\(project)"]),
            InitService(name: "redis", service: "cache", table: """
                image = "redis:7"
                volumes = { data = "/data" }
                healthcheck = { test = ["redis-cli", "ping"], interval = 1, retries = 30 }
                """, envLines: ["REDIS_URL=redis://cache:6379/0"]),
        ]
    }

    public static var all: [InitService] { all() }
}
