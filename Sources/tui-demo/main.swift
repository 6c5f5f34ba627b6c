#if canImport(Glibc)
import Glibc
#endif
import DevEnvSystem
import TerminalUI

// tui-demo [--ready-file PATH] [--shell-command CMD] [--allow-trap] [--mouse] | --bench
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--bench" {
    TUIBench.run()
    exit(0)
}

func value(after flag: String, in arguments: [String]) -> String? {
    guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

var environment: [String: String] = [:]
var envp = environ
while let entry = envp.pointee {
    let pair = String(cString: entry)
    if let eq = pair.firstIndex(of: "=") { environment[String(pair[..<eq])] = String(pair[pair.index(after: eq)...]) }
    envp += 1
}

let colorMode: ColorMode
do {
    colorMode = try TerminalSession.colorMode(environment: environment)
} catch {
    printError("tui-demo: \(error)")
    exit(2)
}

var program = DemoProgram()
program.shellCommand = value(after: "--shell-command", in: arguments)
program.allowTrap = arguments.contains("--allow-trap")
let session = TerminalSession(modes: .init(mouse: arguments.contains("--mouse")))
let loop = TerminalEventLoop(program: program, session: session, colorMode: colorMode)

do {
    try session.enter()
    if let ready = value(after: "--ready-file", in: arguments) {
        // Written once raw mode is on: the tests send keys and signals only after this.
        let text = "\(getpid())\n"
        if let f = fopen(ready, "w") { fputs(text, f); fclose(f) }
    }
    try loop.run { effect, loop in
        switch effect {
        case .runShell(let command):
            let status = try loop.runOutside { () -> Int32 in
                var pid: pid_t = 0
                let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
                defer { argv.forEach { free($0) } }
                guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return -1 }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return status
            }
            loop.deliver(.line("shell command finished with status \(status)"))
        case .trap:
            // A Swift runtime trap, for the restore test.
            let values: [Int] = []
            _ = values[values.count + 1]
        case .stackOverflow:
            // A crash by SIGSEGV on an exhausted stack: the handler runs on the alternate stack.
            printError("depth \(recurse(1))")
        }
    }
} catch {
    session.restore()
    printError("tui-demo: \(error)")
    exit(1)
}

func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = write(2, bytes, bytes.count)
}

/// Recursion that the optimiser cannot turn into a loop.
func recurse(_ n: Int) -> Int {
    if n == Int.max { return 0 } // never reached; keeps the compiler from calling it infinite
    var frame = [Int](repeating: n, count: 64)
    frame[n % 64] = recurse(n + 1)
    return frame.reduce(0, &+)
}
