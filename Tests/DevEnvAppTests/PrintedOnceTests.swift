@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 15: errors and warnings are printed once, counts say "1 warning".
@Suite("Printed once")
struct PrintedOnceTests {
    static func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("a failed build's output is shown as progress and not again in the error, on a pipe and on a terminal")
    func failedStepOutputOnce() {
        for terminal in [false, true] {
            let console = CollectingConsole(terminal: terminal)
            let progress = Progress(console: console, clock: { 0 }, quiet: false, plain: false)
            let invocation = ProcessInvocation(["docker", "build", "."])
            let reason = "Error response from daemon: failed to reach build target dev in Dockerfile"
            progress.begin("building img")
            progress.output(Array("Step 1/3 : FROM x\n\(reason)\n".utf8))
            progress.end(succeeded: false)
            let error = DockerFailure.error("building img", invocation: invocation,
                                            result: ProcessResult(exitCode: 1, stderr: Array((reason + "\n").utf8)),
                                            outputShown: progress.showsOutput)
            // On a terminal the step is redrawn in place (the raw bytes repeat it): what stays
            // after the step's last line is what the user reads.
            let kept = console.stderr.components(separatedBy: "building img: failed in").last ?? ""
            let all = (terminal ? kept : console.stderr) + ErrorReport.text(error)
            #expect(Self.occurrences(reason, in: all) == 1, "terminal \(terminal):\n\(all)")
            #expect(ErrorReport.text(error).contains("$ docker build ."), "the command is still named")
            #expect(ErrorReport.text(error).contains("its output is above"))
        }
        // Quiet (nothing shown as it ran) or --json (the error object carries it): the error has it.
        for (quiet, plain) in [(true, false), (false, true)] {
            let progress = Progress(console: CollectingConsole(), clock: { 0 }, quiet: quiet, plain: plain)
            let error = DockerFailure.error("building img", invocation: ProcessInvocation(["docker", "build", "."]),
                                            result: ProcessResult(exitCode: 1, stderr: Array("boom\n".utf8)),
                                            outputShown: progress.showsOutput)
            #expect(ErrorReport.text(error).contains("| boom"), "quiet \(quiet) json \(plain)")
        }
    }

    @Test("a configuration with one error says it once; with several, each once under the count")
    func configurationErrorOnce() {
        let one = AppFixture(devenvToml: "[project]\nname = \"shop\"\nbogus = 1\n")
        #expect(one.run(["status", "--no-tui"]) == 2)
        #expect(Self.occurrences("unknown key \"bogus\"", in: one.console.stderr) == 1, "\(one.console.stderr)")
        let two = AppFixture(devenvToml: "[project]\nname = \"shop\"\nbogus = 1\nother = 2\n")
        #expect(two.run(["status", "--no-tui"]) == 2)
        #expect(two.console.stderr.contains("2 errors in the configuration"))
        #expect(Self.occurrences("unknown key \"bogus\"", in: two.console.stderr) == 1, "\(two.console.stderr)")
        #expect(Self.occurrences("unknown key \"other\"", in: two.console.stderr) == 1)
    }

    @Test("counts agree with their nouns")
    func plurals() {
        #expect(Plural.count(1, "warning") == "1 warning")
        #expect(Plural.count(0, "warning") == "0 warnings")
        #expect(Plural.count(2, "docker call") == "2 docker calls")
        #expect(Plural.count(1, "dependency", "dependencies") == "1 dependency")
        #expect(Plural.count(3, "dependency", "dependencies") == "3 dependencies")
    }

    @Test("a step's progress off a terminal (the dashboard's action pane, CI) prints no repeated elapsed-time lines")
    func plainProgressHasNoHeartbeatLines() {
        let console = CollectingConsole(terminal: false)
        let clock = Clock()
        let progress = Progress(console: console, clock: { clock.now }, quiet: false, plain: false)
        progress.begin("building img")
        for _ in 0..<25 {
            clock.now += 0.1
            progress.output([]) // the runner's heartbeat while docker is quiet
        }
        progress.output(Array("Step 1/1 : FROM x\n".utf8))
        progress.end(succeeded: true)
        #expect(console.stderr == "devenv: building img\n  Step 1/1 : FROM x\ndevenv: building img: done in 2.5s\n", "\(console.stderr)")
    }

    final class Clock: @unchecked Sendable { var now = 0.0 }
}
