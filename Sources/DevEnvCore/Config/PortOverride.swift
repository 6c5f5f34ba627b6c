/// `devenv up --port CONTAINER=HOST`: publish the profile's container port CONTAINER on host
/// port HOST for this `up`, without editing devenv.toml.
public struct PortOverride: Sendable, Hashable, CustomStringConvertible {
    public var containerPort: Int
    public var hostPort: Int

    public init(containerPort: Int, hostPort: Int) {
        self.containerPort = containerPort
        self.hostPort = hostPort
    }

    public var description: String { "\(containerPort)=\(hostPort)" }

    /// `8000=8001`; nil when either side is not a port number.
    public static func parse(_ text: String) -> PortOverride? {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, let container = Int(parts[0]), let host = Int(parts[1]),
              (1...65535).contains(container), (1...65535).contains(host) else { return nil }
        return PortOverride(containerPort: container, hostPort: host)
    }

    /// `mappings` with each override applied to the mappings of its container port. Throws a
    /// usage error (exit 2) naming the profile's container ports when one publishes none.
    public static func apply(_ overrides: [PortOverride], to mappings: [PortMapping], profile: String) throws -> [PortMapping] {
        var result = mappings
        for override in overrides {
            guard result.contains(where: { $0.containerPort == override.containerPort }) else {
                let published = Set(mappings.map(\.containerPort)).sorted().map(String.init)
                throw DevEnvError.usage("--port \(override): profile \(profile) publishes no container port \(override.containerPort)"
                                        + (published.isEmpty ? " (it publishes none)" : " (it publishes \(published.joined(separator: ", ")))"),
                                        hint: "add it to `ports` under [profiles.\(profile)] in devenv.toml")
            }
            for index in result.indices where result[index].containerPort == override.containerPort {
                result[index].hostPort = override.hostPort
            }
        }
        return result
    }
}
