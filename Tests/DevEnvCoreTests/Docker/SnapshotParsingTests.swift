@testable import DevEnvCore
import Testing

@Suite struct SnapshotParsingTests {
    @Test func parsesDockerPsLines() throws {
        let output = """
            {"Command":"\\"sleep infinity\\"","CreatedAt":"2026-11-27 12:00:00 +0000 UTC","ID":"abc","Image":"devenv-shop-497e78ff:dev-1","Labels":"devenv.project=shop,devenv.root=/src/a,b,devenv.profile=dev","LocalVolumes":"2","Mounts":"","Names":"devenv-shop-dev-497e78ff","Networks":"none","Ports":"","RunningFor":"5 minutes ago","Size":"0B","State":"running","Status":"Up 5 minutes (healthy)"}
            {"Command":"","CreatedAt":"2026-11-27 11:00:00 +0000 UTC","ID":"def","Image":"x","Labels":"","LocalVolumes":"0","Mounts":"","Names":"other","Networks":"","Ports":"","RunningFor":"1 hour ago","Size":"0B","State":"exited","Status":"Exited (3) 2 minutes ago"}
            """
        let containers = try ContainerSnapshot.parseList(output)
        #expect(containers.count == 2)
        #expect(containers[0].labels == ["devenv.project": "shop", "devenv.root": "/src/a,b", "devenv.profile": "dev"])
        #expect(containers[0].health == .healthy)
        #expect(containers[0].exitCode == nil)
        #expect(containers[1].exitCode == 3)
        #expect(containers[1].labels.isEmpty)
    }

    @Test func devenvsOwnLabelsAreReadExactlyWhateverThePathHolds() throws {
        let line = #"{"ID":"1","Names":"n","Image":"i","State":"running","Status":"Up","Labels":"devenv.root=/p/k,v=w,devenv.project=x","Ports":"","CreatedAt":"","Mounts":""}"#
            + "\t" + #"{"devenv.project":"x","devenv.profile":"dev","devenv.root":"/p/k,v=w","devenv.config-hash":"","devenv.role":"","devenv.user":""}"#
        let container = try #require(try ContainerSnapshot.parseList(line).first)
        #expect(container.labels["devenv.root"] == "/p/k,v=w")
        #expect(container.labels["devenv.profile"] == "dev")
        #expect(container.labels["devenv.config-hash"] == nil)
    }

    /// A foreign object's label value may spell devenv's labels after commas; Docker's joined
    /// `Labels` cannot tell them from real ones, so `devenv.*` is read only from the exact part:
    /// such a container or volume stays foreign (it was removed by `down` when read from there).
    @Test func devenvLabelsSpelledInsideAForeignLabelValueAreNotRead() throws {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        let forged = "x=a,devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.service=db"
        let exactNone = "{" + ["devenv.project", "devenv.profile", "devenv.root", "devenv.service"].map { "\"\($0)\":\"\"" }
            .joined(separator: ",") + "}"
        let app = #"{"ID":"1","Names":"devenv-shop-dev-497e78ff","Image":"i","State":"running","Status":"Up","Labels":"\#(forged)","Ports":"","CreatedAt":"","Mounts":""}"#
        let service = #"{"ID":"2","Names":"devenv-shop-dev-497e78ff-svc-db","Image":"i","State":"running","Status":"Up","Labels":"\#(forged)","Ports":"","CreatedAt":"","Mounts":""}"#
        let containers = try ContainerSnapshot.parseList(app + "\t" + exactNone + "\n" + service + "\t" + exactNone)
        #expect(containers.map { $0.labels } == [["x": "a"], ["x": "a"]])
        guard case .foreign = ContainerOwnership(name: names.container, in: containers, names: names) else {
            Issue.record("a container whose label value spells devenv's labels is not devenv's")
            return
        }
        #expect(ContainerOwnership.orphanedServices(in: containers, names: names, configured: []).isEmpty)
        let volume = #"{"Driver":"local","Labels":"x=a,devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop,devenv.role=venv","Mountpoint":"/m","Name":"devenv-shop-dev-497e78ff-venv"}"#
        let volumes = try VolumeSnapshot.parseList(volume + "\t" + exactNone)
        #expect(volumes.map { $0.labels } == [["x": "a"]])
        // Exact labels win over the joined text, and count even where the joined text has none.
        let exact = #"{"devenv.project":"shop","devenv.profile":"dev","devenv.root":"/src/shop","devenv.service":"db"}"#
        let real = try #require(try ContainerSnapshot.parseList(service + "\t" + exact).first)
        #expect(real.labels == ["x": "a", "devenv.project": "shop", "devenv.profile": "dev", "devenv.root": "/src/shop", "devenv.service": "db"])
        #expect(ContainerOwnership.orphanedServices(in: [real], names: names, configured: []).map(\.service) == ["db"])
    }

