import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 13's shortfall: a lifecycle command's string form runs with `sh -c`, and a value
/// substituted from `${localEnv:VAR}` was inserted raw, so a host variable holding a space, `;`,
/// `$(...)` or a newline split the command or ran code. Every substituted value is now data
/// (`ShellWordQuoting`), wherever it stands: unquoted, in single or double quotes, glued to
/// other text. Checked by the shell itself: the command prints exactly the value and makes no
/// file. (The real engine runs one such command in DevcontainerEngineTests.)
@Suite struct LifecycleShellQuotingTests {
    typealias F = ConfigFixture
    static let file = ".devcontainer/devcontainer.json"

    static let hostile: [String] = [
        "a b", "it's", #"say "hi""#, "$(touch PWNED)", "`touch PWNED`", "a;touch PWNED", "x && touch PWNED",
        "line1\ntouch PWNED", #"back\slash"#, "", "$HOME", "*", "'; touch PWNED; '", #"\"; touch PWNED; \""#, "-n",
        #"\'; touch PWNED; echo '"#, "a)b", "(touch PWNED)", "{x}", "EOF", "x\nEOF\ntouch PWNED", "#", "a`b", "$", "a[$(touch PWNED)]", "7",
    ]

    /// Where the reference stands in the command, and the text the shell prints around the value.
    static let places: [(command: String, before: String, after: String)] = [
        ("printf '%s|' ${localEnv:X}", "", "|"),
        (#"printf '%s|' "${localEnv:X}""#, "", "|"),
        (#"printf '%s|' '${localEnv:X}'"#, "", "|"),
        ("printf '%s|' pre${localEnv:X}post", "pre", "post|"),
        (#"printf '%s|' "a'b${env:X}""#, "a'b", "|"),
        // After the shell's own backslash: it must not escape the quoting devenv adds.
        (#"printf '%s|' \${localEnv:X}"#, "", "|"),
        (#"printf '%s|' "\${localEnv:X}""#, "", "|"),
    ]

    /// `sh -c TEXT` (or `shell`) in an empty folder: what it printed, and whether any file appeared.
    static func runShell(_ text: String, shell: String = "/bin/sh") throws -> (output: String, madeFiles: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-quoting-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-c", text]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), try FileManager.default.contentsOfDirectory(atPath: folder.path))
    }

    func substituted(_ command: String, value: String) throws -> String {
        let json = #"{ "image": "python:3.12", "postCreateCommand": \#(JSONText.quote(command)) }"#
        let eval = F.evaluate(F.fileSystem([Self.file: json]), environment: ["HOME": "/home/ada", "X": value])
        let config = try #require(eval.config, "\(eval.errors)")
        guard case .shell(let text)? = config.profile.lifecycle[.postCreate]?.value else {
            Issue.record("no shell command for \(command)")
            return ""
        }
        return text
    }

    @Test(arguments: hostile)
    func aHostileHostVariableIsOneWordOfData(_ value: String) throws {
        for (command, before, after) in Self.places {
            let text = try substituted(command, value: value)
            let ran = try Self.runShell(text)
            #expect(ran.output == before + value + after, "\(command) with \(value.debugDescription) became \(text.debugDescription)")
            #expect(ran.madeFiles.isEmpty, "\(command) with \(value.debugDescription) ran code: \(text.debugDescription)")
        }
        // The default of an unset variable is data too.
        let fallback = try substituted("printf '%s|' ${localEnv:UNSET:\(value.replacingOccurrences(of: "}", with: ""))}", value: "")
        let ran = try Self.runShell(fallback)
        #expect(ran.madeFiles.isEmpty, "\(fallback.debugDescription)")
    }

    /// The lifecycle command with `X` set to `value`: its text, or the errors that refused it.
    func substitutedOrRefused(_ command: String, value: String) throws -> (text: String?, errors: [String]) {
        let json = #"{ "image": "python:3.12", "postCreateCommand": \#(JSONText.quote(command)) }"#
        let eval = F.evaluate(F.fileSystem([Self.file: json]), environment: ["HOME": "/home/ada", "X": value])
        guard let config = eval.config else { return (nil, eval.errors.map { "\($0)" }) }
        guard case .shell(let text)? = config.profile.lifecycle[.postCreate]?.value else { return (nil, ["no shell command"]) }
        return (text, [])
    }

    /// Constructs the quote state alone did not follow, where a value was escaped for the
    /// wrong place and ran (`"$(printf %s ${localEnv:X})"` with `a;touch x`): command
    /// substitution inside double quotes, backquotes, bash's `$'...'`, a comment, here-documents
    /// (a value that would end one early is refused), arithmetic, the text's own `$` before
    /// the reference. Checked by dash (/bin/sh) and bash; `shows` is what both print around
    /// the value, nil where they differ (then only: nothing ran).
    static let constructs: [(command: String, shows: (before: String, after: String)?, bashShows: (before: String, after: String)?)] = [
        (#"printf '%s|' "$(printf '%s' ${localEnv:X})""#, ("", "|"), nil),
        (#"printf '%s|' "$(printf '%s' "${localEnv:X}")""#, ("", "|"), nil),
        (#"x=$(printf '%s' ${localEnv:X}); printf '%s|' "$x""#, ("", "|"), nil),
        ("printf '%s|' \"`printf '%s' ${localEnv:X}`\"", ("", "|"), nil),
        ("printf '%s|' \"`printf '%s' \"${localEnv:X}\"`\"", ("", "|"), nil),
        ("printf '%s|' \"$(printf '%s' \"`printf '%s' ${localEnv:X}`\")\"", ("", "|"), nil),
        ("printf '%s|' \"`printf '%s' \\\\${localEnv:X}`\"", ("", "|"), nil),
        (#"printf '%s|' $'${localEnv:X}'"#, nil, ("", "|")),
        (#"printf '%s|' "$${localEnv:X}""#, ("$", "|"), nil),
        (#"printf '%s|' $${localEnv:X}"#, nil, nil),
        ("true # ${localEnv:X}\nprintf '%s|' done", nil, nil),
        ("true #${localEnv:X} \\\nprintf '%s|' done", nil, nil),
        ("cat <<EOF\n${localEnv:X}|\nEOF", ("", "|\n"), nil),
        ("cat <<'EOF'\n${localEnv:X}|\nEOF", ("", "|\n"), nil),
        ("cat <<-EOF\n\t${localEnv:X}|\n\tEOF", ("", "|\n"), nil),
        ("cat <<EOF\n$(printf '%s' ${localEnv:X})|\nEOF\nprintf after", ("", "|\nafter"), nil),
        ("cat <<EOF; printf '%s|' ${localEnv:X}\nbody\nEOF", ("body\n", "|"), nil),
        ("printf '%s|' $(( ${localEnv:X} + 0 ))", nil, nil),
        (#"printf '%s|' "${UNSET_DEVENV_TEST:-x}"${localEnv:X}"#, ("x", "|"), nil),
        (#"printf '%s|' "$(printf '(%s)' ")")"${localEnv:X}"#, ("())", "|"), nil),
        // bash's other arithmetic (also as sh): `$[...]` and the `((...))` command expand
        // `a[$(cmd)]` inside quotes as `$((...))` does (break21: both ran code).
        ("printf '%s|' $[ ${localEnv:X} + 0 ]", nil, nil),
        ("printf '%s|' \"$[${localEnv:X}]\"", nil, nil),
        ("(( y = ${localEnv:X} )); printf '%s|' done", nil, nil),
        ("for ((i = 0; i < ${localEnv:X}; i++)); do :; done; printf '%s|' done", nil, nil),
        ("cat <<EOF\n$[${localEnv:X}]|\nEOF", nil, nil),
        // A case pattern's `)` inside `$(...)` in double quotes: read as the end of the `$(...)`,
        // the value was escaped for double quotes and ran (break21). Refused.
        (#"printf '%s|' "$(case a in a) printf '%s' ${localEnv:X};; esac)""#, nil, nil),
        (#"printf '%s|' "$( (case a in (a) printf b;; esac); printf '%s' ${localEnv:X})""#, nil, nil),
        // More places where bash (also as sh) evaluates a quoted value as arithmetic, running
        // `a[$(cmd)]` (break22): a subscript, a substring, let, declare -i, [[ -eq ]]. (A
        // reference right after a shell `${` is no reference: `${a[${localEnv:X}` is read as
        // one unknown variable and kept; after an inner `${#b}` it is one.)
        (#"a=(1 2); printf '%s|' "${a[${#b} + ${localEnv:X}]}""#, nil, nil),
        (#"a=(1 2); printf '%s|' ${a[${#b}+'${localEnv:X}']}"#, nil, nil),
        (#"x=abcdef; printf '%s|' "${x:${#b}:${localEnv:X}}""#, nil, nil),
        ("let y=${localEnv:X}; printf '%s|' done", nil, nil),
        (#"let "y = ${localEnv:X}"; printf '%s|' done"#, nil, nil),
        ("declare -i y=${localEnv:X}; printf '%s|' done", nil, nil),
        ("[[ ${localEnv:X} -eq 1 ]]; printf '%s|' done", nil, nil),
        (#"[[ 1 -lt "${localEnv:X}" ]]; printf '%s|' done"#, nil, nil),
        // Beside them, the same words where bash reads no arithmetic: data, as anywhere.
        (#"x=a:b; printf '%s|' "${x#*:}"${localEnv:X}"#, ("b", "|"), nil),
        (#"[ ${localEnv:X}x = y ]; printf '%s|' "$(printf '%s' ${localEnv:X})""#, ("", "|"), nil),
        (#"declare -x y=${localEnv:X}; printf '%s|' "$y""#, nil, ("", "|")),
    ]

    @Test(arguments: hostile)
    func aHostileHostVariableIsDataInEveryConstruct(_ value: String) throws {
        for (command, shows, bashShows) in Self.constructs {
            let (text, errors) = try substitutedOrRefused(command, value: value)
            // Refused where no text can hold it: a line of the value would be the here-document's
            // delimiter, or it is no number inside $((...)).
            let endsDocument = command.hasPrefix("cat <<") && !command.contains("; printf")
                && value.split(separator: "\n", omittingEmptySubsequences: false).dropLast().contains("EOF")
            let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
            let arithmetic = command.contains("((") || command.contains("$[") || command.contains("${a[") || command.contains("${x:")
                || command.hasPrefix("let ") || command.contains("-i ") || command.hasPrefix("[[ ")
            let notANumber = arithmetic && (digits.isEmpty || !digits.allSatisfy(\.isASCII) || Int(digits) == nil)
            let afterCase = command.contains("case a in")
            guard let text else {
                #expect(endsDocument || notANumber || afterCase, "\(command) with \(value.debugDescription) refused: \(errors)")
                continue
            }
            #expect(!endsDocument && !notANumber && !afterCase, "\(command) with \(value.debugDescription) was not refused: \(text.debugDescription)")
            for shell in ["/bin/sh", "/bin/bash"] {
                let ran = try Self.runShell(text, shell: shell)
                #expect(ran.madeFiles.isEmpty, "\(shell): \(command) with \(value.debugDescription) ran code: \(text.debugDescription)")
                if let expected = shell == "/bin/bash" ? bashShows ?? shows : shows {
                    #expect(ran.output == expected.before + value + expected.after,
                            "\(shell): \(command) with \(value.debugDescription) became \(text.debugDescription)")
                }
            }
        }
    }

    /// break23: bash evaluates `a[$(cmd)]` (running cmd, quoted or not) when the value is
    /// assigned to a name declared integer apart from the declaration, and where it reads the
    /// value as a variable name (read, printf -v, test -v, declare's name part, a nameref).
    /// Each ran code before; now a value that is no number (integer) or that holds `[` (a
    /// name) is refused there, and the same words elsewhere stay data.
    static let bashEvaluates: [String] = [
        "declare -i n; n=${localEnv:X}; printf '%s|' done",
        "typeset -i n; n+=${localEnv:X}; printf '%s|' done",
        "f() { n=\"${localEnv:X}\"; }; declare -i n; f; printf '%s|' done",
        "declare -i n; read n <<< ${localEnv:X}; printf '%s|' done",
        "declare -i n; printf -v n '%s' \"${localEnv:X}\"; printf '%s|' done",
        "printf -v ${localEnv:X} '%s' 1; printf '%s|' done",
        "read ${localEnv:X} <<< 1; printf '%s|' done",
        "read -r \"${localEnv:X}\" <<< 1; printf '%s|' done",
        "declare \"${localEnv:X}=1\"; printf '%s|' done",
        "f() { local ${localEnv:X}=1; }; f; printf '%s|' done",
        "declare -n r=${localEnv:X}; r=1; printf '%s|' done",
        "[[ -v ${localEnv:X} ]]; printf '%s|' done",
        // After the reserved words that open a compound command (a function's `{`, `if`) and
        // leading assignments: the same commands (`let`/`[[ -eq` were not seen there either).
        "f() { local -i n=${localEnv:X}; }; f; printf '%s|' done",
        "if [[ ${localEnv:X} -eq 1 ]]; then :; fi; printf '%s|' done",
        "while ! let n=${localEnv:X}; do break; done; printf '%s|' done",
        "A=1 read ${localEnv:X} <<< 1; printf '%s|' done",
        "[ -v \"${localEnv:X}\" ]; printf '%s|' done",
        "test -v ${localEnv:X}; printf '%s|' done",
    ]

    @Test(arguments: hostile)
    func aValueBashReadsAsAnIntegerOrANameRunsNothing(_ value: String) throws {
        for command in Self.bashEvaluates {
            let (text, errors) = try substitutedOrRefused(command, value: value)
            let integer = command.contains("-i ") || command.contains("-eq") || command.contains("let ")
            let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
            let refusable = integer ? digits.isEmpty || !digits.allSatisfy(\.isASCII) || Int(digits) == nil : value.contains("[")
            guard let text else {
                #expect(refusable, "\(command) with \(value.debugDescription) refused: \(errors)")
                continue
            }
            #expect(!refusable, "\(command) with \(value.debugDescription) was not refused: \(text.debugDescription)")
            let ran = try Self.runShell(text, shell: "/bin/bash")
            #expect(ran.madeFiles.isEmpty, "bash: \(command) with \(value.debugDescription) ran code: \(text.debugDescription)")
        }
        // Where bash reads no name and declares no integer, the same values are data.
        for command in ["declare x=${localEnv:X}; printf '%s|' \"$x\"", "export Y=\"${localEnv:X}\"; printf '%s|' \"$Y\"",
                        "printf -v x '%s' ${localEnv:X}; printf '%s|' \"$x\"", "read x <<< 1; printf '%s|' ${localEnv:X}"] {
            let (text, errors) = try substitutedOrRefused(command, value: value)
            let shown = try #require(text, "\(command) with \(value.debugDescription) refused: \(errors)")
            let ran = try Self.runShell(shown, shell: "/bin/bash")
            #expect(ran.madeFiles.isEmpty, "bash: \(command) with \(value.debugDescription) ran code: \(shown.debugDescription)")
            #expect(ran.output == value + "|", "\(command) with \(value.debugDescription) became \(shown.debugDescription)")
        }
    }

    /// break23: inside a double-quoted `${x#...}` (`%`, `/`) a `'` is a quote to bash and dash
    /// alike; devenv read it as a character, so the shell's quoted span ran on past where devenv
    /// thought the `${...}` ended, and a value devenv single-quoted there stood unquoted in the
    /// pattern: `U=x; printf %s "${U#'}" ${localEnv:X} "'}"` with `$(touch P)` ran touch in both.
    /// In a `${x?...}` message the shells differ (bash: a quote): values after one are refused.
    /// `refused`: whether the value must be refused there.
    static let patternConstructs: [(command: String, shows: String?, refused: @Sendable (String) -> Bool)] = [
        (#"U=x; printf '%s|' "${U#'}" ${localEnv:X} "'}""#, "x|", { $0.contains("'") }),
        (#"U=x; printf '%s|' "${U%%'}" "${localEnv:X}" "'}""#, "x|", { $0.contains("'") }),
        (#"U=x; printf '%s|' "${U/'}" ${localEnv:X} "'/y}""#, nil, { $0.contains("'") }),
        (#"U=x; printf '%s|' "${U%${#b}${localEnv:X}}""#, "x|", { $0.contains("'") }),
        (#"U=x; printf '%s|' "${U:?it's}" ${localEnv:X} "'""#, nil, { _ in true }),
        (#"printf '%s|' "${U#'a'}"${localEnv:X}"#, "VALUE|", { _ in false }),
        (#"printf '%s|' "${U:-it's}"${localEnv:X}"#, "it'sVALUE|", { _ in false }),
    ]

    @Test(arguments: hostile)
    func aQuoteInADoubleQuotedPatternIsFollowed(_ value: String) throws {
        for (command, shows, refused) in Self.patternConstructs {
            let (text, errors) = try substitutedOrRefused(command, value: value)
            guard let text else {
                #expect(refused(value), "\(command) with \(value.debugDescription) refused: \(errors)")
                continue
            }
            #expect(!refused(value), "\(command) with \(value.debugDescription) was not refused: \(text.debugDescription)")
            for shell in ["/bin/sh", "/bin/bash"] {
                let ran = try Self.runShell(text, shell: shell)
                #expect(ran.madeFiles.isEmpty, "\(shell): \(command) with \(value.debugDescription) ran code: \(text.debugDescription)")
                // What it prints, as lifecycle commands run (`sh -c`: dash here; bash outside
                // POSIX mode reads a `'` in any double-quoted `${...}` as a quote when parsing).
                if let shows, shell == "/bin/sh" {
                    #expect(ran.output == shows.replacingOccurrences(of: "VALUE", with: value),
                            "\(shell): \(command) with \(value.debugDescription) became \(text.debugDescription)")
                }
            }
        }
    }

    @Test func aValueAssignedToAnIntegerElsewhereIsRefusedWithTheReason() throws {
        let (text, errors) = try substitutedOrRefused("declare -i n; n=${localEnv:X}", value: "a[$(touch PWNED)]")
        #expect(text == nil)
        #expect(errors.contains { $0.contains("devcontainer.json:1:") && $0.contains("declares an integer variable") }, "\(errors)")
        #expect(try substitutedOrRefused("declare -i n; n=${localEnv:X}", value: "-42").text == "declare -i n; n=-42")
        let (name, nameErrors) = try substitutedOrRefused("read ${localEnv:X} <<< 1", value: "a[$(touch PWNED)]")
        #expect(name == nil)
        #expect(nameErrors.contains { $0.contains("where bash reads a variable name") }, "\(nameErrors)")
    }

    @Test func aValueThatWouldEndAHereDocumentIsAnErrorAtItsPlace() throws {
        let (text, errors) = try substitutedOrRefused("cat <<EOF\n${localEnv:X}\nEOF", value: "EOF")
        #expect(text == nil)
        #expect(errors.contains { $0.contains("devcontainer.json:1:") && $0.contains("here-document <<EOF early") }, "\(errors)")
        // A value that only contains the word, or ends no line with it, is data.
        #expect(try substitutedOrRefused("cat <<EOF\n${localEnv:X}\nEOF", value: "EOFX").text == "cat <<EOF\nEOFX\nEOF")
        #expect(try substitutedOrRefused("cat <<EOF\nx ${localEnv:X}\nEOF", value: "EOF").text == "cat <<EOF\nx EOF\nEOF")
    }

    /// A host variable that makes the command longer than Linux passes in one argument: an
    /// error at the command's place (exit 2 before anything is made), not "Argument list too
    /// long" from the spawn after the container was created.
    @Test func aCommandTooLongForOneArgumentIsAnErrorAtItsPlace() throws {
        let value = String(repeating: "a", count: 70_000)
        let (twice, errors) = try substitutedOrRefused("printf %s ${localEnv:X}${localEnv:X}", value: value)
        #expect(twice == nil)
        #expect(errors.contains { $0.contains("devcontainer.json:1:") && $0.contains("140010 bytes once its variables are replaced")
            && $0.contains("at most 131071 bytes in one argument") }, "\(errors)")
        #expect(try substitutedOrRefused("printf %s ${localEnv:X}", value: value).text == "printf %s " + value)
    }

    @Test func ordinaryValuesAreInsertedAsTheyAre() throws {
        #expect(try substituted("pip install ${localEnv:X}", value: "requests==2.31") == "pip install requests==2.31")
        #expect(try substituted("cd ${localEnv:X}/sub", value: "/home/ada/src") == "cd /home/ada/src/sub")
        #expect(try substituted("echo ${localEnv:X}", value: "a b") == "echo 'a b'")
        #expect(try substituted(#"echo "${localEnv:X}""#, value: #"$(id)"#) == #"echo "\$(id)""#)
    }
}
