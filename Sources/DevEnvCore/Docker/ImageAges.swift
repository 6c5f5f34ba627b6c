#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The age of each image as `DockerPlanner.listProjectImages` lists them (one JSON object a line).
public enum ImageAges {
    private struct Line: Decodable {
        var Repository: String?
        var Tag: String?
        var CreatedSince: String?
        var CreatedAt: String?
    }

    /// "repository:tag" -> "14 minutes ago".
    public static func parse(_ output: String) -> [String: String] {
        var ages: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            guard let raw = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)),
                  let repository = raw.Repository, let tag = raw.Tag, let since = raw.CreatedSince else { continue }
            ages["\(repository):\(tag)"] = since
        }
        return ages
    }

    /// "repository:tag" -> when it was built, seconds since the epoch (from CreatedAt, the
    /// same lines): the dashboard counts ages from it as its clock runs.
    public static func created(_ output: String) -> [String: Double] {
        var times: [String: Double] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            guard let raw = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)),
                  let repository = raw.Repository, let tag = raw.Tag,
                  let time = raw.CreatedAt.flatMap(DockerTime.listed) else { continue }
            times["\(repository):\(tag)"] = time
        }
        return times
    }
}
