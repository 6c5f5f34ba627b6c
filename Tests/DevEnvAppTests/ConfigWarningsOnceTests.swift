@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// Issue 15, "some warnings are printed twice": `devenv config` lists the configuration's
/// warnings in its report, so on a terminal they are not printed on stderr as well; into a
/// file or pipe, stderr still shows them once.
@Suite("config prints each warning once")
struct ConfigWarningsOnceTests {
    static let warning = #""features" is not supported"#

    private func fixture() -> AppFixture {
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile("\(AppFixture.root)/.devcontainer/devcontainer.json",
                                   #"{ "build": { "dockerfile": "../Dockerfile" }, "features": { "ghcr.io/devcontainers/features/node:1": {} } }"#,
                                   owner: (1500, 1500))
        return fixture
    }

    private func count(_ text: String) -> Int { text.components(separatedBy: Self.warning).count - 1 }

    @Test func onATerminalTheReportAloneShowsIt() throws {
        let fixture = fixture()
        var context = fixture.context
        let console = CollectingConsole(terminal: true)
        context.console = console
        #expect(App.run(["config"], context: context) == 0, "\(console.stderr)")
        #expect(count(console.stdout) + count(console.stderr) == 1, "stdout:\n\(console.stdout)\nstderr:\n\(console.stderr)")
    }

    @Test func intoAFileStderrShowsItToo() throws {
        let fixture = fixture()
        #expect(fixture.run(["config"]) == 0, "\(fixture.console.stderr)")
        #expect(count(fixture.console.stderr) == 1)
        #expect(count(fixture.console.stdout) == 1)
    }
}
