@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14: the resolved configuration kept between runs (`ConfigurationCache`). Every change
/// of an input makes the next run read afresh and see it; every doubt about the cache file is a
/// full read; a warm run reads no configuration file. Counted through the ports, never timed.
@Suite("Configuration cache")
struct ConfigurationCacheTests {
    static let root = AppFixture.root
    static let devenvToml = "\(root)/devenv.toml"
    /// Far later than any stamp the in-memory file system gives (its times count changes).
    static let now: Int64 = 1_000_000_000_000_000_000

    /// A project with a pyproject.toml, a project profile and a few profiles of its own, with a
    /// state folder, a wall clock and an executable, so the cache is in use.
    static func fixture(_ toml: String = "[project]\nname = \"shop\"\n\n[profiles.p0]\nextends = \"dev\"\nenv = { N = \"0\" }\n") -> AppFixture {
        let fixture = AppFixture(devenvToml: toml)
        fixture.fileSystem.addFile("\(root)/pyproject.toml", "[project]\nname = \"shop\"\nversion = \"1\"\n")
        fixture.fileSystem.addFile("\(root)/.devenv/profiles/local.toml", "extends = \"dev\"\n")
        fixture.fileSystem.addFile("/usr/bin/devenv", "devenv build 1")
        fixture.stateFolder = "/state"
        fixture.wallClock = now
        return fixture
    }

    /// What a command acts on, everything a reading decides (Environment is not Equatable).
    struct Seen: Equatable {
        var specs: [EnvironmentSpec]
        var warnings: [[Diagnostic]]
        var profileNames: [[String]]
        var considered: [[String]]
        var identities: [HostIdentity]
        var engines: [EngineKind]
        var clis: [String]
        /// What a container of each is compared with (`Environment.expectation`), as the
        /// command would use it: the one worked out with the configuration, or worked out now.
        var expectations: [Environment.Expectation?]

        init(_ environments: [Environment], fileSystem: any FileSystem) {
            specs = environments.map(\.spec)
            warnings = environments.map(\.warnings)
            profileNames = environments.map(\.profileNames)
            considered = environments.map(\.consideredFiles)
            identities = environments.map(\.identity)
            engines = environments.map(\.planner.engine)
            clis = environments.map(\.planner.cli)
            expectations = environments.map { try? $0.expectation(fileSystem: fileSystem) }
        }
    }

    static func all(_ fixture: AppFixture, profile: String? = nil) throws -> Seen {
        var options = GlobalOptions()
        options.profile = profile
        return Seen(try EnvironmentLoader(context: fixture.context, options: options).loadAll(), fileSystem: fixture.fileSystem)
    }

    static func one(_ fixture: AppFixture, profile: String? = nil) throws -> Seen {
        var options = GlobalOptions()
        options.profile = profile
        return Seen([try EnvironmentLoader(context: fixture.context, options: options).load()], fileSystem: fixture.fileSystem)
    }

    /// The same reading with no cache at all.
    static func uncached(_ fixture: AppFixture, _ read: (AppFixture) throws -> Seen) throws -> Seen {
        let folder = fixture.stateFolder
        fixture.stateFolder = nil
        defer { fixture.stateFolder = folder }
        return try read(fixture)
    }

    static func reads(_ fixture: AppFixture) -> Int { fixture.fileSystem.readCount(devenvToml) }

    static func cacheFiles(_ fixture: AppFixture) -> [String] {
        fixture.fileSystem.listDirectory("/state").filter { $0.hasSuffix(".config") }.map { "/state/" + $0 }
    }

    @Test("a warm run reads no configuration file and resolves the same as a cold one and as no cache")
    func warmReadsNothing() throws {
        let fixture = Self.fixture()
        let cold = try Self.all(fixture)
        #expect(Self.cacheFiles(fixture).count == 1)
        let before = ConfigurationReadOnceTests.watched.map { fixture.fileSystem.readCount($0) }
        let warm = try Self.all(fixture)
        let after = ConfigurationReadOnceTests.watched.map { fixture.fileSystem.readCount($0) }
        #expect(before == after)
        #expect(fixture.fileSystem.readCount("\(Self.root)/.devenv/profiles/local.toml") == 1)
        #expect(cold == warm)
        #expect(try Self.uncached(fixture) { try Self.all($0) } == warm)
        // `up`'s reading (one profile, the argument limit checked) is kept on its own.
        let oneCold = try Self.one(fixture, profile: "p0")
        let readsBefore = Self.reads(fixture)
        #expect(try Self.one(fixture, profile: "p0") == oneCold)
        #expect(Self.reads(fixture) == readsBefore)
        #expect(try Self.uncached(fixture) { try Self.one($0, profile: "p0") } == oneCold)
    }

