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