    /// Leaving `devenv.*` out while reading Docker's joined labels gives what reading them all
    /// and filtering gave: a value's comma pieces follow their own label out, a piece with '='
    /// after them starts a label again, and empty and trailing pieces count as before.
    @Test func labelsSkippedWhileReadingAreTheLabelsFilteredAfterwards() {
        let texts = ["", ",", "a=1,", "a=1,,b", "devenv.inputs=x:1,y:2,z:3,a=1,b", "a=1,devenv.root=/p,q,r=s,t",
                     "devenv.x=1", "devenv.=", "devenv=1,devenvx=2,devenv.y=3,,", "=v,w", "a=b=c,devenv.z=d=e,f",
                     "dévenv.x=1,devenv.ü=2,ü=3,4", "a=1,a=2,devenv.a=3,a"]
        for text in texts {
            let filtered = ContainerSnapshot.parseLabels(text).filter { !$0.key.hasPrefix(ResourceNames.labelPrefix) }
            #expect(ContainerSnapshot.parseLabels(text, skippingKeysStartingWith: ResourceNames.labelPrefix) == filtered, "\(text)")
            #expect(ContainerSnapshot.parseLabels(text, skippingKeysStartingWith: nil) == ContainerSnapshot.parseLabels(text), "\(text)")
        }
        #expect(ContainerSnapshot.parseLabels("a=1,b,c=2,") == ["a": "1,b", "c": "2,"])
        #expect(ContainerSnapshot.parseLabels("").isEmpty)
    }

    /// Lines end at 0x0A or 0x0D bytes, empty ones are skipped, and a line that is not an
    /// object is an error showing (the start of) that line.
    @Test func linesAreSplitOnLineEndBytesOnly() throws {
        let one = #"{"ID":"1","Names":"a","Image":"i","State":"running","Status":"Up","Labels":"","Ports":"","CreatedAt":""}"#
        let two = #"{"ID":"2","Names":"bé","Image":"i","State":"exited","Status":"Exited (0)","Labels":"","Ports":"","CreatedAt":""}"#
        let parsed = try ContainerSnapshot.parseList("\r\n" + one + "\r\n\n" + two + "\r")
        #expect(parsed.map(\.id) == ["1", "2"])
        #expect(parsed.map(\.name) == ["a", "bé"])
        #expect(try ContainerSnapshot.parseList("").isEmpty)
        #expect(try ContainerSnapshot.parseList("\n\r\n").isEmpty)
        do {
            _ = try ContainerSnapshot.parseList(one + "\n[1]\tx\n")
            Issue.record("a line that is not an object was read")
        } catch let error as DevEnvError {
            #expect(error.detail == "unexpected line: [1]\tx", "\(String(describing: error.detail))")
        }
    }

