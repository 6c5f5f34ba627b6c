import DevEnvCore
import Testing

@Suite("docker events and stats lines")
struct ContainerEventTests {
    @Test("a die event: action, name, labels, exit code, time")
    func die() throws {
        let line = #"{"status":"die","id":"8af4","from":"img","Type":"container","Action":"die","Actor":{"ID":"8af4","Attributes":{"devenv.profile":"dev","exitCode":"137","image":"img","name":"devenv-demo-dev"}},"scope":"local","time":1795784309,"timeNano":1795784309119373259}"#
        let event = try #require(ContainerEvent.parse(line))
        #expect(event.action == "die")
        #expect(event.name == "devenv-demo-dev")
        #expect(event.exitCode == 137)
        #expect(event.attributes["devenv.profile"] == "dev")
        #expect(event.timeNano == 1795784309119373259)
        #expect(event.sinceArgument == "1795784309.119373259")
        #expect(!event.isExec)
    }

    @Test("health and exec actions; other lines are not events")
    func kinds() throws {
        let health = try #require(ContainerEvent.parse(#"{"Type":"container","Action":"health_status: healthy","Actor":{"ID":"a","Attributes":{"name":"x"}},"timeNano":5}"#))
        #expect(health.action == "health_status")
        #expect(health.detail == "healthy")
        let exec = try #require(ContainerEvent.parse(#"{"Type":"container","Action":"exec_start: sh -c true","Actor":{"ID":"a","Attributes":{"name":"x"}},"timeNano":5}"#))
        #expect(exec.isExec)
        #expect(ContainerEvent.parse(#"{"Type":"network","Action":"connect","Actor":{"ID":"a"},"timeNano":5}"#) == nil)
        #expect(ContainerEvent.parse("Cannot connect to the Docker daemon at unix:///var/run/docker.sock") == nil)
        #expect(ContainerEvent.parse("") == nil)
        #expect(ContainerEvent(action: "x", id: "", name: "", timeNano: 1_000_000_007).sinceArgument == "1.000000007")
    }

    @Test("stats: the object after docker's cursor escapes; percentages as numbers")
    func stats() throws {
        let line = "\u{1B}[2J\u{1B}[H" + #"{"BlockIO":"0B / 0B","CPUPerc":"12.50%","Container":"devenv-demo-dev","ID":"66cc","MemPerc":"0.25%","MemUsage":"552KiB / 23.54GiB","Name":"devenv-demo-dev","NetIO":"0B / 0B","PIDs":"2"}"#
        let stats = try #require(ContainerStats.parse(line))
        #expect(stats.name == "devenv-demo-dev")
        #expect(stats.cpuPercent == 12.5)
        #expect(stats.memoryPercent == 0.25)
        #expect(stats.memoryUsed == "552KiB")
        #expect(ContainerStats.parse(#"{"Name":"x","CPUPerc":"--","MemPerc":"--","MemUsage":"-- / --"}"#)?.cpuPercent == 0)
        #expect(ContainerStats.parse("\u{1B}[H") == nil)
    }

    @Test("image ages by repository:tag")
    func imageAges() {
        let output = #"{"CreatedAt":"1970-01-01 00:02:00 +0000 UTC","CreatedSince":"14 minutes ago","Repository":"devenv-demo","Tag":"dev-7bee"}"# + "\n" + "garbage\n"
        #expect(ImageAges.parse(output) == ["devenv-demo:dev-7bee": "14 minutes ago"])
        #expect(ImageAges.created(output) == ["devenv-demo:dev-7bee": 120])
    }

