@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// `devenv doctor` with a scripted docker: the calls it makes (five at most) and the verdicts.
@Suite struct DoctorCommandTests {
    static let dockerfile = """
        ARG BASE_IMAGE=local/py:1
        FROM ${BASE_IMAGE} AS base
        FROM base AS dev
        USER ${UID}:${GID}
        FROM base AS ci
        USER 1001:1001
        FROM base AS prod
        USER 10001:10001
        """
    static let version = #"{"Client":{"Version":"20.10.24+dfsg1","Context":"default"},"Server":{"Version":"20.10.24+dfsg1"}}"#
    static let info = #"{"SecurityOptions":["name=seccomp,profile=default"],"DockerRootDir":"/var/lib/docker","ClientInfo":{"Plugins":[]}}"#
    /// The project's labels on doctor's one-shot container (not the image's own).
    static let labels = ["--label", "devenv.project=shop", "--label", "devenv.profile=dev", "--label", "devenv.root=\(AppFixture.root)"]
    static let df = "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda 100000000 20000000 80000000 20% /\n"

    static func fixture(dockerfile: String = DoctorCommandTests.dockerfile) -> AppFixture {
        let fixture = AppFixture()
        fixture.fileSystem.addFile(AppFixture.root + "/Dockerfile", dockerfile, owner: (1500, 1500))
        fixture.fileSystem.setPermissions(AppFixture.root + "/.env.dev", 0o600)
        fixture.fileSystem.addDirectory("/var/lib/docker")
        return fixture
    }

    /// The whole conversation on a healthy project whose dev image and venv volume exist.
    static let gitLsFiles = ["git", "-c", "safe.directory=*", "-C", AppFixture.root, "ls-files", "-z", "--", ":(glob)**/.env", ":(glob)**/.env.*"]

