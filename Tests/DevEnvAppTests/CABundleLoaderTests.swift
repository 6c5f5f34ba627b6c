@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// Issue 10 item 11, as the app loads it: `ca_bundle` resolved on the host, a missing file is
/// exit 2 at the key's place before any docker call, and the shipped prod keeps its container
/// bare while its build gets the secret.
@Suite struct CABundleLoaderTests {
    static let toml = "[project]\nname = \"shop\"\nca_bundle = \"certs/corp.pem\"\n"

    @Test func aMissingBundleIsExit2AtTheKeyBeforeAnyDockerCall() {
        let fixture = AppFixture(devenvToml: Self.toml)
        #expect(fixture.run(["build"]) == 2)
        #expect(fixture.console.stderr.contains("devenv.toml:3:1: ca_bundle \"certs/corp.pem\": /src/shop/certs/corp.pem does not exist"),
                "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        let host = AppFixture(devenvToml: "[project]\nname = \"shop\"\n\n[profiles.dev]\nca_bundle = \"host\"\n")
        #expect(host.run(["up", "--no-tui"]) == 2)
        #expect(host.console.stderr.contains("devenv.toml:5:1: ca_bundle = \"host\": this host has no CA bundle at /etc/ssl/certs/ca-certificates.crt"),
                "\(host.console.stderr)")
    }

    @Test func devGetsTheMountAndProdOnlyTheBuildSecret() throws {
        let fixture = AppFixture(devenvToml: Self.toml)
        fixture.fileSystem.addFile(AppFixture.root + "/certs/corp.pem", "-----BEGIN CERTIFICATE-----\n")
        let dev = try fixture.environment(profile: "dev")
        #expect(dev.spec.caBundle == "/src/shop/certs/corp.pem")
        #expect(dev.spec.mounts.contains(.init(source: "/src/shop/certs/corp.pem", target: CABundle.containerPath, readOnly: true,
                                               origin: "devenv.toml:3:1")))
        #expect(dev.spec.environment["SSL_CERT_FILE"] == CABundle.containerPath)
        let ci = try fixture.environment(profile: "ci")
        #expect(ci.spec.environment["REQUESTS_CA_BUNDLE"] == CABundle.containerPath)
        let prod = try fixture.environment(profile: "prod")
        #expect(prod.spec.caBundle == "/src/shop/certs/corp.pem")
        #expect(!prod.spec.mounts.contains { $0.target == CABundle.containerPath })
        #expect(prod.spec.environment["SSL_CERT_FILE"] == nil)
        // Set in prod's own table, prod's container gets it too.
        let own = AppFixture(devenvToml: Self.toml + "\n[profiles.prod]\nca_bundle = \"certs/corp.pem\"\n")
        own.fileSystem.addFile(AppFixture.root + "/certs/corp.pem", "x")
        #expect(try own.environment(profile: "prod").spec.mounts.contains { $0.target == CABundle.containerPath })
    }
}
