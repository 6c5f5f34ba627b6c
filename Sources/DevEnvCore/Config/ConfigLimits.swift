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

    /// What devenv's own words of the largest docker call (`docker create`: flags, names,
    /// labels with hashes and inputs) may take beyond the settings' values: kept free under
    /// ARG_MAX by `checkArgumentTotal`.
    static let ownWordsAllowance = 64 * 1024

    /// All of one exec's arguments and environment strings, with their pointers, must fit in
    /// ARG_MAX (execve(2): `sysconf(_SC_ARG_MAX)`, a quarter of the stack limit, 2 MiB with the
    /// usual 8 MiB); past it the spawn fails with "Argument list too long" in the middle of
    /// `up`, as for one string over `maximumArgumentBytes`. Every setting of `config`'s project
    /// and profile (`ConfigReport`'s rows, the one list of them) counts as the words it gives
    /// docker, each with its pointer and the flag before it, with `environmentBytes` (what
    /// docker inherits, `environmentBytes(of:)`, asked through `HostEnvironment.fits`) and `ownWordsAllowance`. Throws
    /// `DevEnvError.usage` (exit 2) at the place of the largest setting when they are over
    /// `argumentLimit`. Files are at most `maximumFileSize` (4 MiB), so a file can get there.
    public static func checkArgumentTotal(_ config: LoadedConfig, argumentLimit: Int, environment: HostEnvironment) throws {
        let rows = ConfigReport.projectRows(config.project) + ConfigReport.profileRows(config.profile)
        let sizes = rows.map(wordBytes)
        let settings = sizes.reduce(ownWordsAllowance, +)
        // Asked as the question it is (does the environment fit in what is left?), so that a
        // reading kept by `ConfigurationCache` holds while the answer does, whatever its size.
        if environment.fits(inBytes: argumentLimit - settings) { return }
        let total = settings + environment.byteCount
        // Over: per setting (a map's entries together: `env`), its bytes, entries and largest entry's place.
        var shares: [String: (bytes: Int, entries: Int, largest: Int, origin: ConfigOrigin)] = [:]
        for (row, bytes) in zip(rows, sizes) {
            let setting = row.key.firstIndex(of: ".").map { String(row.key[..<$0]) } ?? row.key
            var share = shares[setting] ?? (0, 0, -1, row.origin)
            share.bytes += bytes
            share.entries += 1
            if bytes > share.largest { (share.largest, share.origin) = (bytes, row.origin) }
            shares[setting] = share
        }
        guard let (setting, share) = shares.max(by: { $0.value.bytes < $1.value.bytes }) else { return }
        let place = { () -> String in if case .file(let location) = share.origin { return "\(location): " } else { return "" } }()
        let what = share.entries > 1 ? "\(setting), about \(share.bytes) bytes in \(share.entries) entries (the largest here)"
            : "\(setting), about \(share.bytes) bytes"
        throw DevEnvError(.usage, "\(place)the configuration gives docker about \(total) bytes of arguments and environment, over the "
                          + "kernel's limit of \(argumentLimit) (ARG_MAX); the largest share is \(what)",
                          hint: "keep large values in a file: an env_file for environment variables, a mounted file for anything else")
    }

    /// The bytes one setting's row gives docker's argv: each string with its NUL and pointer and
    /// the flag before it (`--env`, `--build-arg`, ...); a map entry goes as NAME=VALUE.
    private static func wordBytes(_ row: ConfigReport.Row) -> Int {
        let name = row.key.firstIndex(of: ".").map { row.key.utf8.count - row.key[..<$0].utf8.count } ?? 0
        func count(_ value: ConfigReportValue) -> Int {
            switch value {
            case .string(let text): text.utf8.count + name + 1 + 8 + 16
            case .array(let items): items.reduce(0) { $0 + count($1) }
            case .object(let members): members.reduce(0) { $0 + count($1.1) }
            case .int, .bool, .null: 0
            }
        }
        return count(row.json)
    }

    /// The environment's strings as execve counts them: NAME=VALUE, a NUL and a pointer each.
    public static func environmentBytes(of environment: [String: String]) -> Int {
        environment.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 + 8 }
    }

    /// The error for a configuration file over `maximumFileSize`, nil when it fits.
    static func sizeProblem(_ bytes: [UInt8], shown: String) -> String? {
        guard bytes.count > maximumFileSize else { return nil }
        let mebibytes = Double(bytes.count) / Double(1 << 20)
        let size = (mebibytes * 10).rounded() / 10
        return "\(shown) is \(size) MiB; configuration files are limited to \(maximumFileSize >> 20) MiB"
    }
}