    @Test("the events invocation filters by project label and resumes with --since")
    func invocation() {
        #expect(DockerPlanner.containerEvents(cli: "docker", project: "demo", since: 5_000_000_001).argv ==
                ["docker", "events", "--format", "{{json .}}", "--filter", "type=container",
                 "--filter", "label=devenv.project=demo", "--since", "5.000000001"])
        // Podman reads a Unix time as another one (it replays its journal): RFC 3339 there.
        #expect(DockerPlanner.containerEvents(cli: "podman", project: "demo", since: 1_796_546_936_818_633_800, engine: .podman).argv.suffix(2) ==
                ["--since", "2026-12-06T08:48:56.818633800Z"])
    }

    @Test("Podman's events (4.3.1 as seen here): its shape, its action names, its RFC 3339 time to the nanosecond")
    func podmanEvents() throws {
        let died = #"{"ContainerExitCode":137,"ID":"15f92e1ca06a","Image":"localhost/devenv-test/busybox:latest","Name":"er-ev-probe2","Status":"died","Time":"2026-12-06T08:48:56.0381Z","Type":"container","Attributes":{"devenv.project":"demo","ertest":"1"}}"#
        let event = try #require(ContainerEvent.parse(died))
        #expect(event.action == "die")
        #expect(event.exitCode == 137)
        #expect(event.name == "er-ev-probe2")
        #expect(event.attributes["devenv.project"] == "demo")
        #expect(event.timeNano == 1_796_546_936_038_100_000)
        let removed = try #require(ContainerEvent.parse(#"{"ID":"15f9","Name":"x","Status":"remove","Time":"2026-12-06T08:48:56.8186338Z","Type":"container","Attributes":{}}"#))
        #expect(removed.action == "destroy")
        #expect(removed.timeNano == 1_796_546_936_818_633_800)
        let health = try #require(ContainerEvent.parse(#"{"ID":"15f9","Name":"x","Status":"health_status","HealthStatus":"healthy","Time":"2026-12-06T08:48:57Z","Type":"container"}"#))
        #expect(health.action == "health_status" && health.detail == "healthy")
        #expect(health.timeNano == 1_796_546_937_000_000_000)
        // No time: 0, which a reconnect never takes for its --since.
        #expect(try #require(ContainerEvent.parse(#"{"ID":"1","Name":"x","Status":"start","Type":"container"}"#)).timeNano == 0)
    }

    @Test("RFC 3339 to nanoseconds and back, exactly; other forms are not read")
    func rfc3339Nanoseconds() {
        for nanos: Int64 in [0, 1, 999_999_999, 1_796_546_936_818_633_800, 951_782_400_000_000_001 /* 2000-02-29 */, 4_102_444_799_999_999_999] {
            let text = DockerTime.rfc3339(nanoseconds: nanos)
            #expect(DockerTime.rfc3339Nanoseconds(text) == nanos, "\(text)")
        }
        #expect(DockerTime.rfc3339(nanoseconds: 951_782_400_000_000_001) == "2000-02-29T00:00:00.000000001Z")
        #expect(DockerTime.rfc3339Nanoseconds("2026-12-06T08:48:56Z") == 1_796_546_936_000_000_000)
        #expect(DockerTime.rfc3339Nanoseconds("2026-12-06T08:48:56.5+01:00") == nil)
        #expect(DockerTime.rfc3339Nanoseconds("2026-12-06T08:48:56.1234567890Z") == nil)
        #expect(DockerTime.rfc3339Nanoseconds("yesterday") == nil)
    }

    @Test("stats: Podman's one-line template gives Docker's fields; its own {{json .}} is not asked for")
    func podmanStats() throws {
        let stats = try #require(ContainerStats.parse(#"{"Name":"er-ev-probe2","CPUPerc":"10.43%","MemPerc":"0.00%","MemUsage":"245.8kB / 25.28GB"}"#))
        #expect(stats.name == "er-ev-probe2" && stats.cpuPercent == 10.43 && stats.memoryUsed == "245.8kB")
        let podman = DockerPlanner.containerStats(cli: "podman", containers: ["a"], engine: .podman).argv
        #expect(podman[2] == "--format" && podman[3].hasPrefix(#"{"Name":{{json .Name}}"#) && podman.last == "a")
        #expect(DockerPlanner.containerStats(cli: "docker", containers: ["a"]).argv == ["docker", "stats", "--format", "{{json .}}", "a"])
    }
}