    /// Docker's `ps` template is two literals (built at run time they cost 80 K instructions before
    /// `status` could start its call): they must be exactly what the parser's fields and
    /// `ownLabels` give, and never the whole record or `Size`, with which the Docker CLI has the
    /// engine measure every container's writable layer (113-118 ms of engine CPU a `ps` with
    /// 20,000 files in one container's layer).
    @Test func theDockerTemplateLiteralsAreWhatTheParserAndOwnLabelsGive() throws {
        let fields = ["CreatedAt", "ID", "Image", "Labels", "Mounts", "Names", "Ports", "RunningFor", "State", "Status"]
        #expect(DockerPlanner.dockerContainerFieldsTemplate
                == "{" + fields.map { "\"\($0)\":{{json .\($0)}}" }.joined(separator: ",") + "}")
        #expect(DockerPlanner.ownLabelsTemplate
                == "{" + DockerPlanner.ownLabels.map { "\"\($0)\":{{json (.Label \"\($0)\")}}" }.joined(separator: ",") + "}")
        #expect(DockerPlanner.containerFormat(.docker) == DockerPlanner.dockerContainerFieldsTemplate + "\t" + DockerPlanner.ownLabelsTemplate)
        #expect(!DockerPlanner.containerFormat(.docker).contains("{{json .}}"))
        #expect(!DockerPlanner.containerFormat(.docker).contains("Size"))
        // What Docker prints for it is what the parser reads: every field, each a string.
        let line = "{" + fields.map { "\"\($0)\":\"\($0 == "State" ? "running" : "x")\"" }.joined(separator: ",") + "}\t{}"
        let parsed = try #require(try ContainerSnapshot.parseList(line).first)
        #expect(parsed.id == "x" && parsed.name == "x" && parsed.state == "running" && parsed.createdAt == "x" && parsed.runningFor == "x")
    }

    /// Every `devenv.*` label read from `docker ps` is asked for exactly (else it reads absent).
    @Test func theDockerFormatAsksForEveryLabelDevenvReads() {
        let format = DockerPlanner.containerFormat(.docker)
        for label in [ResourceNames.projectLabel, ResourceNames.profileLabel, ResourceNames.rootLabel, ResourceNames.serviceLabel,
                      ResourceNames.roleLabel, ResourceNames.configHashLabel, DockerPlanner.userLabel, ContainerUser.label] {
            #expect(format.contains("(.Label \"\(label)\")"), "\(label)")
        }
    }

    /// Labels naming this project and profile in another folder: the project was moved (the
    /// conflict's hint then says how to remove it); anything else is not.
    @Test func aContainerMadeForThisProjectInAnotherFolderIsSeenAsMoved() {
        let names = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/new")
        let made = ["devenv.project": "shop", "devenv.profile": "dev", "devenv.root": "/src/old"]
        #expect(ContainerOwnership.movedFrom(made, names: names) == "/src/old")
        #expect(ContainerOwnership.movedFrom(made.merging(["devenv.root": "/src/new"]) { $1 }, names: names) == nil)
        #expect(ContainerOwnership.movedFrom(made.merging(["devenv.project": "other"]) { $1 }, names: names) == nil)
        #expect(ContainerOwnership.movedFrom(made.merging(["devenv.profile": "ci"]) { $1 }, names: names) == nil)
        #expect(ContainerOwnership.movedFrom(["devenv.project": "shop", "devenv.profile": "dev"], names: names) == nil)
    }

    @Test func healthStates() throws {
        func health(_ status: String) throws -> ContainerSnapshot.Health {
            try ContainerSnapshot.parseList(#"{"ID":"1","Names":"n","Image":"i","State":"running","Status":"\#(status)","Labels":"","Ports":"","CreatedAt":""}"#)[0].health
        }
        #expect(try health("Up 2 seconds (health: starting)") == .starting)
        #expect(try health("Up 2 minutes (unhealthy)") == .unhealthy)
        #expect(try health("Up 2 minutes") == ContainerSnapshot.Health.none)
    }

    @Test func garbageIsAClearError() {
        #expect(throws: DevEnvError.self) { try ContainerSnapshot.parseList("not json") }
    }

    @Test func parsesVolumeLines() throws {
        let volumes = try VolumeSnapshot.parseList(#"{"Driver":"local","Labels":"devenv.role=venv,devenv.project=shop","Links":"N/A","Mountpoint":"/var/lib/docker/volumes/v/_data","Name":"devenv-shop-dev-497e78ff-venv","Scope":"local","Size":"N/A"}"#)
        #expect(volumes == [VolumeSnapshot(name: "devenv-shop-dev-497e78ff-venv", labels: ["devenv.role": "venv", "devenv.project": "shop"],
                                           mountpoint: "/var/lib/docker/volumes/v/_data")])
    }

    @Test func knownDockerFailuresGetExitCodesAndHints() {
        let invocation = ProcessInvocation(["docker", "ps"])
        let noEngine = DockerFailure.error("listing", invocation: invocation, result: ProcessResult(
            exitCode: 1, stderr: Array("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?".utf8)))
        #expect(noEngine.exitCode == .noEngine)
        #expect(noEngine.detail?.hasPrefix("$ docker ps\n") == true)
        let port = DockerFailure.error("starting", invocation: invocation, result: ProcessResult(
            exitCode: 125, stderr: Array("Bind for 0.0.0.0:8000 failed: port is already allocated".utf8)))
        #expect(port.message.contains("port is already in use"))
        #expect(port.exitCode == .conflict)
        // Rootless Podman 4.3.1 after a rootful build on the same machine (as printed there).
        let cache = DockerFailure.error("building devenv-x:ci-1", invocation: invocation, result: ProcessResult(
            exitCode: 125, stderr: Array(#"Error: building at STEP "RUN --mount=type=cache,target=/root/.cache/uv uv sync": resolving mountpoints for container "0ad0": unable to change uid,gid of cache directory: mkdir /var/tmp/buildah-cache/root-cache: permission denied"#.utf8)))
        #expect(cache.message.contains("/var/tmp/buildah-cache"), "\(cache.message)")
        #expect(cache.hint?.contains("image_copy_tmp_dir") == true)
        #expect(cache.exitCode == .failure)
    }

    /// Lines as Podman 4.3.1 printed them for `DockerPlanner.containerFormat(.podman)` and
    /// `volumeFormat(.podman)`: labels as a map (exact, commas and all), raw state, mount points.
    @Test func parsesPodmanPsAndVolumeLines() throws {
        let format = DockerPlanner.containerFormat(.podman)
        #expect(!format.contains(".Label \""), "Podman has no .Label template function")
        #expect(format.contains("{{json .ListContainer.State}}") && format.hasSuffix("\t{{json .Labels}}"))
        let output = """
            {"CreatedAt":"2026-12-06 06:17:21 +0000 UTC","ID":"396ea36a","Image":"localhost/devenv-shop-497e78ff:dev-1","Mounts":["/host","/data"],"Names":"devenv-shop-dev-497e78ff","Ports":"0.0.0.0:18999->80/tcp","RunningFor":"23 seconds ago","State":"running","Status":"Up 23 seconds ago (starting)"}\t{"a":"b,c","devenv.project":"shop","devenv.root":"/p/k,v=w"}
            {"CreatedAt":"2026-12-06 06:17:45 +0000 UTC","ID":"2a866c27","Image":"x","Mounts":[],"Names":"other","Ports":"","RunningFor":"1 second ago","State":"exited","Status":"Exited (3) 1 second ago"}\tnull
            """
        let containers = try ContainerSnapshot.parseList(output)
        #expect(containers.count == 2)
        #expect(containers[0].labels == ["a": "b,c", "devenv.project": "shop", "devenv.root": "/p/k,v=w"])
        #expect(containers[0].health == .starting)
        #expect(containers[0].mounts == ["/host", "/data"])
        #expect(containers[0].ports == "0.0.0.0:18999->80/tcp")
        #expect(containers[1].exitCode == 3 && containers[1].labels.isEmpty)
        let volumes = try VolumeSnapshot.parseList(
            "{\"Name\":\"devenv-shop-dev-497e78ff-venv\",\"Mountpoint\":\"/var/lib/containers/storage/volumes/v/_data\"}\t{\"devenv.project\":\"shop\"}\n")
        #expect(volumes == [VolumeSnapshot(name: "devenv-shop-dev-497e78ff-venv", labels: ["devenv.project": "shop"],
                                           mountpoint: "/var/lib/containers/storage/volumes/v/_data")])
    }

    @Test func parsesPodmanEvents() {
        let line = #"{"ContainerExitCode":5,"ID":"2786","Image":"localhost/x:latest","Name":"devenv-shop-dev-497e78ff","Status":"died","Time":"2026-12-06T06:27:29.674722946Z","Type":"container","Attributes":{"devenv.project":"shop"}}"#
        let event = ContainerEvent.parse(line)
        #expect(event?.action == "die" && event?.exitCode == 5 && event?.name == "devenv-shop-dev-497e78ff" && event?.id == "2786")
        #expect(event?.attributes["devenv.project"] == "shop")
    }
}

