/// What `doctor` needs to know about a Dockerfile: its stages (and which stage each builds
/// on), the USER each ends with, and every ARG and ENV name with its line. A small reader, not
/// a full parser: it joins `\` continuations and skips comments, which is all these need.
public struct DockerfileSummary: Sendable, Hashable {
    public struct Stage: Sendable, Hashable {
        /// The `AS` name, or the stage's index as text when unnamed.
        public var name: String
        /// The image or stage after FROM, as written.
        public var from: String
        /// The last USER in the stage, nil when it sets none (then its parent's applies).
        public var user: String?
        public var line: Int
    }

    public struct Variable: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case arg = "ARG", env = "ENV" }
        public var kind: Kind
        public var name: String
        public var value: String?
        public var line: Int
    }

    /// A COPY or ADD that sends the whole build context (`COPY . /app`, `ADD ./ .`,
    /// `COPY --chown=u . /app`, `COPY * /app/`): what is not in .dockerignore lands in the image.
    public struct ContextCopy: Sendable, Hashable {
        public var stage: String
        /// "COPY" or "ADD".
        public var instruction: String
        public var line: Int
    }

    public var stages: [Stage]
    public var variables: [Variable]
    public var contextCopies: [ContextCopy] = []
    /// ARGs before the first FROM with their defaults (BASE_IMAGE).
    public var globalArgs: [String: String]

    public var stageNames: [String] { stages.map(\.name) }

    /// The stage `docker build --target NAME` builds: stage names are case-insensitive (Dockerfile
    /// reference, "FROM": "FROM ... AS name"; BuildKit lowercases both). Nil when none has the name.
    public func stage(named target: String) -> Stage? {
        let wanted = target.lowercased()
        return stages.first { $0.name.lowercased() == wanted }
    }

    /// Whether `--target` cannot be judged from the text: a stage named through an ARG
    /// (`FROM base AS ${STAGE}`) is known only to the builder.
    public var hasComputedStageName: Bool { stages.contains { $0.name.contains("$") } }

    /// The USER a container of `stage` runs as: its own last USER, else its parent stage's, else
    /// nil (the base image's user, root for the usual images).
    public func effectiveUser(of stage: String) -> String? {
        var seen: Set<String> = []
        var current = stages.first { $0.name == stage }
        while let stage = current, !seen.contains(stage.name) {
            if let user = stage.user { return user }
            seen.insert(stage.name)
            current = stages.first { $0.name == stage.from }
        }
        return nil
    }

    /// The image the first stage starts from, with `${BASE_IMAGE}`-style references resolved
    /// from the global ARG defaults (or `overrides`, the project's build args).
    public func baseImage(overrides: [String: String] = [:]) -> String? {
        guard let first = stages.first else { return nil }
        var image = first.from
        let arguments = globalArgs.merging(overrides) { _, new in new }
        for (name, value) in arguments {
            image = image.replacingAll("${\(name)}", with: value).replacingAll("$\(name)", with: value)
        }
        return image.contains("$") ? nil : image
    }

    public static func parse(_ text: String) -> DockerfileSummary {
        var stages: [Stage] = []
        var variables: [Variable] = []
        var globalArgs: [String: String] = [:]
        var contextCopies: [ContextCopy] = []
        for (line, instruction) in instructions(text) {
            let words = instruction.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            let rest = Array(words.dropFirst())
            switch keyword {
            case "FROM":
                let arguments = rest.filter { !$0.hasPrefix("--") }
                guard let image = arguments.first else { continue }
                var name = String(stages.count)
                if arguments.count >= 3, arguments[1].uppercased() == "AS" { name = arguments[2] }
                stages.append(Stage(name: name, from: image, user: nil, line: line))
            case "USER":
                if let user = rest.first, !stages.isEmpty { stages[stages.count - 1].user = user }
            case "ARG":
                for word in rest {
                    let (name, value) = split(word)
                    variables.append(Variable(kind: .arg, name: name, value: value, line: line))
                    if stages.isEmpty { globalArgs[name] = value ?? "" }
                }
            case "ENV":
                if rest.count >= 2, !rest[0].contains("=") {
                    // ENV NAME value (the old form).
                    variables.append(Variable(kind: .env, name: rest[0], value: rest.dropFirst().joined(separator: " "), line: line))
                } else {
                    for word in rest where word.contains("=") {
                        let (name, value) = split(word)
                        variables.append(Variable(kind: .env, name: name, value: value, line: line))
                    }
                }
            case "COPY", "ADD":
                if let stage = stages.last, copiesWholeContext(rest) {
                    contextCopies.append(ContextCopy(stage: stage.name, instruction: keyword, line: line))
                }
            default:
                continue
            }
        }
        return DockerfileSummary(stages: stages, variables: variables, contextCopies: contextCopies, globalArgs: globalArgs)
    }

    /// The sources of a COPY/ADD (its words after the flags, all but the destination; the JSON
    /// form too) include the context's root: `.`, `./`, `/`, `*` or `./*`. `--from` copies from a
    /// stage or image, not the context.
    static func copiesWholeContext(_ words: [String]) -> Bool {
        guard !words.contains(where: { $0.lowercased().hasPrefix("--from") }) else { return false }
        var arguments = words.filter { !$0.hasPrefix("--") }
        if let first = arguments.first, first.hasPrefix("[") {
            // ["src", ..., "dest"]: the JSON form, split on spaces above.
            arguments = arguments.joined(separator: " ").dropFirst().dropLast()
                .split(separator: ",").map { (part: Substring) -> String in
                    let word = String(part).trimmedSpaces
                    return word.count >= 2 && word.hasPrefix("\"") && word.hasSuffix("\"") ? String(word.dropFirst().dropLast()) : word
                }
        }
        guard arguments.count >= 2 else { return false }
        return arguments.dropLast().contains { ["./*", "*", "/"].contains($0) || DockerignoreMatcher.clean($0) == "." }
    }

    /// Instructions with their first line number: comments dropped, continuations joined, as
    /// Docker's parser reads them (moby/buildkit `frontend/dockerfile/parser`): lines end at LF,
    /// a CR before it is dropped (a CRLF file reads as an LF one; Swift's String would take
    /// "\r\n" as one Character, so lines are cut on the bytes), a UTF-8 BOM at the start is
    /// ignored, a line continues when it ends with the escape character followed only by
    /// spaces or tabs, empty and comment lines inside a continuation are skipped, and the
    /// `# escape=`` ` parser directive (before anything else) makes the backtick the escape
    /// character.
    static func instructions(_ text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var pending: String?
        var start = 0
        var escape: Character = "\\"
        var directives = true
        var bytes = Substring(text).utf8[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        for (index, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var lineBytes = raw
            if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
            let trimmed = String(decoding: lineBytes, as: UTF8.self).trimmedSpaces
            if directives {
                // Parser directives: `# key=value` lines at the very top; anything else ends them.
                if let value = directive("escape", in: trimmed) {
                    if value == "`" { escape = "`" }
                    continue
                }
                if !(trimmed.hasPrefix("#") && trimmed.contains("=")) { directives = false }
            }
            if trimmed.hasPrefix("#") { continue }
            if pending == nil {
                if trimmed.isEmpty { continue }
                start = index + 1
            } else if trimmed.isEmpty {
                continue
            }
            if trimmed.last == escape {
                pending = (pending ?? "") + String(trimmed.dropLast()) + " "
            } else {
                result.append((start, (pending ?? "") + trimmed))
                pending = nil
            }
        }
        if let pending { result.append((start, pending)) }
        return result
    }

    /// The value of the parser directive `# key=value` (key case-insensitive, spaces allowed).
    private static func directive(_ key: String, in line: String) -> String? {
        guard line.hasPrefix("#") else { return nil }
        let body = String(line.dropFirst())
        guard let equals = body.firstIndex(of: "=") else { return nil }
        guard String(body[..<equals]).trimmedSpaces.lowercased() == key else { return nil }
        return String(body[body.index(after: equals)...]).trimmedSpaces
    }

    private static func split(_ word: String) -> (String, String?) {
        guard let equals = word.firstIndex(of: "=") else { return (word, nil) }
        var value = String(word[word.index(after: equals)...])
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return (String(word[..<equals]), value)
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in the core).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
