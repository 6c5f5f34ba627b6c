import DevEnvCore
import Foundation
import Testing
import TestSupport

@Suite("doctor on a real engine", .serialized)
struct DoctorTests {
    static func checks(_ result: ProcessResult) throws -> [String: [String: Any]] {
        let object = try InitializedProject.json(result)
        let list = try #require(object["checks"] as? [[String: Any]], "\(result.stdoutText)")
        return Dictionary(uniqueKeysWithValues: list.compactMap { check in (check["id"] as? String).map { ($0, check) } })
    }

    @Test("a freshly initialized project passes, in at most five docker calls")
    func cleanProjectPasses() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try InitializedProject()
        let result = try project.devenv("doctor", "--json")
        #expect(result.exitCode == 0, "\(result.stdoutText)\(result.stderrText)")
        let object = try InitializedProject.json(result)
        #expect(object["ok"] as? Bool == true)
        #expect((object["dockerCalls"] as? Int ?? 99) <= 5)
        let checks = try Self.checks(result)
        for id in ["docker-cli", "engine", "buildkit", "engine-mode", "host-user", "env-files", "secrets", "prod-profile", "stages"] {
            #expect(checks[id]?["status"] as? String == "ok", "\(id): \(checks[id] ?? [:])")
        }
        // Not built yet: the users of the base image are read instead.
        #expect((checks["image-users"]?["summary"] as? String)?.contains("the base image \(TestEngine.pythonImage)") == true,
                "\(checks["image-users"] ?? [:])")
    }

    /// A Dockerfile saved with CRLF line endings: Docker builds it as it builds the LF one, and
    /// doctor reads its stages, USERs and continuations the same (it once saw one long line:
    /// "no stage for dev, ci, prod").
    @Test("the init Dockerfile with CRLF line endings: doctor finds its stages, the prod build keeps its HEALTHCHECK")
    func crlfDockerfile() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try InitializedProject()
        let lf = try project.read("Dockerfile")
        #expect(lf.contains("HEALTHCHECK") && lf.contains("\\\n"), "the init Dockerfile has a continued HEALTHCHECK")
        try project.write("Dockerfile", lf.replacingOccurrences(of: "\n", with: "\r\n"))
        let result = try project.devenv("doctor", "--json")
        let checks = try Self.checks(result)
        #expect(checks["stages"]?["status"] as? String == "ok", "\(checks["stages"] ?? [:])")
        #expect((checks["stages"]?["summary"] as? String)?.contains("dev") == true, "\(checks["stages"] ?? [:])")
        #expect(checks["prod-profile"]?["status"] as? String == "ok", "\(checks["prod-profile"] ?? [:])")

        let built = try project.devenv("--profile", "prod", "build", "--json")
        #expect(built.exitCode == 0, "\(built.stderrText)")
        let image = try InitializedProject.json(built)["image"] as? String ?? ""
        let inspected = try TestEngine.docker(["image", "inspect", "--format", "{{json .Config.Healthcheck.Test}} {{.Config.User}}", image])
        // Exec form (`CMD ["python", ...]`, continued on the next line), with no CR in any word.
        #expect(inspected.stdoutText.hasPrefix(#"["CMD","python","-c","import "#) && !inspected.stdoutText.contains(#"\r"#),
                "\(inspected.stdoutText)")
    }

    @Test("a committed .env, ARG PASSWORD, prod as root and a missing stage are each reported")
    func brokenProjectFails() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try InitializedProject()
        let git = ["git", "-c", "safe.directory=*", "-c", "user.name=t", "-c", "user.email=t@localhost", "-C", project.path]
        #expect(try TestEngine.run(git + ["init", "-q"]).exitCode == 0)
        #expect(try TestEngine.run(git + ["add", "-f", ".env.dev"]).exitCode == 0)
        #expect(try TestEngine.run(git + ["commit", "-qm", "oops"]).exitCode == 0)

        var dockerfile = try project.read("Dockerfile")
        dockerfile = dockerfile.replacingOccurrences(of: "FROM build-tools AS builder\n", with: "FROM build-tools AS builder\nARG PASSWORD=hunter2\n")
        dockerfile = dockerfile.replacingOccurrences(of: "FROM build-tools AS ci\n", with: "FROM build-tools AS tests\n")
        try project.write("Dockerfile", dockerfile)
        try project.write("devenv.toml", try project.read("devenv.toml").replacingOccurrences(
            of: "[profiles.prod]\n", with: "[profiles.prod]\nuser = \"0:0\"\n"))

        let result = try project.devenv("doctor", "--json")
        #expect(result.exitCode == 1, "\(result.stdoutText)\(result.stderrText)")
        let checks = try Self.checks(result)
        func failed(_ id: String, mentioning text: String) {
            #expect(checks[id]?["status"] as? String == "fail", "\(id): \(checks[id] ?? [:])")
            #expect((checks[id]?["summary"] as? String)?.contains(text) == true, "\(id): \(checks[id] ?? [:])")
            #expect(checks[id]?["fix"] is String, "\(id) has no fix")
        }
        failed("env-files", mentioning: "git tracks .env.dev")
        failed("secrets", mentioning: "ARG PASSWORD (Dockerfile:")
        failed("prod-profile", mentioning: "root")
        failed("stages", mentioning: "ci (target ci)")

        // The plain text names each problem with its fix, one line each.
        let text = try project.devenv("doctor")
        #expect(text.exitCode == 1)
        #expect(text.stdoutText.contains("FAIL  secrets: ARG PASSWORD"))
        #expect(text.stdoutText.contains("      fix: git rm --cached .env.dev"))
    }
}
