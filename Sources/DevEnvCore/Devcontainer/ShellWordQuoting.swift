/// Inserts a value into POSIX `sh` command text as literal data, whatever construct the text
/// has open where it goes (POSIX, Shell Command Language, 2.2 "Quoting", 2.3 "Token
/// Recognition", 2.6.3 "Command Substitution", 2.7.4 "Here-Document"): the text before the
/// insertion point is followed through a stack of the constructs it opened, innermost last.
///
/// - commands (the top level, `$(...)`, `` `...` ``): a value of only
///   `[A-Za-z0-9_./:@%+=,-]` (and not empty) is inserted as it is; anything else is
///   single-quoted, a `'` in it written `'\''`.
/// - arithmetic: `$((...))`, and bash's `$[...]` and `((...))` (a `((` that starts a word; also
///   `for ((...))`), which bash (also as `sh`, in POSIX mode) evaluates as if in double quotes,
///   expanding `$(...)` in a subscript (`a[$(cmd)]`) even when quoted: only a number is
///   inserted, anything else is refused. (In dash `$[` is literal text: a number there is data.)
///   bash evaluates a quoted value as arithmetic in more places, which are refused the same
///   way: an array subscript `${a[...]}`, a substring's `${x:OFFSET:LENGTH}`, the words of
///   `let`, of `declare -i` (`typeset`, `local`, `export`, `readonly` with an `i` option) and a
///   word beside `-eq`, `-ne`, `-lt`, `-le`, `-gt` or `-ge` in `[[ ... ]]` (break22: each ran
///   `a[$(cmd)]`). A name declared integer and assigned apart from its declaration
///   (`declare -i n; n=${localEnv:X}`, or through `read`, `printf -v` or a function defined
///   before the declaration) is not followed name by name: a text that declares any integer
///   takes only numbers, wherever they stand (break23: the assignment ran `a[$(cmd)]`).
/// - a value where bash reads a variable name and evaluates its subscript (`a[$(cmd)]` runs
///   even quoted): a word of `read`, the name after `printf -v`, `test -v`/`[ -v`/`[[ -v`,
///   the name part of a `declare`/`typeset`/`local`/`export`/`readonly` word (before its
///   `=`; the whole word with `-n`, whose value is a name too): refused when it holds a `[`
///   (break23: each ran code).
/// - inside `'...'`: a `'` in the value closes, escapes and reopens (`'\''`).
/// - inside `$'...'` (bash, busybox ash): closed, the value single-quoted, reopened with `$'`;
///   a shell without `$'...'` (dash) reads the same text as data too.
/// - inside `"..."` and `${...}` within double quotes: `$`, `` ` ``, `"` and `\` get a backslash
///   (and `}` inside the `${...}`). In a double-quoted `${x#...}`, `${x%...}` or `${x/...}` a
///   `'` quotes (bash and dash): followed as a quote, and a value holding `'` is refused there;
///   after a `'` in a double-quoted `${x?...}` (a quote to bash, not to dash) values are refused.
/// - inside `` `...` ``, once per level: `\`, `` ` `` and `$` get a backslash, as the shell
///   removes one before it reads the quoted command.
/// - in a comment: as in commands, newlines as spaces (a newline would end the comment).
/// - in a here-document's body: the text is data already; with an unquoted delimiter `$`,
///   `` ` `` and `\` get a backslash. A value that would make a line of the body the
///   delimiter (ending the document early, the rest run as commands) is refused, as is one
///   placed after a lone `\` or `$` there, or in the delimiter itself (`refusals`).
/// - after a `case` word inside `$(...)`: refused. A pattern's `)` (`case x in a) ...`) does
///   not end the `$(...)`, but telling it from one that does needs the whole grammar; read
///   wrongly, a value inside the `$(...)` in double quotes was escaped for double quotes and
///   ran (`"$(case x in a) echo ${localEnv:X};; esac)"` with `a;touch x`).
/// - after the text's own `\` (outside single quotes) the value is preceded by a newline:
///   backslash-newline is removed by the shell (POSIX 2.2.1, 2.2.3), so the backslash escapes
///   nothing of the value; after its own unescaped `$`, by `""`, so that `$` does not start an
///   expansion (`$(`, `${`, `$'`) with the value's first character.
///
/// Used by `DevcontainerVariables.substitute(_:forShell:)` for every value substituted into a
/// lifecycle command's string form. Why a stack: with the quote state alone, a value inside
/// `"$(printf %s ${localEnv:X})"` was escaped for double quotes while the shell reads it as
/// commands (`a;touch x` ran), and one inside `$'...'`, a comment or a here-document ran too.
struct ShellWordQuoting {
    /// What the text at the current place is part of.
    enum Frame: Equatable {
        /// Commands: the top level, a `$(...)` (`parens`: its open subshell parentheses) or a
        /// backquoted command.
        case commands(CommandKind, parens: Int)
        case single
        case ansiC
        case double
        /// `${...}`: its name being read, just after a `:` after the name, or past both.
        case parameter(ParameterPart)
        /// bash's substring `${x:OFFSET:LENGTH}` after the name's `:`: arithmetic up to the `}`.
        case substring
        /// `$((...))` or bash's `((...))`; `parens` counts the open ones inside the first.
        case arithmetic(parens: Int)
        /// bash's `$[...]`; `depth` counts the open `[` inside it (subscripts).
        case bracketArithmetic(depth: Int)
        case comment
        case hereDocument(HereDocument)
    }

