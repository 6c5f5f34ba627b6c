import DevEnvCore
import Testing

/// Docker's .dockerignore rules (docs ".dockerignore file"; moby/patternmatcher), case by case.
@Suite struct DockerignoreMatcherTests {
    static func excluded(_ ignore: String, _ path: String) -> Bool { DockerignoreMatcher(ignore).excludes(path) }

    @Test(arguments: [
        // (ignore file, path, excluded)
        ("*.md", "README.md", true),
        ("*.md", "docs/README.md", false),           // * stays in its folder
        ("**/*.md", "docs/a/README.md", true),       // ** any number of folders
        ("**/*.md", "README.md", true),              // ... even none
        ("docs/**", "docs/a/b.txt", true),
        ("docs/**/x", "docs/x", true),
        ("foo", "foo", true),
        ("foo", "sub/foo", false),                   // relative to the context root only
        ("/foo", "foo", true),                       // leading / dropped
        ("./foo/", "foo", true),                     // cleaned
        ("foo//bar", "foo/bar", true),
        ("foo", "foo/bar/baz", true),                // a matched folder takes its contents
        ("*/temp*", "somedir/temporary.txt", true),  // the docs' examples
        ("*/*/temp*", "somedir/subdir/temporary.txt", true),
        ("temp?", "tempa", true),
        ("temp?", "temp", false),
        ("temp?", "temp/", false),
        ("[a-c].txt", "b.txt", true),
        ("[^a-c].txt", "b.txt", false),
        ("[^a-c].txt", "d.txt", true),
        ("\\*.txt", "*.txt", true),
        ("\\*.txt", "a.txt", false),
        (".env*", ".env.prod", true),
        ("# .env", ".env", false),                   // a comment
        (" .env ", ".env", true),                    // trimmed
        ("*.md\n!README.md", "README.md", false),    // exception
        ("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true),
        ("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", false), // last match wins
        ("*\n!src", "src/app.py", false),            // include-list style
        ("*\n!src", "Dockerfile", true),
        ("src\n!src/keep", "src/keep/a", false),
        ("src\n!src/keep", "src/other", true),
        ("", ".env", false),
    ])
    func matches(ignore: String, path: String, expected: Bool) {
        #expect(Self.excluded(ignore, path) == expected, "\(ignore.debugDescription) on \(path)")
    }

    @Test func readsLinesAndExceptions() {
        let matcher = DockerignoreMatcher("\u{FEFF}# c\n\n  .git/ \n! .env.template\r\n")
        #expect(matcher.patterns.map(\.text) == [".git", ".env.template"])
        #expect(matcher.patterns.map(\.exception) == [false, true])
        #expect(matcher.patterns.map(\.line) == [3, 4])
        #expect(matcher.hasExceptions)
    }
}
