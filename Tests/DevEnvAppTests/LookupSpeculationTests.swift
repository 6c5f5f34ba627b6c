@testable import DevEnvApp
import DevEnvCore
import Testing
import TestSupport

/// Issue 14: the container lookup started before the configuration is read
/// (`LookupSpeculation`). A remembered lookup that is still the right one is the command's one
/// docker call; a wrong one is ended unseen and the real call made (two calls, only then); a
/// record that is not exactly what devenv writes starts nothing; a dry run starts nothing; the
/// early call has the query deadline. The scripted runner reports any started call neither
/// finished nor ended (`verifyAllCalled`). The real engine: IntegrationTests/LookupSpeculationEngineTests.
@Suite struct LookupSpeculationTests {
    static let folder = "/run/user/0/devenv"

    private func fixture(_ toml: String = "[project]\nname = \"shop\"\n") -> AppFixture {
        let fixture = AppFixture(devenvToml: toml)
        fixture.stateFolder = Self.folder
        return fixture
    }

    /// The one record file of the fixture's state folder (nil: none).
    private func recordPath(_ fixture: AppFixture) -> String? {
        fixture.fileSystem.listDirectory(Self.folder).first { $0.hasSuffix(".lookup") }.map { "\(Self.folder)/\($0)" }
    }

    /// `docker ps` answering with an exited container of ours for each profile (so status asks
    /// nothing more: no volume list, no venv comparison).
    static func exited(_ profiles: [String] = ["dev", "ci", "prod"]) -> String {
        profiles.map {
            AppFixture.psLine(name: "devenv-shop-\($0)-497e78ff", state: "exited", status: "Exited (0) 1 minute ago",
                              labels: AppFixture.ownLabels(profile: $0, hash: "x")) + "\n"
        }.joined()
    }

    /// `status` once, so its lookup is remembered: one call, nothing started ahead.
    private func remembered(_ fixture: AppFixture) throws -> [String] {
        let lookup = try fixture.statusLookup()
        fixture.runner.expect(lookup, stdout: Self.exited())
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        #expect(fixture.runner.invocations.count == 1)
        #expect(recordPath(fixture) != nil, "status remembered no lookup")
        return lookup
    }

    @Test func aRememberedLookupThatIsStillRightIsTheOneDockerCall() throws {
        let fixture = fixture()
        let lookup = try remembered(fixture)
        let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", state: "paused", labels: AppFixture.ownLabels(hash: "x"))
        fixture.runner.expect(lookup, stdout: running + "\n" + Self.exited(["ci", "prod"]))
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        // Two commands, two calls: the second was the one started ahead, and it was used.
        #expect(fixture.runner.invocations.count == 2)
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(fixture.console.stdout.contains("dev      paused"), "\(fixture.console.stdout)")
    }

    @Test func aChangedConfigurationEndsTheEarlyLookupUnseenAndMakesTheRealOne() throws {
        let fixture = fixture()
        let old = try remembered(fixture)
        // A profile added since: the lookup names one container more.
        fixture.fileSystem.addFile("\(AppFixture.root)/devenv.toml", "[project]\nname = \"shop\"\n[profiles.extra]\nextends = \"dev\"\n",
                                   owner: (1500, 1500))
        let new = try fixture.statusLookup()
        #expect(new != old)
        let extra = AppFixture.psLine(name: "devenv-shop-extra-497e78ff", state: "paused", labels: AppFixture.ownLabels(profile: "extra", hash: "x"))
        fixture.runner
            .expect(old, stderr: "error of the early call, never to be shown\n", exitCode: 1)
            .expect(new, stdout: extra + "\n" + Self.exited())
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        // Only a wrong guess costs a second call: the early one, ended, then the real one.
        #expect(fixture.runner.invocations.map(\.argv) == [old, old, new])
        #expect(fixture.runner.cancelled.map(\.argv) == [old])
        #expect(!fixture.console.stderr.contains("never to be shown"))
        #expect(fixture.console.stdout.contains("extra    paused"), "\(fixture.console.stdout)")
        // The new lookup is remembered: the next status starts it ahead, and uses it.
        fixture.runner.expect(new, stdout: extra + "\n" + Self.exited())
        #expect(fixture.run(["status"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 4)
        #expect(fixture.runner.cancelled.count == 1)
    }

