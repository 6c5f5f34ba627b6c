/// Bounds on what devenv accepts as configuration, so that a hostile or mistaken file gives a
/// clear error instead of minutes of work or a crash (issue 9, section 7).
public enum ConfigLimits {
    /// The largest configuration file devenv decodes (devenv.toml, pyproject.toml, a profile,
    /// a devcontainer.json): 4 MiB. Real ones are a few KiB.
    public static let maximumFileSize = 4 << 20

    /// The longest `extends` chain a profile may have: 32 profiles. Real ones are 1-3 deep; a
    /// bound keeps resolution from recursing without end on generated files.
    public static let maximumExtendsDepth = 32

    /// The most findings (errors and warnings) devenv collects from one reading of the
    /// configuration: 100. The rest are counted and said in one last line. A 4 MiB file of
    /// unknown keys (358,000 of them) or of profiles that extend a missing one took minutes
    /// (a "did you mean" for each, every profile listed in each message, all printed), which
    /// looks like a hang; nobody reads past the first screen of them anyway.
    public static let maximumFindings = 100

    /// Linux's MAX_ARG_STRLEN (32 pages of 4 KiB): the bytes of one argument or environment
    /// string of a process, its terminating NUL included. Every string of the configuration
    /// may become one (`--env NAME=VALUE`, `sh -c TEXT`, a path): a longer one makes the spawn
    /// fail with "Argument list too long" after devenv has built and made things.
    public static let maximumArgumentBytes = 131_072

    /// Why a configuration string cannot be passed to a process, nil when it can: a NUL
    /// character (no command line, environment entry or path can carry one: the process would
    /// get the text up to it only, not what `devenv config` shows), or more than
    /// `maximumArgumentBytes` - 1 bytes. `what` names the value (`"env.A"`); `extra` is
    /// what goes into the same argument besides it (`NAME=` before an env value).
    static func argumentProblem(_ what: String, _ text: String, extra: Int = 0) -> String? {
        nulProblem(what, text) ?? lengthProblem(what, text, extra: extra)
    }

    /// `argumentProblem`'s first half, for a reader that looks at the text as written before
    /// it replaces variables in it (devcontainer.json), and at its length after.
    static func nulProblem(_ what: String, _ text: String) -> String? {
        guard text.utf8.contains(0) else { return nil }
        return "\(what) holds a NUL character (\\u0000), which no command line, environment or path can carry"
    }

    /// `argumentProblem`'s second half. `substituted`: the text is what variables made of the
    /// value as written, which the message says.
    static func lengthProblem(_ what: String, _ text: String, extra: Int = 0, substituted: Bool = false) -> String? {
        guard text.utf8.count + extra >= maximumArgumentBytes else { return nil }
        return "\(what) is \(text.utf8.count + extra) bytes\(extra > 0 ? " with its name" : "")\(substituted ? " once its variables are replaced" : ""); "
            + "Linux passes at most \(maximumArgumentBytes - 1) bytes in one argument"
    }

    /// The error for a configuration file over `maximumFileSize`, nil when it fits.
    static func sizeProblem(_ bytes: [UInt8], shown: String) -> String? {
        guard bytes.count > maximumFileSize else { return nil }
        let mebibytes = Double(bytes.count) / Double(1 << 20)
        let size = (mebibytes * 10).rounded() / 10
        return "\(shown) is \(size) MiB; configuration files are limited to \(maximumFileSize >> 20) MiB"
    }
}
