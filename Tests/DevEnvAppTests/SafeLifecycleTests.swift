@testable import DevEnvApp
import Dashboard
import DevEnvCore
import Testing
import TestSupport

/// Issue 9, sections 1, 2 and 4 (repair), scripted: one ownership lookup, removal by ID only,
/// a recreate that never leaves the user with nothing, and repair of what an interrupted run
/// left. The same faults run on the real engine in IntegrationTests/SafeLifecycleEngineTests.
@Suite struct SafeLifecycleTests {
    let fixture = AppFixture()

    /// The calls of `up` up to the point where a container is made, with volumes present.
    func upPrelude(_ ps: String) throws -> (Environment, String, String) {
        let environment = try fixture.environment()
        let planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv, stdout: ps)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1")
            .expect(planner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: LifecycleCommandTests.ownVolumes(environment))
        return (environment, image, hash)
    }

    @Test func aNameTakenBetweenLookupAndCreateIsExit4AndNothingIsRemoved() throws {
        let (environment, image, hash) = try upPrelude("")
        fixture.runner.expect(AppFixture.volumeProbe(environment.planner, image: image))
        fixture.runner.expect(environment.planner.create(image: image, configHash: hash, inputs: try fixture.inputs(environment, image: image)).argv, stderr:
            #"docker: Error response from daemon: Conflict. The container name "/devenv-shop-dev-497e78ff" is already in use by container "f00". You have to remove (or rename) that container to be able to reuse that name."#,
            exitCode: 125)
        #expect(fixture.run(["up"]) == 4)
        fixture.runner.verifyAllCalled()
        #expect(!fixture.runner.invocations.contains { $0.argv.contains("rm") })
        #expect(fixture.console.stderr.contains("the name was taken by another container meanwhile; nothing was removed"))
    }

    @Test func aRecreateWhoseNewContainerFailsToStartBringsThePreviousOneBack() throws {
        let (environment, image, hash) = try upPrelude(AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "old"),
                                                                             mounts: AppFixture.ownVolumeNames))
        let planner = environment.planner
        fixture.runner
            .expect(planner.create(image: image, configHash: hash, name: "devenv-shop-dev-497e78ff.replacement", inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.rename(id: "c1", to: "devenv-shop-dev-497e78ff.previous").argv)
            .expect(planner.stop(id: "c1").argv)
            .expect(planner.rename(id: "new1", to: "devenv-shop-dev-497e78ff").argv)
            .expect(planner.start(id: "new1").argv, stderr: "Error: exec: \"nope\": executable file not found", exitCode: 1)
            .expect(planner.remove(id: "new1").argv)
            .expect(planner.rename(id: "c1", to: "devenv-shop-dev-497e78ff").argv)
            .expect(planner.start(id: "c1").argv)
        #expect(fixture.run(["up"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("starting the new devenv-shop-dev-497e78ff failed (docker exit 1); the new container was removed; the previous container devenv-shop-dev-497e78ff is running again, unchanged"),
                "\(fixture.console.stderr)")
    }

    @Test func aReplacementThatCannotBeCreatedChangesNothing() throws {
        let (environment, image, hash) = try upPrelude(AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "old"),
                                                                             mounts: AppFixture.ownVolumeNames))
        fixture.runner.expect(environment.planner.create(image: image, configHash: hash, name: "devenv-shop-dev-497e78ff.replacement", inputs: try fixture.inputs(environment, image: image)).argv,
                              stderr: "docker: Error response from daemon: invalid mount config for type \"bind\": bind source path does not exist: /nope.",
                              exitCode: 125)
        #expect(fixture.run(["up"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("nothing was changed: the previous container devenv-shop-dev-497e78ff is still running, unchanged"))
    }

    @Test func whenThePreviousContainerCannotComeBackTheMessageSaysWhereItIs() throws {
        let (environment, image, hash) = try upPrelude(AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: "old"),
                                                                             mounts: AppFixture.ownVolumeNames))
        let planner = environment.planner
        fixture.runner
            .expect(planner.create(image: image, configHash: hash, name: "devenv-shop-dev-497e78ff.replacement", inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.rename(id: "c1", to: "devenv-shop-dev-497e78ff.previous").argv)
            .expect(planner.stop(id: "c1").argv)
            .expect(planner.rename(id: "new1", to: "devenv-shop-dev-497e78ff").argv)
            .expect(planner.start(id: "new1").argv, stderr: "boom", exitCode: 1)
            .expect(planner.remove(id: "new1").argv)
            .expect(planner.rename(id: "c1", to: "devenv-shop-dev-497e78ff").argv, stderr: "engine gone", exitCode: 1)
            .expect(planner.start(id: "c1").argv, stderr: "engine gone", exitCode: 1)
        #expect(fixture.run(["up"]) == 1)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("could not be restored (renaming it back, starting it again failed): it is devenv-shop-dev-497e78ff.previous, stopped; `devenv up` again repairs it"),
                "\(fixture.console.stderr)")
    }

    @Test func aCreatedButNeverStartedContainerIsRemovedByIDAndMadeAgain() throws {
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        // Same configuration, so without the repair `up` would `docker start` it ("task already exists").
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", id: "half", state: "created", status: "Created",
                                   labels: AppFixture.ownLabels(hash: hash))
        let planner = try upPrelude(ps).0.planner
        fixture.runner
            .expect(planner.remove(id: "half").argv)
            .expect(AppFixture.volumeProbe(planner, image: image))
            .expect(planner.create(image: image, configHash: hash, inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.start(id: "new1").argv)
            .expect(AppFixture.homeGift(planner), unordered: true)
            .expect(planner.compareLockStamp().argv, unordered: true)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("created but never started"))
    }

    @Test func leftoversOfAnInterruptedRecreateAreRepaired() throws {
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        // Cut short after the old one was renamed aside and stopped: no container has the name.
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff.replacement", id: "new0", state: "created", status: "Created",
                                   labels: AppFixture.ownLabels(hash: hash)) + "\n"
            + AppFixture.psLine(name: "devenv-shop-dev-497e78ff.previous", id: "old0", state: "exited", status: "Exited (0) 1 minute ago",
                                labels: AppFixture.ownLabels(hash: hash), mounts: AppFixture.ownVolumeNames)
        let planner = try upPrelude(ps).0.planner
        fixture.runner
            .expect(planner.remove(id: "new0").argv)
            .expect(planner.rename(id: "old0", to: "devenv-shop-dev-497e78ff").argv)
            .expect(planner.start(id: "old0").argv)
            .expect(AppFixture.homeGift(planner), unordered: true)
            .expect(planner.compareLockStamp().argv, unordered: true)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stdout == "dev is up: devenv-shop-dev-497e78ff restarted\n")
    }

    /// Issue 9 section 4: a volume an interrupted run left root-owned (no container of ours
    /// mounts it) is given to the synced user before the container is made on it; one whose
    /// path the image's devenv.volume-owner label covers is not probed.
    @Test func aVolumeLeftRootOwnedIsGivenToTheUserBeforeTheContainerIsMade() throws {
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        let planner = try upPrelude("").0.planner
        fixture.runner
            .expect(AppFixture.volumeProbe(planner, image: image), stdout: "/volumes/venv\n")
            .expect(planner.create(image: image, configHash: hash, inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.start(id: "new1").argv)
            .expect(AppFixture.homeGift(planner), unordered: true)
            .expect(planner.compareLockStamp().argv, unordered: true)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(fixture.console.stderr.contains("gave devenv-shop-dev-497e78ff-venv to 1500:1500: an earlier run was interrupted before it did"),
                "\(fixture.console.stderr)")
        let probe = AppFixture.volumeProbe(planner, image: image)
        #expect(probe.contains("--user") && probe[probe.firstIndex(of: "--user")! + 1] == "0:0")
        #expect(Array(probe.suffix(3)) == ["1500:1500", "/volumes/cache", "/volumes/venv"])

        let covered = AppFixture()
        let coveredEnvironment = try covered.environment()
        let coveredPlanner = coveredEnvironment.planner
        covered.runner
            .expect(coveredPlanner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(coveredPlanner.imageExists(image).argv,
                    stdout: #"sha256:1 {"devenv.volume-owner":"1500:1500 /venv"}"#)
            .expect(coveredPlanner.engineInfo().argv, stdout: "null")
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv,
                    stdout: LifecycleCommandTests.ownVolumes(coveredEnvironment))
            .expect(try #require(coveredPlanner.repairVolumeOwners(roles: ["cache"], image: image)).argv)
            .expect(coveredPlanner.create(image: image, configHash: hash, inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(coveredPlanner.start(id: "new1").argv)
            .expect(AppFixture.homeGift(coveredPlanner), unordered: true)
            .expect(coveredPlanner.compareLockStamp().argv, unordered: true)
        #expect(covered.run(["up"]) == 0)
        covered.runner.verifyAllCalled()
    }

    @Test func aForeignContainerUnderATemporaryNameIsLeftAlone() throws {
        let environment = try fixture.environment()
        let ps = AppFixture.psLine(name: "devenv-shop-dev-497e78ff.previous", id: "theirs", labels: ["maintainer": "x"])
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        let planner = try upPrelude(ps).0.planner
        fixture.runner
            .expect(AppFixture.volumeProbe(planner, image: image))
            .expect(planner.create(image: image, configHash: hash, inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.start(id: "new1").argv)
            .expect(AppFixture.homeGift(planner), unordered: true)
            .expect(planner.compareLockStamp().argv, unordered: true)
        #expect(fixture.run(["up"]) == 0)
        fixture.runner.verifyAllCalled()
        #expect(!fixture.runner.invocations.contains { $0.argv.contains("theirs") })
    }

    @Test func statusShowsAConflictWithItsOwnerInTextAndJSON() throws {
        let foreign = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: ["devenv.project": "shop", "devenv.profile": "dev",
                                                                          "devenv.root": "/real/shop"])
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: foreign)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        #expect(fixture.run(["status"]) == 0)
        let text = fixture.console.stdout
        #expect(text.contains("dev      conflict"), "\(text)")
        #expect(text.contains("dev: the name devenv-shop-dev-497e78ff is taken by a container devenv did not create for this project (devenv made it for /real/shop (project shop, profile dev))"))

        let json = AppFixture()
        json.runner
            .expect(try json.statusLookup(), stdout: foreign)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        #expect(json.run(["status", "--json"]) == 0)
        #expect(json.console.stdout.contains(#""profile":"dev","container":"devenv-shop-dev-497e78ff","state":"conflict","owner":"devenv made it for /real/shop (project shop, profile dev)""#),
                "\(json.console.stdout)")
    }

    @Test func theDashboardRowShowsTheConflictAndDoesNotTreatTheContainerAsItsOwn() throws {
        let environments = try EnvironmentLoader(context: fixture.context, options: GlobalOptions()).loadAll()
        fixture.runner
            .expect(try fixture.statusLookup(), stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: ["maintainer": "x"]))
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
            .expect(DockerPlanner.listProjectImages(cli: "docker", project: "shop").argv)
        let rows = try DashboardSnapshot(environments: environments, context: fixture.context).take()
        fixture.runner.verifyAllCalled()
        let dev = try #require(rows.first { $0.profile == "dev" })
        #expect(dev.stateLabel(phase: nil) == "conflict")
        #expect(dev.owner == "it has no devenv labels")
        #expect(!dev.exists && !dev.isRunning)
    }

    @Test func execAndDownOnAForeignContainerAreExit4() throws {
        let planner = try fixture.environment().planner
        let foreign = AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: ["devenv.project": "shop", "devenv.profile": "dev"])
        fixture.runner.expect(planner.findContainer().argv, stdout: foreign)
        #expect(fixture.run(["exec", "--", "id"]) == 4)
        #expect(fixture.console.stderr.contains("it carries devenv labels (devenv.profile=dev, devenv.project=shop) but not this project's"))
        fixture.runner.expect(planner.findContainer().argv, stdout: foreign)
        #expect(fixture.run(["down"]) == 4)
        fixture.runner.verifyAllCalled()
    }

    @Test(arguments: ["export EXP=1\n", "SPACED = x\n", "A=1\u{0}\n", "BIG=" + String(repeating: "v", count: 1 << 20) + "\n"])
    func aBadEnvFileStopsUpBeforeAnyDockerCall(_ text: String) throws {
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.dev", text, owner: (1500, 1500))
        #expect(fixture.run(["up"]) == 2)
        #expect(fixture.runner.invocations.isEmpty)
        #expect(fixture.console.stderr.contains("devenv: error: .env.dev:1:"), "\(fixture.console.stderr)")
    }

    @Test func envFileWarningsNameTheLineAndUpGoesOn() throws {
        fixture.fileSystem.addFile("\(AppFixture.root)/.env.dev", "A=1\nQ=\"x\"\nTOKEN\n", owner: (1500, 1500))
        let environment = try fixture.environment()
        let image = try environment.image(fileSystem: fixture.fileSystem)
        let hash = try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem)
        fixture.runner.expect(environment.planner.findContainer().argv,
                              stdout: AppFixture.psLine(name: "devenv-shop-dev-497e78ff", labels: AppFixture.ownLabels(hash: hash)))
        #expect(fixture.run(["up"]) == 0)
        #expect(fixture.console.stderr.contains("devenv: .env.dev:2:3: warning: the value of Q is quoted"))
        #expect(fixture.console.stderr.contains("devenv: .env.dev:3:1: warning: TOKEN has no '='"))
    }

    @Test func aMissingMountSourceIsExit2WithWhereItWasConfigured() throws {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\nmounts = [\"data:/data\"]\n")
        #expect(fixture.run(["up"]) == 2)
        #expect(fixture.runner.invocations.isEmpty)
        #expect(fixture.console.stderr.contains("devenv.toml:3:"), "\(fixture.console.stderr)")
        #expect(fixture.console.stderr.contains("the mount source /src/shop/data does not exist"))
    }
}

