/// Which paths of a build context a `.dockerignore` keeps out, by Docker's rules (the docs'
/// ".dockerignore file" section; moby/patternmatcher and buildkit's dockerignore reader):
///
/// - one pattern a line; a line whose first character is `#` is a comment; surrounding
///   whitespace is trimmed and blank lines are skipped;
/// - `!` makes the pattern an exception (the file is sent after all);
/// - each pattern is cleaned like Go's `filepath.Clean` (`./a//b/` is `a/b`) and a leading `/`
///   dropped: patterns are relative to the context root, `foo` matches `./foo` only, not
///   `sub/foo`;
/// - `*` matches any run of characters but `/`, `?` one character but `/`, `[...]` a class
///   (`[^...]` negated), `\` escapes the next character, `**` any number of folders (even none);
/// - a pattern that matches a folder matches everything in it;
/// - the last pattern that matches a path decides.
public struct DockerignoreMatcher: Sendable, Hashable {
    /// The ignore files a build of `dockerfile` in `context` may read, in the order BuildKit
    /// looks for them: `<Dockerfile>.dockerignore` beside the Dockerfile first, else the
    /// context's `.dockerignore` (the docs' "Use a .dockerignore file"). The first that exists
    /// is the one used (`doctor`); the docker CLI opens them, so `up` checks each that exists.
    public static func ignoreFilePaths(dockerfile: String, context: String) -> [String] {
        [dockerfile + ".dockerignore", context + "/.dockerignore"]
    }

    public struct Pattern: Sendable, Hashable {
        /// The cleaned pattern, without `!`.
        public var text: String
        public var exception: Bool
        /// 1-based line in the file.
        public var line: Int
        fileprivate var tokens: [Token]
    }

    fileprivate enum Token: Sendable, Hashable {
        case literal(Character)
        /// `?`
        case one
        /// `*`
        case star
        /// `**/` or `**` before more pattern: `(.*/)?`.
        case folders
        /// `**` at the end: `.*`.
        case rest
        case set([ClosedRange<Character>], negated: Bool)
    }

    public var patterns: [Pattern]
    /// True when some pattern is an exception: then an excluded folder may still hold included
    /// files, and a walk must look inside it.
    public var hasExceptions: Bool { patterns.contains(where: \.exception) }

    public init(_ text: String) {
        var patterns: [Pattern] = []
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        for (index, raw) in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            if raw.first == "#" { continue }
            var pattern = Self.trim(raw)
            if pattern.isEmpty { continue }
            let exception = pattern.first == "!"
            if exception { pattern = Self.trim(pattern.dropFirst()) }
            if !pattern.isEmpty {
                pattern = Self.clean(pattern)
                if pattern.count > 1 && pattern.first == "/" { pattern.removeFirst() }
            }
            patterns.append(Pattern(text: pattern, exception: exception, line: index + 1, tokens: Self.compile(pattern)))
        }
        self.patterns = patterns
    }

    /// True when the `.dockerignore` keeps `path` (relative to the context root, `/`-separated)
    /// out of the context: the last pattern matching it or one of its folders is not an exception.
    public func excludes(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        var excluded = false
        for pattern in patterns {
            // Docker skips a pattern that cannot change the verdict.
            if pattern.exception != excluded { continue }
            var matched = Self.match(pattern.tokens[...], Array(path)[...])
            if !matched && parts.count > 1 {
                for count in 1..<parts.count where Self.match(pattern.tokens[...], Array(parts[..<count].joined(separator: "/"))[...]) {
                    matched = true
                    break
                }
            }
            if matched { excluded = !pattern.exception }
        }
        return excluded
    }

    // MARK: Reading

    private static func trim<S: StringProtocol>(_ text: S) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    /// Go's `filepath.Clean` on a `/`-separated path: no empty or `.` elements, `..` resolved,
    /// no trailing `/`; `.` for nothing.
    static func clean(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for element in path.split(separator: "/") {
            if element == "." { continue }
            if element == ".." {
                if let last = out.last, last != ".." { out.removeLast() } else if !rooted { out.append(element) }
                continue
            }
            out.append(element)
        }
        let joined = out.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    private static func compile(_ pattern: String) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(pattern)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            switch character {
            case "*":
                if index < characters.count && characters[index] == "*" {
                    index += 1
                    if index < characters.count && characters[index] == "/" { index += 1 }
                    tokens.append(index >= characters.count ? .rest : .folders)
                } else {
                    tokens.append(.star)
                }
            case "?":
                tokens.append(.one)
            case "\\":
                if index < characters.count {
                    tokens.append(.literal(characters[index]))
                    index += 1
                } else {
                    tokens.append(.literal("\\"))
                }
            case "[":
                // A class up to the next `]`; without one, `[` is itself.
                guard let close = characters[index...].firstIndex(of: "]"), close > index else {
                    tokens.append(.literal("["))
                    continue
                }
                var body = Array(characters[index..<close])
                let negated = body.first == "^"
                if negated { body.removeFirst() }
                var ranges: [ClosedRange<Character>] = []
                var position = 0
                while position < body.count {
                    if position + 2 < body.count && body[position + 1] == "-" && body[position] <= body[position + 2] {
                        ranges.append(body[position]...body[position + 2])
                        position += 3
                    } else {
                        ranges.append(body[position]...body[position])
                        position += 1
                    }
                }
                tokens.append(.set(ranges, negated: negated))
                index = close + 1
            default:
                tokens.append(.literal(character))
            }
        }
        return tokens
    }

    // MARK: Matching

    /// The whole of `path` against the whole pattern (the regex Docker builds is anchored).
    private static func match(_ tokens: ArraySlice<Token>, _ path: ArraySlice<Character>) -> Bool {
        guard let token = tokens.first else { return path.isEmpty }
        let rest = tokens.dropFirst()
        switch token {
        case .literal(let character):
            return path.first == character && match(rest, path.dropFirst())
        case .one:
            guard let first = path.first, first != "/" else { return false }
            return match(rest, path.dropFirst())
        case .set(let ranges, let negated):
            guard let first = path.first, first != "/" else { return false }
            guard ranges.contains(where: { $0.contains(first) }) != negated else { return false }
            return match(rest, path.dropFirst())
        case .star:
            var remaining = path
            while true {
                if match(rest, remaining) { return true }
                guard let first = remaining.first, first != "/" else { return false }
                remaining = remaining.dropFirst()
            }
        case .folders:
            // Nothing, or anything ending in `/`.
            if match(rest, path) { return true }
            var index = path.startIndex
            while index < path.endIndex {
                if path[index] == "/" && match(rest, path[(index + 1)...]) { return true }
                index += 1
            }
            return false
        case .rest:
            return true
        }
    }
}
