import DevEnvCore
import DevEnvSystem
import Foundation
import Testing
import TestSupport

@Suite struct ConfigProfileSearchTests {
    @Test func explicitDirectoryWinsAndIsTheOnlyCandidate() {
        let fs = InMemoryFileSystem(["/usr/share/devenv/profiles/dev.toml": ""])
        #expect(ProfileSearch.shippedCandidates(executablePath: "/usr/bin/devenv",
                                                environment: ["DEVENV_PROFILES_DIR": "/etc/devenv/p/"],
                                                fileSystem: fs) == ["/etc/devenv/p"])
    }

    @Test func installedLayoutNextToTheBinary() {
        let fs = InMemoryFileSystem(["/opt/devenv/share/devenv/profiles/dev.toml": ""])
        #expect(ProfileSearch.shippedCandidates(executablePath: "/opt/devenv/bin/devenv", environment: [:], fileSystem: fs)
                == ["/opt/devenv/share/devenv/profiles"])
        let dirs = ProfileSearch.directories(executablePath: "/opt/devenv/bin/devenv", projectDirectory: "/p",
                                             environment: [:], fileSystem: fs)
        #expect(dirs == [ProfileDirectory(kind: .shipped, path: "/opt/devenv/share/devenv/profiles")])
    }

    @Test func buildFolderWalksUpToTheCheckout() {
        let fs = InMemoryFileSystem([
            "/src/devenv/Package.swift": "",
            "/src/devenv/Profiles/dev.toml": "",
            "/src/devenv/.build/x86_64-unknown-linux-gnu/debug/devenv": "",
            // A Profiles folder without Package.swift on the way up is not a checkout.
            "/src/devenv/.build/Profiles/dev.toml": "",
            "/home/u/.config/devenv/profiles/dev.toml": "",
            "/work/app/.devenv/profiles/dev.toml": "",
        ])
        let exe = "/src/devenv/.build/x86_64-unknown-linux-gnu/debug/devenv"
        #expect(ProfileSearch.shippedCandidates(executablePath: exe, environment: [:], fileSystem: fs) == [
            "/src/devenv/.build/x86_64-unknown-linux-gnu/share/devenv/profiles",
            "/src/devenv/Profiles",
        ])
        #expect(ProfileSearch.directories(executablePath: exe, projectDirectory: "/work/app",
                                          environment: ["HOME": "/home/u"], fileSystem: fs) == [
            ProfileDirectory(kind: .shipped, path: "/src/devenv/Profiles"),
            ProfileDirectory(kind: .user, path: "/home/u/.config/devenv/profiles"),
            ProfileDirectory(kind: .project, path: "/work/app/.devenv/profiles"),
        ])
    }

    @Test func userDirectoryFollowsXDG() {
        #expect(ProfileSearch.userDirectory(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x"]) == "/x/devenv/profiles")
        // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
        #expect(ProfileSearch.userDirectory(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "x"]) == "/h/.config/devenv/profiles")
        #expect(ProfileSearch.userDirectory(environment: [:]) == nil)
    }

    @Test func missingShippedProfilesAreReported() {
        let fs = InMemoryFileSystem(["/p/devenv.toml": "[profiles.dev]\ntarget = \"dev\"\n"])
        let eval = ConfigLoader.evaluate(projectDirectory: "/p", profile: nil, executablePath: "/nowhere/bin/devenv",
                                         environment: [:], fileSystem: fs)
        // No shipped folder: the compiled-in copies stand in, silently (ShippedProfilesTests).
        #expect(eval.diagnostics.isEmpty)
        #expect(eval.config?.files.first == "<built-in>/ci.toml")
        #expect(eval.config?.profile.target.value == "dev")

        let explicit = ConfigLoader.evaluate(projectDirectory: "/p", profile: nil, executablePath: "/nowhere/bin/devenv",
                                             environment: ["DEVENV_PROFILES_DIR": "/missing"], fileSystem: fs)
        #expect(explicit.diagnostics.map(\.description) == [
            "error: DEVENV_PROFILES_DIR is \"/missing\", which is not a folder",
        ])
    }

    /// The real thing: this test binary lives in the checkout's .build folder, so walking up from
    /// it must find this checkout's Profiles/, through the real file system.
    @Test func realBuildFolderFindsThisCheckout() throws {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let testBinary = try #require(Bundle.main.executablePath)
        try #require(testBinary.hasPrefix(checkout + "/.build/"), "the test binary is not in the checkout's .build")
        let candidates = ProfileSearch.shippedCandidates(executablePath: testBinary, environment: [:],
                                                         fileSystem: LocalFileSystem())
        #expect(candidates.last == checkout + "/Profiles")
    }
}
