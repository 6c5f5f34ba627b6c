#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The environment an image gives its containers (its Config.Env), as `DockerPlanner.imageExists`
/// prints it in its third field: what devcontainer.json's `${containerEnv:VAR}` in remoteEnv
/// resolves against, under the profile's own env (`DockerPlanner.imageEnvironment`).
public enum ImageEnvironment {
    /// `NAME=VALUE` entries by name (the value may hold `=`; an entry without one is an empty
    /// value, as Docker treats it). Empty for an image with no Config.Env (`null`); nil when the
    /// output has no such field or it is not a JSON array of strings.
    public static func parse(inspectOutput: String) -> [String: String]? {
        guard let json = ImageVolumeOwner.field(2, of: inspectOutput) else { return nil }
        if json == "null" { return [:] }
        guard let entries = try? JSONScanner.parse(json).stringList() else { return nil }
        var environment: [String: String] = [:]
        for entry in entries {
            let pair = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = pair.first, !name.isEmpty else { continue }
            environment[String(name)] = pair.count == 2 ? String(pair[1]) : ""
        }
        return environment
    }
}
