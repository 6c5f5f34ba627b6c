import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The profiles devenv ships, read from this checkout's Profiles/ folder.
@Suite struct ConfigShippedProfilesTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    func load(_ profile: String) throws -> ConfigLoader.Evaluation {
        let fs = InMemoryFileSystem()
        for name in ["dev", "ci", "prod"] {
            let path = "\(Self.checkout)/Profiles/\(name).toml"
            let data = try #require(FileManager.default.contents(atPath: path), "missing \(path)")
            fs.addFile("/usr/local/share/devenv/profiles/\(name).toml", String(decoding: data, as: UTF8.self))
        }
        fs.addDirectory("/src/app")
        return ConfigLoader.evaluate(projectDirectory: "/src/app", profile: profile, executablePath: "/usr/local/bin/devenv",
                                     environment: ["HOME": "/root"], fileSystem: fs)
    }

    @Test(arguments: ["dev", "ci", "prod"])
    func loadsWithoutFindings(_ name: String) throws {
        let eval = try load(name)
        #expect(eval.diagnostics == [])
        let config = try #require(eval.config)
        #expect(config.profileNames == ["ci", "dev", "prod"])
        #expect(config.profile.target.value == name)
        // Every value a shipped profile sets names the shipped file.
        if case .file(let location) = config.profile.target.origin {
            #expect(location.file == "/usr/local/share/devenv/profiles/\(name).toml")
        } else {
            Issue.record("target has no file origin")
        }
    }

    @Test func devEncodesTheDevelopmentContainer() throws {
        let dev = try #require(try load("dev").config).profile
        #expect(dev.user.value == .host)
        #expect(dev.home.value == "/home/dev")
        #expect(dev.mountWorkspace.value)
        #expect(dev.volumes.map { "\($0.name)=\($0.value)" } == ["cache=/home/dev/.cache", "venv=/venv"])
        #expect(dev.envFile.value == ".env.dev")
        #expect(dev.ports.value.map(\.description) == ["8000:8000", "5678:5678"])
        // A dev server or debugger on every interface of a laptop is an open door.
        #expect(dev.host.value == "127.0.0.1")
        #expect(dev.publishedPorts.map(\.description) == ["127.0.0.1:8000:8000", "127.0.0.1:5678:5678"])
        #expect(dev.command.value == ["sleep", "infinity"])
        #expect(dev.env["DEBUG"] == "1")
        #expect(dev.env["LOG_LEVEL"] == "DEBUG")
        #expect(dev.env["UV_PROJECT_ENVIRONMENT"] == "/venv")
        #expect(dev.syncCommand.value == ["uv", "sync", "--frozen"])
        #expect(!dev.readOnly.value)
    }

    @Test func ciRunsTestsAsAFixedUser() throws {
        let ci = try #require(try load("ci").config).profile
        #expect(ci.user.value == .ids(uid: 1001, gid: 1001))
        #expect(!ci.mountWorkspace.value)
        #expect(ci.testCommand.value == ["pytest"])
        #expect(ci.ports.value == [])
    }

    @Test func prodIsHardened() throws {
        let prod = try #require(try load("prod").config).profile
        #expect(prod.user.value == .image)
        #expect(prod.readOnly.value)
        #expect(prod.tmpfs.value == ["/tmp:rw,noexec,nosuid,size=100m"])
        #expect(prod.capDrop.value == ["ALL"])
        #expect(prod.capAdd.value == ["NET_BIND_SERVICE"])
        #expect(prod.noNewPrivileges.value)
        #expect(prod.restart.value == "unless-stopped")
        #expect(prod.ports.value.map(\.description) == ["8080:8080"])
        // prod keeps what it says: every interface.
        #expect(prod.publishedPorts.map(\.description) == ["8080:8080"])
        #expect(!prod.ports.value.contains { $0.containerPort == 5678 })
        #expect(prod.envFile.value == ".env.prod")
        #expect(prod.env["LOG_LEVEL"] == "ERROR")
        #expect(!prod.mountWorkspace.value)
        #expect(prod.command.value == nil)
    }
}
