@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// legacy25: one string over MAX_ARG_STRLEN was already exit 2 at its place (hostile24,
/// `ConfigLimits.argumentProblem`), but values each under it and together over ARG_MAX (a 4 MiB
/// devenv.toml fits ten of 100 KB) failed `up`'s `docker create` with E2BIG, after the image was
/// built and volumes made. They are exit 2 before any docker call, naming the setting with the
/// largest share (a map's entries together) at its largest entry.
@Suite struct ArgumentSizeTests {
    @Test func valuesOverArgMaxTogetherAreExit2NamingTheLargest() {
        let entries = (1...10).map { "A\($0) = \"\(String(repeating: "y", count: 100_000))\"" }
            + ["LARGEST = \"\(String(repeating: "z", count: 120_000))\""]
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\nenv = { \(entries.joined(separator: ", ")) }\n")
        #expect(throws: Never.self) { try fixture.environment() }
        fixture.argumentLimit = 1024 * 1024
        #expect(fixture.run(["--no-tui", "up", "--dry-run"]) == 2)
        fixture.runner.verifyAllCalled()
        let stderr = fixture.console.stderr
        #expect(stderr.contains("over the kernel's limit of 1048576 (ARG_MAX); the largest share is env, about "), "\(stderr.prefix(500))")
        #expect(stderr.contains(" entries (the largest here)"), "\(stderr.prefix(500))")
        #expect(stderr.hasPrefix("devenv: error: devenv.toml:4:") && stderr.contains(": the configuration gives docker about"), "\(stderr.prefix(200))")
        // status, prune and the dashboard's view load every profile and hand docker none of
        // their settings: no check there (issue 14: it was a third of status' instructions).
        let loader = EnvironmentLoader(context: fixture.context, options: GlobalOptions())
        #expect(throws: Never.self) { try loader.loadAll() }
        #expect(throws: DevEnvError.self) { try loader.load() }
    }
}
