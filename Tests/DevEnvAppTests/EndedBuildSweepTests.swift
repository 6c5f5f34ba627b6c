#if canImport(Glibc)
import Glibc
#endif
@testable import DevEnvApp
import DevEnvCore
import DevEnvSystem
import Testing
import TestSupport

/// mend26a (review25 #1): the empty `--iidfile` of a build whose devenv was SIGKILLed (devenv makes
/// it before the build; a build killed with devenv, or that failed, never fills it) was never
/// removed. The next reading of the records removes the files of devenvs that no longer run,
/// PID reuse told apart by the process's start time; an ID written meanwhile is still recorded.
@Suite struct EndedBuildSweepTests {
    static let folder = "/root/.local/state/devenv"
    static let image = "devenv-shop-497e78ff:dev-0123456789ab"
    static let late = "sha256:" + String(repeating: "c", count: 64)

    @Test func theFilesOfDevenvsThatNoLongerRunAreSweptAndOnlyThose() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        let me = getpid()
        // 4194001 runs, started at tick 500; every other PID but the test's runs no process.
        fixture.processStart = { pid in pid == 4194001 ? 500 : pid == me ? 1 : nil }
        let own = try #require(BuiltImages(context: fixture.context, engine: .docker).imageIDFile(image: Self.image))
        #expect(own.contains("/building-\(me).1-"), "\(own)")
        func file(_ owner: String) throws -> String {
            let path = own.replacingOccurrences(of: "/building-\(me).1-", with: "/building-\(owner)-")
            try fixture.fileSystem.writeFile(path, [], mode: 0o600)
            return path
        }
        let gone = try file("4194000.77")          // its devenv is gone
        let reused = try file("4194001.77")        // its PID runs, but started later: another process
        let running = try file("4194001.500")      // its devenv still builds
        let gonePIDOnly = try file("4194002")      // named by a devenv that could not tell its start
        let runningPIDOnly = try file("4194001")
        let late = try file("4194003.9")           // its CLI built on and wrote the ID
        try fixture.fileSystem.writeFile(late, Array(Self.late.utf8), mode: 0o600)

        let recorded = BuiltImages(context: fixture.context, engine: .docker).recorded()
        #expect(recorded.ids == [ImageSnapshot.bareID(Self.late)])
        for swept in [gone, reused, gonePIDOnly, late] {
            #expect(!fixture.fileSystem.fileExists(swept), "\(swept)")
            #expect(!fixture.fileSystem.fileExists(swept + ".ended"), "\(swept)")
        }
        for kept in [own, running, runningPIDOnly] { #expect(fixture.fileSystem.fileExists(kept), "\(kept)") }
        #expect(BuiltImages(context: fixture.context, engine: .docker).recorded().ids == [ImageSnapshot.bareID(Self.late)], "recorded for good")
    }

    /// review26: a sweep that a signal ended between renaming a file aside and removing it (it
    /// runs before any docker call that changes something, where a signal ends devenv at once),
    /// or whose record could not be written, left `NAME.ended` for good and its ID unrecorded.
    @Test func aFileASweepLeftAsideIsRecordedAndRemovedByTheNext() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        fixture.processStart = { pid in pid == getpid() ? 1 : nil }
        let own = try #require(BuiltImages(context: fixture.context, engine: .docker).imageIDFile(image: Self.image))
        let holding = own.replacingOccurrences(of: "/building-\(getpid()).1-", with: "/building-4194000.77-") + ".ended"
        let empty = own.replacingOccurrences(of: "/building-\(getpid()).1-", with: "/building-4194002.5-") + ".ended"
        try fixture.fileSystem.writeFile(holding, Array(Self.late.utf8), mode: 0o600)
        try fixture.fileSystem.writeFile(empty, [], mode: 0o600)

        #expect(BuiltImages(context: fixture.context, engine: .docker).recorded().ids == [ImageSnapshot.bareID(Self.late)])
        #expect(!fixture.fileSystem.fileExists(holding) && !fixture.fileSystem.fileExists(empty))
        #expect(BuiltImages(context: fixture.context, engine: .docker).recorded().ids == [ImageSnapshot.bareID(Self.late)], "recorded for good")
        #expect(fixture.fileSystem.fileExists(own))
    }

    @Test func aDryRunAndADevenvThatCannotTellSweepNothing() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        let own = try #require(BuiltImages(context: fixture.context, engine: .docker).imageIDFile(image: Self.image))
        let gone = own.replacingOccurrences(of: "/building-\(getpid())-", with: "/building-4194000-")
        try fixture.fileSystem.writeFile(gone, [], mode: 0o600)
        _ = BuiltImages(context: fixture.context, engine: .docker).recorded()
        #expect(fixture.fileSystem.fileExists(gone), "no processStart: devenv cannot tell")
        fixture.processStart = { _ in nil }
        _ = BuiltImages(context: fixture.context, engine: .docker).recorded(dryRun: true)
        #expect(fixture.fileSystem.fileExists(gone), "a dry run removes nothing")
        _ = BuiltImages(context: fixture.context, engine: .docker).recorded()
        #expect(!fixture.fileSystem.fileExists(gone))
    }

    @Test func aProcessStartIsReadFromProc() {
        let mine = ProcessStart.of(getpid())
        #expect(mine != nil && mine == ProcessStart.of(getpid()))
        #expect(ProcessStart.of(Int32.max) == nil && ProcessStart.of(0) == nil)
    }

    /// mend27a: an atomic write goes through `PATH.devenv-tmp-OWNER` (`LocalFileSystem.writeFile`),
    /// which a devenv killed mid-write left in the state folder for good. The sweep that removes
    /// the --iidfiles of gone devenvs removes these too, in the state folder and its folders, by
    /// the same rule (`FileOwner`: PID and start time; a reused PID keeps nothing).
    @Test func temporaryFilesOfDevenvsThatNoLongerRunAreSwept() throws {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        fixture.processStart = { pid in pid == 4194001 ? 500 : pid == getpid() ? 1 : nil }
        let records = try #require(BuiltImages(context: fixture.context, engine: .docker).folder())
        func left(_ path: String, _ owner: String) throws -> String {
            let file = FileOwner.temporaryFile(for: path, owner: owner)
            try fixture.fileSystem.writeFile(file, [1], mode: 0o600)
            return file
        }
        let gone = try left(Self.folder + "/lifecycle/record", "4194000.77")
        let reused = try left(records + "/" + String(repeating: "a", count: 64), "4194001.77")
        let goneInState = try left(Self.folder + "/memory", "4194002")
        let running = try left(Self.folder + "/lifecycle/other", "4194001.500")
        let runningPIDOnly = try left(Self.folder + "/memory", "4194001")
        let notOurs = Self.folder + "/notes.devenv-tmp-x"
        try fixture.fileSystem.writeFile(notOurs, [1], mode: 0o600)
        #expect(gone.hasSuffix("/lifecycle/record.devenv-tmp-4194000.77"), "\(gone)")
        _ = BuiltImages(context: fixture.context, engine: .docker).recorded()
        for swept in [gone, reused, goneInState] { #expect(!fixture.fileSystem.fileExists(swept), "\(swept)") }
        for kept in [running, runningPIDOnly, notOurs] { #expect(fixture.fileSystem.fileExists(kept), "\(kept)") }
    }
}
