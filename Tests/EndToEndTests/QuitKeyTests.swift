import DevEnvCore
import Foundation
import Testing
import TestSupport

/// break23: Ctrl-\ on a terminal during a subcommand. The terminal sends SIGQUIT to its
/// foreground process group; devenv's piped docker children were in it, and the docker CLI (a Go
/// program) answered with a goroutine dump of some 200 lines on the terminal and exit 2
/// (`devenv logs -f` then exited 2, not as Ctrl-C). Now those children sit in groups of their
/// own and devenv passes the signal on as SIGTERM: no dump, `logs -f` ends as with Ctrl-C, a
/// build is interrupted (exit 131, 128+SIGQUIT), nothing is left running. Under tmux on the real engine.
@Suite("Ctrl-\\ during a subcommand (tmux, real engine)", .serialized)
struct QuitKeyTests {
    /// `devenv ARGUMENTS` in a pane whose shell survives the terminal's Ctrl-\ and Ctrl-C as an
    /// interactive shell does (there devenv is a job of its own; the pane's `sh` shares its
    /// group and would die of SIGQUIT, taking the pane with it). `trap :` is a handler, so
    /// devenv starts with the default action, as from a shell.
    static func start(_ fixture: DashboardExitTests.Fixture, _ arguments: [String]) throws -> TmuxPane {
        let words = arguments.map { " '\($0)'" }.joined()
        return try TmuxPane.running("trap : INT QUIT; DEVENV_DOCKER='\(fixture.docker)' SWIFT_BACKTRACE=enable=no '\(DevenvBinary.path)' --project '\(fixture.path)'\(words)",
                                    in: fixture.work, tmux: fixture.tmux)
    }

    @Test("Ctrl-\\ during logs -f: no goroutine dump, exit 0 as with Ctrl-C, no docker left")
    func quitKeyEndsLogsFollow() throws {
        let fixture = try DashboardExitTests.Fixture()
        let pane = try Self.start(fixture, ["logs", "-f"])
        try pane.require("the container's ticks", seconds: 60) { $0.contains("tick ") }
        try pane.send("C-\\")
        try fixture.expectClean(pane, exitStatus: 0)
        let screen = pane.capture()
        #expect(!screen.contains("goroutine") && !screen.contains("SIGQUIT: quit"), "docker dumped its goroutines:\n\(screen)")
    }

    @Test("Ctrl-\\ during a build: interrupted (exit 131), no goroutine dump, no build left")
    func quitKeyInterruptsABuild() throws {
        let fixture = try DashboardExitTests.Fixture()
        let pane = try Self.start(fixture, ["build"])
        try pane.require("the build running (RUN sleep 300)", seconds: 60) { _ in
            DashboardExitTests.Fixture.processes().contains { $0.cmdline.contains(" build ") && $0.cmdline.contains(fixture.name) }
        }
        try pane.send("C-\\")
        try fixture.expectClean(pane, exitStatus: 128 + SIGQUIT)
        let screen = pane.capture()
        #expect(screen.contains("interrupted by signal 3"), "\(screen)")
        #expect(!screen.contains("goroutine") && !screen.contains("SIGQUIT: quit"), "docker dumped its goroutines:\n\(screen)")
    }
}
