import DevEnvCore
import Foundation
import Testing

/// A Dockerfile saved with CRLF line endings (Windows editors, `core.autocrlf`) reads as the same
/// file with LF: Swift's String takes "\r\n" as one Character, so the summary once saw one long
/// line (no stages, no USER, continuations not joined). Docker's parser rules for lines: LF
/// ends a line, a CR before it is dropped, a BOM is ignored, the escape character (`\`, or the
/// backtick under `# escape=``) followed only by blanks continues a line, empty and comment
/// lines inside a continuation are skipped. The real build of a CRLF file is in
/// DoctorTests.
@Suite struct DockerfileSummaryLineEndingTests {
    static let dockerfile = """
        # syntax=docker/dockerfile:1
        ARG BASE=python:3.12-slim
        FROM ${BASE} AS base
        ENV APP_HOME=/app \\
            PYTHONDONTWRITEBYTECODE=1
        RUN apt-get update \\

            # a comment inside the continuation
            && apt-get install -y curl
        FROM base AS dev
        USER 1000:1000
        COPY . /app
        FROM base AS prod
        HEALTHCHECK --interval=10s --timeout=5s \\\t
          CMD curl -f http://localhost:8000/ || exit 1
        USER app
        """

    static func expectSummary(_ text: String, _ comment: Comment) {
        let summary = DockerfileSummary.parse(text)
        #expect(summary.stageNames == ["base", "dev", "prod"], comment)
        #expect(summary.stages.map(\.line) == [3, 10, 13], comment)
        #expect(summary.effectiveUser(of: "dev") == "1000:1000", comment)
        #expect(summary.effectiveUser(of: "prod") == "app", comment)
        #expect(summary.baseImage() == "python:3.12-slim", comment)
        #expect(summary.variables.map { "\($0.kind.rawValue) \($0.name)=\($0.value ?? "") @\($0.line)" }
                == ["ARG BASE=python:3.12-slim @2", "ENV APP_HOME=/app @4", "ENV PYTHONDONTWRITEBYTECODE=1 @4"], comment)
        #expect(summary.contextCopies.map(\.stage) == ["dev"], comment)
    }

    @Test func crlfReadsAsLF() {
        let lf = Self.dockerfile + "\n"
        Self.expectSummary(lf, "LF")
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(crlf.utf8.filter { $0 == 0x0D }.count == lf.utf8.filter { $0 == 0x0A }.count)
        Self.expectSummary(crlf, "CRLF")
        Self.expectSummary("\u{FEFF}" + crlf, "BOM + CRLF")
        // Without a newline at the end, and mixed endings.
        Self.expectSummary(String(decoding: crlf.utf8.dropLast(2), as: UTF8.self), "CRLF, no final newline")
        var mixed = ""
        for (index, line) in lf.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            mixed += line + (index.isMultiple(of: 2) ? "\r\n" : "\n")
        }
        Self.expectSummary(String(decoding: mixed.utf8.dropLast(2), as: UTF8.self), "mixed")
    }

    @Test func continuationLinesAreJoinedAsDockerJoinsThem() {
        let crlf = "FROM x AS a\r\nHEALTHCHECK --interval=5s \\\r\n  CMD true\r\nRUN a \\  \r\n\r\n  && b\r\nUSER \\\r\n  me\r\n"
        let instructions = DockerfileSummary.parse(crlf)
        #expect(instructions.effectiveUser(of: "a") == "me")
        // A backslash not at the end (before text) continues nothing.
        #expect(DockerfileSummary.parse("FROM x AS a\r\nRUN a \\ b\r\nUSER u\r\n").effectiveUser(of: "a") == "u")
    }

    @Test func theEscapeDirectiveMakesTheBacktickTheEscapeCharacter() {
        let text = "# escape=`\r\nFROM x AS a\r\nUSER `\r\n  me\r\nRUN dir C:\\ \r\nFROM a AS b\r\n"
        let summary = DockerfileSummary.parse(text)
        #expect(summary.stageNames == ["a", "b"])
        #expect(summary.effectiveUser(of: "a") == "me")
        #expect(summary.stages.map(\.line) == [2, 6])
        // After an instruction or a plain comment it is an ordinary comment.
        let late = DockerfileSummary.parse("# a comment\r\n# escape=`\r\nFROM x AS a\r\nUSER `\r\n")
        #expect(late.effectiveUser(of: "a") == "`")
    }
}
