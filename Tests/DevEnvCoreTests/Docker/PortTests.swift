@testable import DevEnvCore
import Testing
import TestSupport

/// Published ports: docker's Ports column, collisions, the `host` key, `--port` overrides.
@Suite struct PortTests {
    typealias F = ConfigFixture

    @Test func dockersPortsColumnIsRead() {
        let ports = PublishedPort.parseList("127.0.0.1:8000->8000/tcp, 0.0.0.0:5678->5678/tcp, :::5678->5678/tcp, 9000/tcp, "
                                            + "0.0.0.0:7000-7001->8000-8001/udp, [::1]:6000->6000/tcp")
        #expect(ports.map(\.description) == ["127.0.0.1:8000->8000/tcp", "0.0.0.0:5678->5678/tcp", "[::]:5678->5678/tcp",
                                             "0.0.0.0:7000->8000/udp", "0.0.0.0:7001->8001/udp", "[::1]:6000->6000/tcp"])
        #expect(PublishedPort.parseList("").isEmpty)
        #expect(PublishedPort.parseList("garbage, 1->, :x->2/tcp, 0.0.0.0:3-1->3-1/tcp").isEmpty)
    }

    @Test func collisionsNeedTheSamePortAndTransportAndAnOverlappingAddress() {
        let local = PublishedPort(hostIP: "127.0.0.1", hostPort: 8000, containerPort: 80)
        let everywhere = PublishedPort(hostIP: "0.0.0.0", hostPort: 8000, containerPort: 80)
        #expect(local.collides(with: PortMapping(hostIP: "127.0.0.1", hostPort: 8000, containerPort: 8000)))
        #expect(local.collides(with: PortMapping(hostPort: 8000, containerPort: 1)))
        #expect(!local.collides(with: PortMapping(hostIP: "192.168.1.5", hostPort: 8000, containerPort: 8000)))
        #expect(everywhere.collides(with: PortMapping(hostIP: "192.168.1.5", hostPort: 8000, containerPort: 8000)))
        #expect(!local.collides(with: PortMapping(hostIP: "127.0.0.1", hostPort: 8001, containerPort: 8000)))
        #expect(!local.collides(with: PortMapping(hostIP: "127.0.0.1", hostPort: 8000, containerPort: 8000, transport: .udp)))
    }

    @Test func holdersAreNamedDevenvProjectsFirstThenContainers() throws {
        let ps = [
            #"{"ID":"1","Names":"devenv-shop-dev-497e78ff","Image":"i","State":"running","Status":"Up","Labels":"devenv.project=shop,devenv.profile=dev,devenv.root=/src/shop","Ports":"127.0.0.1:8000->8000/tcp","CreatedAt":"now"}"#,
            #"{"ID":"2","Names":"web","Image":"i","State":"running","Status":"Up","Labels":"","Ports":"0.0.0.0:5678->80/tcp","CreatedAt":"now"}"#,
        ].joined(separator: "\n")
        let containers = try ContainerSnapshot.parseList(ps)
        let wanted = [PortMapping(hostIP: "127.0.0.1", hostPort: 8000, containerPort: 8000),
                      PortMapping(hostIP: "127.0.0.1", hostPort: 5678, containerPort: 5678),
                      PortMapping(hostIP: "127.0.0.1", hostPort: 9000, containerPort: 9000)]
        let conflicts = PortConflict.held(by: containers, wanted: wanted, own: "devenv-blog-dev")
        #expect(conflicts.map(\.holder) == [.devenv(container: "devenv-shop-dev-497e78ff", project: "shop", profile: "dev", root: "/src/shop"),
                                            .container(name: "web")])
        // Its own container is no conflict: `up` replaces it.
        #expect(PortConflict.held(by: containers, wanted: wanted, own: "devenv-shop-dev-497e78ff").map(\.holder) == [.container(name: "web")])
        let error = PortConflict.error(conflicts, profile: "dev") { $0.hostPort == 8000 ? 8003 : nil }
        #expect(error.exitCode == .conflict)
        #expect(error.message.hasPrefix("2 ports are in use: host port 8000"))
        #expect(error.hint?.contains(#"ports = ["8003:8000", ...] under [profiles.dev]"#) == true)
        #expect(error.hint?.contains("devenv up --port 8000=8003") == true)
    }

    /// regress26: a service's port in use got the app's hint: `ports` under [profiles.dev] and
    /// `devenv up --port 6379=18932`, which then failed (exit 2: the profile publishes no 6379).
    /// The hint names the service's own table, with its address, and no `--port`.
    @Test func aServicePortConflictNamesTheServicesTable() {
        let wanted = PortMapping(hostIP: "127.0.0.1", hostPort: 18931, containerPort: 6379)
        let error = PortConflict.error([PortConflict(wanted: wanted, holder: .process(name: OneLine("python3"), pid: 7))],
                                       profile: "dev", service: "cache") { _ in 18932 }
        #expect(error.exitCode == .conflict)
        #expect(error.hint?.contains(#"ports = ["127.0.0.1:18932:6379", ...] under [services.cache]"#) == true, "\(error.hint ?? "")")
        #expect(error.hint?.contains("[profiles.") == false && error.hint?.contains("devenv up --port 6379") == false, "\(error.hint ?? "")")
    }

    /// mend26b: the port holder's labels went into the one-line conflict message as they were:
    /// a newline in a label (or in a process's name) began a line of its own there. The holder
    /// holds `OneLine` values now, so its text is escaped wherever it is said.
    @Test func aHoldersLabelsAreShownOnOneLine() throws {
        let ps = #"{"ID":"1","Names":"devenv-x-dev-0","Image":"i","State":"running","Status":"Up","Labels":"devenv.project=x\nerror: fake,devenv.profile=dev\t,devenv.root=/a\u001b[2J","Ports":"127.0.0.1:8000->8000/tcp","CreatedAt":"now"}"#
        let wanted = [PortMapping(hostIP: "127.0.0.1", hostPort: 8000, containerPort: 8000)]
        let conflicts = PortConflict.held(by: try ContainerSnapshot.parseList(ps), wanted: wanted, own: "devenv-shop-dev")
        let message = PortConflict.error(conflicts, profile: "dev").message
        #expect(!message.contains("\n") && !message.contains("\t") && !message.contains("\u{1B}"), "\(message)")
        #expect(message.contains(#"devenv project x\x0aerror: fake (profile dev\x09, /a\x1b[2J; container devenv-x-dev-0)"#), "\(message)")
        let process = PortConflict.error([PortConflict(wanted: wanted[0], holder: .process(name: OneLine("py\nthon"), pid: 7))], profile: "dev")
        #expect(process.message.contains(#"the host process py\x0athon (pid 7)"#), "\(process.message)")
    }

    @Test func hostSetsTheAddressOfPortsWithoutOne() throws {
        let fs = F.fileSystem(["devenv.toml": """
            [profiles.dev]
            host = "0.0.0.0"
            ports = ["8000:8000", "10.0.0.2:9000:9000/udp", "[::1]:7000:7000"]
            """])
        let config = try #require(F.evaluate(fs).config)
        #expect(config.profile.host.value == "0.0.0.0")
        #expect(config.profile.host.origin == F.location("devenv.toml", 2, 1))
        #expect(config.profile.publishedPorts.map(\.description) == ["0.0.0.0:8000:8000", "10.0.0.2:9000:9000/udp", "[::1]:7000:7000"])
    }

    @Test func aBadHostIsAnErrorAtItsPlace() {
        for (value, column) in [("\"localhost\"", 8), ("\"\"", 8), ("8000", 8), ("\"1.2.3\"", 8)] {
            let fs = F.fileSystem(["devenv.toml": "[profiles.dev]\nhost = \(value)\n"])
            let errors = F.evaluate(fs).errors
            #expect(errors.count == 1, "\(value)")
            #expect(errors.first?.location == SourceLocation(file: "devenv.toml", line: 2, column: column), "\(value)")
        }
    }

    @Test func overridesMoveTheHostPortOfAContainerPort() throws {
        #expect(PortOverride.parse("8000=8001") == PortOverride(containerPort: 8000, hostPort: 8001))
        for bad in ["8000", "8000=", "=8001", "a=1", "0=1", "8000=65536", "1=2=3", "8000:8001"] {
            #expect(PortOverride.parse(bad) == nil, "\(bad)")
        }
        let mappings = [PortMapping(hostIP: "127.0.0.1", hostPort: 8000, containerPort: 8000),
                        PortMapping(hostIP: "127.0.0.1", hostPort: 5678, containerPort: 5678)]
        let moved = try PortOverride.apply([PortOverride(containerPort: 5678, hostPort: 15678)], to: mappings, profile: "dev")
        #expect(moved.map(\.description) == ["127.0.0.1:8000:8000", "127.0.0.1:15678:5678"])
        #expect(throws: DevEnvError.self) {
            try PortOverride.apply([PortOverride(containerPort: 80, hostPort: 81)], to: mappings, profile: "dev")
        }
    }
}