    @Test func aHealthyProjectPassesInFiveDockerCalls() throws {
        let fixture = Self.fixture()
        let environment = try fixture.environment(profile: "dev")
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let volume = "devenv-shop-dev-497e78ff-venv"
        let volumes = #"{"Name":"\#(volume)","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=venv"}"#
        fixture.runner
            .expect(["docker", "version", "--format", "{{json .}}"], stdout: Self.version)
            .expect(["docker", "info", "--format", "{{json .}}"], stdout: Self.info)
            .expect(Self.gitLsFiles, stderr: "fatal: not a git repository", exitCode: 128)
            .expect(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"], stdout: "local/py:1\n\(image)\n")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv, stdout: volumes)
            .expect(["docker", "run", "--rm"] + Self.labels + ["--network", "none", "--user", "0:0", "--entrypoint", "sh",
                     "--volume", "\(volume):/devenv-doctor/\(volume):ro", image, "-c", Doctor.accountsScript],
                    stdout: "root:x:0:0:root:/root:/bin/sh\nu:x:1500:1500::/home/dev:/bin/sh\n@@devenv-doctor-group\nroot:x:0:\nu:x:1500:\n@@devenv-doctor-volumes\n1500 1500 /devenv-doctor/\(volume)\n")
            .expect(["df", "-Pk", "/var/lib/docker"], stdout: Self.df)
        #expect(fixture.run(["doctor"]) == 0, "\(fixture.console.stdout)")
        fixture.runner.verifyAllCalled()
        let out = fixture.console.stdout
        #expect(out.contains("ok    image-users: in \(image) UID 1500 is u and GID 1500 is u"))
        #expect(out.contains("ok    volumes: \(volume) belong to 1500:1500"))
        #expect(out.contains("ok    disk: 76.2 GiB free in /var/lib/docker"))
        #expect(out.contains("ok    container-user: profile dev runs its container as 1500:1500"))
        #expect(out.contains("ok    build-context: no stage copies the whole build context"))
        #expect(out.hasSuffix("16 checks: 0 failed, 0 warnings (5 docker calls)\n"))
    }

    @Test func anEngineThatDoesNotAnswerIsOneCallAndExit1() throws {
        let fixture = Self.fixture()
        fixture.runner.expect(["docker", "version", "--format", "{{json .}}"], stdout: #"{"Client":{"Version":"28.2.2"},"Server":null}"#,
                              stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
                              exitCode: 1)
            .expect(Self.gitLsFiles, stderr: "fatal: not a git repository", exitCode: 128)
        #expect(fixture.run(["doctor", "--json"]) == 1)
        fixture.runner.verifyAllCalled()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fixture.console.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        #expect(object["dockerCalls"] as? Int == 1)
        // ok:false carries the documented error object, as every failure does.
        let error = try #require(object["error"] as? [String: Any])
        #expect((error["message"] as? String)?.contains("engine") == true, "\(error)")
        #expect(error["exitCode"] as? Int == 1)
        let checks = try #require(object["checks"] as? [[String: Any]])
        let engine = try #require(checks.first { $0["id"] as? String == "engine" })
        #expect(engine["status"] as? String == "fail")
        #expect((engine["fix"] as? String)?.contains("DOCKER_HOST") == true)
    }

    @Test func aBrokenProjectReportsEachProblem() throws {
        let fixture = Self.fixture(dockerfile: "FROM local/py:1 AS base\nARG PASSWORD=x\nFROM base AS dev\n")
        fixture.fileSystem.addFile(AppFixture.root + "/devenv.toml", "[project]\nname = \"shop\"\n[profiles.prod]\nuser = \"0:0\"\n",
                                   owner: (1500, 1500))
        fixture.fileSystem.setPermissions(AppFixture.root + "/.env.dev", 0o644)
        fixture.runner
            .expect(["docker", "version", "--format", "{{json .}}"], stdout: Self.version)
            .expect(["docker", "info", "--format", "{{json .}}"], stdout: Self.info)
            // The project sits in a subfolder of a repository that tracks its .env.dev.
            .expect(Self.gitLsFiles, stdout: ".env.dev\0")
            .expect(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"], stdout: "")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
            .expect(["df", "-Pk", "/var/lib/docker"], stdout: Self.df)
        #expect(fixture.run(["doctor"]) == 1)
        fixture.runner.verifyAllCalled()
        let out = fixture.console.stdout
        #expect(out.contains("FAIL  secrets: ARG PASSWORD (Dockerfile:2)"))
        #expect(out.contains("FAIL  prod-profile: prod would run as root (user = \"0:0\")"))
        #expect(out.contains("FAIL  stages: Dockerfile has no stage for ci (target ci), prod (target prod)"))
        #expect(out.contains("FAIL  env-files: git tracks .env.dev"), "\(out)")
        #expect(out.contains("warn  image-users: not checked"))
        #expect(out.contains("      fix: "))
    }

    /// A project whose prod stage copies the whole context, with .env.prod, its example and an
    /// SSH key beside the given .dockerignore; doctor's --json output.
    static func doctorOnLeakyContext(dockerignore: String) throws -> (exit: Int32, checks: [[String: Any]]) {
        let fixture = Self.fixture(dockerfile: Self.dockerfile + "\nWORKDIR /app\nCOPY --chown=10001:10001 . /app\n")
        let root = AppFixture.root
        fixture.fileSystem.addFile(root + "/.env.prod", "DB_PASSWORD=x\n")
        fixture.fileSystem.setPermissions(root + "/.env.prod", 0o600)
        fixture.fileSystem.addFile(root + "/.env.prod.example", "DB_PASSWORD=\n")
        fixture.fileSystem.addFile(root + "/deploy/id_ed25519", "key")
        fixture.fileSystem.addFile(root + "/.dockerignore", dockerignore)
        fixture.runner
            .expect(["docker", "version", "--format", "{{json .}}"], stdout: Self.version)
            .expect(["docker", "info", "--format", "{{json .}}"], stdout: Self.info)
            .expect(Self.gitLsFiles, stderr: "fatal: not a git repository", exitCode: 128)
            .expect(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"], stdout: "")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
            .expect(["df", "-Pk", "/var/lib/docker"], stdout: Self.df)
        let exit = fixture.run(["doctor", "--json"])
        fixture.runner.verifyAllCalled()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fixture.console.stdout.utf8)) as? [String: Any])
        return (exit, try #require(object["checks"] as? [[String: Any]]))
    }

    /// The secret leaks: doctor fails, names each file and the lines to add; added, it passes.
    @Test func aLeakedSecretInTheBuildContextFails() throws {
        let leaky = try Self.doctorOnLeakyContext(dockerignore: "__pycache__\n.git\n")
        #expect(leaky.exit == 1)
        let check = try #require(leaky.checks.first { $0["id"] as? String == "build-context" })
        #expect(check["status"] as? String == "fail")
        let summary = try #require(check["summary"] as? String)
        #expect(summary.hasPrefix("COPY at Dockerfile:10 (stage prod) copies the build context into the image, and .dockerignore does not exclude"), "\(summary)")
        #expect(summary.contains(".env.dev (env file), .env.prod (env file), deploy/id_ed25519 (private key)"), "\(summary)")
        #expect(!summary.contains(".example"))
        #expect((check["fix"] as? String)?.contains("add these lines at the end of .dockerignore") == true)

        let fixed = try Self.doctorOnLeakyContext(dockerignore: "__pycache__\n.git\n**/.env*\n!**/.env*.example\n**/id_ed25519\n")
        let after = try #require(fixed.checks.first { $0["id"] as? String == "build-context" })
        #expect(after["status"] as? String == "ok")
        #expect(after["summary"] as? String == "COPY at Dockerfile:10 (stage prod) copies the build context; .dockerignore keeps out 3 secret-like files")
    }
}
