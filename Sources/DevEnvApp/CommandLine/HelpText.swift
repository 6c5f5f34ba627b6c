/// `devenv help [COMMAND]`, `--help` and `COMMAND --help`, rendered from `CommandTable`.
enum HelpText {
    static let version = CommandTable.version

    static var overview: String {
        let commands = CommandTable.visibleCommands.map { "  " + padded($0.name, 14) + $0.summary }
        let options = CommandTable.globalOptions.map { "  " + padded($0.synopsis, 20) + $0.summary }
        return """
            devenv \(version): Python (uv) projects in Docker development containers, as you.

            usage: devenv [OPTIONS] [COMMAND] [ARGS]

            With no command on a terminal, devenv opens its dashboard; otherwise (or with --no-tui)
            it prints `status`.

            commands:
            \(commands.joined(separator: "\n"))

            options (before or after the command; a command's own options: devenv help COMMAND):
            \(options.joined(separator: "\n"))

            exit codes: 0 ok, 1 failed (exec, shell and test pass the command's own code through),
            2 usage or configuration error, 3 no Docker engine, 4 conflict with a container or volume
            devenv did not create (left untouched), 128+N interrupted by signal N and cleaned up
            (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 131 Ctrl-\\).

            environment: DOCKER_HOST and DOCKER_CONTEXT choose the engine; DEVENV_DOCKER names another
            docker-compatible CLI (e.g. podman, or /usr/bin/docker for a client with BuildKit).
            """
    }

    /// One command's usage line, description, options and examples.
    static func text(for spec: CommandSpec) -> String {
        var text = "usage: \(spec.usageLine)\n\n\(spec.description)\n"
        if !spec.options.isEmpty {
            // One column for the summaries, however long the command's longest synopsis.
            let width = max(20, (spec.options.map(\.synopsis.count).max() ?? 0) + 2)
            text += "\noptions:\n" + spec.options.map { "  " + padded($0.synopsis, width) + $0.summary + "\n" }.joined()
        }
        let globals = CommandTable.globalOptions.map { $0.names.min { $0.count < $1.count } ?? $0.long }
        text += "\nglobal options (see `devenv help`): \(globals.joined(separator: " "))\n"
        if !spec.examples.isEmpty {
            text += "\nexamples:\n" + spec.examples.map { "  \($0)\n" }.joined()
        }
        return text
    }

    static func text(for command: String?) -> String {
        guard let command, let spec = CommandTable.command(command) else { return overview + "\n" }
        return text(for: spec)
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count + 2 > width ? text + "  " : text + String(repeating: " ", count: width - text.count)
    }
}