    @Test func verboseShowsTheEarlyLookupUsedOrEndedUnused() throws {
        let fixture = fixture()
        let old = try remembered(fixture)
        fixture.runner.expect(old, stdout: Self.exited())
        #expect(fixture.run(["status", "--verbose"]) == 0)
        #expect(fixture.console.stderr.contains("(started before the configuration was read)\n"), "\(fixture.console.stderr)")
        fixture.fileSystem.addFile("\(AppFixture.root)/devenv.toml", "[project]\nname = \"shop\"\n[profiles.extra]\nextends = \"dev\"\n",
                                   owner: (1500, 1500))
        let new = try fixture.statusLookup()
        fixture.runner.expect(old).expect(new, stdout: Self.exited(["dev", "ci", "prod", "extra"]))
        #expect(fixture.run(["status", "--verbose"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("+ \(ProcessInvocation(old).shellQuoted)  (started before the configuration was read; not the call needed: ended unused)\n"),
                "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("+ \(ProcessInvocation(new).shellQuoted)\n"), "\(fixture.console.stderr)")
    }

    @Test(arguments: [
        // Not devenv's form at all, or another version of it.
        "garbage\n",
        "",
        "devenv lookup 1\ndocker\ndocker\ndevenv-shop-dev-497e78ff\n",
        // Another CLI than the one devenv runs now, or a program of the record's choosing.
        "devenv lookup 2\n/bin/sh\ndocker\nname devenv-shop-dev-497e78ff\n",
        "devenv lookup 2\nsh -c 'rm -rf /'\ndocker\nname devenv-shop-dev-497e78ff\n",
        // Arguments smuggled in as names: each must be a container name as Docker allows it.
        "devenv lookup 2\ndocker\ndocker\nname --filter\n",
        "devenv lookup 2\ndocker\ndocker\nname devenv-shop-dev-497e78ff --all\n",
        "devenv lookup 2\ndocker\ndocker\nname $(touch /tmp/x)\n",
        "devenv lookup 2\ndocker\ndocker\nname -devenv\n",
        "devenv lookup 2\ndocker\ndocker\nname devenv-shop-dev-497e78ff\u{1B}]0;x\u{07}\n",
        "devenv lookup 2\ndocker\ndocker\nname devenv-shop-dev-497e78ff\nprefix --format={{.ID}}\n",
        // Lines devenv does not write: a bare name, another kind, a name after the prefixes.
        "devenv lookup 2\ndocker\ndocker\ndevenv-shop-dev-497e78ff\n",
        "devenv lookup 2\ndocker\ndocker\nname devenv-shop-dev-497e78ff\nlabel x\n",
        "devenv lookup 2\ndocker\ndocker\nprefix devenv-shop-dev-497e78ff-svc-\nname devenv-shop-dev-497e78ff\n",
        // Cut short (no final newline), an unknown engine family, no names.
        "devenv lookup 2\ndocker\ndocker\nname devenv-shop-dev-497e78ff",
        "devenv lookup 2\ndocker\nlxc\nname devenv-shop-dev-497e78ff\n",
        "devenv lookup 2\ndocker\ndocker\n",
        "devenv lookup 2\ndocker\ndocker\nprefix devenv-shop-dev-497e78ff-svc-\n",
        // Lines ended by "\r\n"; a name or the CLI with other bytes than devenv's (read as
        // bytes: nothing is decoded before it is compared).
        "devenv lookup 2\r\ndocker\r\ndocker\r\nname devenv-shop-dev-497e78ff\r\n",
        "devenv lookup 2\ndocker\ndocker\nname devenv-shop-dev-497e78ff\u{FFFD}\n",
        "devenv lookup 2\ndocker \ndocker\nname devenv-shop-dev-497e78ff\n",
        // Too many names, too long a name.
        "devenv lookup 2\ndocker\ndocker\n" + String(repeating: "name a\n", count: 1025),
        "devenv lookup 2\ndocker\ndocker\nname " + String(repeating: "a", count: 254) + "\n",
    ])
    func aRecordNotExactlyDevenvsStartsNothing(_ record: String) throws {
        let fixture = fixture()
        _ = try remembered(fixture)
        let path = try #require(recordPath(fixture))
        try fixture.fileSystem.writeFile(path, Array(record.utf8), mode: 0o600)
        fixture.runner.expect(try fixture.statusLookup(), stdout: Self.exited())
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        // The one real lookup, nothing started ahead or ended.
        #expect(fixture.runner.invocations.count == 2)
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(fixture.console.stderr.isEmpty, "\(fixture.console.stderr)")
    }

