@testable import DevEnvCore
import Testing

/// What `up` runs of the lifecycle commands, from what it remembers (`LifecycleRecord`), and
/// where it remembers it (`UserStateFolder`); the `initializeCommand` allowance.
@Suite struct LifecycleRecordTests {
    static let all: [LifecycleStage: LifecycleCommand] = [
        .onCreate: .shell("a"), .updateContent: .shell("b"), .postCreate: .argv(["c"]), .postStart: .shell("d"),
        .postAttach: .shell("e"), .initialize: .shell("f"),
    ]

    static let done = LifecycleRecord.createdValue(image: "i1", lifecycle: all)

    @Test func aNewEnvironmentRunsTheCreateStagesInOrderThenPostStart() {
        #expect(LifecycleRecord().pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: Self.all)
                == [.onCreate, .updateContent, .postCreate, .postStart])
    }

    @Test func theSameStartRunsNothingAnotherStartOrContainerOnlyPostStart() {
        let record = LifecycleRecord(created: Self.done, started: "c1 t1")
        #expect(record.pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: Self.all) == [])
        #expect(record.pending(container: "c1", image: "i1", startedAt: "t2", lifecycle: Self.all) == [.postStart])
        // Another container of the environment (after `down`): the volumes and the project kept
        // what the create stages did.
        #expect(record.pending(container: "c2", image: "i1", startedAt: "t1", lifecycle: Self.all) == [.postStart])
    }

    @Test func anotherImageAChangedCommandOrNewVolumesRunTheCreateStagesAgain() {
        let record = LifecycleRecord(created: Self.done, started: "c1 t1")
        let everything: [LifecycleStage] = [.onCreate, .updateContent, .postCreate, .postStart]
        #expect(record.pending(container: "c1", image: "i2", startedAt: "t1", lifecycle: Self.all) == everything)
        var changed = Self.all
        changed[.updateContent] = .shell("b2")
        #expect(record.pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: changed) == everything)
        // postStart's and postAttach's commands are not create stages.
        var otherStart = Self.all
        otherStart[.postStart] = .shell("d2")
        otherStart[.postAttach] = .shell("e2")
        #expect(record.pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: otherStart) == [])
        #expect(record.forgettingCreated.pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: Self.all) == everything)
        // A record of an earlier devenv (a container ID alone) matches nothing.
        #expect(LifecycleRecord(created: "c1", started: "c1 t1").pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: Self.all)
                == everything)
    }

    @Test func onlyConfiguredStagesRun() {
        let onlyStart: [LifecycleStage: LifecycleCommand] = [.postStart: .shell("d")]
        #expect(LifecycleRecord().pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: onlyStart) == [.postStart])
        // With no create stage, the environment is never "created" in the record: postStart
        // still runs once per start only.
        #expect(LifecycleRecord(started: "c1 t1").pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: onlyStart) == [])
        #expect(LifecycleRecord().pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: [:]) == [])
        // A create stage added later runs once in the running container, postStart after it.
        #expect(LifecycleRecord(started: "c1 t1").pending(container: "c1", image: "i1", startedAt: "t1", lifecycle: Self.all)
                == [.onCreate, .updateContent, .postCreate, .postStart])
    }

    @Test func theTextFormRoundTripsAndIgnoresUnknownLines() {
        let record = LifecycleRecord(created: "sha256:ab 0123456789abcdef", started: "abc 2026-12-06T06:00:00.123Z", container: "abc")
        #expect(record.rendered == "created sha256:ab 0123456789abcdef\nstarted abc 2026-12-06T06:00:00.123Z\ncontainer abc\n")
        #expect(LifecycleRecord.parse(Array(record.rendered.utf8)) == record)
        #expect(LifecycleRecord.parse(Array("future x\ncreated abc\n\ngarbage\n".utf8)) == LifecycleRecord(created: "abc"))
        #expect(LifecycleRecord.fileName(projectRoot: "/p", profile: "dev") != LifecycleRecord.fileName(projectRoot: "/p", profile: "ci"))
        #expect(LifecycleRecord.fileName(projectRoot: "/p", profile: "dev").count == 16)
        #expect(LifecycleRecord.commandsPrint(Self.all).count == 16)
    }

    @Test func theStateFolderFollowsXDGThenHome() {
        #expect(UserStateFolder.path(environment: ["XDG_STATE_HOME": "/s/", "HOME": "/h"], home: nil) == "/s/devenv")
        // A relative XDG_STATE_HOME is ignored, as the XDG spec says.
        #expect(UserStateFolder.path(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"], home: nil) == "/h/.local/state/devenv")
        #expect(UserStateFolder.path(environment: [:], home: "/home/u") == "/home/u/.local/state/devenv")
        #expect(UserStateFolder.path(environment: [:], home: nil) == nil)
    }

    @Test func anAllowanceHoldsForTheExactPathAndContentOnly() {
        let content = Array("{ \"initializeCommand\": \"make\" }".utf8)
        let stored = InitializeAllowance.record(path: "/p/.devcontainer.json", content: content)
        #expect(InitializeAllowance.isAllowed(stored: stored, path: "/p/.devcontainer.json", content: content))
        #expect(!InitializeAllowance.isAllowed(stored: stored, path: "/q/.devcontainer.json", content: content))
        #expect(!InitializeAllowance.isAllowed(stored: stored, path: "/p/.devcontainer.json", content: content + [0x20]))
        #expect(!InitializeAllowance.isAllowed(stored: nil, path: "/p/.devcontainer.json", content: content))
        #expect(InitializeAllowance.fileName(path: "/p/a", content: content) != InitializeAllowance.fileName(path: "/p/a", content: content + [0x20]))
    }
}
