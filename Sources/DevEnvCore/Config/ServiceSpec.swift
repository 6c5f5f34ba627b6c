/// One service beside the app (`[services.NAME]` in devenv.toml or `[tool.devenv]`): a
/// database, a cache. A profile runs the services its `services` list names; `up` starts them
/// first on the project's network (the name is the service's DNS alias there) and waits until
/// each is healthy. Field names follow the TOML keys (README, "Services").
public struct ServiceSpec: Sendable, Hashable {
    /// How the service's image is made when it is not a ready `image`.
    public struct Build: Sendable, Hashable {
        /// Relative to the project folder, as written (default `Dockerfile` in `context`).
        public var dockerfile: String?
        /// Relative to the project folder, as written (default `.`).
        public var context: String
        public var target: String?
        public var args: [NamedSetting]

        public init(dockerfile: String?, context: String, target: String?, args: [NamedSetting]) {
            self.dockerfile = dockerfile
            self.context = context
            self.target = target
            self.args = args
        }
    }

    /// Docker's health check for the service (`--health-cmd` & co.); nil keeps the image's own
    /// HEALTHCHECK, if it has one.
    public struct Healthcheck: Sendable, Hashable {
        /// An argv (Docker's `CMD` form, run without a shell) or one string run with `sh -c`.
        public var test: LifecycleCommand
        /// Seconds between checks (Docker's default is 30; devenv's is 1, since `up` waits).
        public var intervalSeconds: Int
        /// Failed checks in a row before the service is unhealthy.
        public var retries: Int

        public init(test: LifecycleCommand, intervalSeconds: Int, retries: Int) {
            self.test = test
            self.intervalSeconds = intervalSeconds
            self.retries = retries
        }

        public static let defaultIntervalSeconds = 1
        public static let defaultRetries = 30
    }

    public var name: String
    /// A ready image (never pulled by the tests: they build theirs locally).
    public var image: String?
    public var build: Build?
    /// Sorted by name.
    public var env: [NamedSetting]
    /// Relative to the project folder.
    public var envFile: String?
    public var ports: [PortMapping]
    /// Named volumes: volume name -> container path, each labelled and owned like the app's.
    public var volumes: [NamedSetting]
    /// nil keeps the image's CMD.
    public var command: [String]?
    public var healthcheck: Healthcheck?
    /// nil (or `image`) runs as the image's USER; `host` as the synced user; `UID:GID` fixed.
    public var user: UserSpec
    /// The `[services.NAME]` table's place, for messages.
    public var origin: ConfigOrigin

    public init(name: String, origin: ConfigOrigin) {
        self.name = name
        self.image = nil
        self.build = nil
        self.env = []
        self.envFile = nil
        self.ports = []
        self.volumes = []
        self.command = nil
        self.healthcheck = nil
        self.user = .image
        self.origin = origin
    }

    /// Service names are DNS names on the project network and parts of container names:
    /// lowercase letters, digits and '-', starting with a letter, at most 32 characters.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
