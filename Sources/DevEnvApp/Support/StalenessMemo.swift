import DevEnvCore

/// `Environment.staleness` of each profile's container, kept while nothing it depends on
/// changes (dash30): the dashboard takes a snapshot on every container event, and each one read
/// and hashed a stale container's Dockerfile, uv.lock, pyproject.toml and env file again and
/// built its `docker create` words to name what changed (about 0.67 M instructions a refresh).
///
/// What the judgement depends on: the container's name, image and `devenv.inputs` label; the
/// environment's spec, host user and engine family; and the files, through the expectation
/// worked out from them (`Environment.expected`: the image tag hashes the Dockerfile, the
/// dependency tables of pyproject.toml and uv.lock, the fingerprint the env file; worked out
/// again whenever a stamp of one changes, `ConfigurationCache`). An environment without an
/// expectation is never served from here.
final class StalenessMemo: @unchecked Sendable {
    private struct Judged {
        var spec: EnvironmentSpec
        var identity: HostIdentity
        var engine: EngineKind
        var expected: Environment.Expectation
        var container: String
        var image: String
        var inputs: String?
        var staleness: Environment.Staleness
    }

    private let lock = Lock()
    /// One a profile: the last container judged.
    private var judged: [String: Judged] = [:]

    init() {}

    /// `environment.staleness(of: container, image: image, ...)`, or what it gave last time for
    /// the same container, configuration and files.
    func staleness(of container: ContainerSnapshot, in environment: Environment, image: String,
                   fileSystem: any FileSystem) throws -> Environment.Staleness {
        let inputs = container.labels[EnvironmentInputs.label]
        guard let expected = environment.expected, expected.image == image else {
            return try environment.staleness(of: container, image: image, fileSystem: fileSystem)
        }
        if let known = lock.withLock({ judged[environment.spec.profile] }), known.expected == expected,
           known.container == container.name, known.image == container.image, known.inputs == inputs,
           known.engine == environment.planner.engine, known.identity == environment.identity, known.spec == environment.spec {
            return known.staleness
        }
        let staleness = try environment.staleness(of: container, image: image, fileSystem: fileSystem)
        lock.withLock {
            judged[environment.spec.profile] = Judged(spec: environment.spec, identity: environment.identity,
                                                      engine: environment.planner.engine, expected: expected,
                                                      container: container.name, image: container.image, inputs: inputs,
                                                      staleness: staleness)
        }
        return staleness
    }
}
