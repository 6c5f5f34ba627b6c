import DevEnvCore

/// What a command prints when it succeeded, in the form the options ask for: with `--json` one
/// object on stdout, `{"ok":true,"command":NAME,"profile":NAME,...}` then the command's own
/// fields (README, "JSON output"); otherwise the command's text on stdout, nothing with
/// `--quiet`. What the text and fields are is the subcommand's (`Up.text`, `Down.fields`, ...,
/// each in its own file); this only chooses between them, so the envelope is written once.
struct CommandOutput {
    let console: any Console
    let json: Bool
    let quiet: Bool

    /// Prints `text` or the JSON object; each is built only when it is the one printed.
    func print(_ text: @autoclosure () -> String, _ fields: @autoclosure () -> [(String, JSONValue)], command: String,
               profile: String?) {
        if json {
            var object: [(String, JSONValue)] = [("ok", .bool(true)), ("command", .string(command))]
            if let profile { object.append(("profile", .string(profile))) }
            console.write(JSONValue.object(object + fields()).rendered + "\n")
        } else if !quiet {
            console.write(text())
        }
    }
}
