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
        #expect(DockerPlanner.containerEvents(cli: "docker", project: "demo", since: "5.000000001").argv ==
                ["docker", "events", "--format", "{{json .}}", "--filter", "type=container",
                 "--filter", "label=devenv.project=demo", "--since", "5.000000001"])
    }
}
