import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 10 item 11 on the real engine: `ca_bundle` reaches a build's RUN as the BuildKit
/// secret and the dev container as a read-only file with SSL_CERT_FILE and friends, and never
/// lands in the image; another bundle makes the container stale, not the image.
@Suite("CA bundle on a real engine", .serialized)
struct CABundleEngineTests {
    static let marker = "TEST CA MARKER"

    /// A project of 4242:4242 on the python test image whose dev stage's RUN reads the secret
    /// the way the generated Dockerfile's fetching RUNs do, and records that it saw the marker
    /// (written split in two, so the RUN's own text in the history does not hold it).
    final class Project {
        let root: String
        let path: String
        let name = "ca" + String(UUID().uuidString.prefix(8)).lowercased()

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-ca-\(UUID().uuidString.prefix(8))").path
            path = root + "/app"
            try FileManager.default.createDirectory(atPath: path + "/certs", withIntermediateDirectories: true)
            try write("Dockerfile", """
                FROM \(TestEngine.pythonImage) AS dev
                RUN \(DockerfileTemplateProbe.caMount) \\
                    if [ -f /run/secrets/ca_bundle ]; then export SSL_CERT_FILE=/run/secrets/ca_bundle; fi; \\
                    grep -q "TEST CA ""MARKER" "$SSL_CERT_FILE" && echo "bundle seen at build" > /ca-build-ok
                CMD ["sleep", "infinity"]
                """)
            try write("pyproject.toml", "[project]\nname = \"cademo\"\nversion = \"0.1.0\"\n")
            try write(".dockerignore", "certs\n")
            try write("certs/test-ca.pem", "-----BEGIN CERTIFICATE-----\n\(CABundleEngineTests.marker) one\n-----END CERTIFICATE-----\n")
            try write("certs/other-ca.pem", "-----BEGIN CERTIFICATE-----\n\(CABundleEngineTests.marker) two\n-----END CERTIFICATE-----\n")
            try config(bundle: "certs/test-ca.pem")
            for item in [root, path, path + "/certs"] { chmod(item, 0o755) }
            chown(path, 4242, 4242)
            chown(path + "/certs", 4242, 4242)
        }

        func config(bundle: String) throws {
            try write("devenv.toml", """
                [project]
                name = "\(name)"
                ca_bundle = "\(bundle)"

                [profiles.dev]
                ports = []
                """)
        }

        func write(_ relative: String, _ text: String) throws {
            try text.write(toFile: path + "/" + relative, atomically: true, encoding: .utf8)
            chmod(path + "/" + relative, 0o644)
            chown(path + "/" + relative, 4242, 4242)
        }

        @discardableResult
        func devenv(_ arguments: String...) throws -> ProcessResult {
            try DevenvBinary.run(arguments, in: path, environment: ["HOME": root])
        }

        func images() throws -> String {
            try TestEngine.docker(["images", "-q", "--no-trunc", "--filter", "label=devenv.project=\(name)"]).stdoutText
        }

