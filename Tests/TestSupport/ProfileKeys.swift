import Foundation

/// Keys a test adds to a profile of a devenv.toml that `devenv init` wrote.
public enum ProfileKeys {
    /// `toml` with `keys` (whole lines) in `[profiles.PROFILE]`: under that table's header when
    /// `toml` has one (init writes `[profiles.dev]` for a test runner other than pytest, or a
    /// runner in a dependency group), else in a table added at the end. A table header starts
    /// its line: init's commented example (`# [profiles.dev]`) is none. TOML refuses a table
    /// defined twice.
    public static func add(_ keys: String, to profile: String, in toml: String) -> String {
        let header = "\n[profiles.\(profile)]\n"
        guard toml.contains(header) else { return toml + header + keys }
        return toml.replacingOccurrences(of: header, with: header + keys)
    }
}
