@testable import DevEnvSystem
import Foundation
import Testing

/// `SystemEnvironment.variables` against Foundation's reading of the same environment, and on
/// entries of its own. No setenv: the test process's environment is read by every thread (other
/// tests spawn children with it, Foundation reads it), and glibc's setenv and unsetenv move its
/// entries under a reader's feet.
@Suite struct SystemEnvironmentTests {
    @Test func variablesAreTheProcessEnvironment() {
        #expect(SystemEnvironment.variables() == ProcessInfo.processInfo.environment)
    }

    @Test func entriesSplitAtTheFirstEqualsSign() {
        let entries = ["DEVENV_TEST_EQUALS=a=b==c", "DEVENV_TEST_EMPTY=", "DEVENV_TEST_TEXT=é ü 日本", "NO_EQUALS_SIGN",
                       "REPEATED=first", "REPEATED=last"]
        let pointers: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let variables = pointers.withUnsafeBufferPointer { SystemEnvironment.variables($0.baseAddress!) }
        // A value keeps every '=' after the first; an empty value is a value; the last of
        // repeated names wins; an entry without '=' is no variable.
        #expect(variables == ["DEVENV_TEST_EQUALS": "a=b==c", "DEVENV_TEST_EMPTY": "", "DEVENV_TEST_TEXT": "é ü 日本",
                              "REPEATED": "last"])
    }
}
