/// An env file read the way `docker run --env-file` reads it (docker/cli `opts/envfile.go`,
/// `parseKeyValueFile`), so that `up` refuses what Docker would refuse, and warns about what
/// Docker would take differently from a shell or dotenv, before it touches a running container.
///
/// Docker's rules: lines are split at LF (a CR before it is dropped) and may hold at most 64 KiB
/// (bufio.Scanner's limit: "token too long"); a UTF-8 byte order mark starts the first line;
/// leading white space is dropped; empty lines and lines starting with `#` are skipped;
/// `NAME=VALUE` is cut at the first `=`, the NAME may not hold spaces or tabs, the VALUE is kept
/// byte for byte (quotes and ` # comments` included); a bare `NAME` copies the value of NAME
/// from the environment of the process that runs docker (devenv's own). The file must be
/// UTF-8, and a NUL byte can never reach a process's environment.
public struct EnvFile: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        /// nil for a bare `NAME` line.
        public var value: String?
        public var line: Int

        public init(name: String, value: String?, line: Int) {
            self.name = name
            self.value = value
            self.line = line
        }
    }

    public var entries: [Entry] = []
    /// Errors (Docker would refuse the file, or the container could not start) and warnings,
    /// each at `file:line:column`.
    public var diagnostics: [Diagnostic] = []

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The longest line bufio.Scanner returns (its 64 KiB buffer holds the line and its LF).
    public static let maximumLineBytes = 64 * 1024 - 1

    /// Reads `bytes`; `file` is how messages name it (relative to the project); `environment`
    /// is devenv's own, for what a bare `NAME` line would pass on.
    public static func read(_ bytes: [UInt8], file: String, environment: [String: String]) -> EnvFile {
        var result = EnvFile()
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = Array(raw)
            if line.last == 0x0D { line.removeLast() }
            if index == 0, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            func note(_ severity: Diagnostic.Severity, _ column: Int, _ message: String) {
                result.diagnostics.append(Diagnostic(severity, message, at: SourceLocation(file: file, line: number, column: column)))
            }
            if line.count > maximumLineBytes {
                note(.error, 1, "the line is \(line.count) bytes long; docker reads env-file lines of at most 64 KiB (\"bufio.Scanner: token too long\")")
                continue
            }
            guard let text = String(validating: line, as: UTF8.self) else {
                note(.error, 1, "the line is not valid UTF-8; docker refuses the file")
                continue
            }
            if let nul = text.unicodeScalars.firstIndex(of: "\u{0}") {
                let column = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: nul) + 1
                note(.error, column, "a NUL byte: no process environment can hold one, so the container would not start")
                continue
            }
            let scalars = Array(text.unicodeScalars)
            var start = 0
            while start < scalars.count, isSpace(scalars[start]) { start += 1 }
            guard start < scalars.count, scalars[start] != "#" else { continue }
            let content = scalars[start...]
            let equals = content.firstIndex(of: "=")
            let nameScalars = content[..<(equals ?? content.endIndex)]
            var name = Self.scalarText(nameScalars)
            while let first = name.first, first == " " || first == "\t" { name.removeFirst() }
            let column = start + 1
            if name.isEmpty {
                note(.error, column, "no variable name before '='")
                continue
            }
            if name.contains(" ") || name.contains("\t") {
                if name.hasPrefix("export ") || name.hasPrefix("export\t") {
                    note(.error, column, "`export \(name.dropFirst(7))=...` is shell syntax: docker reads the name as \"\(name)\" and refuses it; drop `export`")
                } else {
                    note(.error, column, "the variable name \"\(name)\" holds white space, which docker refuses (no spaces around '=' in env files)")
                }
                continue
            }
            guard let equals else {
                let passed = environment[name] != nil
                    ? "devenv's own environment has \(name), so the container gets that value (a secret of this shell would leak into it)"
                    : "devenv's own environment has no \(name), so the container gets none"
                note(.warning, column, "\(name) has no '=': docker copies its value from the environment of the process that runs it; \(passed)")
                result.entries.append(Entry(name: name, value: nil, line: number))
                continue
            }
            let valueScalars = content[content.index(after: equals)...]
            let value = Self.scalarText(valueScalars)
            let valueColumn = equals + 2
            if let quote = valueScalars.first, quote == "\"" || quote == "'" {
                note(.warning, valueColumn, "the value of \(name) is quoted: docker keeps the quotes as part of the value (env files have no quoting)")
            }
            if let hash = comment(in: Array(valueScalars)) {
                note(.warning, valueColumn + hash, "the value of \(name) holds \" #...\": docker keeps it as part of the value (env files have no inline comments)")
            }
            result.entries.append(Entry(name: name, value: value, line: number))
        }
        return result
    }

    /// `scalars` as text, appended one scalar at a time (a concrete call): the generic
    /// `String.UnicodeScalarView(_:)` of a slice cost about 55,000 instructions a call, most of
    /// it the runtime demangling and instantiating its generic types, 0.22 million of an
    /// unchanged `up` reading a two-line .env file (issue 14).
    static func scalarText(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var text = String.UnicodeScalarView()
        for scalar in scalars { text.append(scalar) }
        return String(text)
    }

    /// The offset of a `#` that follows white space (what a shell or dotenv takes as a comment).
    static func comment(in value: [Unicode.Scalar]) -> Int? {
        for index in value.indices.dropFirst() where value[index] == "#" && (value[index - 1] == " " || value[index - 1] == "\t") {
            return index
        }
        return nil
    }

    /// Go's unicode.IsSpace, which docker uses to drop leading white space.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        default: return scalar.properties.isWhitespace
        }
    }
}
