import DevEnvCore
import Foundation
import Testing
import TestSupport

/// review23: devenv stopped containers with `docker stop --time 10`, which overrides the
/// container's own `--stop-timeout` (run_args): a process given 30 s to shut down was killed
/// after 10. devenv now passes no `--time`, so the profile's `--stop-timeout` wins (README,
/// "run_args"). The container's command traps SIGTERM and needs 12 s to finish, then leaves a
/// file in the bind-mounted project: it is there only if the stop waited past 10 s.
@Suite("Stop timeout on a real engine", .serialized)
struct StopTimeoutEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    @Test("down gives the container run_args' --stop-timeout, not 10 s: its slow shutdown finishes")
    func downHonoursTheProfilesStopTimeout() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        let marker = project.path + "/stopped-cleanly"
        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"

            [profiles.dev]
            network = "none"
            ports = []
            volumes = {}
            user = "image"
            run_args = ["--stop-timeout", "60"]
            command = ["sh", "-c", "trap 'sleep 12; touch /app/stopped-cleanly; exit 0' TERM; touch /app/started; while :; do sleep 1; done"]
            """)
        let up = try project.devenv("up")
        try #require(up.exitCode == 0, "\(up.stderrText)")
        // Waits for: the command's trap to be set (it writes /app/started after), deadline 60 s.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: project.path + "/started"), Date() < deadline { usleep(50_000) }
        try #require(FileManager.default.fileExists(atPath: project.path + "/started"), "the container's command started")
        let timeout = try project.docker("inspect", "--format", "{{json .Config.StopTimeout}}", project.container).stdoutText
        #expect(timeout == "60\n", "the container was made with the profile's --stop-timeout: \(timeout)")

        let down = try project.devenv("down")
        #expect(down.exitCode == 0, "\(down.stderrText)")
        #expect(FileManager.default.fileExists(atPath: marker), "the stop did not wait for the container's own --stop-timeout (killed before its shutdown finished)")
    }
}
