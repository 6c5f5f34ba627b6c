/// A BuildKit secret (project table `build_secrets`): `docker build --secret id=ID,src=PATH`
/// or `--secret id=ID,env=VAR`, read in the Dockerfile with `RUN --mount=type=secret,id=ID`.
public struct BuildSecret: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// A file; `path` as written, `resolvedPath` absolute.
        case file(path: String, resolvedPath: String)
        /// An environment variable of the devenv process.
        case environment(String)
    }

    public var id: String
    public var source: Source
    public var origin: ConfigOrigin

    public init(id: String, source: Source, origin: ConfigOrigin) {
        self.id = id
        self.source = source
        self.origin = origin
    }

    /// The value of `docker build --secret`.
    public var buildArgument: String {
        switch source {
        case .file(_, let resolvedPath): return "id=\(id),src=\(resolvedPath)"
        case .environment(let variable): return "id=\(id),env=\(variable)"
        }
    }
}