/// `HealthCheckDriving`: the one rule (Podman only) and the interval read from inspect.
@Suite("Health check driving")
struct HealthCheckDrivingTests {
    @Test("devenv runs the check on Podman only")
    func rule() {
        #expect(HealthCheckDriving.drivenByDevenv(.podman))
        #expect(!HealthCheckDriving.drivenByDevenv(.docker))
    }

    @Test("the interval as Go prints a duration, bounded to 1...30 s; unset, zero or unreadable: 2 s")
    func interval() {
        #expect(HealthCheckDriving.intervalSeconds(inspected: "5s") == 5)
        #expect(HealthCheckDriving.intervalSeconds(inspected: "1m30s") == 30)
        #expect(HealthCheckDriving.intervalSeconds(inspected: "250ms") == 1)
        #expect(HealthCheckDriving.intervalSeconds(inspected: "0s") == 2)
        #expect(HealthCheckDriving.intervalSeconds(inspected: nil) == 2)
        #expect(HealthCheckDriving.intervalSeconds(inspected: "<no value>") == 2)
        #expect(HealthCheckDriving.goDurationSeconds("1h2m3.5s") == 3723.5)
        #expect(HealthCheckDriving.goDurationSeconds("12") == nil)
    }

    @Test("`healthcheck run` is a query (it gets the deadline); Podman's `events --until=1s` gets its second")
    func deadlines() {
        #expect(DockerPlanner.deadline(for: ["podman", "healthcheck", "run", "x"], queryTimeout: 30) == 30)
        #expect(DockerPlanner.deadline(for: ["podman", "events", "--until=1s"], queryTimeout: 30) == 31)
        #expect(DockerPlanner.deadline(for: ["docker", "events", "--until=-1s"], queryTimeout: 30) == 31)
    }
}
