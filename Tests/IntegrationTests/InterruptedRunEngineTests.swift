import DevEnvCore
import Foundation
import Testing
import TestSupport

/// Issue 9 section 4 and 8 on the real engine: what an interrupted earlier run leaves behind
/// (a volume still root-owned because its chown never ran) and what the image lacks (the
/// synced user's HOME) is put right by the next `up`. The synced user is 4242:4242 (the tests
/// run as root, whose own ids would prove nothing).
extension SafeLifecycleEngineTests {
    /// "UID:GID" of `path` inside volume `volume`, seen from a throwaway busybox container.
    static func owner(ofVolume volume: String, path: String = "") throws -> String {
        let seen = try TestEngine.docker(["run", "--rm", "--network", "none", "--volume", "\(volume):/v",
                                          TestEngine.busyboxImage, "stat", "-c", "%u:%g", "/v" + path])
        return seen.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("devenv killed before its chown leaves a root-owned volume: the next up gives it to the synced user")
    func aVolumeLeftRootOwnedByAnInterruptedRunIsRepaired() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"user = "4242:4242""#)
        // The interrupted run: devenv dies (SIGKILL) as its chown container is about to run.
        let killAtChown = try project.wrapper(#"case " $* " in *" --entrypoint chown "*) kill -KILL $PPID; exit 137;; esac"#)
        let crashed = try project.devenv("up", environment: killAtChown)
        #expect(crashed.exitCode != 0, "devenv was not killed: \(crashed.stderrText)")
        let volume = "\(DevenvNames.container(project.name, in: project.path))-cache"
        #expect(try Self.owner(ofVolume: volume) == "0:0", "the interrupted run did not leave the volume root-owned")
        #expect(try project.containers() == [])

        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stderrText.contains("gave \(volume)"), "\(up.stderrText)")
        #expect(up.stderrText.contains(" to 4242:4242: an earlier run was interrupted"), "\(up.stderrText)")
        let written = try project.devenv("exec", "--", "sh", "-c",
                                         "touch /home/dev/.cache/made && stat -c %u:%g /home/dev/.cache /home/dev/.cache/made")
        #expect(written.stdoutText == "4242:4242\n4242:4242\n", "\(written.stdoutText)\(written.stderrText)")

        // After `down` no container mounts it: probed again, and found right.
        #expect(try project.devenv("down").exitCode == 0)
        let again = try project.devenv("up")
        #expect(again.exitCode == 0, "\(again.stderrText)")
        #expect(!again.stderrText.contains("gave "), "\(again.stderrText)")
        #expect(try Self.owner(ofVolume: volume, path: "/made") == "4242:4242")
    }

    @Test("a root container that took the volume back (or a root-owned leftover) is given back when no container mounts it")
    func aVolumeARootContainerTookIsGivenBack() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"user = "4242:4242""#)
        #expect(try project.devenv("up").exitCode == 0)
        #expect(try project.devenv("down").exitCode == 0)
        let volume = "\(DevenvNames.container(project.name, in: project.path))-cache"
        let taken = try project.docker("run", "--rm", "--network", "none", "--volume", "\(volume):/v", TestEngine.busyboxImage,
                                       "sh", "-c", "touch /v/rootfile && chown -R 0:0 /v")
        #expect(taken.exitCode == 0, "\(taken.stderrText)")
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stderrText.contains("gave \(volume) to 4242:4242"), "\(up.stderrText)")
        #expect(try Self.owner(ofVolume: volume, path: "/rootfile") == "4242:4242")
    }

    @Test("the synced user's HOME, missing from the image (Docker made it root-owned for a mount), is made theirs")
    func theHomeOfTheSyncedUserIsTheirs() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"user = "4242:4242""#)
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(up.stderrText.contains("made /home/dev the home of 4242:4242"), "\(up.stderrText)")
        let touched = try project.devenv("exec", "--", "sh", "-c", "touch ~/.bash_history && stat -c %u:%g ~ ~/.bash_history && echo $HOME")
        #expect(touched.exitCode == 0, "\(touched.stderrText)")
        #expect(touched.stdoutText == "4242:4242\n4242:4242\n/home/dev\n", "\(touched.stdoutText)")
        // A recreate makes it again in the new container; an up-to-date run does nothing.
        try project.config(#"user = "4242:4242""# + "\nenv = { ROUND = \"2\" }")
        let recreated = try project.devenv("up")
        #expect(recreated.exitCode == 0, "\(recreated.stderrText)")
        #expect(try project.devenv("exec", "--", "sh", "-c", "touch ~/.x && echo ok").stdoutText == "ok\n")
        let current = try project.devenv("up")
        #expect(!current.stderrText.contains("the home of"), "\(current.stderrText)")
    }

    @Test("a HOME the profile points elsewhere is made too; a real folder of root's is never given away")
    func aHomeElsewhereIsMadeAndAForeignOneLeftAlone() throws {
        _ = try TestEngine.require(images: [TestEngine.busyboxImage])
        let project = try Project()
        try project.config(#"user = "4242:4242""# + "\nenv = { HOME = \"/work/u\" }")
        #expect(try project.devenv("up").exitCode == 0)
        let made = try project.devenv("exec", "--", "sh", "-c", "touch ~/.bash_history && stat -c %u:%g ~")
        #expect(made.stdoutText == "4242:4242\n", "\(made.stdoutText)\(made.stderrText)")
        // A real folder of root's is never given away.
        try project.config(#"user = "4242:4242""# + "\nenv = { HOME = \"/bin\" }")
        let up = try project.devenv("up")
        #expect(up.exitCode == 0, "\(up.stderrText)")
        #expect(!up.stderrText.contains("the home of"), "\(up.stderrText)")
        let bin = try project.devenv("exec", "--", "stat", "-c", "%u:%g", "/bin")
        #expect(bin.stdoutText == "0:0\n", "\(bin.stdoutText)\(bin.stderrText)")
    }
}
