import Dashboard
@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// A step's output as lines: a command that prints megabytes on one line (a lifecycle
/// command's `head -c 10000000 /dev/zero | tr ...`) is shown in pieces of `longestLine`
/// bytes as it comes, and the lines around it are kept whole.
@Suite("Progress output")
struct ProgressOutputTests {
    @Test("an endless line is shown in pieces of longestLine bytes, fed in small chunks; short lines stay whole")
    func anEndlessLineIsCutInPieces() {
        let console = CollectingConsole(terminal: false)
        let progress = Progress(console: console, clock: { 0 }, quiet: false, plain: false)
        progress.begin("postCreateCommand")
        progress.output(Array("first\nsecond".utf8))
        let piece = Progress.longestLine
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 3 * piece + 10 - "second".count)
        var offset = 0
        while offset < long.count {
            progress.output(Array(long[offset..<min(offset + 4096, long.count)]))
            offset += 4096
        }
        progress.output(Array("\nlast".utf8))
        progress.end(succeeded: true)
        let lines = console.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let shown = lines.filter { $0.hasPrefix("  ") }.map { String($0.dropFirst(2)) }
        #expect(shown.count == 6, "\(shown.map(\.count))")
        #expect(shown.first == "first")
        #expect(shown.dropFirst().prefix(3).map(\.count) == [piece, piece, piece])
        #expect(shown[1].hasPrefix("seconda"))
        #expect(shown[4] == String(repeating: "a", count: 10))
        #expect(shown.last == "last")
    }

    /// engine30: the piece was cut at `longestLine` bytes, through a character that straddled
    /// the cut (two U+FFFD, one each side); it is cut where the character starts.
    @Test("an endless line is cut between characters, never through one")
    func anEndlessLineIsCutBetweenCharacters() {
        let console = CollectingConsole(terminal: false)
        let progress = Progress(console: console, clock: { 0 }, quiet: false, plain: false)
        progress.begin("build")
        let piece = Progress.longestLine
        progress.output([UInt8](repeating: UInt8(ascii: "a"), count: piece - 1) + Array("€".utf8))
        progress.output(Array(" end\n".utf8))
        progress.end(succeeded: true)
        let shown = console.stderr.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { String($0.dropFirst(2)) }
        #expect(shown == [String(repeating: "a", count: piece - 1), "€ end"], "\(shown.map(\.count))")
    }

    @Test("after a stop and fg the block drawn before stays where it is: the next one starts below, never over the shell's lines")
    func aStopLeavesTheBlockDrawnBefore() {
        let console = CollectingConsole(terminal: true)
        let continued = Counter()
        let progress = Progress(console: console, clock: { 0 }, quiet: false, plain: false, continuations: { continued.value })
        progress.begin("building")
        progress.output(Array("one\n".utf8))
        let moveUp = "\u{1B}[1F\u{1B}[J"
        #expect(console.stderr.contains(moveUp), "\(console.stderr.debugDescription)")
        // Ctrl-Z: the shell prints "Stopped", the user types `fg`; then the build goes on.
        continued.value += 1
        let before = console.stderr.count
        progress.output(Array("two\n".utf8))
        let afterStop = String(console.stderr.dropFirst(before))
        #expect(!afterStop.contains("F\u{1B}[J"), "\(afterStop.debugDescription)")
        #expect(afterStop.contains("devenv: building (0.0s)\n  one\n  two\n"), "\(afterStop.debugDescription)")
        // What it drew since is redrawn in place again (three lines now).
        let drawn = console.stderr.count
        progress.end(succeeded: true)
        #expect(String(console.stderr.dropFirst(drawn)).hasPrefix("\u{1B}[3F\u{1B}[J"))
    }
}

private final class Counter: @unchecked Sendable {
    var value = 0

    /// leftovers25: the dashboard read an action's phase from its progress text. Progress now
    /// says it as data (`phase`), under --quiet too, and `build` says "building" through the
    /// context (`AppContext.progressPhase`), then its end.
    @Test("progress says the phase a step enters as data, and .other at a long step's end")
    func phasesAreData() throws {
        let heard = Heard()
        let progress = Progress(console: CollectingConsole(), clock: { 0 }, quiet: true, plain: true, phase: { heard.add($0) })
        progress.begin("building x", phase: .building)
        progress.output(Array("devenv: starting y\n".utf8))
        progress.end(succeeded: true)
        progress.step("creating volume v", phase: .starting)
        progress.step("watching c")
        #expect(heard.phases == [.building, .other, .starting])

        let fixture = AppFixture()
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner.expectABuild(environment, image: image)
        var context = fixture.context
        let built = Heard()
        context.progressPhase = { built.add($0) }
        #expect(App.run(["build"], context: context) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(built.phases == [.building, .other])
    }

    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var heard: [ActionPhase] = []
        func add(_ phase: ActionPhase) { lock.withLock { heard.append(phase) } }
        var phases: [ActionPhase] { lock.withLock { heard } }
    }
}