    @Test("a warm status reads no configuration file (counted through the port)")
    func warmStatusReadsNoConfiguration() throws {
        let fixture = Self.fixture()
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        let ps = environments.map {
            AppFixture.psLine(name: $0.names.container, state: "exited", status: "Exited (0) 1 minute ago",
                              labels: AppFixture.ownLabels(profile: $0.spec.profile, hash: "old"))
        }.joined(separator: "\n")
        fixture.runner.expect(try fixture.statusLookup(), stdout: ps + "\n")
        // Nor the files the containers are compared with: what they gave is kept with the rest.
        let configuration = [Self.devenvToml, "\(Self.root)/.devenv/profiles/local.toml",
                             "/usr/share/devenv/profiles/dev.toml", "/usr/share/devenv/profiles/ci.toml",
                             "/usr/share/devenv/profiles/prod.toml", "\(Self.root)/pyproject.toml", "\(Self.root)/Dockerfile",
                             "\(Self.root)/uv.lock"]
        let before = configuration.map { fixture.fileSystem.readCount($0) }
        #expect(fixture.run(["status", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(configuration.map { fixture.fileSystem.readCount($0) } == before)
    }

    /// review28 (mends 14cc66b): `restart` worked out the image tag and container fingerprint
    /// by hand from the files, a second place saying what a container is compared with, so a
    /// warm `restart` of an unchanged container read and hashed the Dockerfile, pyproject.toml
    /// and uv.lock that `up` and `status` take from the kept configuration.
    @Test("a warm restart of an unchanged container reads no configuration file")
    func warmRestartReadsNoConfiguration() throws {
        let fixture = Self.fixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let fingerprint = try environment.expectation(fileSystem: fixture.fileSystem).fingerprint
        fixture.runner
            .expect(planner.findContainer().argv,
                    stdout: AppFixture.psLine(name: environment.names.container, labels: AppFixture.ownLabels(hash: fingerprint)) + "\n")
            .expect(planner.restart(id: "c1").argv)
        let files = [Self.devenvToml, "\(Self.root)/pyproject.toml", "\(Self.root)/Dockerfile", "\(Self.root)/uv.lock"]
        let before = files.map { fixture.fileSystem.readCount($0) }
        #expect(fixture.run(["restart"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(files.map { fixture.fileSystem.readCount($0) } == before)
    }