/// Issue 9 section 8: root mappings warn, impossible IDs are refused.
@Suite struct UserMappingSafetyTests {
    func context(_ fixture: AppFixture, sudoUID: String?, sudoGID: String?) -> AppContext {
        var context = fixture.context
        context.hostFacts = { _ in HostFacts(uid: 0, gid: 0, userName: "root", home: "/root", sudoUID: sudoUID, sudoGID: sudoGID,
                                             sudoUser: "ann", folderOwner: (1500, 1500)) }
        return context
    }

    @Test(arguments: [("4294967295", "1000"), ("1000", "4294967295"), ("-1", "1000"), ("abc", "1000"), ("99999999999", "1")])
    func impossibleSudoIDsAreExit2(_ uid: String, _ gid: String) {
        let fixture = AppFixture()
        #expect(App.run(["up"], context: context(fixture, sudoUID: uid, sudoGID: gid)) == 2)
        #expect(fixture.runner.invocations.isEmpty)
        #expect(fixture.console.stderr.contains("is not a possible"), "\(fixture.console.stderr)")
    }

    /// `up` on an unchanged image with the engine's `info` answer: every call, and the exit code.
    /// The root-mapping warnings come after the engine probe (they depend on the engine).
    func upWithEngine(_ fixture: AppFixture, context: AppContext, securityOptions: String) throws -> Int32 {
        let environment = try EnvironmentLoader(context: context, options: GlobalOptions()).load()
        var planner = environment.planner
        let image = try environment.image(fileSystem: fixture.fileSystem)
        fixture.runner
            .expect(planner.findContainer().argv)
            .expect(DockerPlanner.listRunningContainers(cli: "docker").argv)
            .expect(planner.imageExists(image).argv, stdout: "sha256:1 null\n")
            .expect(planner.engineInfo().argv, stdout: #"{"SecurityOptions":\#(securityOptions),"ClientInfo":{"Context":"default"}}"#)
            .expect(DockerPlanner.listProjectVolumes(cli: "docker", project: "shop").argv)
        if environment.spec.user == .host && securityOptions.contains("rootless") { planner.userMapping = .rootless }
        let roles = environment.spec.volumes.keys.sorted()
        for role in roles { fixture.runner.expect(planner.createVolume(role: role).argv) }
        if let chown = planner.chownVolumes(roles: roles, image: image) { fixture.runner.expect(chown.argv) }
        fixture.runner
            .expect(planner.create(image: image, configHash: try environment.containerFingerprint(image: image, fileSystem: fixture.fileSystem),
                                   inputs: try fixture.inputs(environment, image: image)).argv, stdout: "new1\n")
            .expect(planner.start(id: "new1").argv)
        // The lock comparison runs while HOME is made: either may come first.
        let home = planner.giveHome()
        if let home { fixture.runner.expect(home.argv, unordered: true) }
        fixture.runner.expect(planner.compareLockStamp().argv, unordered: home != nil)
        let code = App.run(["up"], context: context)
        fixture.runner.verifyAllCalled()
        return code
    }

    @Test func sudoGID0WarnsThatFilesBelongToGroupRootOnARootfulEngine() throws {
        let rootful = AppFixture()
        #expect(try upWithEngine(rootful, context: context(rootful, sudoUID: "1000", sudoGID: "0"), securityOptions: "[]") == 0)
        #expect(rootful.console.stderr.contains("warning: the synced user ann 1000:0 has group 0 (root) from SUDO_GID"), "\(rootful.console.stderr)")
        // Rootless Docker runs it as 0:0, the host user: nothing to warn about.
        let rootless = AppFixture()
        #expect(try upWithEngine(rootless, context: context(rootless, sudoUID: "1000", sudoGID: "0"), securityOptions: #"["name=rootless"]"#) == 0)
        #expect(!rootless.console.stderr.contains("group 0"), "\(rootless.console.stderr)")
    }

    @Test(arguments: ["0:0", "1000:0", "0:1000"])
    func aRootUserInTheProfileWarnsOnARootfulEngine(_ user: String) throws {
        let toml = "[project]\nname = \"shop\"\n[profiles.dev]\nuser = \"\(user)\"\n"
        let rootful = AppFixture(devenvToml: toml)
        #expect(try upWithEngine(rootful, context: rootful.context, securityOptions: "[]") == 0)
        #expect(rootful.console.stderr.contains("warning: profile dev runs its container as ") && rootful.console.stderr.contains("(`user = \"\(user)\"`)"),
                "\(rootful.console.stderr)")
        // On rootless Docker container root is the host user: up warns about nothing, as doctor.
        let rootless = AppFixture(devenvToml: toml)
        #expect(try upWithEngine(rootless, context: rootless.context, securityOptions: #"["name=rootless"]"#) == 0)
        #expect(!rootless.console.stderr.contains("warning:"), "\(rootless.console.stderr)")
    }

    @Test func anImpossibleFixedUserIsExit2() {
        let fixture = AppFixture(devenvToml: "[project]\nname = \"shop\"\n[profiles.dev]\nuser = \"4294967295:1\"\n")
        #expect(fixture.run(["up"]) == 2)
        #expect(fixture.runner.invocations.isEmpty)
        // Where it was set (a configuration error says file:line:col).
        #expect(fixture.console.stderr.hasPrefix("devenv: error: devenv.toml:4:"), "\(fixture.console.stderr)")
    }
}
