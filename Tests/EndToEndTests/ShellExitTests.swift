import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv shell` and `devenv exec -- sh` on a terminal, outside the dashboard (issue 9
/// section 5), under tmux on the real engine: a command that leaves insert mode, auto-wrap off,
/// a scroll region, keypad and cursor-key modes, another charset and a colour gets the terminal
/// back with every mode at its default, `stty -g` as before, and the cursor where the command
/// left it (the lines it printed stay on screen, the next output comes below them).
@Suite("shell and exec give the terminal back whole (tmux, real engine)", .serialized)
struct ShellExitTests {
    @Test(arguments: [["shell"], ["exec", "--", "sh"]])
    func modesAreResetWhenTheCommandReturns(_ arguments: [String]) throws {
        let fixture = try DashboardExitTests.Fixture()
        let pane = try fixture.startDevenv(arguments)
        try pane.require("the shell prompt", seconds: 60) { $0.contains("/app ") }
        // Last, the command puts its cursor on row 20 (setting the region homed it).
        // It returns once the test saw those modes (a file in /app, the project folder): a
        // fixed sleep was a window the polls below could miss on a loaded machine.
        try pane.type(#"printf '\033[4h\033[?7l\033[5;10r\033=\033[?1h\033(0\033[31m\033[20;1H'; while [ ! -e .modes-seen ]; do sleep 0.1; done; exit"#)
        try pane.send("Enter")
        // The probe works: tmux sees the modes the command set.
        try pane.require("insert on, wrap off, keypad and cursor keys on, region from row 5", seconds: 30) { _ in
            (try? pane.run(["display-message", "-p", "#{insert_flag}#{wrap_flag}#{keypad_flag}#{keypad_cursor_flag}#{scroll_region_upper}"]).stdoutText)?
                .hasPrefix("10114") == true
        }
        _ = FileManager.default.createFile(atPath: fixture.path + "/.modes-seen", contents: nil)
        try fixture.expectClean(pane, exitStatus: 0)
        // Resetting the region and origin mode homes the cursor: devenv puts it back on row 20,
        // so its next output comes below (rows count from 0 here).
        let lines = pane.capture().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let exited = lines.firstIndex { $0.contains("devenv exited with 0") }
        #expect(exited.map { $0 >= 19 } == true, "the cursor was not left where the command put it:\n\(lines.joined(separator: "\n"))")
    }

    /// mend27b: `devenv shell` ended by SIGTERM or SIGHUP while its command runs: the command ends
    /// in the container too (`MarkedExec`), and the terminal is as before (the docker CLI, ended
    /// with devenv, does not give back the raw mode it set).
    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalEndsTheCommandAndGivesTheTerminalBack(signal: Int32) throws {
        let fixture = try DashboardExitTests.Fixture()
        let pane = try fixture.startDevenv(["shell"])
        try pane.require("the shell prompt", seconds: 60) { $0.contains("/app ") }
        try fixture.signalWhileRunning("sleep 96\(signal)3", in: pane, signal: signal)
    }
}