    enum CommandKind: Equatable { case top, dollarParen, backquote }

    /// Where a `${...}` is: just opened, in its name, just after a `:` that follows the name,
    /// or past them (an operator's word, a pattern).
    /// `pattern`: after `#`, `%`, `/` (bash's `^`, `,` too), whose `'...'` quote even inside
    /// double quotes (bash and dash: `"${x#'a'}"` removes `a`); `message`: after `?`/`:?`,
    /// whose `'` quotes in bash but not in dash there.
    enum ParameterPart: Equatable { case start, name, colon, word, pattern, message }

    struct HereDocument: Equatable {
        var delimiter: String
        /// Any part of the delimiter was quoted: the body is not expanded.
        var quoted: Bool
        /// `<<-`: leading tabs are removed from each line, also before the delimiter.
        var stripsTabs: Bool
    }

    /// The delimiter word after `<<`, being read.
    private struct DelimiterReader {
        var word = ""
        var quoted = false
        var stripsTabs = false
        var started = false
        var quote: Unicode.Scalar?
        var escapeNext = false
        var sawDash = false

        /// Takes `c`; false when the word ended before it (`c` is then the shell's again).
        mutating func feed(_ c: Unicode.Scalar) -> Bool {
            if escapeNext { escapeNext = false; word.unicodeScalars.append(c); return true }
            if let open = quote {
                if c == open { quote = nil } else { word.unicodeScalars.append(c) }
                return true
            }
            switch c {
            case "-" where !started && !sawDash:
                sawDash = true
                stripsTabs = true
                return true
            case " ", "\t":
                return !started
            case "\n", ";", "&", "|", "<", ">", "(", ")":
                return false
            case "\\":
                started = true; quoted = true; escapeNext = true
                return true
            case "'", "\"":
                started = true; quoted = true; quote = c
                return true
            default:
                started = true
                word.unicodeScalars.append(c)
                return true
            }
        }
    }

