import DevEnvCore
import Testing
import TestSupport

/// Issue 10 item 11: `ca_bundle` in [project] or a profile; the build secret, the container
/// mount and variables, the Dockerfile's fetching RUNs and doctor's check.
@Suite struct CABundleTests {
    typealias F = ConfigFixture

    static let identity = HostIdentity(uid: 1000, gid: 1000, userName: "ada", home: "/home/ada", source: .host)

    @Test func isAKeyOfProjectAndOfProfilesWithItsPlace() throws {
        let config = try #require(F.evaluate(F.fileSystem(["devenv.toml": """
            [project]
            ca_bundle = "host"

            [profiles.dev]
            ca_bundle = "certs/corp.pem"
            """])).config)
        #expect(config.project.caBundle.value == "host")
        #expect(config.project.caBundle.origin == F.location("devenv.toml", 2, 1))
        #expect(config.profile.caBundle.value == "certs/corp.pem")
        #expect(config.profile.caBundle.origin == F.location("devenv.toml", 5, 1))
        // A profile file (or extends) sets it like any profile key.
        let layered = try #require(F.evaluate(F.fileSystem([".devenv/profiles/dev.toml": "ca_bundle = \"none\"\n"])).config)
        #expect(layered.profile.caBundle.value == "none")
        #expect(layered.project.caBundle.value == nil)
    }

    @Test func badValuesAreErrorsAtTheirPlace() {
        func errors(_ toml: String) -> [String] { F.evaluate(F.fileSystem(["devenv.toml": toml])).diagnostics.map(\.description) }
        #expect(errors("[project]\nca_bundle = true\n") == ["devenv.toml:2:13: error: \"ca_bundle\" must be a string, found a boolean"])
        #expect(errors("[profiles.dev]\nca_bundle = \"\"\n") == ["devenv.toml:2:13: error: \"ca_bundle\" must not be empty"])
        #expect(errors("[project]\nca_bundle = \"none\"\n")
                == ["devenv.toml:2:13: error: \"ca_bundle\" = \"none\" is for a profile (its container gets no bundle); in [project] leave the key out"])
        #expect(errors("[project]\nca_bundel = \"host\"\n").first?.contains("ca_bundle") == true)
    }

    @Test func theProfileOverridesTheProjectAndNoneKeepsOnlyTheBuild() {
        let project = Sourced<String?>("host", F.location("devenv.toml", 2, 1))
        let unset = Sourced<String?>.builtIn(nil)
        let both = CABundle.settings(project: project, profile: unset)
        #expect(both.build?.value == "host" && both.container?.value == "host")
        let own = CABundle.settings(project: project, profile: Sourced("corp.pem", F.location("devenv.toml", 5, 1)))
        #expect(own.build?.value == "corp.pem" && own.container?.origin == F.location("devenv.toml", 5, 1))
        let none = CABundle.settings(project: project, profile: Sourced("none", .builtIn))
        #expect(none.build?.value == "host" && none.container == nil)
        let nothing = CABundle.settings(project: unset, profile: unset)
        #expect(nothing.build == nil && nothing.container == nil)
    }

    @Test func resolvesTheHostsBundleOrAPathOrSaysWhatIsMissing() throws {
        func resolve(_ value: String, _ files: Set<String>) -> Result<String, CABundleError> {
            CABundle.resolve(value, projectDirectory: "/p", home: "/home/ada", fileExists: files.contains)
        }
        #expect(try resolve("host", ["/etc/ssl/cert.pem", "/etc/pki/tls/certs/ca-bundle.crt"]).get() == "/etc/pki/tls/certs/ca-bundle.crt")
        #expect(try resolve("host", Set(CABundle.hostCandidates)).get() == "/etc/ssl/certs/ca-certificates.crt")
        #expect(try resolve("certs/corp.pem", ["/p/certs/corp.pem"]).get() == "/p/certs/corp.pem")
        #expect(try resolve("~/corp.pem", ["/home/ada/corp.pem"]).get() == "/home/ada/corp.pem")
        #expect(try resolve("/opt/ca.pem", ["/opt/ca.pem"]).get() == "/opt/ca.pem")
        guard case .failure(let noHost) = resolve("host", []), case .failure(let missing) = resolve("corp.pem", []) else {
            Issue.record("expected failures")
            return
        }
        #expect(noHost.reason == "ca_bundle = \"host\": this host has no CA bundle at /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/cert.pem")
        #expect(missing.reason == "ca_bundle \"corp.pem\": /p/corp.pem does not exist")
    }

    static func spec() -> EnvironmentSpec {
        var spec = EnvironmentSpec(project: "p", profile: "dev", projectRoot: "/p", dockerfile: "/p/Dockerfile", context: "/p")
        spec.environment["HOME"] = "/home/dev"
        return spec
    }

    @Test func buildsGetASecretAndContainersAReadOnlyMountWithTheVariables() {
        var spec = Self.spec()
        spec.environment["PIP_CERT"] = "/mine.pem"
        CABundle.apply(to: &spec, build: "/etc/ssl/certs/ca-certificates.crt", container: "/etc/ssl/certs/ca-certificates.crt",
                       origin: "devenv.toml:2:1")
        let planner = DockerPlanner(cli: "docker", spec: spec, identity: Self.identity)
        let build = planner.build(image: "i", buildKit: true, noCache: false).argv
        let secret = build.firstIndex(of: "id=ca_bundle,src=/etc/ssl/certs/ca-certificates.crt")
        #expect(secret.map { build[$0 - 1] } == "--secret", "\(build)")
        let create = planner.create(image: "i", configHash: "h").argv.joined(separator: " ")
        #expect(create.contains("--mount type=bind,source=/etc/ssl/certs/ca-certificates.crt,target=/etc/devenv/ca-bundle.pem,readonly"))
        for variable in ["SSL_CERT_FILE=/etc/devenv/ca-bundle.pem", "REQUESTS_CA_BUNDLE=/etc/devenv/ca-bundle.pem", "UV_NATIVE_TLS=true"] {
            #expect(create.contains("--env \(variable)"), "\(variable)")
        }
        // A variable the profile sets itself wins.
        #expect(create.contains("--env PIP_CERT=/mine.pem"))
        // Build only (a profile with "none"): the secret, no mount.
        var buildOnly = Self.spec()
        CABundle.apply(to: &buildOnly, build: "/ca.pem", container: nil, origin: nil)
        let bare = DockerPlanner(cli: "docker", spec: buildOnly, identity: Self.identity)
        #expect(bare.build(image: "i", buildKit: true, noCache: false).argv.contains("id=ca_bundle,src=/ca.pem"))
        #expect(!bare.create(image: "i", configHash: "h").argv.joined(separator: " ").contains("ca-bundle.pem"))
        // A path with a comma is CSV-quoted like every secret source.
        var comma = Self.spec()
        CABundle.apply(to: &comma, build: "/a,b.pem", container: nil, origin: nil)
        #expect(DockerPlanner(cli: "docker", spec: comma, identity: Self.identity).build(image: "i", buildKit: true, noCache: false)
                    .argv.contains("id=ca_bundle,\"src=/a,b.pem\""))
    }

    @Test func aChangedBundleMakesTheContainerStaleNotTheImage() {
        func planner(_ bundle: String?) -> DockerPlanner {
            var spec = Self.spec()
            CABundle.apply(to: &spec, build: bundle, container: bundle, origin: nil)
            return DockerPlanner(cli: "docker", spec: spec, identity: Self.identity)
        }
        let none = planner(nil), host = planner("/etc/ssl/cert.pem"), other = planner("/p/corp.pem")
        let images = [none, host, other].map { $0.imageFingerprint(dockerfile: Array("FROM x".utf8), dependencyFiles: []) }
        #expect(Set(images).count == 1)
        let containers = [none, host, other].map { $0.containerFingerprint(image: "i") }
        #expect(Set(containers).count == 3)
    }

    @Test func theGeneratedDockerfileMountsTheSecretInEveryFetchingRunOnly() throws {
        let files = ["pyproject.toml": "[project]\nname = \"shop\"\nversion = \"0.1\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
                     "uv.lock": "version = 1\n", "src/shop/__init__.py": ""]
        let project = try ProjectDetection.detect(directory: "/w/shop",
                                                  fileSystem: InMemoryFileSystem(Dictionary(uniqueKeysWithValues: files.map { ("/w/shop/" + $0.key, $0.value) })))
        let text = DockerfileTemplate.text(project: project, choices: try ScaffoldChoices.resolve(project: project, python: nil, baseImage: nil))
        // The RUN instructions, continuation lines joined as Docker joins them.
        let runs = text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map(String.init).filter { $0.hasPrefix("RUN ") }
        let fetching = runs.filter { $0.contains("uv sync") || $0.contains("uv build") || $0.contains("pip install --no-cache-dir") }
        #expect(fetching.count == 6, "\(fetching)")
        for run in fetching {
            #expect(run.contains("--mount=type=secret,id=ca_bundle,required=false"), "\(run)")
            #expect(run.contains("if [ -f /run/secrets/ca_bundle ]; then export "), "\(run)")
        }
        // ci's last sync runs as 1001, which must be able to read the secret.
        #expect(fetching.last?.contains("id=ca_bundle,required=false,uid=1001") == true)
        #expect(fetching.filter { $0.contains("uv sync") || $0.contains("uv build") }.allSatisfy { $0.contains("SSL_CERT_FILE=/run/secrets/ca_bundle UV_NATIVE_TLS=true") })
        // Nothing else mounts it, and no ENV or ARG names it (it would stay in the image).
        #expect(runs.filter { $0.contains("ca_bundle") }.count == fetching.count)
        #expect(!text.split(separator: "\n").contains { ($0.hasPrefix("ENV") || $0.hasPrefix("ARG")) && $0.contains("ca_bundle") })
        // uv install's pip gets PIP_CERT.
        #expect(fetching.first?.contains("export PIP_CERT=/run/secrets/ca_bundle") == true)
    }

    @Test func doctorSuggestsHostWhenTheHostTrustsExtraCAs() {
        var facts = DoctorFacts(cli: "docker")
        facts.hostExtraCAs = ["/usr/local/share/ca-certificates/corp.crt"]
        let warned = DoctorChecks.caBundle(facts)
        #expect(warned.status == .warn)
        #expect(warned.summary.contains("1 extra CA file (/usr/local/share/ca-certificates/corp.crt)"))
        #expect(warned.fix?.contains("ca_bundle = \"host\"") == true)
        facts.caBundle = "host"
        #expect(DoctorChecks.caBundle(facts).status == .ok)
        #expect(DoctorChecks.caBundle(DoctorFacts(cli: "docker")).status == .ok)
        #expect(DoctorChecks.evaluate(facts).contains { $0.id == "ca-bundle" })
    }

    @Test func extraAnchorsAreTheFilesOfTheTrustFoldersAndTheirSubfolders() {
        let fs = InMemoryFileSystem()
        fs.addFile("/usr/local/share/ca-certificates/b.crt", "x")
        fs.addFile("/usr/local/share/ca-certificates/corp/a.crt", "x")
        fs.addFile("/etc/pki/ca-trust/source/anchors/proxy.pem", "x")
        #expect(CABundle.extraAnchors(listDirectory: fs.listDirectory, isDirectory: fs.isDirectory) == [
            "/usr/local/share/ca-certificates/b.crt", "/usr/local/share/ca-certificates/corp/a.crt",
            "/etc/pki/ca-trust/source/anchors/proxy.pem",
        ])
        #expect(CABundle.extraAnchors(listDirectory: InMemoryFileSystem().listDirectory, isDirectory: { _ in false }).isEmpty)
    }
}