    @Test func aRecordThatIsNotUTF8OrTooLargeStartsNothing() throws {
        for bytes in [[0xff, 0xfe, 0x0a] as [UInt8], Array(repeating: 0x61, count: 70_000)] {
            let fixture = fixture()
            _ = try remembered(fixture)
            try fixture.fileSystem.writeFile(try #require(recordPath(fixture)), bytes, mode: 0o600)
            fixture.runner.expect(try fixture.statusLookup(), stdout: Self.exited())
            #expect(fixture.run(["status"]) == 0)
            fixture.runner.verifyAllCalled()
            #expect(fixture.runner.invocations.count == 2)
        }
    }

    @Test func aNameOnlyDockerAllowsIsReadBackAsItsOwnFilter() throws {
        // Built by the planner from the names: dots escaped, anchored; nothing else.
        let fixture = fixture()
        _ = try remembered(fixture)
        try fixture.fileSystem.writeFile(try #require(recordPath(fixture)),
                                         Array("devenv lookup 2\ndocker\ndocker\nname other.name_1\nprefix other-svc-\n".utf8), mode: 0o600)
        let early = DockerPlanner.findContainers(cli: "docker", names: ["other.name_1"], prefixes: ["other-svc-"]).argv
        #expect(early.contains("name=^/?other\\.name_1$"))
        #expect(early.contains("name=^/?other-svc-"))
        fixture.runner.expect(early).expect(try fixture.statusLookup(), stdout: Self.exited())
        #expect(fixture.run(["status"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.map(\.argv) == [early])
    }

    @Test func aDryRunStartsNothingAndItsPlanShowsTheLookup() throws {
        let fixture = fixture()
        let lookup = try remembered(fixture)
        #expect(fixture.run(["status", "--dry-run"]) == 0)
        // up's plan asks the engine how it maps users (a probe that changes nothing), no more.
        fixture.runner.expect(["docker", "info", "--format", "{{json .}}"], stdout: "{}\n")
        #expect(fixture.run(["up", "--dry-run"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.filter { $0.argv.dropFirst().first == "ps" }.count == 1)
        #expect(fixture.console.stdout.contains(ProcessInvocation(lookup).shellQuoted))
    }

    @Test func theEarlyLookupHasTheQueryDeadlineAndAPausedEngineIsExit3NamingIt() throws {
        let fixture = fixture()
        let lookup = try remembered(fixture)
        fixture.extraEnvironment = ["DEVENV_TIMEOUT": "4"]
        fixture.runner.expect(lookup, neverAnswers: true)
        #expect(fixture.run(["status"]) == 3)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.last?.deadline == 4)
        #expect(fixture.console.stderr.contains("did not answer `docker ps --all --no-trunc"), "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("within 4 s"), "\(fixture.console.stderr)")
    }

    @Test func interruptedWhileTheConfigurationIsReadTheEarlyLookupIsEnded() throws {
        let fixture = fixture()
        let lookup = try remembered(fixture)
        fixture.runner.expect(lookup)
        var context = fixture.context
        let facts = context.hostFacts
        // Ctrl-C arrives while devenv looks up the host user, after the early start.
        context.hostFacts = { directory in
            fixture.interruption = 2
            return facts(directory)
        }
        #expect(App.run(["status"], context: context) == 130)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.map(\.argv) == [lookup])
    }

    @Test func aBrokenConfigurationEndsTheEarlyLookup() throws {
        let fixture = fixture()
        let lookup = try remembered(fixture)
        fixture.fileSystem.addFile("\(AppFixture.root)/devenv.toml", "[project\n", owner: (1500, 1500))
        fixture.runner.expect(lookup)
        #expect(fixture.run(["status"]) == 2)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.map(\.argv) == [lookup])
    }

    @Test func anUnchangedUpIsOneCallAndRemembersItsOwnLookup() throws {
        let fixture = fixture()
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: String(repeating: "c", count: 64),
                                        labels: AppFixture.ownLabels(hash: hash), mounts: AppFixture.ownVolumeNames)
        // The first up asks the venv once (ContainerMemory); from then on it is one lookup.
        fixture.runner.expect(planner.findContainer().argv, stdout: running + "\n")
        #expect(fixture.run(["up"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.expect(planner.findContainer().argv, stdout: running + "\n")
        #expect(fixture.run(["up"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.count == 2)
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(fixture.console.stdout.contains("dev is up to date"))
        // status has its own record: up's lookup is not started ahead for it.
        fixture.runner.expect(try fixture.statusLookup(), stdout: Self.exited())
        #expect(fixture.run(["status"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.isEmpty)
    }