    private(set) var frames: [Frame] = [.commands(.top, parens: 0)]
    /// A backslash was the last character (outside single quotes): the next one is literal.
    private var escaped = false
    /// An unescaped `$` was the last character.
    private var dollar = false
    /// Inside a backquoted command, a backslash whose meaning depends on the next character.
    private var backquoteBackslash = false
    /// The last character was the `(` of a `$(`: a second `(` makes it arithmetic.
    private var openedDollarParen = false
    /// The last character was a `(` that started a word in commands: a second `(` makes it
    /// bash's arithmetic command `((...))`.
    private var parenStartedWord = false
    /// The word being read in a commands frame (its unquoted characters), to see `case`.
    private var word = ""
    /// A `case` word was read inside a `$(...)`: later values are refused (see the type's notes).
    private var caseInDollarParen = false
    /// The last character in a commands frame, for the start of a comment.
    private var previous: Unicode.Scalar = "\n"
    /// `<` characters in a row (two, not three, start a here-document).
    private var lessThans = 0
    private var delimiter: DelimiterReader?
    /// Here-documents whose bodies start after the current line.
    private var pendingDocuments: [HereDocument] = []
    /// The current line as the shell will read it (values included), and whether a value is in it.
    private var line = ""
    private var lineHasValue = false
    /// The words of the simple command being read in the innermost commands frame, for `let`,
    /// `declare -i` and `[[ ... ]]`; those of enclosing commands frames, by the frame's index.
    private var commandWords: [String] = []
    private var savedWords: [Int: [String]] = [:]
    /// The word being read holds a value; the last word of a `[[ ... ]]` did.
    private var valueInWord = false
    /// A value in the word being read is not a number; the last word of a `[[ ... ]]` held one.
    private var nonNumberInWord = false
    private var lastWordHadValue = false
    /// The text declares a name integer (`declare -i`, ...; not `let`), and a value that is no
    /// number was inserted: together refused at `finish` (either may come first).
    private var declaresInteger = false
    /// bash and dash read the text from here on differently (`'` in a double-quoted `${x?...}`).
    private var diverged = false
    private var nonNumberInserted = false
    /// Why values could not be inserted safely (the command must not run).
    private(set) var refusals: [String] = []

    private var top: Frame { frames[frames.count - 1] }

    /// Follows the constructs of `text`, the command text that comes before the next insertion.
    mutating func scan(_ text: Substring) {
        for ch in text.unicodeScalars { step(ch) }
    }

    mutating func scan(_ text: String) { scan(Substring(text)) }

    /// Checks what the end of the text leaves open (a here-document closed by the end of the
    /// text: its last line is compared with the delimiter as if a newline followed).
    mutating func finish() {
        if case .hereDocument = top { step("\n") }
        if case .commands = top { finishWord() }
        if declaresInteger, nonNumberInserted {
            refusals.append("only a number can be put in a command that declares an integer variable (declare -i, typeset -i, "
                            + "local -i, ...): bash evaluates what is assigned to it as arithmetic, wherever the assignment is; "
                            + "pass the value in remoteEnv and use the variable")
        }
    }

    /// A line ends: in a here-document's body, one that is its delimiter ends it. Returns
    /// whether the body was the innermost construct (the newline is then the body's).
    /// The body is read by lines before anything in it (a `$(...)` too): a line that is the
    /// delimiter ends it wherever it stands.
    private mutating func endLine() -> Bool {
        defer { line = ""; lineHasValue = false }
        guard let index = frames.lastIndex(where: Self.isHereDocument), case .hereDocument(let document) = frames[index] else {
            return false
        }
        let inBody = index == frames.count - 1
        var text = Substring(line)
        if document.stripsTabs { text = text.drop { $0 == "\t" } }
        if text == Substring(document.delimiter) {
            if lineHasValue {
                refusals.append("a value would end the here-document <<\(document.delimiter) early (a line of it would be the delimiter)")
            }
            popFrames(from: index)
            escaped = false
            dollar = false
            startDocument()
            return true
        }
        if inBody {
            escaped = false
            dollar = false
        }
        return inBody
    }

    private static func isHereDocument(_ frame: Frame) -> Bool {
        if case .hereDocument = frame { return true }
        return false
    }