        deinit {
            TestEngine.removeEverything(ofProject: name)
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// The mount line of the generated Dockerfile, so this test's Dockerfile reads the secret
    /// exactly as `devenv init`'s does.
    enum DockerfileTemplateProbe {
        static let caMount = "--mount=type=secret,id=\(CABundle.secretID),required=false"
    }

    @Test("ca_bundle: the build's RUN reads the secret, the dev container has the file read-only and the variables, the image has no copy")
    func theBundleReachesBuildAndContainerButNoLayer() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try Project()
        let up = try project.devenv("up", "--no-tui")
        #expect(up.exitCode == 0, "\(up.stdoutText)\(up.stderrText)")

        // The build's RUN saw the bundle (its grep fails the build otherwise).
        let built = try project.devenv("exec", "cat", "/ca-build-ok")
        #expect(built.stdoutText == "bundle seen at build\n", "\(built.stderrText)")
        // The container: the file, the variables, and the file is read-only.
        let seen = try project.devenv("exec", "sh", "-c",
                                      "cat \"$SSL_CERT_FILE\"; echo \"$SSL_CERT_FILE $REQUESTS_CA_BUNDLE $PIP_CERT $UV_NATIVE_TLS\"; "
                                      + "echo x >> /etc/devenv/ca-bundle.pem 2>/dev/null || echo read-only")
        #expect(seen.stdoutText == """
            -----BEGIN CERTIFICATE-----
            \(Self.marker) one
            -----END CERTIFICATE-----
            /etc/devenv/ca-bundle.pem /etc/devenv/ca-bundle.pem /etc/devenv/ca-bundle.pem true
            read-only

            """, "\(seen.stderrText)")

        // No layer holds it: a fresh container of the image (no mounts) finds no file with the
        // marker (the grep's own /proc entry is left out), and the history names no secret.
        let image = try #require(project.images().split(separator: "\n").first.map(String.init), "no image built")
        let search = try TestEngine.docker(["run", "--rm", "--network", "none", "--entrypoint", "sh", image, "-c",
                                            "grep -rl --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev \"\(Self.marker)\" / 2>/dev/null; echo searched"])
        #expect(search.stdoutText == "searched\n", "\(search.stdoutText)\(search.stderrText)")
        // The same search does find the bundle when it is there (so the empty answer above means something).
        let control = try TestEngine.docker(["run", "--rm", "--network", "none", "--entrypoint", "sh",
                                             "--mount", "type=bind,source=\(project.path)/certs/test-ca.pem,target=/opt/probe/ca.pem,readonly", image, "-c",
                                             "grep -rl --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev \"\(Self.marker)\" / 2>/dev/null; echo searched"])
        #expect(control.stdoutText == "/opt/probe/ca.pem\nsearched\n", "\(control.stdoutText)\(control.stderrText)")
        let history = try TestEngine.docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", image])
        #expect(history.succeeded && !history.stdoutText.contains(Self.marker) && !history.stdoutText.contains("test-ca.pem"),
                "\(history.stdoutText)")

        // Another bundle: the container is stale, the image is not (up recreates, builds nothing new).
        try project.config(bundle: "certs/other-ca.pem")
        let status = try JSONSerialization.jsonObject(with: Data(try project.devenv("status", "--json").stdout)) as? [String: Any]
        let dev = try #require((status?["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" })
        #expect(dev["stale"] as? Bool == true, "\(dev)")
        let imagesBefore = try project.images()
        let recreated = try project.devenv("up", "--no-tui")
        #expect(recreated.stdoutText.contains("recreated"), "\(recreated.stdoutText)\(recreated.stderrText)")
        #expect(try project.images() == imagesBefore, "a new image was built for a secret change")
        #expect(try project.devenv("exec", "cat", "/etc/devenv/ca-bundle.pem").stdoutText.contains("\(Self.marker) two"))

        // A bundle that does not exist: exit 2 at the key, before anything is built.
        try project.config(bundle: "certs/missing.pem")
        let missing = try project.devenv("build")
        #expect(missing.exitCode == 2)
        #expect(missing.stderrText.contains("devenv.toml:3:1: ca_bundle \"certs/missing.pem\": \(project.path)/certs/missing.pem does not exist"),
                "\(missing.stderrText)")
    }

    @Test("the Dockerfile devenv init writes builds dev, ci and prod with ca_bundle set, and no image holds the bundle")
    func theGeneratedDockerfileBuildsWithTheSecretAndKeepsItOut() throws {
        _ = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try InitializedProject()
        // A real bundle (the host's, so uv and pip can load it) with a marker line, which PEM
        // readers skip as text between certificates.
        let hostBundle = try #require(CABundle.hostCandidates.first { FileManager.default.fileExists(atPath: $0) }, "no CA bundle on this host")
        try project.write("corp-ca.pem", try String(contentsOfFile: hostBundle, encoding: .utf8) + "\n\(Self.marker) init\n")
        try project.write(".dockerignore", try project.read(".dockerignore") + "corp-ca.pem\n")
        var toml = try project.read("devenv.toml")
        toml = toml.replacingOccurrences(of: "name = \"\(project.name)\"\n", with: "name = \"\(project.name)\"\nca_bundle = \"corp-ca.pem\"\n")
        try project.write("devenv.toml", toml)
        #expect(try project.read("Dockerfile").contains("--mount=type=secret,id=ca_bundle,required=false"))
        for profile in ["dev", "ci", "prod"] {
            let result = try project.devenv("--profile", profile, "build", "--json")
            #expect(result.exitCode == 0, "\(profile): \(result.stderrText)")
            let image = try InitializedProject.json(result)["image"] as? String ?? ""
            let search = try TestEngine.docker(["run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "sh", image, "-c",
                                                "grep -rl --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev \"\(Self.marker)\" / 2>/dev/null; echo searched"])
            #expect(search.stdoutText == "searched\n", "\(profile) image \(image): \(search.stdoutText)\(search.stderrText)")
        }
        // ci runs its tests with the bundle mounted (a one-off container); prod keeps the shipped "none".
        let ci = try project.devenv("--profile", "ci", "test", "--", "-q")
        #expect(ci.exitCode == 0, "\(ci.stdoutText)\(ci.stderrText)")
        let config = try project.devenv("--profile", "prod", "config")
        #expect(config.stdoutText.split(separator: "\n").contains { $0.contains("ca_bundle") && $0.contains("= \"none\"") && $0.contains("prod.toml") },
                "\(config.stdoutText)")
    }
}
