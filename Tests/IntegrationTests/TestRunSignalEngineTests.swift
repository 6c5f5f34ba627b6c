import Foundation
import Testing
import TestSupport

/// mend27a on the real engine: `devenv test`'s `docker run --rm` ended by a signal while its
/// create request was still under way at the engine: the engine finished the create after
/// devenv's look-up for what the run made (which found nothing), and the container stayed
/// "Created" for good (once in 14 under load). The run is named for its call now, and devenv
/// takes that name itself when the look-up finds nothing (`DockerPlanner.claimRunName`).
extension SafeLifecycleEngineTests {
    /// The late create is made certain by a DEVENV_DOCKER wrapper: its `run` (the test's; the
    /// volumes' chown carries a run label too) keeps its arguments
    /// and SIGTERMs devenv (the CLI ends before its create); devenv's look-up for what the run
    /// made (`ps ... status=created`) gets the engine's answer (none), and only then, before
    /// that answer reaches devenv, the create with those arguments is made: the engine finished
    /// it after the look-up, as in the race. Without the name claim the container stayed
    /// "Created" for good.
    @Test("test's run ended by SIGTERM with its create finishing after devenv's look-up leaves no container")
    func aTestRunsCreateThatEndsAfterTheLookUpLeavesNoContainer() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"test_command = ["true"]"#)
        let flags = project.parent + "/late"
        try FileManager.default.createDirectory(atPath: flags, withIntermediateDirectories: true)
        let docker = TestEngine.availability().docker ?? "docker"
        let wrapper = try project.wrapper("""
            if [ "$1" = run ] && case "$*" in *" --entrypoint chown "*) false;; *devenv.run=*) true;; *) false;; esac; then
              shift
              printf '%s\\0' "$@" > '\(flags)/run-args'
              kill -TERM "$PPID"
              exec sleep 60
            fi
            case "$*" in *status=created*)
              out="$(\(docker) "$@")"; status=$?
              if [ -f '\(flags)/run-args' ] && [ ! -f '\(flags)/create' ]; then
                xargs -0 \(docker) create < '\(flags)/run-args' > '\(flags)/create.tmp' 2>&1
                mv '\(flags)/create.tmp' '\(flags)/create'
              fi
              [ -n "$out" ] && printf '%s\\n' "$out"
              exit $status;;
            esac
            """)
        let test = try project.devenv("test", environment: wrapper)
        #expect(test.exitCode == 143, "exit \(test.exitCode): \(test.stderrText)")
        let late = (try? String(contentsOfFile: flags + "/create", encoding: .utf8)) ?? ""
        #expect(late.split(separator: "\n").last.map { $0.count == 64 } == true, "the late create did not make the container: \(late)")
        #expect(try project.containers() == [], "devenv: \(test.stderrText)")
        #expect(!test.stderrText.contains("warning"), "\(test.stderrText)")
    }
}
