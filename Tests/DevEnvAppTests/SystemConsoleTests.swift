import DevEnvCore
import DevEnvSystem
import Foundation
import Testing

/// The real console is the one place devenv's text leaves for a terminal: it escapes control
/// characters in `write`/`writeError` and leaves `writeVerbatim` alone.
@Suite struct SystemConsoleTests {
    /// Writes through a console on two pipes and returns what each pipe got.
    func written(_ body: (SystemConsole) -> Void) throws -> (output: String, error: String) {
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw CocoaError(.fileWriteUnknown) }
        // Close-on-exec: a child another test spawns meanwhile would hold a write end, and the
        // reads below would wait for it to end.
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        body(SystemConsole(outputFD: out[1], errorFD: err[1]))
        close(out[1]); close(err[1])
        let output = FileHandle(fileDescriptor: out[0], closeOnDealloc: true).readDataToEndOfFile()
        let error = FileHandle(fileDescriptor: err[0], closeOnDealloc: true).readDataToEndOfFile()
        return (String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    @Test("an error naming a key with OSC 52 and a status line with OSC 0 come out escaped")
    func escapes() throws {
        let result = try written { console in
            console.writeError("devenv: error: unknown key \"k\u{1B}]52;c;aGk=\u{07}\"\n")
            console.write("dev\u{1B}]0;title\u{07}\trunning\n")
        }
        #expect(result.error == "devenv: error: unknown key \"k\\x1b]52;c;aGk=\\x07\"\n")
        #expect(result.output == "dev\\x1b]0;title\\x07\trunning\n")
    }

    @Test("verbatim text (Progress redrawing, filtered logs) is written as it is")
    func verbatim() throws {
        let result = try written { console in
            console.writeVerbatim("\u{1B}[2F\u{1B}[J", to: .error)
            console.writeVerbatim("\u{1B}[31mred\u{1B}[0m\n", to: .output)
        }
        #expect(result.error == "\u{1B}[2F\u{1B}[J")
        #expect(result.output == "\u{1B}[31mred\u{1B}[0m\n")
    }

    @Test("a write that fails (a full disk) is kept as the output's loss; stderr's are not")
    func outputLoss() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        #expect(full >= 0)
        defer { close(full) }
        let console = SystemConsole(outputFD: full, errorFD: full)
        console.writeError("lost, but stderr has nowhere else to say so\n")
        #expect(console.outputLoss == nil)
        console.write("status\n")
        #expect(console.outputLoss == "No space left on device")
        // Later writes do not replace the first reason.
        console.writeBytes([0x41], to: .output)
        #expect(console.outputLoss == "No space left on device")
    }
}
