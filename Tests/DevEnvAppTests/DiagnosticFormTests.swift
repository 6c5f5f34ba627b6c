@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// review23: every diagnostic devenv writes on stderr has one form, `devenv: [PLACE: ]SEVERITY:
/// MESSAGE` (`ErrorReport.diagnostic`), where notes and warnings were hand-written in several
/// files ("devenv: note: ...", "devenv: dry run: ...", progress steps starting "warning:").
@Suite struct DiagnosticFormTests {
    @Test func everySeverityHasTheOneForm() {
        #expect(ErrorReport.note("dry run: planned for rootful Docker") == "devenv: note: dry run: planned for rootful Docker\n")
        #expect(ErrorReport.warning("no state folder") == "devenv: warning: no state folder\n")
        let place = SourceLocation(file: "devenv.toml", line: 7, column: 12)
        #expect(ErrorReport.diagnostic(Diagnostic(.warning, "name looks like a secret", at: place))
                == "devenv: devenv.toml:7:12: warning: name looks like a secret\n")
        #expect(ErrorReport.text(DevEnvError(.failure, "pytest ran no tests: that is not a pass"))
                == "devenv: error: pytest ran no tests: that is not a pass\n")
    }

    @Test func aDryRunSaysItsAssumptionAsANote() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\nuser = \"0:0\"\n")
        _ = fixture.run(["up", "--dry-run"])
        #expect(fixture.console.stderr.contains("devenv: note: dry run: profile dev runs as 0:0"), "\(fixture.console.stderr)")
    }
}
