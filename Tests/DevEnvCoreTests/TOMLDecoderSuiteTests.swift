import DevEnvCore
import Foundation
import Testing

/// CI (.ci/run) sets DEVENV_REQUIRE_TOML_SUITE=1: there a missing suite fails instead of skipping.
@Test func theTOMLSuiteIsPresentWhenRequired() {
    guard ProcessInfo.processInfo.environment["DEVENV_REQUIRE_TOML_SUITE"] == "1" else { return }
    #expect(TOMLTestSuiteFiles.directory != nil,
            "DEVENV_REQUIRE_TOML_SUITE=1 and the toml-test suite is not at ../shared/toml-test; point TOML_TEST_SUITE=DIR at it")
}

/// The public toml-test suite in process: every valid case decodes, every invalid one is
/// rejected. (Tests/Scripts/toml-suite.sh also compares the decoded values with the expected
/// JSON, through the toml-test-decoder executable.)
@Suite(.enabled(if: TOMLTestSuiteFiles.directory != nil, "the toml-test suite is not at ../shared/toml-test; set TOML_TEST_SUITE"))
struct TOMLDecoderSuiteTests {
    @Test func validCasesDecodeAndInvalidOnesAreRejected() {
        let cases = TOMLTestSuiteFiles.cases
        #expect(cases.count > 600, "the suite lists \(cases.count) cases")
        for suiteCase in cases {
            do {
                _ = try TOMLDecoder.decode(suiteCase.bytes, file: suiteCase.name)
                #expect(suiteCase.isValid, "\(suiteCase.name) was accepted")
            } catch {
                #expect(!suiteCase.isValid, "\(suiteCase.name) was rejected: \(error)")
            }
        }
    }
}
