/// Bounds on what devenv accepts as configuration, so that a hostile or mistaken file gives a
/// clear error instead of minutes of work or a crash (issue 9, section 7).
public enum ConfigLimits {
    /// The largest configuration file devenv decodes (devenv.toml, pyproject.toml, a profile,
    /// a devcontainer.json): 4 MiB. Real ones are a few KiB.
    public static let maximumFileSize = 4 << 20

    /// The longest `extends` chain a profile may have: 32 profiles. Real ones are 1-3 deep; a
    /// bound keeps resolution from recursing without end on generated files.
    public static let maximumExtendsDepth = 32

    /// The error for a configuration file over `maximumFileSize`, nil when it fits.
    static func sizeProblem(_ bytes: [UInt8], shown: String) -> String? {
        guard bytes.count > maximumFileSize else { return nil }
        let mebibytes = Double(bytes.count) / Double(1 << 20)
        let size = (mebibytes * 10).rounded() / 10
        return "\(shown) is \(size) MiB; configuration files are limited to \(maximumFileSize >> 20) MiB"
    }
}