    private mutating func step(_ c: Unicode.Scalar) {
        if c == "\n" {
            if endLine() { return }
        } else {
            line.unicodeScalars.append(c)
        }
        // A backquoted command is read to its closing backquote first, removing the backslash
        // before `\`, `` ` `` and `$` (and `"` when the backquotes are in double quotes); the
        // shell then reads what is left as commands (POSIX 2.6.3).
        if inBackquote {
            if backquoteBackslash {
                backquoteBackslash = false
                if c == "\\" || c == "$" || (c == "\"" && outermostBackquoteInDouble) {
                    read(c)
                } else if c == "`" {
                    // A backquote inside the backquoted command: nested one level deeper.
                    if let last = frames.lastIndex(where: Self.isBackquote), frames.filter(Self.isBackquote).count > 1 {
                        popFrames(from: last)
                    } else {
                        enterCommands(.commands(.backquote, parens: 0))
                    }
                } else {
                    read("\\")
                    read(c)
                }
                return
            }
            if c == "\\" {
                backquoteBackslash = true
                return
            }
            if c == "`", let first = frames.firstIndex(where: Self.isBackquote) {
                popFrames(from: first)
                escaped = false
                dollar = false
                previous = "a"
                return
            }
        }
        read(c)
    }

    /// `c` as the shell reads it where the text is (after a backquoted command's backslashes).
    private mutating func read(_ c: Unicode.Scalar) {
        if var reader = delimiter {
            if reader.feed(c) {
                delimiter = reader
                return
            }
            delimiter = nil
            if reader.started {
                pendingDocuments.append(HereDocument(delimiter: reader.word, quoted: reader.quoted, stripsTabs: reader.stripsTabs))
            }
        }
        let wasDollar = dollar, wasOpened = openedDollarParen
        dollar = false
        openedDollarParen = false
        switch top {
        case .comment:
            if c == "\n" {
                frames.removeLast()
                read(c)
            }
            return
        case .single:
            if c == "'" { frames.removeLast() }
            return
        case .ansiC:
            if escaped { escaped = false; return }
            if c == "\\" { escaped = true } else if c == "'" { frames.removeLast() }
            return
        case .hereDocument(let document):
            if document.quoted { return }
            if escaped { escaped = false; return }
            switch c {
            case "\\": escaped = true
            case "$": dollar = true
            case "`": enterCommands(.commands(.backquote, parens: 0))
            case "(" where wasDollar: openDollarParen()
            case "{" where wasDollar: frames.append(.parameter(.start))
            case "[" where wasDollar: frames.append(.bracketArithmetic(depth: 0))
            default: break
            }
            return
        case .commands, .double, .parameter, .substring, .arithmetic, .bracketArithmetic:
            break
        }
        if escaped {
            escaped = false
            if c != "\n" { previous = "a" }
            return
        }
        if wasDollar {
            switch c {
            case "(":
                openDollarParen()
                return
            case "{":
                frames.append(.parameter(.start))
                return
            case "[":
                frames.append(.bracketArithmetic(depth: 0))
                return
            case "'" where isCommands:
                frames.append(.ansiC)
                return
            default:
                break
            }
        }
        if c == "`" {
            enterCommands(.commands(.backquote, parens: 0))
            return
        }
        if c == "\\" { escaped = true; return }
        if c == "$" { dollar = true }
        switch top {
        case .double:
            if c == "\"" { frames.removeLast() }
        case .parameter(let part):
            if part == .name, c == "[" {
                // An array subscript: arithmetic for an indexed array (bash).
                frames[frames.count - 1] = .parameter(.word)
                frames.append(.bracketArithmetic(depth: 0))
                return
            }
            if part == .name, c == ":" {
                frames[frames.count - 1] = .parameter(.colon)
                return
            }
            if part == .start {
                // `${#x}`, `${!x}`, a name, or a special parameter's one character.
                frames[frames.count - 1] = .parameter("#!@*?$-".unicodeScalars.contains(c) || Self.isNameCharacter(c) ? .name : .word)
                if frames[frames.count - 1] == .parameter(.name) { return }
            }
            if part == .name, Self.isNameCharacter(c) {
                return
            }
            if part == .name, "#%/^,".unicodeScalars.contains(c) {
                frames[frames.count - 1] = .parameter(.pattern)
                return
            }
            if part == .name || part == .colon, c == "?" {
                frames[frames.count - 1] = .parameter(.message)
                return
            }
            if part == .start || part == .name || part == .colon { frames[frames.count - 1] = .parameter(.word) }
            if part == .colon, !"-=?+".unicodeScalars.contains(c) {
                // `${x:OFFSET...}` (`${x:-...}` and the like are defaults): read as arithmetic.
                frames.append(.substring)
                if c == "}" { frames.removeLast(2) }
                return
            }
            switch c {
            case "}": frames.removeLast()
            case "\"": frames.append(.double)
            case "'" where !parameterInDouble || part == .pattern: frames.append(.single)
            case "'" where part == .message:
                // Inside double quotes bash reads it as a quote, dash as a character: from here
                // on the two read the text differently (break23).
                diverged = true
            default: break
            }
        case .substring:
            if c == "}" { frames.removeLast(2) }
        case .arithmetic(let parens):
            if c == "(" {
                frames[frames.count - 1] = .arithmetic(parens: parens + 1)
            } else if c == ")" {
                if parens == 0 { frames.removeLast() } else { frames[frames.count - 1] = .arithmetic(parens: parens - 1) }
            }
        case .bracketArithmetic(let depth):
            if c == "[" {
                frames[frames.count - 1] = .bracketArithmetic(depth: depth + 1)
            } else if c == "]" {
                if depth == 0 { frames.removeLast() } else { frames[frames.count - 1] = .bracketArithmetic(depth: depth - 1) }
            }
        case .commands(let kind, let parens):
            let wasWordParen = parenStartedWord
            parenStartedWord = false
            if c == "(", wasOpened, kind == .dollarParen, parens == 0 {
                // `$((`: arithmetic, closed by `))`.
                frames[frames.count - 1] = .arithmetic(parens: 1)
                previous = c
                return
            }
            if c == "(", wasWordParen, parens > 0 {
                // `((` starting a word: bash's arithmetic command (dash reads two subshells,
                // where a refused value costs nothing). The first `(` counted as a subshell.
                frames[frames.count - 1] = .commands(kind, parens: parens - 1)
                frames.append(.arithmetic(parens: 1))
                previous = c
                return
            }
            if Self.endsWord(c) {
                if word == "case", frames.contains(where: Self.isDollarParen) { caseInDollarParen = true }
                finishWord()
                if c != " " && c != "\t" {
                    // An operator ends the simple command (`[[`'s own `<`, `>`, `(`, `&&` and
                    // `||` too: its arithmetic comparisons are then not followed past them).
                    commandWords = []
                    lastWordHadValue = false
                }
            } else {
                word.unicodeScalars.append(c)
            }
            if c == "<" {
                lessThans += 1
            } else {
                if lessThans == 2 {
                    var reader = DelimiterReader()
                    if reader.feed(c) { delimiter = reader; lessThans = 0; previous = c; return }
                }
                lessThans = 0
            }
            switch c {
            case "'": frames.append(.single)
            case "\"": frames.append(.double)
            case "#" where Self.startsWord(after: previous):
                frames.append(.comment)
            case "(":
                parenStartedWord = Self.startsWord(after: previous)
                frames[frames.count - 1] = .commands(kind, parens: parens + 1)
            case ")":
                if kind == .dollarParen && parens == 0 {
                    popFrames(from: frames.count - 1)
                } else if parens > 0 {
                    frames[frames.count - 1] = .commands(kind, parens: parens - 1)
                }
            case "\n":
                startDocument()
            default:
                break
            }
            previous = c
        default:
            break
        }
    }

