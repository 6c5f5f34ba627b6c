import DevEnvSystem
import Foundation
import Testing

/// `SystemEnvironment.variables` against Foundation's reading of the same environment. One test
/// (no other test sets variables): it changes the process environment while it runs.
@Suite struct SystemEnvironmentTests {
    @Test func variablesAreTheProcessEnvironment() {
        setenv("DEVENV_TEST_EQUALS", "a=b==c", 1)
        setenv("DEVENV_TEST_EMPTY", "", 1)
        setenv("DEVENV_TEST_TEXT", "é ü 日本", 1)
        defer {
            unsetenv("DEVENV_TEST_EQUALS")
            unsetenv("DEVENV_TEST_EMPTY")
            unsetenv("DEVENV_TEST_TEXT")
        }
        let variables = SystemEnvironment.variables()
        #expect(variables == ProcessInfo.processInfo.environment)
        // A value keeps every '=' after the first; an empty value is a value.
        #expect(variables["DEVENV_TEST_EQUALS"] == "a=b==c")
        #expect(variables["DEVENV_TEST_EMPTY"] == "")
        #expect(variables["DEVENV_TEST_TEXT"] == "é ü 日本")
    }
}
