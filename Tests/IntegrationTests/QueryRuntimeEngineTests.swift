import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 14 on the real engine: the docker CLI of a query runs with `GOGC=400`
/// (`DockerPlanner.queryRuntimeDefaults`), started ahead (`LookupSpeculation`) or not, unless
/// the user set GOGC; calls that are not queries, and so the containers devenv makes, never
/// get it. Seen through a DEVENV_DOCKER wrapper that logs each subcommand with the GOGC it got.
@Suite("Go runtime settings of docker queries on a real engine", .serialized)
struct QueryRuntimeEngineTests {
    typealias Project = SafeLifecycleEngineTests.Project

    @Test("status and up ask with GOGC=400, the user's GOGC wins, create and the container never see it")
    func queriesRunWithGOGC() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config()
        let log = project.parent + "/docker-gogc"
        // "ps --all ... 400": the subcommand's first two words and the GOGC the CLI got.
        let environment = try project.wrapper(#"printf '%s %s %s\n' "$1" "$2" "${GOGC-unset}" >> "\#(log)""#)
        func calls() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        // What devenv's own environment says wins; the test runner normally sets none.
        let inherited = ProcessInfo.processInfo.environment["GOGC"]
        let up = try project.devenv("up", environment: environment)
        #expect(up.exitCode == 0, "\(up.stderrText)")
        // Twice: the second status's lookup was started before the configuration was read.
        for _ in 0..<2 { #expect(try project.devenv("status", environment: environment).exitCode == 0) }
        let recorded = calls()
        func made(of kinds: [String]) -> [String] { recorded.filter { call in kinds.contains { call.hasPrefix($0 + " ") } } }
        let queries = made(of: ["ps --all", "image inspect", "volume ls", "version --format", "info --format"])
        let changes = made(of: ["build", "volume create", "run", "create", "start"])
        #expect(queries.filter { $0.hasPrefix("ps ") }.count >= 3, "\(recorded)")
        #expect(queries.allSatisfy { $0.hasSuffix(" \(inherited ?? "400")") }, "\(recorded)")
        #expect(!changes.isEmpty && changes.allSatisfy { $0.hasSuffix(" \(inherited ?? "unset")") }, "\(recorded)")
        // The container's environment holds no GOGC (no query makes one; create never had it).
        let env = try project.docker("inspect", "--format", "{{json .Config.Env}}", project.container).stdoutText
        #expect(!env.contains("GOGC"), "\(env)")

        // The user's own setting wins, for the early lookup too.
        try? FileManager.default.removeItem(atPath: log)
        var own = environment
        own["GOGC"] = "75"
        for _ in 0..<2 { #expect(try project.devenv("status", environment: own).exitCode == 0) }
        #expect(calls() == ["ps --all 75", "ps --all 75"], "\(calls())")
    }

    /// break22: DOCKER_HOST naming a socket in a folder whose name is not UTF-8 reached docker
    /// with U+FFFD in place of that byte: "no Docker engine answers at unix:///.../caf\u{FFFD}/..."
    /// (exit 3), though docker itself, given the same variable, answered. Inherited variables
    /// now reach docker byte for byte; `status` answers. The socket is a symbolic link to the
    /// shared engine's (read only: status makes one `docker ps`).
    @Test("DOCKER_HOST with a byte that is not UTF-8 reaches docker as it is")
    func dockerHostThatIsNotUTF8() throws {
        let docker = try TestEngine.require()
        let socket = ProcessInfo.processInfo.environment["DOCKER_HOST"].flatMap { $0.hasPrefix("unix://") ? String($0.dropFirst(7)) : nil }
            ?? "/var/run/docker.sock"
        let name = "latin" + String(UUID().uuidString.prefix(8)).lowercased()
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-\(name)").path
        let project = parent + "/" + name
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try BusyboxProject.write(in: project, name: name)
        // The folder "caf\xe9" and the variable are made by sh: Swift's strings cannot hold them.
        let script = #"""
            dir="$(printf '%s/caf\351' "$1")"
            mkdir "$dir" && ln -s "$2" "$dir/d.sock" || exit 99
            DOCKER_HOST="unix://$dir/d.sock" DEVENV_DOCKER="$3" "$4" --project "$5" status
            """#
        let result = try TestEngine.run(["/bin/sh", "-c", script, "sh", parent, socket, docker, DevenvBinary.path, project],
                                        timeoutSeconds: 60)
        #expect(result.exitCode == 0, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stdoutText.contains("dev"), "\(result.stdoutText)")
    }
}
