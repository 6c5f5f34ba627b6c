import DevEnvCore
import Testing
import TestSupport

/// Hostile configuration: long `extends` chains and oversized files give an error naming the
/// file and the chain, never a crash or minutes of work (issue 9, section 7).
@Suite struct ConfigLimitsTests {
    typealias F = ConfigFixture

    /// `p0` extends `p1` ... extends `p(count-1)`.
    private func chain(_ count: Int) -> String {
        (0..<count).map { i in
            i == count - 1 ? "[profiles.p\(i)]\ntarget = \"dev\"\n" : "[profiles.p\(i)]\nextends = \"p\(i + 1)\"\n"
        }.joined()
    }

    @Test func aChainOf500ExtendsIsAnErrorNamingTheChain() {
        let fs = F.fileSystem(["devenv.toml": chain(500)])
        let evaluation = F.evaluate(fs, profile: "p0")
        #expect(evaluation.config == nil)
        let first = evaluation.diagnostics.first?.description ?? ""
        #expect(first.hasPrefix("devenv.toml:"), "located: \(first)")
        #expect(first.contains("\"extends\" chain is longer than 32 profiles: p"), "\(first)")
        #expect(first.contains(" -> ... -> "), "the middle of a long chain is elided: \(first)")
    }

    @Test func chainsWithinTheLimitResolve() throws {
        let fs = F.fileSystem(["devenv.toml": chain(ConfigLimits.maximumExtendsDepth)])
        let evaluation = F.evaluate(fs, profile: "p0")
        #expect(evaluation.diagnostics.filter { $0.severity == .error } == [])
        let config = try #require(evaluation.config)
        #expect(config.profile.target.value == "dev")
    }

    @Test func aChainJustPastTheLimitIsAnError() {
        let fs = F.fileSystem(["devenv.toml": chain(ConfigLimits.maximumExtendsDepth + 1)])
        #expect(F.evaluate(fs, profile: "p0").config == nil)
    }

    /// hostile24: a 4 MiB devenv.toml of unknown keys (358,000: a "did you mean" worked out
    /// for each, and each printed) or of profiles extending a missing one (each message listed
    /// every profile, each checked against all earlier findings) ran for minutes, and a
    /// SIGTERM did not end it. Findings stop at `ConfigLimits.maximumFindings`; the rest are
    /// counted in one last finding, and the headline counts them all.
    @Test func findingsStopAtTheLimitAndTheRestAreCounted() throws {
        let keys = (0..<1_000).map { "k\($0) = 1" }.joined(separator: "\n")
        let evaluation = F.evaluate(F.fileSystem(["devenv.toml": "[project]\n" + keys]))
        #expect(evaluation.config == nil)
        #expect(evaluation.diagnostics.count == ConfigLimits.maximumFindings + 1)
        #expect(evaluation.diagnostics.first?.description == "devenv.toml:2:1: error: unknown key \"k0\" in [project]")
        #expect(evaluation.diagnostics.last?.description
                == "error: and 900 more errors not shown (devenv lists the first 100): fix these, then run `devenv config` again")
        #expect(evaluation.unshownErrors == 900)
        do {
            _ = try ConfigLoader.load(projectDirectory: F.project, profile: nil, executablePath: F.executable,
                                      environment: F.environment, fileSystem: F.fileSystem(["devenv.toml": "[project]\n" + keys]))
            Issue.record("loaded")
        } catch let error as DevEnvError {
            #expect(error.message == "1000 errors in the configuration")
            #expect(error.detail?.split(separator: "\n").count == ConfigLimits.maximumFindings + 1)
        }
        // Warnings alone: the summary is a warning and the configuration loads.
        let secrets = (0..<300).map { "TOKEN_\($0) = \"x\"" }.joined(separator: "\n")
        let warned = F.evaluate(F.fileSystem(["devenv.toml": "[profiles.dev.env]\n" + secrets]))
        #expect(warned.config != nil)
        #expect(warned.diagnostics.last?.description.hasPrefix("warning: and 200 more warnings not shown") == true)
    }

    /// Profiles that extend a missing one each say so, listing at most 20 of the profiles
    /// there are; a line of profiles too long fails at each start, and their base's own
    /// problem is found once and shared (113,000 in a line each walked 32 deep: minutes).
    @Test func manyProfilesThatCannotResolveAreCountedNotListed() {
        let missing = (0..<500).map { "[profiles.p\($0)]\nextends = \"nope\"\n" }.joined()
        let evaluation = F.evaluate(F.fileSystem(["devenv.toml": missing]), profile: "p0")
        #expect(evaluation.diagnostics.count == ConfigLimits.maximumFindings + 1)
        let first = evaluation.diagnostics.first?.description ?? ""
        #expect(first.hasSuffix("extends unknown profile \"nope\" (available: dev, p0, p1, p10, p100, p101, p102, p103, p104, p105, "
                                + "p106, p107, p108, p109, p11, p110, p111, p112, p113, p114 and 482 more)"), "\(first)")
        #expect(evaluation.unshownErrors == 400)

        // p0 -> p1 -> ... -> p999 -> missing: p969 ... p999 reach the missing base within the
        // limit (its one problem, shared); each of the 969 earlier starts is a chain too long.
        let line = (0..<1_000).map { "[profiles.p\($0)]\nextends = \"p\($0 + 1)\"\n" }.joined()
        let long = F.evaluate(F.fileSystem(["devenv.toml": line]), profile: "p0")
        #expect(long.config == nil)
        let shown = long.diagnostics.dropLast().map(\.message)
        #expect(shown.count + long.unshownErrors == 969 + 1)
        #expect(shown.allSatisfy { $0.hasPrefix("\"extends\" chain is longer than 32 profiles: p")
                    || $0.hasPrefix("profile \"p999\" extends unknown profile \"p1000\"") }, "\(shown)")
    }

    @Test func anOversizedDevenvTomlIsAnErrorAtItsFirstLine() {
        // 5 MiB of comments: valid TOML, but no configuration is that large.
        let line = "# " + String(repeating: "x", count: 1021) + "\n"
        let fs = F.fileSystem(["devenv.toml": String(repeating: line, count: 5 * 1024)])
        let evaluation = F.evaluate(fs)
        #expect(evaluation.config == nil)
        #expect(evaluation.diagnostics.map(\.description) == [
            "devenv.toml:1:1: error: devenv.toml is 5.0 MiB; configuration files are limited to 4 MiB",
        ])
    }

    @Test func anOversizedPyprojectIsAnErrorToo() {
        let line = "# " + String(repeating: "y", count: 1021) + "\n"
        let fs = F.fileSystem(["pyproject.toml": String(repeating: line, count: 4 * 1024 + 512)])
        let messages = F.evaluate(fs).diagnostics.map(\.description)
        #expect(messages.contains("pyproject.toml:1:1: error: pyproject.toml is 4.5 MiB; configuration files are limited to 4 MiB"),
                "\(messages)")
    }
}
