/// A host port a container publishes, as `docker ps` shows it in its Ports column:
/// `127.0.0.1:8000->8000/tcp`, `:::8000->8000/tcp`, `0.0.0.0:8000-8001->8000-8001/tcp`.
public struct PublishedPort: Sendable, Hashable, Codable {
    /// As docker prints it: `0.0.0.0` and `::` are every interface.
    public var hostIP: String
    public var hostPort: Int
    public var containerPort: Int
    public var transport: PortMapping.TransportProtocol

    public init(hostIP: String, hostPort: Int, containerPort: Int, transport: PortMapping.TransportProtocol = .tcp) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.transport = transport
    }

    /// The published entries of a Ports column, ranges expanded; exposed-only ports
    /// (`5678/tcp`) and anything unreadable are left out.
    public static func parseList(_ column: String) -> [PublishedPort] {
        var out: [PublishedPort] = []
        for entry in column.split(separator: ",") {
            let text = entry.drop(while: { $0 == " " })
            guard let dash = text.indices.first(where: { text[$0...].hasPrefix("->") }) else { continue }
            let host = text[..<dash]
            var container = text[text.index(dash, offsetBy: 2)...]
            var transport = PortMapping.TransportProtocol.tcp
            if let slash = container.lastIndex(of: "/") {
                transport = PortMapping.TransportProtocol(rawValue: String(container[container.index(after: slash)...])) ?? .tcp
                container = container[..<slash]
            }
            guard let colon = host.lastIndex(of: ":"),
                  let hostRange = range(host[host.index(after: colon)...]),
                  let containerRange = range(container), hostRange.count == containerRange.count else { continue }
            var ip = String(host[..<colon])
            if ip.hasPrefix("[") && ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
            for (hostPort, containerPort) in zip(hostRange, containerRange) {
                out.append(PublishedPort(hostIP: ip, hostPort: hostPort, containerPort: containerPort, transport: transport))
            }
        }
        return out
    }

    private static func range(_ text: Substring) -> ClosedRange<Int>? {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        switch bounds.count {
        case 1: return bounds[0].map { $0...$0 }
        case 2:
            guard let low = bounds[0], let high = bounds[1], low <= high else { return nil }
            return low...high
        default: return nil
        }
    }

    static func isWildcard(_ ip: String?) -> Bool { ip == nil || ip == "0.0.0.0" || ip == "::" || ip == "" }

    /// True when binding `mapping` would collide with this published port: same port and
    /// transport, and the addresses are equal or either is every interface.
    public func collides(with mapping: PortMapping) -> Bool {
        guard hostPort == mapping.hostPort, transport == mapping.transport else { return false }
        return Self.isWildcard(hostIP) || Self.isWildcard(mapping.hostIP) || hostIP == mapping.hostIP
    }

    /// `127.0.0.1:8000->8000/tcp`, as docker prints it.
    public var description: String {
        let ip = hostIP.contains(":") ? "[\(hostIP)]" : hostIP
        return "\(ip):\(hostPort)->\(containerPort)/\(transport.rawValue)"
    }
}
