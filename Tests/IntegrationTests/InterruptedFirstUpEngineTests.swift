import DevEnvCore
import Foundation
import Testing
import TestSupport

/// What down says its stop waits for, for a profile without run_args' --stop-signal or
/// --stop-timeout (`DockerPlanner.stopWait`).
private let stopWait = "its process gets SIGTERM, then SIGKILL if it has not exited within 10 s (the engine's default)"

/// An interrupted or failed FIRST `up` on the real engine (left22): it leaves nothing it made
/// that no kept container uses (README, exit code 130). The project is busybox with one
/// busybox service (a volume, no health check unless a test gives one), so the network, the
/// service's volume, the app's volumes, the chown container and both containers are all made.
extension SafeLifecycleEngineTests {
    /// `Project` with a service `aux` on the project network.
    static func projectWithService(healthcheck: String? = nil) throws -> Project {
        let project = try Project()
        try project.write("devenv.toml", """
            [project]
            name = "\(project.name)"

            [profiles.dev]
            ports = []
            user = "4242:4242"
            volumes = { cache = "/home/dev/.cache" }
            command = ["sleep", "3600"]
            services = ["aux"]

            [services.aux]
            image = "\(TestEngine.busyboxImage)"
            command = ["sleep", "3600"]
            volumes = { data = "/data" }
            \(healthcheck.map { "healthcheck = \($0)" } ?? "")
            """)
        return project
    }

    /// Everything labelled for the project: "container NAME STATE", "network NAME", "volume NAME", sorted.
    static func everything(_ project: Project) throws -> [String] {
        let label = "label=devenv.project=\(project.name)"
        func lines(_ arguments: [String], _ kind: String) throws -> [String] {
            try TestEngine.docker(arguments + ["--filter", label]).stdoutText.split(separator: "\n").map { "\(kind) \($0)" }
        }
        return try (lines(["ps", "-a", "--format", "{{.Names}} {{.State}}"], "container")
            + lines(["network", "ls", "--format", "{{.Name}}"], "network")
            + lines(["volume", "ls", "--format", "{{.Name}}"], "volume")).sorted()
    }

    /// A DEVENV_DOCKER wrapper that sends devenv `signal` once the `nth` docker call matching
    /// `pattern` (a sh `case` pattern on " ARGS ") has ended: the engine did the step, the
    /// signal comes before devenv can go on.
    static func signalAfter(_ pattern: String, nth: Int = 1, signal: String = "INT", in project: Project) throws -> [String: String] {
        let docker = TestEngine.availability().docker ?? "docker"
        let counter = project.parent + "/count-\(UUID().uuidString.prefix(6))"
        return try project.wrapper("""
            case " $* " in
              \(pattern)) n=$(cat \(counter) 2>/dev/null || echo 0); n=$((n+1)); echo $n > \(counter)
                if [ "$n" = \(nth) ]; then "\(docker)" "$@"; s=$?; kill -\(signal) $PPID; exit $s; fi;;
            esac
            """)
    }

