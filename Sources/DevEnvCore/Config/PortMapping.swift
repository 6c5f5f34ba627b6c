/// A published port (profile key `ports`): `HOST:CONTAINER`, `IP:HOST:CONTAINER`,
/// `[IPv6]:HOST:CONTAINER`, each optionally followed by `/tcp` or `/udp`.
public struct PortMapping: Sendable, Hashable, CustomStringConvertible {
    public enum TransportProtocol: String, Sendable, Hashable, Codable { case tcp, udp }

    public var hostIP: String?
    public var hostPort: Int
    public var containerPort: Int
    public var transport: TransportProtocol

    public init(hostIP: String? = nil, hostPort: Int, containerPort: Int, transport: TransportProtocol = .tcp) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.transport = transport
    }

    /// The `docker run -p` argument; `/tcp` is left out as docker does.
    public var description: String {
        let ip = hostIP.map { $0.contains(":") ? "[\($0)]:" : "\($0):" } ?? ""
        let suffix = transport == .udp ? "/udp" : ""
        return "\(ip)\(hostPort):\(containerPort)\(suffix)"
    }

    /// Parses a spec; on failure returns the reason, phrased to follow "bad port spec: ".
    public static func parse(_ spec: String) -> Result<PortMapping, PortSpecError> {
        var rest = Substring(spec)
        var transport = TransportProtocol.tcp
        if let slash = rest.lastIndex(of: "/") {
            let name = rest[rest.index(after: slash)...]
            guard let parsed = TransportProtocol(rawValue: String(name)) else {
                return .failure(PortSpecError("unknown protocol \"\(name)\" (use tcp or udp)"))
            }
            transport = parsed
            rest = rest[..<slash]
        }
        var hostIP: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                return .failure(PortSpecError("missing ']' after the IPv6 address"))
            }
            let address = rest[rest.index(after: rest.startIndex)..<close]
            guard isIPv6(String(address)) else {
                return .failure(PortSpecError("\"\(address)\" is not an IPv6 address"))
            }
            hostIP = String(address)
            rest = rest[rest.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(PortSpecError("expected ':' after the IPv6 address")) }
            rest = rest.dropFirst()
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let ports: [String]
        switch (parts.count, hostIP) {
        case (2, _): ports = parts
        case (3, nil):
            guard isIPv4(parts[0]) else {
                return .failure(PortSpecError("\"\(parts[0])\" is not an IPv4 address"))
            }
            hostIP = parts[0]
            ports = Array(parts[1...])
        case (1, _):
            return .failure(PortSpecError("expected HOST:CONTAINER, e.g. \"8000:8000\""))
        default:
            return .failure(PortSpecError("expected HOST:CONTAINER or IP:HOST:CONTAINER"))
        }
        var numbers: [Int] = []
        for (role, text) in zip(["host", "container"], ports) {
            if text.contains("-") && !text.hasPrefix("-") {
                return .failure(PortSpecError("port ranges are not supported (\(role) port \"\(text)\")"))
            }
            guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text) else {
                return .failure(PortSpecError("\(role) port \"\(text)\" is not a number"))
            }
            guard (1...65535).contains(n) else {
                return .failure(PortSpecError("\(role) port \(n) is out of range 1-65535"))
            }
            numbers.append(n)
        }
        return .success(PortMapping(hostIP: hostIP, hostPort: numbers[0], containerPort: numbers[1], transport: transport))
    }

    /// Hex digits and colons, at least one colon (`::`, `::1`, `fe80::1`).
    public static func isIPv6(_ text: String) -> Bool {
        text.contains(":") && text.count <= 39 && text.allSatisfy { $0.isHexDigit || $0 == ":" }
    }

    public static func isIPv4(_ text: String) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { $0.isASCII && $0.isNumber } && (Int(octet) ?? 256) <= 255
        }
    }
}

public struct PortSpecError: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
