import DevEnvCore
import Testing

/// Env files by Docker's rules (issue 9 section 1): what docker refuses is an error at
/// file:line:col, what it takes differently from a shell is a warning naming the line.
@Suite struct EnvFileTests {
    func read(_ text: String, environment: [String: String] = [:]) -> EnvFile {
        EnvFile.read(Array(text.utf8), file: ".env.dev", environment: environment)
    }

    @Test(arguments: [
        ("export EXP=1\n", ".env.dev:1:1: error: `export EXP=...` is shell syntax"),
        ("A=1\nSPACED = x\n", ".env.dev:2:1: error: the variable name \"SPACED \" holds white space"),
        ("A=1\n  B C=2\n", ".env.dev:2:3: error: the variable name \"B C\" holds white space"),
        ("=x\n", ".env.dev:1:1: error: no variable name before '='"),
        ("A=x\u{0}y\n", ".env.dev:1:4: error: a NUL byte"),
        ("\u{0}\n", ".env.dev:1:1: error: a NUL byte"),
    ])
    func dockerRefusesIt(_ text: String, _ expected: String) {
        let file = read(text)
        #expect(file.errors.first.map { "\($0)" }?.hasPrefix(expected) == true, "\(file.diagnostics)")
    }

    @Test func aLineOverDockersScannerLimitIsAnError() {
        let big = "BIG=" + String(repeating: "x", count: 1 << 20) + "\nOK=1\n"
        let file = read(big)
        #expect(file.errors.count == 1)
        #expect("\(file.errors[0])".hasPrefix(".env.dev:1:1: error: the line is 1048580 bytes long"))
        #expect(file.entries.map(\.name) == ["OK"])
        // Right at the limit is fine.
        #expect(read("A=" + String(repeating: "y", count: EnvFile.maximumLineBytes - 2)).errors.isEmpty)
        #expect(!read("A=" + String(repeating: "y", count: EnvFile.maximumLineBytes - 1)).errors.isEmpty)
    }

    @Test func invalidUTF8IsAnError() {
        let file = EnvFile.read([0x41, 0x3D, 0xFF, 0x0A], file: ".env.dev", environment: [:])
        #expect("\(file.errors.first.map { "\($0)" } ?? "")".hasPrefix(".env.dev:1:1: error: the line is not valid UTF-8"))
    }

    @Test func quotesAndInlineCommentsAreKeptLiterallyWithAWarning() {
        let file = read("Q=\"quoted\"\nS='single'\nC=value # comment\nH=a#b\n")
        #expect(file.errors.isEmpty)
        #expect(file.entries.map(\.value) == ["\"quoted\"", "'single'", "value # comment", "a#b"])
        let warnings = file.warnings.map { "\($0)" }
        #expect(warnings.count == 3, "\(warnings)")
        #expect(warnings[0].hasPrefix(".env.dev:1:3: warning: the value of Q is quoted"))
        #expect(warnings[1].hasPrefix(".env.dev:2:3: warning: the value of S is quoted"))
        #expect(warnings[2].hasPrefix(".env.dev:3:9: warning: the value of C holds \" #...\""))
    }

    @Test func aBareNameCopiesDevenvsOwnValueAndSaysSo() {
        let set = read("AWS_SECRET\n", environment: ["AWS_SECRET": "s3cr3t"])
        #expect(set.entries == [EnvFile.Entry(name: "AWS_SECRET", value: nil, line: 1)])
        #expect(set.warnings.first.map { "\($0)" }?.contains("devenv's own environment has AWS_SECRET, so the container gets that value") == true)
        let unset = read("MISSING\n")
        #expect(unset.warnings.first.map { "\($0)" }?.contains("has no MISSING, so the container gets none") == true)
    }

    @Test func commentsBlankLinesBOMAndCRLFAreDockers() {
        let file = EnvFile.read([0xEF, 0xBB, 0xBF] + Array("A=1\r\n\n   # note\n\t\nB=2 \n".utf8), file: ".env.dev", environment: [:])
        #expect(file.diagnostics.isEmpty)
        #expect(file.entries.map(\.name) == ["A", "B"])
        #expect(file.entries.map(\.value) == ["1", "2 "])
    }
}
