@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// `exec` and `logs` reach a remembered container in one docker call (issue 14), and a wrong
/// record never runs a command twice or anywhere but in devenv's own container.
@Suite("Remembered container IDs")
struct ContainerMemoryTests {
    static let old = String(repeating: "a", count: 64)
    static let new = String(repeating: "b", count: 64)
    static let folder = "/root/.local/state/devenv"

    private func fixture(record: String?) throws -> (AppFixture, DockerPlanner, String) {
        let fixture = AppFixture()
        fixture.stateFolder = Self.folder
        let environment = try fixture.environment()
        let memory = ContainerMemory(context: fixture.context, names: environment.names)
        var path = ""
        if let record {
            memory.remember(id: Self.old, user: "1500:1500")
            path = fixture.fileSystem.listDirectory(Self.folder).first.map { "\(Self.folder)/\($0)" } ?? ""
            try fixture.fileSystem.writeFile(path, Array(record.utf8), mode: 0o600)
        }
        return (fixture, environment.planner, path)
    }

    /// `docker ps`'s line for the dev container `id`: devenv's own (labels of config hash
    /// `hash`), its `devenv.user` 1500:1500.
    private func psLine(_ id: String, state: String = "running", hash: String = "h", mounts: [String] = []) -> String {
        var labels = AppFixture.ownLabels(hash: hash)
        labels["devenv.user"] = "1500:1500"
        return AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: id, state: state, labels: labels, mounts: mounts)
    }

    /// `exec touch x` on the remembered old ID, which docker no longer has; the lookup finds the
    /// new container: exit 1, the command not run.
    private func execOnTheReplacedContainer(_ fixture: AppFixture, _ planner: DockerPlanner) {
        fixture.runner
            .expect(planner.exec(["touch", "x"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.old).argv,
                    stderr: "Error response from daemon: No such container: \(Self.old)\n", exitCode: 1)
            .expect(planner.findContainer().argv, stdout: psLine(Self.new))
        #expect(fixture.run(["exec", "touch", "x"]) == 1)
    }

    @Test func execWithARememberedIDIsOneDockerCall() throws {
        let (fixture, planner, _) = try fixture(record: "\(Self.old)\n1500:1500\n")
        fixture.runner.expect(planner.exec(["id"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.old).argv,
                              exitCode: 7)
        #expect(fixture.run(["exec", "id"]) == 7)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 1)
    }

    @Test func exitOneFromTheCommandItselfIsPassedThrough() throws {
        let (fixture, planner, _) = try fixture(record: "\(Self.old)\n1500:1500\n")
        fixture.runner
            .expect(planner.exec(["false"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.old).argv, exitCode: 1)
            .expect(planner.findContainer().argv, stdout: psLine(Self.old))
        #expect(fixture.run(["exec", "false"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.isEmpty)
    }

    @Test func aReplacedContainerIsNamedAndTheCommandIsNotRunAgain() throws {
        let (fixture, planner, _) = try fixture(record: "\(Self.old)\n1500:1500\n")
        execOnTheReplacedContainer(fixture, planner)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 2)
        #expect(fixture.console.stderr.contains("was replaced"))
        #expect(fixture.console.stderr.contains("did not run"))
        // The lookup put the new ID in its place: the next exec is one call to it.
        fixture.runner.expect(planner.exec(["true"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.new).argv)
        #expect(fixture.run(["exec", "true"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    /// break30: on a full state folder the lookup could not write the new ID, the old record
    /// stayed, and every exec after a recreate went to the gone container and said "run the
    /// command again", for ever. A record that cannot be updated is removed (which takes no
    /// space), so the next exec looks the container up; where even that fails (a read-only
    /// folder) the hint says why running it again will not help.
    @Test func aRecordThatCannotBeUpdatedIsNotFollowedAgain() throws {
        let (fixture, planner, path) = try fixture(record: "\(Self.old)\n1500:1500\n")
        fixture.fileSystem.unwritableFolders = [Self.folder]
        execOnTheReplacedContainer(fixture, planner)
        #expect(fixture.console.stderr.contains("hint: run the command again"), "\(fixture.console.stderr)")
        #expect(!fixture.fileSystem.fileExists(path), "the stale record stayed")
        fixture.runner
            .expect(planner.findContainer().argv, stdout: psLine(Self.new))
            .expect(planner.exec(["true"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.new).argv)
        #expect(fixture.run(["exec", "true"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    @Test func aRecordThatCannotBeUpdatedNorRemovedIsSaidInTheHint() throws {
        let (fixture, planner, path) = try fixture(record: "\(Self.old)\n1500:1500\n")
        fixture.fileSystem.readOnlyFolders = [Self.folder]
        execOnTheReplacedContainer(fixture, planner)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("hint: devenv cannot update its record of the container, \(path) (its state folder takes no writes)"),
                "\(fixture.console.stderr)")
    }

    @Test func aStoppedContainerGetsTheUsualMessage() throws {
        let (fixture, planner, _) = try fixture(record: "\(Self.old)\n1500:1500\n")
        fixture.runner
            .expect(planner.exec(["true"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.old).argv, exitCode: 1)
            .expect(planner.findContainer().argv, stdout: psLine(Self.old, state: "exited"))
        #expect(fixture.run(["exec", "true"]) == 1)
        #expect(fixture.console.stderr.contains("is exited"))
        #expect(fixture.console.stderr.contains("devenv up"))
    }

    @Test(arguments: ["not-an-id\n1500:1500\n", "\(old)\n15\u{1b}]52;c;x\u{7}\n", "\(old.uppercased())\n\n", "\(old)"])
    func aMalformedRecordIsIgnored(record: String) throws {
        let (fixture, planner, _) = try fixture(record: record)
        fixture.runner
            .expect(planner.findContainer().argv, stdout: psLine(Self.new))
            .expect(planner.exec(["true"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.new).argv)
        #expect(fixture.run(["exec", "true"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    @Test func logsWithARememberedIDIsOneCallAndAGoneIDIsLookedUpAndAskedAgain() throws {
        let (fixture, planner, _) = try fixture(record: "\(Self.old)\n1500:1500\n")
        fixture.runner.expect(planner.logs(follow: false, tail: "5", since: nil, container: Self.old).argv, stdout: "hello\n")
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        #expect(fixture.runner.invocations.count == 1)
        fixture.runner
            .expect(planner.logs(follow: false, tail: "5", since: nil, container: Self.old).argv, exitCode: 1)
            .expect(planner.findContainer().argv, stdout: psLine(Self.new))
            .expect(planner.logs(follow: false, tail: "5", since: nil, container: Self.new).argv, stdout: "again\n")
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        fixture.runner.verifyAllCalled()
    }

    /// `logs --profile ci` without a ci container says how to start that one (it said `devenv
    /// up`, which starts dev).
    @Test func logsWithoutAContainerGivesTheProfilesUp() throws {
        let fixture = AppFixture()
        fixture.runner.expect(try fixture.environment(profile: "ci").planner.findContainer().argv)
        #expect(fixture.run(["logs", "--profile", "ci"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("start it with `devenv up --profile ci`"), "\(fixture.console.stderr)")
    }

    @Test func withoutARecordTheLookupIsRememberedAndDownForgetsIt() throws {
        let (fixture, planner, _) = try fixture(record: nil)
        fixture.runner
            .expect(planner.findContainer().argv, stdout: psLine(Self.new))
            .expect(planner.exec(["true"], interactive: true, terminal: false, runningAs: "1500:1500", container: Self.new).argv)
        #expect(fixture.run(["exec", "true"]) == 0)
        let memory = ContainerMemory(context: fixture.context, names: try fixture.environment().names)
        #expect(memory.recall() == ContainerMemory.Record(id: Self.new, user: "1500:1500"))
        let record = fixture.fileSystem.listDirectory(Self.folder).map { "\(Self.folder)/\($0)" }
        #expect(record.count == 1 && fixture.fileSystem.mode(record[0]) == 0o600)

        fixture.runner
            .expect(planner.findContainer().argv, stdout: psLine(Self.new))
            .expect(planner.stop(id: Self.new).argv)
            .expect(planner.remove(id: Self.new).argv)
            .expectNoProjectNetwork(planner)
        #expect(fixture.run(["down"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(memory.recall() == nil)
    }

    @Test func aDryRunNeitherReadsNorWritesTheRecord() throws {
        let (fixture, planner, _) = try fixture(record: "\(Self.old)\n1500:1500\n")
        #expect(fixture.run(["--dry-run", "exec", "true"]) == 0)
        #expect(fixture.console.stdout.contains(planner.exec(["true"], interactive: true, terminal: false).shellQuoted))
    }

    /// Issue 10's "deps out of date" without costing status its one call: the venv is asked
    /// only when uv.lock changed since devenv last saw this container's venv in step with it.
    @Test func statusAsksTheVenvOnlyWhenUvLockChangedSinceItWasSeenInStep() throws {
        let (fixture, planner, _) = try fixture(record: nil)
        let ps = psLine(Self.new, hash: "old", mounts: ["/src/shop", "devenv-shop-dev-497e78ff-venv"])
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: ps)
            .expect(planner.compareLockStamp(runningAs: "1500:1500").argv, exitCode: 0)
        #expect(fixture.run(["status", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains(#""dependenciesOutOfDate":false"#))

        // Unchanged since: one call.
        let before = fixture.runner.invocations.count
        fixture.runner.expect(try fixture.statusLookup(), stdout: ps)
        #expect(fixture.run(["status", "--json"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == before + 1)

        // `uv add` changed uv.lock: the venv is asked again, and it is behind.
        fixture.fileSystem.addFile("\(AppFixture.root)/uv.lock", "version = 1\n# six\n", owner: (1500, 1500))
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: ps)
            .expect(planner.compareLockStamp(runningAs: "1500:1500").argv, exitCode: 1)
        #expect(fixture.run(["status"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.contains("deps out of date"))
    }

    /// A venv without devenv's stamp (cmp exit 2: a Dockerfile devenv did not write) is "not
    /// known to be behind" until uv.lock changes: asked once, not on every status.
    @Test func aVenvWithoutAStampIsAskedOnceWhileUvLockIsUnchanged() throws {
        let (fixture, planner, _) = try fixture(record: nil)
        let ps = psLine(Self.new, hash: "old", mounts: ["/src/shop", "devenv-shop-dev-497e78ff-venv"])
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: ps)
            .expect(planner.compareLockStamp(runningAs: "1500:1500").argv, exitCode: 2)
            .expect(try fixture.statusLookup(), stdout: ps)
        #expect(fixture.run(["status"]) == 0)
        #expect(fixture.run(["status"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 3)
        #expect(!fixture.console.stdout.contains("deps out of date"))
    }
}
