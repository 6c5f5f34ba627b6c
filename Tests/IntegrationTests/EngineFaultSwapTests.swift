import DevEnvCore
import Foundation
import Testing
import TestSupport

/// break22: the engine frozen during a recreate's swap. Its calls run to their end and have no
/// deadline (what they changed must be known), so `up` waited on a paused engine for ever and
/// said nothing. Now, past DEVENV_TIMEOUT, it says once what it waits for (the call in a few
/// words, no `--env` value), and finishes the swap when the engine comes back.
extension EngineFaultTests {
    @Test("a recreate's swap step on a frozen engine says what it waits for after DEVENV_TIMEOUT, and finishes once the engine is back")
    func aSwapStepOnAFrozenEngineSaysWhatItWaitsFor() throws {
        let engine = try PrivateEngine.require()
        defer { engine.resume() }
        let project = try Project()
        let docker = TestEngine.availability().docker ?? "docker"
        // The default query deadline (30 s) for the runs on an engine that answers: one docker
        // call slower than a short deadline on a loaded machine would fail them with exit 3.
        let environment = engine.environment
        let first = try DevenvBinary.run(["up", "--no-tui"], in: project.path, environment: environment, timeoutSeconds: 120)
        #expect(first.exitCode == 0, "\(first.stderrText)")
        // A changed env value (a secret's name, so its value must not be shown) makes it stale.
        try BusyboxProject.write(in: project.path, name: project.name,
                                 devLines: [#"user = "image""#, "volumes = {}", #"command = ["sleep", "3600"]"#,
                                            #"env = { API_TOKEN = "s3cr3t-value" }"#])
        // The engine freezes as the previous container is renamed aside, and is let go once
        // devenv said what it waits for (a condition with a 60 s deadline, in the wrapper).
        let pidFile = engine.root + "/dockerd.pid"
        let marker = project.path + "/frozen-once"
        let stderrFile = project.path + "/up-stderr"
        let wrapper = project.path + "/docker-wrapper"
        try """
            #!/bin/sh
            if [ "$1" = rename ] && [ ! -e '\(marker)' ]; then
                : > '\(marker)'
                kill -STOP "$(cat '\(pidFile)')"
                (
                    i=0
                    while ! grep -q 'still waiting for' '\(stderrFile)' && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
                    kill -CONT "$(cat '\(pidFile)')"
                ) >/dev/null 2>&1 &
            fi
            exec \(docker) "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        // 5 s: the notice comes that long after the frozen rename; the calls before it (the
        // lookup, the create) go to an engine that answers, and on a loaded machine one may
        // take longer than 2 s.
        var run = environment
        run["DEVENV_TIMEOUT"] = "5"
        run["DEVENV_DOCKER"] = wrapper
        let up = try TestEngine.run(["/bin/sh", "-c", #"exec "$0" --project "$1" up --no-tui 2>"$2""#, DevenvBinary.path, project.path, stderrFile],
                                    environment: run, timeoutSeconds: 120)
        let said = (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? ""
        #expect(FileManager.default.fileExists(atPath: marker), "the swap never reached docker rename: \(said)")
        #expect(up.exitCode == 0, "exit \(up.exitCode): \(said)")
        #expect(said.contains("devenv: warning: still waiting for `docker-wrapper rename "), "\(said)")
        #expect(said.contains(" \(DevenvNames.container(project.name, in: project.path)).previous` after 5 s"), "\(said)")
        #expect(!said.contains("s3cr3t-value"), "a secret's value in a notice: \(said)")
        let left = try engine.docker(["ps", "--all", "--filter", "label=devenv.project=\(project.name)", "--format", "{{.Names}} {{.State}}"])
        #expect(left.stdoutText == "\(DevenvNames.container(project.name, in: project.path)) running\n", "\(left.stdoutText)")
        let status = try DevenvBinary.run(["status", "--json"], in: project.path, environment: environment)
        #expect(status.stdoutText.contains(#""stale":false"#), "\(status.stdoutText)")
        #expect(try DevenvBinary.run(["down"], in: project.path, environment: environment).exitCode == 0)
        #expect(engine.clientsStillRunning() == [])
    }
}
