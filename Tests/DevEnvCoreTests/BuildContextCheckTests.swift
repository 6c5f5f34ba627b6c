import DevEnvCore
import Testing
import TestSupport

/// doctor's build-context check: a stage that copies the whole context and a .dockerignore that
/// lets secrets through fails, naming each file and the lines that keep it out.
@Suite struct BuildContextCheckTests {
    static let root = "/src/shop"

    static func project(_ files: [String]) -> InMemoryFileSystem {
        let fileSystem = InMemoryFileSystem()
        fileSystem.addDirectory(root)
        for file in files { fileSystem.addFile(root + "/" + file, "x") }
        return fileSystem
    }

    static func facts(dockerfile: String, dockerignore: String?, files: [String]) -> DoctorFacts {
        var facts = DoctorFacts(cli: "docker")
        facts.dockerfile = dockerfile
        facts.dockerignore = dockerignore
        let matcher = DockerignoreMatcher(dockerignore ?? "")
        facts.contextSecrets = BuildContextScan.candidates(in: root, fileSystem: project(files), ignore: matcher)
        return facts
    }

    static func check(_ facts: DoctorFacts) -> DoctorCheck? {
        DoctorChecks.evaluate(facts).first { $0.id == "build-context" }
    }

    @Test(arguments: ["COPY . /app", "COPY ./ /app/", "ADD . .", "COPY --chown=app:app . /app",
                      "COPY --chown=1000 --chmod=644 ./ /app", #"COPY [".", "/app"]"#, "COPY * /app/", "copy . /app"])
    func broadCopiesAreFound(instruction: String) {
        let summary = DockerfileSummary.parse("FROM x AS base\nWORKDIR /app\n\(instruction)\n")
        #expect(summary.contextCopies.map { "\($0.stage) \($0.instruction) \($0.line)" }
                == ["base \(String(instruction.prefix(while: { $0 != " " })).uppercased()) 3"])
    }

    @Test(arguments: ["COPY pyproject.toml uv.lock /app/", "COPY --from=builder /app /app", "COPY --from=builder . /app",
                      "ADD https://example.org/x.tgz /x", "COPY src /app/src", "COPY . "])
    func narrowCopiesAreNot(instruction: String) {
        #expect(DockerfileSummary.parse("FROM x\n\(instruction)\n").contextCopies.isEmpty)
    }

    @Test func leakedSecretsFailNamingEachFileAndTheFix() throws {
        let files = [".env", ".env.prod", ".env.example", ".env.dev.template", ".netrc", ".git/config", "deploy/id_rsa",
                     "deploy/id_rsa.pub", "certs/server.pem", "certs/server.key", "src/app.py", ".venv/pyvenv.cfg",
                     ".venv/lib/certifi/cacert.pem", "node_modules/x/a.pem"]
        let facts = Self.facts(dockerfile: "FROM x AS base\nFROM base AS prod\nCOPY --chown=app . /app\n",
                               dockerignore: "# only caches\n__pycache__\n", files: files)
        let check = try #require(Self.check(facts))
        #expect(check.status == .fail)
        #expect(check.summary.hasPrefix("COPY at Dockerfile:3 (stage prod) copies the build context into the image, and .dockerignore does not exclude "))
        for name in [".env (env file)", ".env.prod (env file)", ".netrc (.netrc)", ".git (.git)", "deploy/id_rsa (private key)",
                     "certs/server.pem (private key)", "certs/server.key (private key)"] {
            #expect(check.summary.contains(name), "\(name) in \(check.summary)")
        }
        for name in [".env.example", ".env.dev.template", "id_rsa.pub", "app.py", "cacert.pem", "a.pem"] {
            #expect(!check.summary.contains(name), "\(name) in \(check.summary)")
        }
        #expect(check.fix?.contains("**/.env*  !**/.env*.template  !**/.env*.example  **/.git  **/.netrc  **/*.key  **/*.pem  **/id_rsa") == true,
                "\(check.fix ?? "")")

        // The fix works: its lines appended to the file, nothing leaks and the templates stay.
        let fixed = "# only caches\n__pycache__\n" + ["**/.env*", "!**/.env*.template", "!**/.env*.example", "**/.netrc", "**/.git",
                                                     "**/id_rsa", "**/*.pem", "**/*.key"].joined(separator: "\n")
        let after = try #require(Self.check(Self.facts(dockerfile: "FROM x AS base\nFROM base AS prod\nCOPY --chown=app . /app\n",
                                                       dockerignore: fixed, files: files)))
        #expect(after.status == .ok, "\(after.summary)")
        #expect(after.summary.contains(".dockerignore keeps out 7 secret-like files"), "\(after.summary)")
        #expect(!DockerignoreMatcher(fixed).excludes(".env.example"))
    }

    @Test func noDockerignoreSaysSo() throws {
        let check = try #require(Self.check(Self.facts(dockerfile: "FROM x\nCOPY . /app\n", dockerignore: nil, files: [".env.prod"])))
        #expect(check.status == .fail)
        #expect(check.summary.contains("there is no .dockerignore to exclude .env.prod (env file)"), "\(check.summary)")
    }

    @Test func anExceptionLetsASecretBackIn() throws {
        let ignore = ".env*\n!.env.prod\n"
        let check = try #require(Self.check(Self.facts(dockerfile: "FROM x\nADD ./ /app\n", dockerignore: ignore, files: [".env.dev", ".env.prod"])))
        #expect(check.status == .fail)
        #expect(check.summary.hasSuffix("does not exclude .env.prod (env file)"), "\(check.summary)")
    }

    @Test func anExcludedFolderIsNotEntered() {
        let fileSystem = Self.project(["secrets/a.key", "keep/b.key"])
        let found = BuildContextScan.candidates(in: Self.root, fileSystem: fileSystem, ignore: DockerignoreMatcher("secrets\n"))
        #expect(found.map(\.path) == ["keep/b.key"])
        // With an exception anywhere the folder is walked (a file in it may be sent after all).
        let walked = BuildContextScan.candidates(in: Self.root, fileSystem: fileSystem, ignore: DockerignoreMatcher("secrets\n!keep\n"))
        #expect(walked.map(\.path) == ["keep/b.key", "secrets/a.key"])
    }

    @Test func narrowCopiesOrNoDockerfilePass() throws {
        let narrow = try #require(Self.check(Self.facts(dockerfile: "FROM x\nCOPY src /app/src\n", dockerignore: nil, files: [".env.prod"])))
        #expect(narrow.status == .ok)
        #expect(narrow.summary == "no stage copies the whole build context")
        #expect(Self.check(Self.facts(dockerfile: "FROM x\n", dockerignore: nil, files: []).withoutDockerfile) == nil)
    }

    @Test func escapesFileNames() throws {
        let check = try #require(Self.check(Self.facts(dockerfile: "FROM x\nCOPY . /app\n", dockerignore: nil, files: [".env\u{1B}[2J"])))
        #expect(!check.summary.contains("\u{1B}"))
    }
}

extension DoctorFacts {
    fileprivate var withoutDockerfile: DoctorFacts {
        var facts = self
        facts.dockerfile = nil
        return facts
    }
}
