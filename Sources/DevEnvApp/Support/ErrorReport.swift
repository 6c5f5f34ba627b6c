import DevEnvCore

/// The one place where an error becomes text: `devenv: error: MESSAGE`, then the hint and the
/// detail (docker's argv and stderr) indented under it; with --json also an object on stdout.
enum ErrorReport {
    /// Standard output took nothing (`Console.outputLoss`, `outputClosed`): exit 1, "cannot
    /// write to standard output: REASON; CONSEQUENCE", the same words whatever the command.
    static func outputLost(_ reason: String, _ consequence: String) -> DevEnvError {
        DevEnvError(.failure, "cannot write to standard output: \(reason); \(consequence)")
    }

    static func text(_ error: DevEnvError) -> String {
        var text = "devenv: error: \(error.message)\n"
        if let hint = error.hint { text += "  hint: \(hint)\n" }
        if let detail = error.detail, !detail.isEmpty {
            text += detail.split(separator: "\n", omittingEmptySubsequences: false).map { "  | \($0)\n" }.joined()
        }
        return text
    }

    /// Any error as devenv reports it: a `DevEnvError` as it is, any other a failure (exit 1)
    /// with its description.
    static func devEnvError(_ error: any Error) -> DevEnvError {
        (error as? DevEnvError) ?? DevEnvError.failure("\(error)")
    }

    /// `{"ok":false,"error":{...}}` with `status`, the exit status devenv ends with (`status(_:interruption:)`).
    static func json(_ error: DevEnvError, status: Int32) -> String {
        JSONValue.object([("ok", .bool(false)),
                          ("error", errorObject(error.message, exitCode: status, hint: error.hint,
                                                detail: error.detail))]).rendered + "\n"
    }

    /// The exit status for `error`: its code, but for an interruption 128 + the signal that
    /// came (`ExitCode.status(afterSignal:)`; `interruption` is `AppContext.interruption()`),
    /// 130 when none is recorded.
    static func status(_ error: DevEnvError, interruption: Int32?) -> Int32 {
        guard error.exitCode == .interrupted, let signal = interruption else { return error.exitCode.rawValue }
        return ExitCode.status(afterSignal: signal)
    }

    /// The documented `error` object every `ok:false` result carries (README, "JSON output"):
    /// `message`, `exitCode` (devenv's exit code), then `hint` and `detail` when there are any.
    static func errorObject(_ message: String, exitCode: Int32, hint: String? = nil, detail: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [("message", .string(message)), ("exitCode", .number(Int(exitCode)))]
        if let hint { fields.append(("hint", .string(hint))) }
        if let detail { fields.append(("detail", .string(detail))) }
        return .object(fields)
    }

    /// `exec`, `shell` and `test` with `--json`: the command's exit code, and when it is not 0
    /// the `error` object as for any failure.
    static func exitResult(command: String, profile: String, ran: [String], status: Int32) -> String {
        var fields: [(String, JSONValue)] = [("ok", .bool(status == 0)), ("command", .string(command)),
                                             ("profile", .string(profile)), ("exitCode", .number(Int(status)))]
        if status != 0 {
            let what = ran.isEmpty ? command : ran.joined(separator: " ")
            fields.append(("error", errorObject("\(what) exited with \(status)", exitCode: status)))
        }
        return JSONValue.object(fields).rendered + "\n"
    }

    /// The one form of every diagnostic devenv writes on stderr besides an error that ends the
    /// command (`text`): `devenv: [FILE:LINE:COL: ]SEVERITY: MESSAGE`, one line. Used for
    /// configuration findings (`Diagnostic`s with their place) and what devenv notices while it
    /// works (`warning`, `note`). Not sanitised here: the consoles show every control character
    /// escaped on the way out (`SystemConsole`, the dashboard's action pane: `TerminalSafeText`),
    /// so an env file's or the engine's text in MESSAGE cannot drive the terminal.
    static func diagnostic(_ diagnostic: Diagnostic) -> String {
        "devenv: \(diagnostic)\n"
    }

    /// A configuration's findings (its warnings), each on its line on stderr: the one way every
    /// command that reads a configuration says them.
    static func write(_ diagnostics: [Diagnostic], to console: any Console) {
        for finding in diagnostics { console.writeError(diagnostic(finding)) }
    }

    /// What devenv found while it worked that may not work as meant: `devenv: warning: MESSAGE`.
    static func warning(_ message: String) -> String {
        diagnostic(Diagnostic(.warning, message, at: nil))
    }

    /// What is worth knowing though nothing is wrong: `devenv: note: MESSAGE` (a dry run's
    /// assumption about the engine, an engine on another machine).
    static func note(_ message: String) -> String {
        diagnostic(Diagnostic(.note, message, at: nil))
    }
}
