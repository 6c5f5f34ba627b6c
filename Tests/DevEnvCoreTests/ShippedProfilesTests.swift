import Foundation
import Testing
import DevEnvCore
import DevEnvSystem
import TestSupport

/// The shipped profiles compiled into the binary (ShippedProfiles.swift, generated from Profiles/).
@Suite struct ShippedProfilesTests {
    private static let profilesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Profiles")

    /// Byte for byte the files in Profiles/, and every one of them: the two cannot drift.
    @Test func embeddedCopiesEqualProfilesFolder() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.profilesFolder.path)
            .filter { $0.hasSuffix(".toml") }.sorted()
        #expect(names == ["ci.toml", "dev.toml", "prod.toml"])
        #expect(ShippedProfiles.files.map(\.name).sorted() == names)
        for file in ShippedProfiles.files {
            let onDisk = try Data(contentsOf: Self.profilesFolder.appendingPathComponent(file.name))
            #expect(Array(file.text.utf8) == [UInt8](onDisk), "\(file.name) differs from Profiles/\(file.name)")
        }
    }

    /// A binary with no profile folder anywhere (copied to /opt/tools/devenv) resolves each
    /// profile exactly as it does from the real Profiles/ folder, with no warning.
    @Test func noProfilesFolderResolvesToEmbedded() throws {
        let project = "/p/devenv.toml"
        var files = [project: "[project]\nname = \"demo\"\n"]
        let copied = ConfigLoader.evaluate(projectDirectory: "/p", profile: "dev", executablePath: "/opt/tools/devenv",
                                           environment: ["HOME": "/home/u"], fileSystem: InMemoryFileSystem(files))
        #expect(copied.diagnostics.isEmpty)
        #expect(copied.config?.files.contains("<built-in>/dev.toml") == true)
        for file in ShippedProfiles.files {
            files["/usr/local/share/devenv/profiles/" + file.name] = file.text
        }
        for profile in ["dev", "ci", "prod"] {
            let embedded = ConfigLoader.evaluate(projectDirectory: "/p", profile: profile, executablePath: "/opt/tools/devenv",
                                                 environment: ["HOME": "/home/u"],
                                                 fileSystem: InMemoryFileSystem([project: files[project] ?? ""]))
            let installed = ConfigLoader.evaluate(projectDirectory: "/p", profile: profile,
                                                  executablePath: "/usr/local/bin/devenv", environment: ["HOME": "/home/u"],
                                                  fileSystem: InMemoryFileSystem(files))
            let fromEmbedded = try #require(embedded.config?.profile)
            let fromInstalled = try #require(installed.config?.profile)
            #expect(fromEmbedded.target.value == fromInstalled.target.value)
            #expect(fromEmbedded.target.value == profile)
            #expect(fromEmbedded.description.value == fromInstalled.description.value)
            #expect(fromEmbedded.user.value == fromInstalled.user.value)
        }
    }

    /// Through the real file system: an executable path in an empty temporary folder (no
    /// share/devenv/profiles, no checkout above it) still gets the dev profile.
    @Test func realFolderWithoutProfilesUsesEmbedded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-embedded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = folder.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try Data("[project]\nname = \"demo\"\n".utf8).write(to: project.appendingPathComponent("devenv.toml"))
        let eval = ConfigLoader.evaluate(projectDirectory: project.path, profile: nil,
                                         executablePath: folder.appendingPathComponent("bin/devenv").path,
                                         environment: ["HOME": folder.path], fileSystem: LocalFileSystem())
        #expect(eval.diagnostics.isEmpty)
        #expect(eval.config?.profile.target.value == "dev")
        #expect(eval.config?.files.contains("<built-in>/dev.toml") == true)
    }
}
