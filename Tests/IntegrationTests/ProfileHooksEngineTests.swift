import DevEnvCore
import Foundation
import Testing
import TestSupport

/// devenv's own profiles' lifecycle commands (`post_create`, `post_start`, `post_attach` in
/// devenv.toml) on the real engine.
@Suite("Profile lifecycle commands on a real engine", .serialized)
struct ProfileHooksEngineTests {
    @Test("post_create once per environment (again for new volumes or a changed command), post_start once per start, post_attach on shell; config names their lines")
    func profileHooks() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try DevcontainerEngineTests.Project()
        let container = "\(DevenvNames.container(project.name, in: project.path, profile: "hooks"))"
        try project.write("Dockerfile", "FROM \(TestEngine.pythonImage)\n")
        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"
            default_profile = "hooks"

            [profiles.hooks]
            user = "host"
            command = ["sleep", "infinity"]
            post_create = ["sh", "-c", "echo \\"$(id -u) $HOSTNAME\\" >> created.log"]
            post_start = "pwd >> started.log"
            post_attach = ["sh", "-c", "echo attached >> attached.log"]
            """)

        let config = try project.devenv("config")
        let rows = config.stdoutText.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains(#"post_create = ["sh", "-c", "echo \"$(id -u) $HOSTNAME\" >> created.log"] # devenv.toml:8:1"#), "\(config.stdoutText)")
        #expect(rows.contains(#"post_start = "pwd >> started.log" # devenv.toml:9:1"#))

        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stderrText.contains("devenv: post_create in \(container)"), "\(up.stderrText)")
        // As the synced user, in the workspace (/app), its files the user's.
        #expect(project.lines("created.log").count == 1 && project.lines("created.log").first?.hasPrefix("4242 ") == true,
                "\(project.lines("created.log"))")
        #expect(project.owner("created.log") == "4242:4242")
        #expect(project.lines("started.log") == ["/app"])

        #expect(try project.devenv("exec", "true").exitCode == 0)
        #expect(try project.devenv("up", "--no-tui").stdoutText == "hooks is up to date: \(container) is running\n")
        #expect(project.lines("started.log").count == 1)

        #expect(try project.devenv("restart", "--no-tui").exitCode == 0)
        #expect(project.lines("created.log").count == 1)
        #expect(project.lines("started.log").count == 2)

        let shell = try project.devenv("shell", input: "exit 0\n")
        #expect(shell.exitCode == 0, "\(shell.stderrText)")
        #expect(project.lines("attached.log") == ["attached"])
        // exec is no attach.
        #expect(try project.devenv("exec", "true").exitCode == 0)
        #expect(project.lines("attached.log").count == 1)

        #expect(try project.devenv("down").exitCode == 0)
        let again = try project.devenv("up", "--no-tui")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        // A new container of the same environment (its volumes and the project kept what
        // post_create did): post_start only.
        #expect(project.lines("created.log").count == 1, "\(project.lines("created.log"))")
        #expect(project.lines("started.log").count == 3)
        #expect(again.stderrText.contains("post_create not run again"), "\(again.stderrText)")

        // down --volumes, then up: new volumes, so post_create once more (in a new container).
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
        let reset = try project.devenv("up", "--no-tui")
        #expect(reset.exitCode == 0, "\(reset.stderrText)")
        #expect(Set(project.lines("created.log")).count == 2, "\(project.lines("created.log"))")
        #expect(project.lines("started.log").count == 4)

        // A changed post_create runs in the running container, once.
        try project.write("devenv.toml", project.read("devenv.toml").replacingOccurrences(of: ">> created.log", with: ">> created.log; true"))
        let changed = try project.devenv("up", "--no-tui")
        #expect(changed.exitCode == 0, "\(changed.stderrText)")
        #expect(project.lines("created.log").count == 3, "\(project.lines("created.log"))")
        let quiet = try project.devenv("up", "--no-tui")
        #expect(quiet.exitCode == 0)
        #expect(project.lines("created.log").count == 3)
        #expect(!quiet.stderrText.contains("not run again"), "said once per container: \(quiet.stderrText)")

        // Another image (the Dockerfile changed, so up rebuilds and recreates): post_create again.
        try project.write("Dockerfile", "FROM \(TestEngine.pythonImage)\nENV REBUILT=1\n")
        let rebuilt = try project.devenv("up", "--no-tui")
        #expect(rebuilt.exitCode == 0, "\(rebuilt.stderrText)")
        #expect(rebuilt.stdoutText.contains("recreated"), "\(rebuilt.stdoutText)")
        #expect(project.lines("created.log").count == 4, "\(project.lines("created.log"))")
    }
}
