import Foundation

/// The smallest project a real-engine or tmux test can `up`: a Dockerfile whose dev stage is
/// the test busybox image (built by Tests/Scripts/build-test-images.sh, nothing to download)
/// and a devenv.toml whose dev profile has no network and publishes no ports, so tests run
/// side by side without taking ports or reaching out.
public enum BusyboxProject {
    /// Writes `folder`/Dockerfile and `folder`/devenv.toml (the folder must exist): project
    /// `name`, profile dev with `network = "none"`, `ports = []` and then `devLines` (TOML
    /// lines, as written), then `after` (more tables, as written); the Dockerfile only when it
    /// does not hold that text yet, so the devenv.toml of a running test can be rewritten alone.
    /// Throws what writing throws.
    public static func write(in folder: String, name: String, devLines: [String] = [], after: String = "") throws {
        // Written once: rewriting it (same text, new file) would be a change a watching dashboard sees.
        let dockerfile = "FROM \(TestEngine.busyboxImage) AS dev\n"
        if (try? String(contentsOfFile: folder + "/Dockerfile", encoding: .utf8)) != dockerfile {
            try dockerfile.write(toFile: folder + "/Dockerfile", atomically: true, encoding: .utf8)
        }
        let dev = ["[profiles.dev]", "network = \"none\"", "ports = []"] + devLines
        let text = "[project]\nname = \"\(name)\"\n\n" + dev.joined(separator: "\n") + "\n" + (after.isEmpty ? "" : "\n" + after)
        try text.write(toFile: folder + "/devenv.toml", atomically: true, encoding: .utf8)
    }
}
