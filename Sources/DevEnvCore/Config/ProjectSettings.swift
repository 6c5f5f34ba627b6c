/// The `[project]` table of devenv.toml (or `[tool.devenv.project]` of pyproject.toml), with
/// defaults filled in and every value's origin.
public struct ProjectSettings: Sendable, Hashable {
    /// The project folder, absolute.
    public var directory: String
    /// Used in image, container and volume names: `[a-z0-9][a-z0-9_.-]*`.
    public var name: Sourced<String>
    /// Relative to the project folder (or absolute).
    public var dockerfile: Sourced<String>
    /// The build context, relative to the project folder (or absolute).
    public var context: Sourced<String>
    /// Where the project is mounted in the container (absolute container path).
    public var workspace: Sourced<String>
    public var defaultProfile: Sourced<String>
    /// The base image passed as build arg `BASE_IMAGE` when set.
    public var baseImage: Sourced<String?>
    /// Replaces devenv's own clean-cache command (removing __pycache__ and *.pyc) when set.
    public var cleanCache: Sourced<[String]?>
    public var buildArgs: [NamedSetting]
    public var buildSecrets: [BuildSecret]
    public var mounts: Sourced<[MountSpec]>
    /// `ca_bundle` as written (`"host"` or a PEM file's path), the default of every profile
    /// that does not set its own (`CABundle`); nil when unset.
    public var caBundle: Sourced<String?>
    /// `docker build --cache-from` images (devcontainer.json `build.cacheFrom`).
    public var cacheFrom: Sourced<[String]>

    public var dockerfilePath: String { ConfigPath.join(directory, dockerfile.value) }
    public var contextPath: String { ConfigPath.join(directory, context.value) }
    /// A project-relative path (such as a profile's `env_file`) made absolute.
    public func resolve(_ path: String) -> String { ConfigPath.join(directory, path) }

    /// A project with every default: what a folder without devenv.toml gets.
    public static func defaults(directory: String) -> ProjectSettings {
        ProjectSettings(
            directory: directory,
            name: .builtIn(ProjectName.sanitized(ConfigPath.lastComponent(directory))),
            dockerfile: .builtIn("Dockerfile"),
            context: .builtIn("."),
            workspace: .builtIn("/app"),
            defaultProfile: .builtIn("dev"),
            baseImage: .builtIn(nil),
            cleanCache: .builtIn(nil),
            buildArgs: [],
            buildSecrets: [],
            mounts: .builtIn([]),
            caBundle: .builtIn(nil),
            cacheFrom: .builtIn([]))
    }
}
