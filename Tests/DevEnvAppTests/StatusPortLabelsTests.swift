@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// devcontainer.json's `portsAttributes` labels next to the published ports in `status`.
@Suite struct StatusPortLabelsTests {
    @Test func statusShowsEachLabelledPublishedPortInTextAndJSON() throws {
        let fixture = AppFixture(devenvToml: "devcontainer = \".devcontainer/devcontainer.json\"\n[project]\nname = \"shop\"\n")
        fixture.fileSystem.addFile(AppFixture.root + "/.devcontainer/devcontainer.json", """
            {
              "image": "python:3.12",
              "forwardPorts": [3000, 5678],
              "portsAttributes": { "3000": { "label": "Web \\u001b[31mapp" }, "9999": { "label": "not published" } },
            }
            """)
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "h"))
            .replacingOccurrences(of: #""Ports":"""#, with: #""Ports":"127.0.0.1:3000->3000/tcp, 127.0.0.1:5678->5678/tcp""#)
        let lookup = try fixture.statusLookup()
        fixture.runner.expect(lookup, stdout: ps)
        #expect(fixture.run(["status"]) == 0)
        // (The collecting console shows text as written; the real one escapes the ESC.)
        #expect(fixture.console.stdout.contains("dev: Web \u{1B}[31mapp on 127.0.0.1:3000 (container port 3000)\n"))
        #expect(!fixture.console.stdout.contains("not published"))
        #expect(!fixture.console.stdout.contains("5678 (container port"))

        fixture.runner.expect(lookup, stdout: ps)
        #expect(fixture.run(["status", "--json"]) == 0)
        let json = fixture.console.stdout
        #expect(json.contains(#"{"hostIP":"127.0.0.1","hostPort":3000,"containerPort":3000,"protocol":"tcp","label":"Web \u001b[31mapp"}"#))
        #expect(json.contains(#"{"hostIP":"127.0.0.1","hostPort":5678,"containerPort":5678,"protocol":"tcp","label":null}"#))
        fixture.runner.verifyAllCalled()
    }
}