    private mutating func openDollarParen() {
        enterCommands(.commands(.dollarParen, parens: 0))
        openedDollarParen = true
    }

    /// After a newline in commands: the body of the first here-document still to be read.
    private mutating func startDocument() {
        guard !pendingDocuments.isEmpty, isCommands || frames.count == 1 else { return }
        frames.append(.hereDocument(pendingDocuments.removeFirst()))
    }

    /// Whether the outermost backquoted command is inside double quotes (its `\"` is then a `"`).
    private var outermostBackquoteInDouble: Bool {
        guard let first = frames.firstIndex(where: Self.isBackquote) else { return false }
        return Self.inDouble(frames[..<first])
    }

    /// Whether the innermost quoting of `frames` (a `${...}` takes its enclosing one) is double quotes.
    private static func inDouble(_ frames: ArraySlice<Frame>) -> Bool {
        for frame in frames.reversed() {
            switch frame {
            case .parameter, .substring: continue
            case .double: return true
            default: return false
            }
        }
        return false
    }

    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_"
    }

    private static func isDollarParen(_ frame: Frame) -> Bool {
        if case .commands(.dollarParen, _) = frame { return true }
        return false
    }

    /// Characters that end a word in commands (blanks and operator characters).
    private static func endsWord(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case " ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">": return true
        default: return false
        }
    }

    private static func isBackquote(_ frame: Frame) -> Bool {
        if case .commands(.backquote, _) = frame { return true }
        return false
    }

    private var inBackquote: Bool { frames.contains(where: Self.isBackquote) }

    private var isCommands: Bool {
        if case .commands = top { return true }
        return false
    }

    /// `${...}` inside double quotes (its quotes then follow the double quotes' rules).
    private var parameterInDouble: Bool { Self.inDouble(frames.dropLast()) }

    /// Inside the pattern of a `${...}` that is itself inside double quotes (in its `'...'` too).
    private var inPatternInDouble: Bool {
        frames.indices.contains { frames[$0] == .parameter(.pattern) && Self.inDouble(frames[..<$0]) }
    }

    /// A `#` starts a comment at the start of a word (POSIX 2.3, rule 10).
    private static func startsWord(after previous: Unicode.Scalar) -> Bool {
        switch previous {
        case " ", "\t", "\n", ";", "&", "|", "(", ")": return true
        default: return false
        }
    }

    /// `value` written so that the shell reads it as literal data at the current place.
    mutating func quote(_ value: String) -> String {
        if delimiter != nil {
            refusals.append("a value cannot be the delimiter of a here-document")
        }
        if diverged {
            refusals.append("a value cannot follow a ' inside a double-quoted ${VAR?...} (bash reads it as a quote, dash as a character); "
                            + "write the message without ', or pass the value in remoteEnv and use the variable")
        } else if value.contains("'"), inPatternInDouble {
            refusals.append("a value holding ' cannot be put in the pattern of a double-quoted ${VAR#...}, ${VAR%...} or ${VAR/...} "
                            + "(there ' is a quote, and bash and dash read a \\' differently); pass the value in remoteEnv and use the variable")
        }
        if caseInDollarParen {
            refusals.append("a value cannot follow a case statement inside $(...) (its patterns' ')' are not followed); "
                            + "write the case outside $(...), or pass the value in remoteEnv and use the variable")
        }
        lessThans = 0
        switch top {
        case .comment, .hereDocument: break
        default:
            // A word of `let` or `declare -i`, or beside `-eq` in `[[ ... ]]`: bash evaluates it
            // as arithmetic, quoted or not.
            if integerCommand || (inTestCommand && Self.arithmeticTests.contains(commandWords.last ?? "")) {
                requireNumber(value)
            }
            valueInWord = true
            if !Self.isNumber(value) { nonNumberInWord = true; nonNumberInserted = true }
            if value.contains("["), nameOperand {
                refusals.append("a value holding '[' cannot be put where bash reads a variable name (read, printf -v, test -v, "
                                + "the name in declare/local/export NAME=...): it evaluates the subscript, running any $(...) in it; "
                                + "pass the value in remoteEnv and use the variable")
            }
        }
        if backquoteBackslash {
            // The text's backslash before the value, inside backquotes: the command there sees it.
            backquoteBackslash = false
            if case .single = top {} else { escaped = true }
        }
        var lead = ""
        var text: String
        switch top {
        case .comment:
            text = Self.unquoted(String(value.unicodeScalars.map { $0 == "\n" ? " " : Character($0) }))
        case .single:
            text = value.replacingAll("'", with: "'\\''")
        case .ansiC:
            // The text's own backslash would escape the closing quote: pair it.
            lead = escaped ? "\\" : ""
            text = "'" + Self.unquoted(value, always: true) + "$'"
        case .double:
            text = Self.doubleQuoted(value)
        case .parameter(.colon), .substring:
            requireNumber(value)
            text = value
        case .parameter:
            // In double quotes a `}` of the value would end the `${...}` (break23: `{x}`); `\}` is
            // a `}` there to dash and bash alike.
            text = parameterInDouble ? Self.escaped(value, ["$", "`", "\"", "\\", "}"]) : Self.unquoted(value)
        case .arithmetic, .bracketArithmetic:
            // An arithmetic expansion is read as if in double quotes, but quotes in it are not
            // quoting and names in it are evaluated again (bash: `a[$(cmd)]`): only a number.
            requireNumber(value)
            text = value
        case .commands:
            text = Self.unquoted(value)
        case .hereDocument(let document):
            if escaped || dollar {
                refusals.append("a value cannot follow a lone \(escaped ? "\\" : "$") in a here-document")
            }
            text = document.quoted ? value : Self.escaped(value, ["\\", "$", "`"])
        }
        switch top {
        case .commands, .double, .parameter, .substring, .arithmetic, .bracketArithmetic:
            if escaped { lead = "\n" } else if dollar { lead = "\"\"" }
        default:
            break
        }
        // The backquoted command removes one backslash before `\`, `` ` `` and `$` (and `"` in
        // double quotes). Deeper levels are not followed: refused.
        let backquotes = frames.filter(Self.isBackquote).count
        if backquotes > 1 {
            refusals.append("a value cannot be put inside backquotes nested in backquotes; use $(...)")
        } else if backquotes == 1 {
            let special: Set<Character> = outermostBackquoteInDouble ? ["\\", "`", "$", "\""] : ["\\", "`", "$"]
            text = Self.escaped(text, special)
            lead = Self.escaped(lead, special)
        }
        escaped = false
        dollar = false
        openedDollarParen = false
        parenStartedWord = false
        previous = "a"
        let inserted = lead + text
        // What the shell reads of the word (a plain value is read as written: `case` too).
        if case .commands = top { word += inserted }
        // The lines the value makes, as the shell reads them (a here-document's end).
        for (index, piece) in inserted.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 {
                lineHasValue = true
                _ = endLine()
            }
            line += piece
            lineHasValue = true
        }
        return inserted
    }

    /// A value where bash evaluates arithmetic: refused unless it is a (signed) decimal number.
    private mutating func requireNumber(_ value: String) {
        if !Self.isNumber(value) {
            refusals.append("only a number can be put where bash evaluates arithmetic ($((...)), $[...], ((...)), a subscript "
                            + "${a[...]}, ${x:OFFSET:LENGTH}, let, declare -i, [[ ... -eq ... ]]); pass the value in remoteEnv "
                            + "and use the variable")
        }
    }

    /// A decimal integer, with a `-` or not.
    private static func isNumber(_ value: String) -> Bool {
        let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
        return !digits.isEmpty && digits.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// `[[`'s arithmetic comparisons: bash evaluates the words beside them as arithmetic.
    private static let arithmeticTests: Set<String> = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]

    /// The simple command being read is `let`, or `declare`/`typeset`/`local`/`export`/
    /// `readonly` with an option that holds `i` (integer: its assignments are arithmetic).
    private var integerCommand: Bool {
        let words = simpleCommand
        guard let first = words.first else { return false }
        if first == "let" { return true }
        guard ["declare", "typeset", "local", "export", "readonly"].contains(first) else { return false }
        return words.dropFirst().contains { $0.hasPrefix("-") && $0.contains("i") }
    }

    /// The words of the simple command being read from its name on: the reserved words that
    /// open a compound command before it (`f() { local ...`, `if`, `then read ...`) and its
    /// leading assignments (`X=1 read ...`) are not its name (break23: `{ local -i ...` was
    /// not seen as `local`).
    private var simpleCommand: ArraySlice<String> {
        let reserved: Set<String> = ["{", "!", "if", "then", "else", "elif", "while", "until", "do", "time"]
        let start = commandWords.firstIndex { word in
            !reserved.contains(word) && !(word.contains("=") && Self.isName(word.prefix { $0 != "=" }))
        } ?? commandWords.endIndex
        return commandWords[start...]
    }

    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return false
        }
        return text.unicodeScalars.allSatisfy(isNameCharacter)
    }

    /// The value goes where bash reads a variable name (see the type's notes): a word of
    /// `read`, after `printf -v` or a `-v` test, the part before `=` of a `declare`-family
    /// word (all of it after `-n`).
    private var nameOperand: Bool {
        let words = simpleCommand
        guard let first = words.first else { return false }
        switch first {
        case "read": return true
        case "printf": return words.last == "-v"
        case "test", "[", "[[": return words.last == "-v"
        case "declare", "typeset", "local", "export", "readonly":
            if words.dropFirst().contains(where: { $0.hasPrefix("-") && $0.contains("n") }) { return true }
            return !word.contains("=")
        default: return false
        }
    }

    /// Inside `[[ ... ]]` (its words so far).
    private var inTestCommand: Bool { simpleCommand.first == "[[" && !commandWords.contains("]]") }

    /// A word of the commands frame ended: kept as one of its command's words. In `[[ ... ]]`
    /// an arithmetic comparison after a word that held a value makes that value arithmetic.
    private mutating func finishWord() {
        defer { word = ""; valueInWord = false; nonNumberInWord = false }
        guard !word.isEmpty || valueInWord else { return }
        if inTestCommand {
            if Self.arithmeticTests.contains(word), lastWordHadValue { requireNumber("") }
            lastWordHadValue = nonNumberInWord
        }
        commandWords.append(word)
        if integerCommand, simpleCommand.first != "let" { declaresInteger = true }
    }

    /// A commands frame is opened (`$(`, a backquote): its words are its own; the enclosing
    /// command's come back when it closes (`popFrames`).
    private mutating func enterCommands(_ frame: Frame) {
        savedWords[frames.count] = commandWords
        commandWords = []
        lastWordHadValue = false
        word = ""
        valueInWord = false
        nonNumberInWord = false
        frames.append(frame)
    }

    /// Closes the frames from `index` on; the words of the command that encloses them again.
    private mutating func popFrames(from index: Int) {
        frames.removeSubrange(index...)
        if let first = savedWords.keys.filter({ $0 >= index }).min(), let words = savedWords[first] {
            commandWords = words
            word = ""
            valueInWord = false
        }
        savedWords = savedWords.filter { $0.key < index }
    }

    private static func doubleQuoted(_ value: String) -> String {
        escaped(value, ["$", "`", "\"", "\\"])
    }

    private static func escaped(_ value: String, _ special: Set<Character>) -> String {
        var out = ""
        for ch in value {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    private static func unquoted(_ value: String, always: Bool = false) -> String {
        if !always, !value.isEmpty, value.unicodeScalars.allSatisfy(Self.isPlain) { return value }
        return "'" + value.replacingAll("'", with: "'\\''") + "'"
    }

    private static func isPlain(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "/", ":", "@", "%", "+", "=", ",", "-": return true
        default: return false
        }
    }
}

private extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