    /// Warms the cache, changes something, and checks the next reading sees the change: it
    /// equals a reading without any cache, and read devenv.toml again when `rereads`.
    static func afterChange(_ fixture: AppFixture, rereads: Bool = true, read: (AppFixture) throws -> Seen = { try all($0) },
                            _ change: (AppFixture) throws -> Void) throws -> Seen {
        _ = try read(fixture)
        _ = try read(fixture)
        try change(fixture)
        let before = reads(fixture)
        let seen = try read(fixture)
        if rereads { #expect(reads(fixture) == before + 1) }
        #expect(try uncached(fixture, read) == seen)
        return seen
    }

    @Test("an edit of devenv.toml is seen at once, and so is a rename into place (a new inode)")
    func editsAreSeen() throws {
        let edited = try Self.afterChange(Self.fixture()) {
            $0.fileSystem.addFile(Self.devenvToml, "[project]\nname = \"shop\"\n\n[profiles.p0]\nextends = \"dev\"\nenv = { N = \"1\" }\n")
        }
        #expect(edited.specs.first { $0.profile == "p0" }?.environment["N"] == "1")
        let renamed = try Self.afterChange(Self.fixture()) {
            $0.fileSystem.addFile("\(Self.root)/devenv.toml.new", "[project]\nname = \"shop\"\n\n[profiles.p9]\nextends = \"dev\"\n")
            try $0.fileSystem.moveFile("\(Self.root)/devenv.toml.new", to: Self.devenvToml)
        }
        #expect(renamed.profileNames.first?.contains("p9") == true)
    }

    /// Lever 1 of speed28b: the image tag and container fingerprint status and up compare a
    /// container with are worked out with the configuration and kept with it, their files
    /// recorded as inputs through the same file system: each edit of one is seen at once.
    @Test("what a container is compared with is kept with the configuration; an edit of any file it reads is seen",
          arguments: ["Dockerfile", "uv.lock", "pyproject.toml", ".env.dev", "no Dockerfile", "no .env.dev"])
    func expectationsFollowTheirFiles(change: String) throws {
        let fixture = Self.fixture()
        fixture.fileSystem.addFile("\(Self.root)/.env.dev", "A=1\n")
        fixture.fileSystem.addFile("\(Self.root)/pyproject.toml",
                                   "[project]\nname = \"shop\"\nversion = \"1\"\ndependencies = [\"flask\"]\n")
        let before = try Self.all(fixture)
        #expect(before.expectations.allSatisfy { $0 != nil })
        let dockerfileReads = fixture.fileSystem.readCount("\(Self.root)/Dockerfile")
        let warm = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        #expect(warm.allSatisfy { $0.expected != nil })
        #expect(fixture.fileSystem.readCount("\(Self.root)/Dockerfile") == dockerfileReads)
        let seen = try Self.afterChange(fixture) { fixture in
            switch change {
            case "no Dockerfile": fixture.fileSystem.remove("\(Self.root)/Dockerfile")
            case "no .env.dev": fixture.fileSystem.remove("\(Self.root)/.env.dev")
            case "pyproject.toml":
                fixture.fileSystem.addFile("\(Self.root)/pyproject.toml",
                                           "[project]\nname = \"shop\"\nversion = \"1\"\ndependencies = [\"flask>=3\"]\n")
            default: fixture.fileSystem.addFile("\(Self.root)/\(change)", "# edited\n")
            }
        }
        #expect(seen.expectations != before.expectations, "\(change) was not seen")
    }

    @Test("a kept expectation is used only for the host user it was worked out for, and dropped by any change of the environment")
    func expectationsBelongToTheirUserAndSpec() throws {
        let fixture = Self.fixture()
        let before = try Self.all(fixture)
        _ = try Self.all(fixture)
        // Another host user (here: the folder's owner, as root): the same configuration, kept,
        // but other UID and GID build args and --user.
        fixture.folderOwner = (1600, 1600)
        let reads = Self.reads(fixture)
        let other = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        #expect(Self.reads(fixture) == reads)
        #expect(other.allSatisfy { $0.expected == nil })
        let seen = Seen(other, fileSystem: fixture.fileSystem)
        #expect(seen.expectations != before.expectations)
        #expect(try Self.uncached(fixture) { try Self.all($0) } == seen)
        // Whatever changes the spec, the user or the planner (`up --port`, an engine probe) drops it.
        fixture.folderOwner = (1500, 1500)
        guard let kept = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll().first else {
            Issue.record("no environment")
            return
        }
        #expect(kept.expected != nil)
        var changed = kept
        changed.spec.ports = []
        #expect(changed.expected == nil)
        changed = kept
        changed.identity.uid = 1
        #expect(changed.expected == nil)
        changed = kept
        changed.planner.userMapping = .rootless
        #expect(changed.expected == nil)
    }

    @Test("chmod (the change time moves) makes the next run read afresh")
    func chmodRereads() throws {
        _ = try Self.afterChange(Self.fixture()) { $0.fileSystem.setPermissions(Self.devenvToml, 0o600) }
    }

    /// path29: the engine judged with the configuration (`EngineKind.of`, through the one
    /// program search) asks whether each docker on PATH may be executed: a Podman shim made
    /// executable is judged at once, warm as cold (its chmod moves its stamp; the answer is kept
    /// and asked again, `FileObservation.Kind.executable`).
    @Test("a docker on PATH made executable is seen: the engine judged from it, warm as cold")
    func chmodOfADockerOnPathIsSeen() throws {
        let fixture = Self.fixture()
        fixture.extraEnvironment = ["PATH": "/opt/shim:/usr/bin"]
        fixture.fileSystem.addFile("/opt/shim/docker", "#!/bin/sh\nexec /usr/bin/podman \"$@\"\n")
        fixture.fileSystem.addFile("/usr/bin/docker", "\u{7F}ELF", mode: 0o755)
        #expect(try Self.all(fixture).engines.allSatisfy { $0 == .docker })
        let seen = try Self.afterChange(fixture, rereads: false) { $0.fileSystem.setPermissions("/opt/shim/docker", 0o755) }
        #expect(!seen.engines.isEmpty && seen.engines.allSatisfy { $0 == .podman }, "\(seen.engines)")
    }

    @Test("a same-size edit within the same tick of a coarse clock: the racy stamp was never trusted")
    func racyEditIsSeen() throws {
        let fixture = Self.fixture()
        // devenv.toml changed a second before the reading began: within the racy span.
        fixture.fileSystem.setChangeTime(Self.devenvToml, Self.now - 1_000_000_000)
        _ = try Self.all(fixture)
        #expect(Self.cacheFiles(fixture).isEmpty)
        // The same size, the same stamp: only a full read can tell.
        let text = fixture.fileSystem.text(Self.devenvToml) ?? ""
        fixture.fileSystem.overwriteKeepingTime(Self.devenvToml, text.replacingOccurrences(of: "N = \"0\"", with: "N = \"7\""))
        #expect(fixture.fileSystem.stamp(of: Self.devenvToml)?.size == Int64(text.utf8.count))
        let seen = try Self.all(fixture)
        #expect(seen.specs.first { $0.profile == "p0" }?.environment["N"] == "7")
        // Settled (the clock moved on past the span): kept, and used.
        fixture.wallClock = Self.now + 3_000_000_000
        _ = try Self.all(fixture)
        #expect(Self.cacheFiles(fixture).count == 1)
        let before = Self.reads(fixture)
        #expect(try Self.all(fixture) == seen)
        #expect(Self.reads(fixture) == before)
    }

    /// A wall clock a test moves on.
    final class MovingClock: @unchecked Sendable {
        var now: Int64
        init(_ now: Int64) { self.now = now }
    }

    /// review27: the dashboard's in-process cache kept devenv.toml's bytes read within the racy
    /// span of its last change; an in-place edit of the same size in the same tick left the stamp
    /// as it was, so the dashboard went on with the first bytes, and once the clock moved on its
    /// next reading (recording only that stamp) kept them as the entry every later run used: a
    /// fresh `devenv up` resolved a configuration the file no longer held. Bytes read under a
    /// racy stamp are not kept in memory either, so the edit is seen, now and by later runs.
    @Test("a racy read in the dashboard's cache is read again, and not kept for later runs")
    func racyReadInTheDashboardsCache() throws {
        let fixture = Self.fixture()
        let clock = MovingClock(Self.now)
        var context = fixture.context
        context.wallClock = { clock.now }
        let dashboard = context.readingOnce()
        fixture.fileSystem.setChangeTime(Self.devenvToml, Self.now - 1_000_000_000)
        let first = try EnvironmentLoader(context: dashboard, options: GlobalOptions()).loadAll()
        #expect(first.first { $0.spec.profile == "p0" }?.spec.environment["N"] == "0")
        let text = fixture.fileSystem.text(Self.devenvToml) ?? ""
        fixture.fileSystem.overwriteKeepingTime(Self.devenvToml, text.replacingOccurrences(of: "N = \"0\"", with: "N = \"7\""))
        clock.now = Self.now + 3_000_000_000
        let again = try EnvironmentLoader(context: dashboard, options: GlobalOptions()).loadAll()
        #expect(again.first { $0.spec.profile == "p0" }?.spec.environment["N"] == "7")
        fixture.wallClock = clock.now
        #expect(try Self.all(fixture).specs.first { $0.profile == "p0" }?.environment["N"] == "7")
    }

    @Test("a file appearing where its absence was recorded is seen",
          arguments: ["\(AppFixture.root)/.devenv/profiles/extra.toml", "\(AppFixture.root)/.devcontainer/devcontainer.json",
                      "\(AppFixture.root)/pyproject.toml", "/root/.config/devenv/profiles/mine.toml"])
    func appearingFileIsSeen(path: String) throws {
        let fixture = Self.fixture()
        fixture.fileSystem.remove("\(Self.root)/pyproject.toml")
        let text: String
        switch path {
        case let path where path.hasSuffix("devcontainer.json"):
            // Read only when the project has no configuration of devenv's own.
            fixture.fileSystem.remove(Self.devenvToml)
            text = #"{"name": "shop", "image": "python:3.12", "containerEnv": {"FROM_JSON": "1"}}"#
        case let path where path.hasSuffix("pyproject.toml"):
            fixture.fileSystem.remove(Self.devenvToml)
            text = "[project]\nname = \"shop\"\nversion = \"2\"\n\n[tool.devenv.profiles.p5]\nextends = \"dev\"\n"
        default: text = "extends = \"dev\"\nenv = { ADDED = \"1\" }\n"
        }
        let before = try Self.all(fixture)
        let seen = try Self.afterChange(fixture, rereads: false) { $0.fileSystem.addFile(path, text) }
        #expect(seen != before, "\(path) was not seen")
    }

    @Test("a deleted file and a changed listing are seen")
    func deletionAndListing() throws {
        let deleted = try Self.afterChange(Self.fixture()) { $0.fileSystem.remove("\(Self.root)/.devenv/profiles/local.toml") }
        #expect(deleted.profileNames.first?.contains("local") == false)
        // A file that is no profile in a listed folder: read afresh, the same resolution.
        let fixture = Self.fixture()
        let before = try Self.all(fixture)
        #expect(try Self.afterChange(fixture) { $0.fileSystem.addFile("\(Self.root)/.devenv/profiles/README", "notes") } == before)
    }

    @Test("another devenv build, another argument limit, other groups: read afresh")
    func keyChanges() throws {
        _ = try Self.afterChange(Self.fixture()) { $0.fileSystem.addFile("/usr/bin/devenv", "devenv build 2") }
        _ = try Self.afterChange(Self.fixture(), read: { try Self.one($0) }) { $0.argumentLimit = 1024 * 1024 }
        // Another group set (`sg`, `newgrp`): a file it may not read was read under the first.
        let grouped = Self.fixture()
        grouped.credentials = [1000, 1000, 27]
        _ = try Self.afterChange(grouped) { $0.credentials = [1000, 1000] }
        // A variable the configuration uses: its new value, not the kept one.
        let fixture = Self.fixture("[project]\nname = \"shop\"\nmounts = [\"/host/${SHOP_N}:/data\"]\n")
        fixture.extraEnvironment["SHOP_N"] = "1"
        let seen = try Self.afterChange(fixture) { $0.extraEnvironment["SHOP_N"] = "2" }
        #expect(seen.specs.first?.mounts.first?.source == "/host/2")
    }

    /// speed28b, lever 2: the key digested every variable, so a shell that `cd`s about (PWD,
    /// OLDPWD, `_`) missed the cache on every run. The reading now sees the environment only
    /// through `HostEnvironment` (its context has none), and an entry holds while every
    /// variable it asked for has the same value.
    @Test("variables the configuration does not read change: the kept reading holds, and is what a full read gives",
          arguments: ["PWD", "OLDPWD", "SHLVL", "_", "TERM", "SOME_VARIABLE"])
    func unreadVariablesKeepTheEntry(name: String) throws {
        for read in [{ try Self.all($0) }, { try Self.one($0) }] as [(AppFixture) throws -> Seen] {
            let fixture = Self.fixture()
            fixture.extraEnvironment = ["PWD": "/somewhere", "OLDPWD": "/else", "SHLVL": "1", "_": "/usr/bin/ls", "TERM": "xterm"]
            let kept = try read(fixture)
            _ = try read(fixture)
            fixture.extraEnvironment[name] = "/another/place/altogether"
            let reads = Self.reads(fixture)
            #expect(try read(fixture) == kept)
            #expect(Self.reads(fixture) == reads, "\(name) changed and the configuration was read again")
            #expect(try Self.uncached(fixture, read) == kept)
        }
    }

    @Test("each variable the reading asks for is recorded: a change of one is seen",
          arguments: ["HOME", "XDG_CONFIG_HOME", "PATH", "SSH_AUTH_SOCK", "PWD", "SHOP_N"])
    func readVariablesAreInputs(name: String) throws {
        // ssh = true reads SSH_AUTH_SOCK; mounts name SHOP_N and PWD.
        let fixture = Self.fixture("[project]\nname = \"shop\"\nmounts = [\"/host/${SHOP_N}:/data\", \"${PWD}/x:/x\"]\n\n[profiles.p0]\nextends = \"dev\"\nssh = true\n")
        fixture.extraEnvironment = ["SHOP_N": "1", "PWD": "/somewhere", "SSH_AUTH_SOCK": "/tmp/agent.1"]
        _ = try Self.afterChange(fixture) { $0.extraEnvironment[name] = "/another/value" }
        // And one going away, where the configuration allows it.
        if ["XDG_CONFIG_HOME", "SSH_AUTH_SOCK"].contains(name) {
            _ = try Self.afterChange(fixture) { $0.extraEnvironment[name] = nil }
        }
    }

    @Test("the argument limit's question is kept as asked: an environment that grows past what is left is read afresh, and refused")
    func environmentSizeIsAnInput() throws {
        let fixture = Self.fixture()
        // Just enough room for the configuration and the environment as they are, and a little.
        fixture.argumentLimit = 64 * 1024 + 8 * 1024
        _ = try Self.one(fixture)
        // Bigger, still within the room: the kept reading holds.
        fixture.extraEnvironment["GROWN"] = "x"
        let reads = Self.reads(fixture)
        _ = try Self.one(fixture)
        #expect(Self.reads(fixture) == reads)
        // Past it: read afresh, and the error said, as without a cache.
        fixture.extraEnvironment["GROWN"] = String(repeating: "x", count: 16 * 1024)
        #expect(throws: DevEnvError.self) { try Self.one(fixture) }
        #expect(throws: DevEnvError.self) { try Self.uncached(fixture) { try Self.one($0) } }
    }

    @Test("a corrupt, cut-short, foreign-owned, empty or one-bit-changed cache file: a full read, the same answer, no error",
          arguments: ["garbage", "truncated", "foreign", "empty", "bit"])
    func doubtfulCacheFile(kind: String) throws {
        let fixture = Self.fixture()
        let cold = try Self.all(fixture)
        guard let path = Self.cacheFiles(fixture).first, let bytes = try fixture.fileSystem.readFile(path) else {
            Issue.record("no cache file")
            return
        }
        switch kind {
        case "garbage": fixture.fileSystem.addFile(path, "devenv? no")
        case "truncated": try fixture.fileSystem.writeFile(path, Array(bytes.prefix(bytes.count / 2)), mode: 0o600)
        case "foreign": fixture.fileSystem.addFile(path, String(decoding: bytes, as: UTF8.self), owner: (0, 0))
        case "empty": try fixture.fileSystem.writeFile(path, [], mode: 0o600)
        default:
            var flipped = bytes
            // Inside a stored text: it would still decode, to another configuration.
            flipped[flipped.count - 3] ^= 0x01
            try fixture.fileSystem.writeFile(path, flipped, mode: 0o600)
        }
        let before = Self.reads(fixture)
        #expect(try Self.all(fixture) == cold)
        #expect(Self.reads(fixture) == before + 1)
    }

    /// cachebreak27: `--profile ""` was the slot of no `--profile` ("one\n" both), so after a
    /// warm run without one it got the default profile's kept reading, not its error.
    @Test("an empty --profile is not the default profile's slot: its error is said with the cache warm")
    func emptyProfileIsItsOwnSlot() throws {
        let fixture = Self.fixture()
        for read in [{ try Self.one($0, profile: $1) }, { try Self.all($0, profile: $1) }] as [(AppFixture, String?) throws -> Seen] {
            _ = try read(fixture, nil)
            _ = try read(fixture, nil)
            #expect(throws: DevEnvError.self) { try read(fixture, "") }
        }
        #expect(fixture.run(["--profile", "", "status"]) == 2)
        #expect(fixture.console.stderr.contains(#"unknown profile """#), "\(fixture.console.stderr)")
    }

    @Test("a configuration with errors is reported every time, never kept")
    func errorsAreNotKept() throws {
        let fixture = Self.fixture("[project]\nname = \"shop\"\nbogus = = 1\n")
        for _ in 0..<2 {
            #expect(fixture.run(["config"]) == 2)
            #expect(fixture.console.stderr.contains("devenv.toml:3:"))
        }
        #expect(Self.cacheFiles(fixture).isEmpty)
    }

    @Test("without a wall clock or a stamp for devenv itself, nothing is kept")
    func nothingKeptWithoutTheirInputs() throws {
        let fixture = Self.fixture()
        fixture.wallClock = nil
        _ = try Self.all(fixture)
        #expect(Self.cacheFiles(fixture).isEmpty)
        fixture.wallClock = Self.now
        fixture.fileSystem.remove("/usr/bin/devenv")
        _ = try Self.all(fixture)
        #expect(Self.cacheFiles(fixture).isEmpty)
    }
}
