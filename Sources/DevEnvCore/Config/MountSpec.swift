/// An extra bind mount (project key `mounts`): `HOST:CONTAINER` or `HOST:CONTAINER:ro|rw`.
/// HOST is relative to the project folder unless absolute (`~/` is the user's home). `$VAR` and
/// `${VAR}` in either path come from the environment (`VariableExpansion`).
public struct MountSpec: Sendable, Hashable, CustomStringConvertible {
    /// The host path as written.
    public var hostPath: String
    /// The host path made absolute.
    public var resolvedHostPath: String
    public var containerPath: String
    public var readOnly: Bool

    public init(hostPath: String, resolvedHostPath: String, containerPath: String, readOnly: Bool) {
        self.hostPath = hostPath
        self.resolvedHostPath = resolvedHostPath
        self.containerPath = containerPath
        self.readOnly = readOnly
    }

    /// The `docker run -v` argument, with the absolute host path.
    public var volumeArgument: String { "\(resolvedHostPath):\(containerPath)\(readOnly ? ":ro" : "")" }

    public var description: String { "\(hostPath):\(containerPath)\(readOnly ? ":ro" : "")" }

    /// Parses a spec; `projectDirectory` and `home` resolve relative and `~/` host paths.
    /// `environment` (nil: no expansion) fills `$VAR`/`${VAR}`, after the spec is split at its
    /// colons, so a value holding ':' stays one path; `hostPath` keeps the text as written.
    /// Escaping the project with `..` is reported by the caller, which knows the location; an
    /// expanded relative path that escapes is reported here.
    public static func parse(_ spec: String, projectDirectory: String, home: String?,
                             environment: HostEnvironment? = nil, undecodable: Set<String> = []) -> Result<MountSpec, MountSpecError> {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            return .failure(MountSpecError("expected HOST:CONTAINER or HOST:CONTAINER:ro"))
        }
        var host = parts[0], container = parts[1]
        if let environment {
            switch VariableExpansion.expand(host, environment: environment, undecodable: undecodable) {
            case .failure(let failure): return .failure(MountSpecError(failure.reason, offset: failure.offset))
            case .success(let expanded):
                if expanded != host && !expanded.hasPrefix("/") && !expanded.hasPrefix("~") && ConfigPath.escapes(expanded) {
                    return .failure(MountSpecError("the host path \"\(expanded)\" leaves the project folder"))
                }
                host = expanded
            }
            switch VariableExpansion.expand(container, environment: environment, undecodable: undecodable) {
            case .failure(let failure):
                return .failure(MountSpecError(failure.reason, offset: parts[0].count + 1 + failure.offset))
            case .success(let expanded): container = expanded
            }
        }
        guard !host.isEmpty else { return .failure(MountSpecError("the host path is empty")) }
        guard container.hasPrefix("/") else {
            return .failure(MountSpecError("the container path \"\(container)\" must be absolute"))
        }
        var readOnly = false
        if parts.count == 3 {
            switch parts[2] {
            case "ro": readOnly = true
            case "rw": readOnly = false
            default: return .failure(MountSpecError("unknown option \"\(parts[2])\" (use ro or rw)"))
            }
        }
        let resolved: String
        if host == "~" || host.hasPrefix("~/") {
            guard let home, home.hasPrefix("/") else {
                return .failure(MountSpecError("\"~\" needs HOME to be set"))
            }
            resolved = ConfigPath.join(home, String(host.dropFirst(host == "~" ? 1 : 2)))
        } else {
            resolved = ConfigPath.join(projectDirectory, host)
        }
        return .success(MountSpec(hostPath: parts[0], resolvedHostPath: resolved,
                                  containerPath: ConfigPath.normalize(container), readOnly: readOnly))
    }
}

public struct MountSpecError: Error, Sendable, Hashable {
    public var reason: String
    /// The character of the spec the problem is at, when it is one (a `$` reference).
    public var offset: Int?
    public init(_ reason: String, offset: Int? = nil) { self.reason = reason; self.offset = offset }
}
