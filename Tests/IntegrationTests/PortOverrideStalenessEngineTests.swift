import DevEnvCore
import Foundation
import Testing
import TestSupport

/// review23: after `devenv up --port 8000=HOST`, `status` said "devenv.toml key ports changed"
/// though devenv.toml had not changed: the host ports came from the command line. The
/// container's inputs now hash devenv.toml's ports as configured and the override under
/// `up.port`, so the reason names `up --port`.
@Suite("up --port and staleness on a real engine", .serialized)
struct PortOverrideStalenessEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    @Test("status after up --port names up --port, not devenv.toml; the same up --port is up to date; a plain up goes back and says why")
    func statusNamesThePortOverride() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let ports = HostPorts.free(2)
        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"

            [profiles.dev]
            ports = ["\(ports[0]):8000"]
            volumes = {}
            """)
        let up = try project.devenv("up", "--port", "8000=\(ports[1])")
        try #require(up.exitCode == 0, "\(up.stderrText)")
        let bindings = try project.docker("inspect", "--format", "{{json .HostConfig.PortBindings}}", project.container).stdoutText
        #expect(bindings.contains("\"\(ports[1])\""), "published on the --port host port: \(bindings)")

        let status = try SafeLifecycleEngineTests.json(try project.devenv("status", "--json"))
        let dev = try #require((status["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" })
        #expect(dev["stale"] as? Bool == true, "\(dev)")
        #expect(dev["staleReason"] as? String
                == "its host ports came from `devenv up --port`, not the configuration: `devenv up` recreates the container", "\(dev)")
        #expect(dev["staleInputs"] as? [String] == ["up.port"], "\(dev)")

        let same = try project.devenv("up", "--port", "8000=\(ports[1])")
        #expect(same.exitCode == 0 && same.stdoutText.contains("is up to date"), "\(same.stdoutText)\(same.stderrText)")

        // Another --port: this command's choice is what changed.
        let other = HostPorts.free(1)[0]
        let moved = try project.devenv("up", "--port", "8000=\(other)")
        #expect(moved.exitCode == 0, "\(moved.stderrText)")
        #expect(moved.stdoutText.contains("recreated (the host ports given with `devenv up --port` changed)"), "\(moved.stdoutText)")

        let plain = try project.devenv("up")
        #expect(plain.exitCode == 0, "\(plain.stderrText)")
        #expect(plain.stdoutText.contains("recreated (its host ports came from `devenv up --port`, not the configuration)"), "\(plain.stdoutText)")
        let back = try SafeLifecycleEngineTests.json(try project.devenv("status", "--json"))
        let fresh = try #require((back["environments"] as? [[String: Any]])?.first { $0["profile"] as? String == "dev" })
        #expect(fresh["stale"] as? Bool == false, "\(fresh)")
        #expect(try project.devenv("down").exitCode == 0)
    }
}