    /// Issue 14: an unchanged `up` reads what devenv remembers of its container (ContainerMemory)
    /// while docker answers its lookup, not after the answer, and once.
    @Test func anUnchangedUpReadsItsContainerMemoryBeforeTheAnswer() throws {
        let fixture = fixture()
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: String(repeating: "c", count: 64),
                                        labels: AppFixture.ownLabels(hash: hash), mounts: AppFixture.ownVolumeNames)
        let lookup = environment.planner.findContainer().argv
        fixture.runner.expect(lookup, stdout: running + "\n")
        #expect(fixture.run(["up"]) == 0, "\(fixture.console.stderr)")
        let memory = try #require(fixture.fileSystem.listDirectory(Self.folder).first { $0.hasSuffix(".container") })
        let path = "\(Self.folder)/\(memory)"
        let before = fixture.fileSystem.readCount(path)
        let files = fixture.fileSystem
        let readBeforeTheAnswer = ConfigurationReadOnceTests.Counter()
        fixture.runner.expect(lookup, stdout: running + "\n", sideEffect: {
            if files.readCount(path) > before { readBeforeTheAnswer.increment() }
        })
        #expect(fixture.run(["up"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(readBeforeTheAnswer.count == 1, "the memory was not read while docker answered")
        #expect(fixture.fileSystem.readCount(path) == before + 1)
        #expect(fixture.console.stdout.contains("dev is up to date"))
    }

    @Test func aCallThatMayChangeTheEngineFirstEndsTheEarlyLookup() throws {
        let fixture = fixture()
        let lookup = try remembered(fixture)
        fixture.runner.expect(lookup).expect(["docker", "rm", "x"]).expect(lookup, stdout: Self.exited())
        let context = fixture.context
        let session = DockerSession(context: context, dryRun: false)
        session.speculation = LookupSpeculation.begin(.everyProfile(chosen: nil), projectDirectory: AppFixture.root,
                                                      context: context, dryRun: false)
        #expect(session.speculation?.isPending == true)
        // A query leaves it; a call that may change what it saw ends it.
        _ = try session.attempt(ProcessInvocation(["docker", "rm", "x"]))
        #expect(session.speculation?.isPending == false)
        let environments = try EnvironmentLoader(context: context, options: GlobalOptions()).loadAll()
        _ = try session.lookup(.init(cli: "docker", names: environments.flatMap(\.names.lookupNames),
                                     prefixes: environments.flatMap(\.names.lookupPrefixes), engine: .docker),
                               "listing containers")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.map(\.argv) == [lookup])
    }

    /// Issue 14: a status whose answer has an environment with volumes but no container lists
    /// the volumes too, a second call that waited for the first. The record says so, and the
    /// next status starts the listing beside the lookup; once the answer no longer needs it, the
    /// early listing is ended unseen and forgotten.
    @Test func theVolumeListingAStatusNeededStartsBesideItsLookupNextTime() throws {
        let fixture = fixture()
        let lookup = try fixture.statusLookup()
        let listing = DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv
        let volume = #"{"Name":"devenv-shop-dev-497e78ff-venv","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=venv"}"#
        fixture.runner.expect(lookup).expect(listing, stdout: volume)
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        #expect(fixture.runner.startedAhead.isEmpty)
        let record = try #require(recordPath(fixture))
        #expect(String(decoding: try #require(try fixture.fileSystem.readFile(record)), as: UTF8.self).hasSuffix("\nvolumes shop\n"))
        // Both ahead, both used: the same two calls, neither waiting for the other.
        fixture.runner.expect(lookup).expect(listing, stdout: volume)
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.startedAhead.map(\.argv) == [lookup, listing])
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(fixture.runner.invocations.map(\.argv) == [lookup, listing, lookup, listing])
        #expect(fixture.console.stdout.components(separatedBy: "volume devenv-shop-dev-497e78ff-venv (venv at /venv)").count == 3,
                "\(fixture.console.stdout)")
        // Containers now: the early listing is ended unseen, and no longer remembered.
        fixture.runner.expect(lookup, stdout: Self.exited()).expect(listing, stderr: "never to be shown\n", exitCode: 1)
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        #expect(fixture.runner.cancelled.map(\.argv) == [listing])
        #expect(!fixture.console.stderr.contains("never to be shown"))
        fixture.runner.expect(lookup, stdout: Self.exited())
        #expect(fixture.run(["status"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.startedAhead.map(\.argv) == [lookup, listing, lookup, listing, lookup])
        #expect(!String(decoding: try #require(try fixture.fileSystem.readFile(record)), as: UTF8.self).contains("volumes"))
    }

    // MARK: logs

    static let containerID = String(repeating: "a", count: 64)
    static let otherID = String(repeating: "b", count: 64)

    /// A fixture whose dev container devenv remembers (ContainerMemory), and the logs call for it.
    private func logsFixture(_ id: String = containerID) throws -> (AppFixture, [String]) {
        let fixture = fixture()
        let environment = try fixture.environment()
        ContainerMemory(context: fixture.context, names: environment.names).remember(id: id, user: "1500:1500")
        return (fixture, environment.planner.logs(follow: false, tail: "5", since: nil, container: id).argv)
    }

    @Test func logsStartedBeforeTheConfigurationIsReadIsItsOneCall() throws {
        let (fixture, logs) = try logsFixture()
        // The first logs remembers which environment it read; nothing was started ahead.
        fixture.runner.expect(logs, streamed: [(.stdout, "first\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0, "\(fixture.console.stderr)")
        #expect(fixture.fileSystem.listDirectory(Self.folder).filter { $0.hasSuffix(".lookup") }.count == 1)
        #expect(fixture.runner.startedAhead.isEmpty)
        // The next starts that call at once and shows its answer: still one call a command.
        fixture.runner.expect(logs, streamed: [(.stdout, "second\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.invocations.map(\.argv) == [logs, logs])
        #expect(fixture.runner.startedAhead.map(\.argv) == [logs])
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(fixture.console.stdout == "first\nsecond\n")
        // The early call takes this command's flags: only the container is remembered.
        let all = try fixture.environment().planner.logs(follow: false, tail: "all", since: "1h", container: Self.containerID).argv
        fixture.runner.expect(all, streamed: [(.stdout, "third\n")])
        #expect(fixture.run(["logs", "--tail", "all", "--since", "1h"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.startedAhead.map(\.argv) == [logs, all])
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(fixture.console.stdout == "first\nsecond\nthird\n")
    }

    @Test func anEarlyLogsForAnotherContainerIsEndedUnseenAndTheRealOneMade() throws {
        let (fixture, logs) = try logsFixture()
        fixture.runner.expect(logs, streamed: [(.stdout, "first\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        // Renamed: the environment is another, whose container devenv remembers as well.
        fixture.fileSystem.addFile("\(AppFixture.root)/devenv.toml", "[project]\nname = \"mall\"\n", owner: (1500, 1500))
        let renamed = try fixture.environment()
        ContainerMemory(context: fixture.context, names: renamed.names).remember(id: Self.otherID, user: "1500:1500")
        let newLogs = renamed.planner.logs(follow: false, tail: "5", since: nil, container: Self.otherID).argv
        fixture.runner
            .expect(logs, exitCode: 1, streamed: [(.stdout, "old project, never shown\n"), (.stderr, "never shown either\n")])
            .expect(newLogs, streamed: [(.stdout, "mall\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.map(\.argv) == [logs])
        #expect(fixture.console.stdout == "first\nmall\n")
        #expect(!fixture.console.stderr.contains("never shown"))
        // The new environment is remembered: the next logs starts its call, and uses it.
        fixture.runner.expect(newLogs, streamed: [(.stdout, "mall again\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.startedAhead.map(\.argv) == [logs, newLogs])
        #expect(fixture.runner.cancelled.map(\.argv) == [logs])
    }

    @Test func aRecreatedContainerIsReadFromItsNewRecordAndAGoneOneLookedUp() throws {
        let (fixture, logs) = try logsFixture()
        fixture.runner.expect(logs, streamed: [(.stdout, "first\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        // `up` recreated the container: the early call asks for the new ID (the memory's).
        let environment = try fixture.environment()
        ContainerMemory(context: fixture.context, names: environment.names).remember(id: Self.otherID, user: "1500:1500")
        let newLogs = environment.planner.logs(follow: false, tail: "5", since: nil, container: Self.otherID).argv
        fixture.runner.expect(newLogs, streamed: [(.stdout, "new\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.isEmpty)
        // Gone since: docker refuses the ID, devenv looks the container up and asks again, as
        // without the early start (its error is docker's, streamed as it was).
        let lookup = environment.planner.findContainer().argv
        let running = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: Self.containerID, labels: AppFixture.ownLabels())
        fixture.runner
            .expect(newLogs, stderr: "Error: No such container\n", exitCode: 1)
            .expect(lookup, stdout: running + "\n")
            .expect(logs, streamed: [(.stdout, "found again\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout.hasSuffix("found again\n"))
    }

    @Test func aRenamedProjectEndsTheEarlyLogsUnseen() throws {
        let (fixture, logs) = try logsFixture()
        fixture.runner.expect(logs, streamed: [(.stdout, "first\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        // Another project name: another container, which devenv has no ID for: it looks it up.
        fixture.fileSystem.addFile("\(AppFixture.root)/devenv.toml", "[project]\nname = \"mall\"\n", owner: (1500, 1500))
        let renamed = try fixture.environment()
        let lookup = renamed.planner.findContainer().argv
        let found = AppFixture.psLine(name: "devenv-mall-dev", id: Self.otherID,
                                      labels: ["devenv.project": "mall", "devenv.profile": "dev", "devenv.root": AppFixture.root])
        let newLogs = renamed.planner.logs(follow: false, tail: "5", since: nil, container: Self.otherID).argv
        fixture.runner
            .expect(logs, streamed: [(.stdout, "old project, never shown\n")])
            .expect(lookup, stdout: found + "\n")
            .expect(newLogs, streamed: [(.stdout, "mall\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0, "\(fixture.console.stderr)")
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.map(\.argv) == [logs])
        #expect(!fixture.console.stdout.contains("never shown"))
        #expect(fixture.console.stdout.hasSuffix("mall\n"))
    }

    @Test(arguments: [["logs", "-f", "--tail", "5"], ["logs", "--tail", "5", "--dry-run"]])
    func followAndDryRunStartNothingAhead(arguments: [String]) throws {
        let (fixture, logs) = try logsFixture()
        fixture.runner.expect(logs, streamed: [(.stdout, "first\n")])
        #expect(fixture.run(["logs", "--tail", "5"]) == 0)
        if arguments.contains("-f") {
            let planner = try fixture.environment().planner
            let follow = planner.logs(follow: true, tail: "5", since: nil, container: Self.containerID).argv
            fixture.runner.expect(follow, streamed: [(.stdout, "followed\n")])
            // The stream ended by itself: devenv looks at what became of the container (left23),
            // here stopped, and says so.
            fixture.runner.expect(planner.findContainer().argv,
                                  stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: Self.containerID, state: "exited",
                                                            status: "Exited (0) 1 second ago", labels: AppFixture.ownLabels()) + "\n")
        }
        #expect(fixture.run(arguments) == 0, "\(fixture.console.stderr)")
        if arguments.contains("-f") {
            #expect(fixture.console.stderr.contains("devenv: note: devenv-shop-dev-497e78ff is exited, exit code 0; logs -f ends"), "\(fixture.console.stderr)")
        }
        fixture.runner.verifyAllCalled()
        #expect(fixture.runner.cancelled.isEmpty)
        #expect(!fixture.runner.invocations.dropFirst().contains { $0.argv == logs })
    }
}

