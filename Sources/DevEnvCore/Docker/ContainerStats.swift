#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of `docker stats --format '{{json .}}'`. docker redraws its table between rounds
/// with cursor escapes even in JSON mode, so the parser looks for the object in the line.
public struct ContainerStats: Sendable, Hashable {
    public var name: String
    /// CPU use in percent of one core (can exceed 100).
    public var cpuPercent: Double
    public var memoryPercent: Double
    /// "12.5MiB / 7.7GiB" as docker prints it.
    public var memoryUsage: String

    public init(name: String, cpuPercent: Double, memoryPercent: Double, memoryUsage: String) {
        self.name = name
        self.cpuPercent = cpuPercent
        self.memoryPercent = memoryPercent
        self.memoryUsage = memoryUsage
    }

    /// The part of "12.5MiB / 7.7GiB" before the slash.
    public var memoryUsed: String {
        String((memoryUsage.split(separator: "/").first ?? "").filter { $0 != " " })
    }

    private struct Line: Decodable {
        var Name: String?
        var Container: String?
        var CPUPerc: String?
        var MemPerc: String?
        var MemUsage: String?
    }

    public static func parse<S: StringProtocol>(_ line: S) -> ContainerStats? {
        guard let start = line.firstIndex(of: "{"), let end = line.lastIndex(of: "}"), start < end else { return nil }
        guard let raw = try? JSONDecoder().decode(Line.self, from: Data(line[start...end].utf8)) else { return nil }
        guard let name = raw.Name ?? raw.Container else { return nil }
        return ContainerStats(name: name, cpuPercent: percent(raw.CPUPerc), memoryPercent: percent(raw.MemPerc),
                              memoryUsage: raw.MemUsage ?? "")
    }

    /// "12.34%" -> 12.34; "--" (a container that just stopped) -> 0.
    static func percent(_ text: String?) -> Double {
        guard let text else { return 0 }
        return Double(text.filter { $0 != "%" && $0 != " " }) ?? 0
    }
}