    @Test("Ctrl-C after each step of a first up with a service (network, volumes, chown, build, creates, starts): exit 130, nothing it made is left, and up then down work")
    func anInterruptedFirstUpLeavesNothing() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Self.projectWithService()
        let app = project.container
        let cases: [(step: String, pattern: String, nth: Int)] = [
            ("network create", "*\" network create \"*", 1),
            ("service volume create", "*\" volume create \"*-svc-aux-data\" \"*", 1),
            ("service create", "\" create --name \(app)-svc-aux \"*", 1),
            ("service start", "\" start \"*", 1),
            ("app build", "\" build \"*", 1),
            ("app volume create", "*\" volume create \"*\" \(app)-cache \"*", 1),
            ("chown", "\" run --rm \"*\" --entrypoint chown \"*", 1),
            ("app create", "\" create --name \(app) \"*", 1),
            ("app start", "\" start \"*", 2),
        ]
        for (step, pattern, nth) in cases {
            let cut = try project.devenv("up", environment: try Self.signalAfter(pattern, nth: nth, in: project))
            #expect(cut.exitCode == 130, "\(step): exit \(cut.exitCode)\n\(cut.stderrText)")
            #expect(cut.stderrText.contains("interrupted by signal 2"), "\(step): \(cut.stderrText)")
            let left = try Self.everything(project)
            #expect(left == [], "\(step): left behind: \(left)\n\(cut.stderrText)")
        }
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        let made = try Self.everything(project)
        #expect(made == ["container \(app) running", "container \(app)-svc-aux running", "network \(app)",
                         "volume \(app)-cache", "volume \(app)-svc-aux-data", "volume \(app)-venv"], "\(made)")
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
        #expect(try Self.everything(project) == [])
    }

    @Test("Ctrl-C once the app's container started (its HOME being made): it and its service stay, with their network and volumes")
    func anInterruptedUpKeepsWhatTheStartedAppUses() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Self.projectWithService()
        let app = project.container
        let cut = try project.devenv("up", environment: try Self.signalAfter("\" exec \"*", in: project))
        #expect(cut.exitCode == 130, "exit \(cut.exitCode)\n\(cut.stderrText)")
        // left23: it said "stopped cleanly" while the container ran on, kept on purpose.
        #expect(cut.stderrText.contains("interrupted by signal 2 while making its user's HOME and syncing its dependencies, once \(app) had started: it runs and is kept"),
                "\(cut.stderrText)")
        #expect(!cut.stderrText.contains("stopped cleanly"), "\(cut.stderrText)")
        let kept = try Self.everything(project)
        #expect(kept == ["container \(app) running", "container \(app)-svc-aux running", "network \(app)",
                         "volume \(app)-cache", "volume \(app)-svc-aux-data", "volume \(app)-venv"], "\(kept)\n\(cut.stderrText)")
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
        #expect(try Self.everything(project) == [])
    }

    /// left23: a signal once the app's container had started said "interrupted by signal 2;
    /// stopped cleanly", while the container ran on (kept on purpose) and what up does after the
    /// start was unfinished. Each step after the start: the watch of its first seconds (a real
    /// command is watched), its HOME, a lifecycle command.
    @Test("Ctrl-C after the app's container started (its watch, its HOME, post_start): exit 130 says it runs and is kept and what the next up does; up then finishes")
    func anInterruptionAfterTheStartSaysTheContainerRuns() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config("""
            user = "4242:4242"
            command = ["sleep", "3600"]
            post_start = "echo post-start-ran"
            """)
        let app = project.container
        let cases: [(pattern: String, step: String)] = [
            ("\" events \"*", "watching its first seconds"),
            ("\" exec --user 0:0 \"*", "making its user's HOME and syncing its dependencies"),
            ("*post-start-ran*", "running the lifecycle commands"),
        ]
        for (pattern, step) in cases {
            let cut = try project.devenv("up", environment: try Self.signalAfter(pattern, in: project))
            #expect(cut.exitCode == 130, "\(step): exit \(cut.exitCode)\n\(cut.stderrText)")
            #expect(cut.stderrText.contains("interrupted by signal 2 while \(step), once \(app) had started: it runs and is kept"),
                    "\(step): \(cut.stderrText)")
            #expect(cut.stderrText.contains("`devenv up` finishes it"), "\(step): \(cut.stderrText)")
            #expect(!cut.stderrText.contains("stopped cleanly"), "\(step): \(cut.stderrText)")
            #expect(try project.containers() == ["\(app) running"], "\(step): \(cut.stderrText)")
            // What it says the next up does: it finishes, starting nothing again.
            let up = try project.devenv("up")
            #expect(up.exitCode == 0, "\(step): \(up.stderrText)")
            #expect(try project.containers() == ["\(app) running"])
            #expect(try project.devenv("down").exitCode == 0)
        }
    }

    /// break27: SIGUSR1 and SIGALRM (default action: end the process) ended devenv at once,
    /// leaving the container it had created and its new volumes and network; they are
    /// interruptions too.
    @Test("Ctrl-\\ (SIGQUIT), a closed terminal (SIGHUP), SIGTERM, SIGUSR1 and SIGALRM during a first up are Ctrl-C: exit 128+N (131, 129, 143, 138, 142) after the clean-up, nothing it made is left")
    func quitHangUpAndTermAreInterruptions() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Self.projectWithService()
        for (signal, number) in [("QUIT", SIGQUIT), ("HUP", SIGHUP), ("TERM", SIGTERM), ("USR1", SIGUSR1), ("ALRM", SIGALRM)] {
            let cut = try project.devenv("up", environment: try Self.signalAfter("\" create --name \(project.container) \"*", signal: signal, in: project))
            // 128+N as for a process the signal killed; the message shows devenv handled it and cleaned up.
            #expect(cut.exitCode == 128 + number, "\(signal): exit \(cut.exitCode)\n\(cut.stderrText)")
            #expect(cut.stderrText.contains("interrupted by signal \(number)"), "\(signal): \(cut.stderrText)")
            let left = try Self.everything(project)
            #expect(left == [], "\(signal): left behind: \(left)\n\(cut.stderrText)")
        }
    }

    /// break27: a signal between the volumes' chown container's create and its start (`docker
    /// run --rm` removes only a container that ran) left it as created, holding the new volumes,
    /// which then could not be removed ("volume is in use"), nor by `down --volumes` later. The
    /// wrapper makes that run's create itself (its argv, as `docker create`) and sends SIGTERM:
    /// a run cut short at that very point.
    @Test("SIGTERM between the chown container's create and its start: exit 143, nothing it made is left")
    func aChownCutShortBeforeItsStartLeavesNothing() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Self.projectWithService()
        let docker = TestEngine.availability().docker ?? "docker"
        let environment = try project.wrapper("""
            case " $* " in
              *" --entrypoint chown "*) shift 2; "\(docker)" create "$@" >/dev/null; kill -TERM $PPID; exit 130;;
            esac
            """)
        let cut = try project.devenv("up", environment: environment)
        #expect(cut.exitCode == 143, "exit \(cut.exitCode)\n\(cut.stderrText)")
        let left = try Self.everything(project)
        #expect(left == [], "left behind: \(left)\n\(cut.stderrText)")
    }

    /// review24 item 1: a clean-up the engine refuses is said, and the exit code is 1, not 130.
    /// The wrapper refuses every `volume rm` (as an engine whose volume driver fails would) and
    /// sends SIGINT once the app's volume is made; the containers and network still go.
    @Test("Ctrl-C in a first up whose volume removals the engine refuses: exit 1 names each volume left with its ID and the command that removes it")
    func aRefusedCleanUpIsSaidAndExits1() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Self.projectWithService()
        let app = project.container
        let docker = TestEngine.availability().docker ?? "docker"
        let environment = try project.wrapper("""
            case " $* " in
              *" volume rm "*) echo "Error response from daemon: injected refusal" >&2; exit 1;;
              *" volume create "*" \(app)-cache "*) "\(docker)" "$@"; s=$?; kill -INT $PPID; exit $s;;
            esac
            """)
        let cut = try project.devenv("up", environment: environment)
        #expect(cut.exitCode == 1, "exit \(cut.exitCode)\n\(cut.stderrText)")
        for volume in ["\(app)-cache", "\(app)-svc-aux-data"] {
            #expect(cut.stderrText.contains("volume \(volume) (ID \(volume)): the engine refused: Error response from daemon: injected refusal"),
                    "\(volume): \(cut.stderrText)")
            #expect(cut.stderrText.contains(" volume rm \(volume)"), "the command that removes \(volume): \(cut.stderrText)")
        }
        #expect(cut.stderrText.contains("interrupted by signal 2"), "\(cut.stderrText)")
        #expect(try Self.everything(project) == ["volume \(app)-cache", "volume \(app)-svc-aux-data"], "\(cut.stderrText)")
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
        #expect(try Self.everything(project) == [])
    }

    @Test("a service that fails its check on a first up: the app's volumes that run made go; the stopped service, its volume and the network stay for its logs; down removes them")
    func aFailedServiceKeepsOnlyWhatItUses() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Self.projectWithService(healthcheck: #"{ test = "exit 1", interval = 1, retries = 1 }"#)
        let app = project.container
        let up = try project.devenv("up")
        #expect(up.exitCode == 1, "\(up.stderrText)")
        #expect(up.stderrText.contains("service aux is unhealthy"), "\(up.stderrText)")
        #expect(up.stderrText.contains("removed volume \(app)-cache (made by this run, no container uses it)"), "\(up.stderrText)")
        let kept = try Self.everything(project)
        #expect(kept == ["container \(app)-svc-aux exited", "network \(app)", "volume \(app)-svc-aux-data"], "\(kept)\n\(up.stderrText)")
        let logs = try project.devenv("logs", "aux")
        #expect(logs.exitCode == 0, "\(logs.stderrText)")
        #expect(try project.devenv("down", "--volumes").exitCode == 0)
        #expect(try Self.everything(project) == [])
    }

    /// left22: `down`'s `docker stop` cut short by the signal was finished by the engine after
    /// devenv had said "stopped cleanly"; the container ended stopped, not removed. Now the stop
    /// runs to its end, and the message says what `down` did and how to finish.
    @Test("SIGTERM during down's slow stop: the stop ends before devenv does, exit 143 says what was done, down again removes the rest")
    func anInterruptedDownSaysWhatItDid() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        // Ignores SIGTERM: the engine's stop takes its 10 s grace, so the signal comes while it runs.
        try project.config(#"command = ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]"#)
        #expect(try project.devenv("up").exitCode == 0)
        let env = try project.wrapper(#"if [ "$1" = stop ]; then kill -TERM $PPID; fi"#)
        let cut = try project.devenv("down", environment: env)
        #expect(cut.exitCode == 143, "exit \(cut.exitCode)\n\(cut.stderrText)")
        #expect(cut.stderrText.contains("devenv: note: interrupted; waiting for `"), "says what it waits for: \(cut.stderrText)")
        // left23: what the stop itself waits for (the process's grace) is said as it starts and
        // in the notice; it was "stopping and removing NAME", then 10 s of silence.
        #expect(cut.stderrText.contains("stopping and removing \(project.container) (\(stopWait))"), "\(cut.stderrText)")
        #expect(cut.stderrText.contains("finishes it even if devenv stops waiting; \(stopWait))"), "\(cut.stderrText)")
        #expect(cut.stderrText.contains("interrupted by signal 15 while stopping \(project.container), which was let finish; done: stopped \(project.container)"),
                "\(cut.stderrText)")
        #expect(cut.stderrText.contains("run `devenv down` again to remove the rest"), "\(cut.stderrText)")
        #expect(try project.containers() == ["\(project.container) exited"], "stopped, not removed, when devenv exits")
        let again = try project.devenv("down")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(try project.containers() == [])
    }

    /// left23: the second signal is honoured during a stop that waits out its grace: the wait
    /// ends (the CLI is ended; the engine's stop is not), the message says the engine may still
    /// finish it, it does, and `down` again removes the rest.
    @Test("SIGTERM twice during down's stop of a container that ignores SIGTERM: devenv ends, says the engine may finish the stop; it does; down again removes it")
    func aSecondSignalEndsTheWaitForAStop() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"command = ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]"#)
        #expect(try project.devenv("up").exitCode == 0)
        // The first SIGTERM as the stop starts; the second once devenv said it waits and the
        // engine has sent the container its SIGTERM (its `kill` event: the stop reached the
        // engine), conditions with a 60 s deadline, in a background shell that holds none of
        // devenv's pipes.
        let said = project.parent + "/down-stderr"
        let docker = TestEngine.availability().docker ?? "docker"
        let env = try project.wrapper("""
            if [ "$1" = stop ]; then
              start=$(date +%s); eval id=\\${$#}
              kill -TERM $PPID
              ( i=0
                until grep -q 'Ctrl-C again stops waiting' '\(said)' \\
                      && [ -n "$(\(docker) events --since "$start" --until 0s --filter "container=$id" --filter event=kill --format x)" ] \\
                      || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done
                kill -TERM $PPID ) </dev/null >/dev/null 2>&1 &
            fi
            """)
        let cut = try TestEngine.run(["/bin/sh", "-c", #"exec "$0" --project "$1" down 2>"$2""#, DevenvBinary.path, project.path, said],
                                     environment: env, timeoutSeconds: 120)
        let text = (try? String(contentsOfFile: said, encoding: .utf8)) ?? ""
        #expect(cut.exitCode == 143, "exit \(cut.exitCode)\n\(text)")
        #expect(text.contains("stopping and removing \(project.container) (\(stopWait))"), "\(text)")
        #expect(text.contains("while stopping \(project.container), which did not succeed (cut short by a second signal, the engine may still finish it)"),
                "\(text)")
        #expect(text.contains("run `devenv down` again to remove the rest"), "\(text)")
        // The engine finishes the stop (SIGKILL after the grace): waits for "exited", 60 s at most.
        let deadline = Date().addingTimeInterval(60)
        while try project.containers() != ["\(project.container) exited"], Date() < deadline { usleep(200_000) }
        #expect(try project.containers() == ["\(project.container) exited"], "the engine did not finish the stop")
        let again = try project.devenv("down")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(try project.containers() == [])
    }

    @Test("SIGTERM during restart: the restart ends before devenv does, and exit 143 says the container runs")
    func anInterruptedRestartSaysItRuns() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"command = ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]"#)
        #expect(try project.devenv("up").exitCode == 0)
        let env = try project.wrapper(#"if [ "$1" = restart ]; then kill -TERM $PPID; fi"#)
        let cut = try project.devenv("restart", environment: env)
        #expect(cut.exitCode == 143, "exit \(cut.exitCode)\n\(cut.stderrText)")
        #expect(cut.stderrText.contains("interrupted by signal 15 while restarting \(project.container), which was let finish; done: restarted \(project.container) (it runs)"),
                "\(cut.stderrText)")
        #expect(try project.containers() == ["\(project.container) running"])
    }

    /// left22: devenv ignores SIGPIPE (so `devenv up | head` finishes its step), and `logs -f`
    /// into a pipe whose reader had left ran on for as long as the container did, printing
    /// nowhere: `devenv logs -f | head -1` never ended.
    @Test("devenv logs -f | head -1: devenv ends (exit 141, as SIGPIPE would have it) with its docker child, while the container runs on")
    func followedLogsEndWhenTheirReaderLeaves() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"command = ["sh", "-c", "while :; do echo tick; sleep 0.2; done"]"#)
        #expect(try project.devenv("up").exitCode == 0)
        let id = try project.docker("inspect", "--format", "{{.Id}}", project.container).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Bounded: a devenv that never ends is the test's 60 s timeout (exit 124).
        let piped = try TestEngine.run(["bash", "-c", "\"$0\" --project \"$1\" logs -f | head -1; echo \"devenv exit ${PIPESTATUS[0]}\" >&2",
                                        DevenvBinary.path, project.path],
                                       environment: ["DEVENV_DOCKER": TestEngine.availability().docker ?? "docker"], timeoutSeconds: 60)
        #expect(piped.exitCode == 0, "exit \(piped.exitCode)\n\(piped.stderrText)")
        #expect(piped.stdoutText == "tick\n", "\(piped.stdoutText)")
        #expect(piped.stderrText.hasSuffix("devenv exit 141\n"), "\(piped.stderrText)")
        let left = try TestEngine.run(["pgrep", "-af", " logs "]).stdoutText.split(separator: "\n")
            .filter { $0.contains(String(id.prefix(12))) || $0.contains(project.container) }
        #expect(left.isEmpty, "docker logs left running: \(left)")
        #expect(try project.containers() == ["\(project.container) running"])
    }
}
