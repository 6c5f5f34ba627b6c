/// A token that marks the processes one `devenv exec` or `devenv shell` starts in a container, so
/// that a signal that ends devenv (SIGTERM, SIGHUP) reaches them too.
///
/// Why: `docker exec` does not pass a signal on to the command it started (moby/moby#9098,
/// docker/cli#5309), nor does `podman exec` 4.x (containers/podman#19486, #22495): ending the
/// CLI leaves the command running in the container, reparented, with no way to name it (the
/// exec session's ID is not shown by either CLI, and Docker has no exec kill: moby/moby#35703).
/// So devenv starts the command with `--env DEVENV_EXEC=TOKEN`, which every process it starts
/// inherits, and on the way out runs `signalCall`: one more `docker exec` that signals each
/// process of the container whose environment holds that very token, as the same user the
/// command ran as. Only what this devenv started is reached (the token is random per run), by
/// its PID read at that moment, never by a name or a pattern over command lines.
///
/// What each CLI does with SIGTERM during `exec` (tried on this project's machines, mend27b):
/// Docker's CLI 28.2 exits 0 and 20.10 (Debian) dies of it (143), Podman 4.3.1 exits 0; none
/// passes it on, and the command runs on. A newer Podman (containers/podman#29525, merged
/// 2026-08) signals the exec session's process group itself and exits 128+N once the command
/// ended: devenv's pass-on is then a second delivery, which is harmless by design. What the CLI
/// reached has ended (the CLI waits for it) or ignores the signal; what is gone is not found or
/// its `kill` fails unsaid; devenv's status is its own interruption's, whatever the CLI's; only
/// what the CLI did not reach (a job in a process group of its own) gets it for the first time.
public struct ExecMarker: Sendable, Hashable {
    /// The variable the command's processes carry.
    public static let variable = "DEVENV_EXEC"

    /// Lowercase hex digits only: the script compares it as a `grep -x` pattern.
    public let token: String

    /// Nil for a token that is not 8-64 lowercase hex digits (the one form
    /// `SystemEnvironment.randomToken` makes): nothing else can reach the script.
    public init?(token: String) {
        guard (8...64).contains(token.utf8.count), token.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.token = token
    }

    /// `--env DEVENV_EXEC=TOKEN`, for the `docker exec` that starts the command.
    public var arguments: [String] { ["--env", entry] }

    /// `DEVENV_EXEC=TOKEN`, as the processes' environments hold it.
    var entry: String { "\(Self.variable)=\(token)" }

    /// `docker exec [--user USER] CONTAINER sh -c SCRIPT sh DEVENV_EXEC=TOKEN SIGNAL GRACE`: ends
    /// every process in the container whose environment holds `DEVENV_EXEC=TOKEN` by `endScript`
    /// (SIGNAL, then SIGKILL to those left after `grace`), and prints `SIGNALLED KILLED`. `user`: the one
    /// the command ran as (it can read their environments and signal them; nobody else's). Needs
    /// `sh`, `tr` and /proc in the container, as the shell devenv opens does: without `sh` the call
    /// fails (`cannotRun`); without `tr` it finds nothing and prints `0 0` (the script's own errors
    /// are silenced). Either way the command is left as a plain `docker exec` leaves it.
    public func signalCall(cli: String, container: String, user: String?, signal: Int32) -> ProcessInvocation {
        var argv = [cli, "exec"]
        if let user { argv += ["--user", user] }
        var invocation = ProcessInvocation(argv + [container] + Self.endCommand(mark: entry, signal: signal))
        invocation.step = "passing signal \(signal) on to the command devenv started in \(EngineID.shown(container))"
        return invocation
    }

    /// Whether the exit status of `signalCall` says the container could not run it at all: 126
    /// or 127, the status of a `docker exec`/`podman exec` whose command (`sh`) cannot be
    /// invoked or is not there (an image with no shell, distroless or scratch). The script itself
    /// always ends 0 (`echo`).
    public static func cannotRun(_ exitCode: Int32) -> Bool { exitCode == 126 || exitCode == 127 }

    /// Tenths of a second a marked process has, after the signal passed on, to end before it gets
    /// SIGKILL: an interactive shell (`devenv shell`) ignores SIGTERM and SIGINT, a command may trap
    /// them, and either would run on in the container (Docker's `docker stop` and SwiftPM's
    /// Cancellator end what a signal did not end the same way). Long enough for a handler that
    /// cleans up quickly; each check looks again, so processes that end at once cost no wait.
    public static let graceTenths = 20

    /// The grace as said to the user: "2 s", "0.5 s".
    public static var graceText: String {
        "\(graceTenths / 10)\(graceTenths % 10 == 0 ? "" : ".\(graceTenths % 10)") s"
    }

    /// `sh -c SCRIPT sh MARK SIGNAL GRACE`: the argv (after the container) that ends the processes
    /// marked with MARK (NAME=VALUE), `endScript`; for exec's pass-on and the lifecycle commands' stop.
    public static func endCommand(mark: String, signal: Int32) -> [String] {
        ["sh", "-c", endScript, "sh", mark, String(signal), String(graceTenths)]
    }

    /// KILLED of `endScript`'s `SIGNALLED KILLED`; nil for another answer.
    public static func killedCount(_ output: String) -> Int? {
        let counts = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        return counts.count == 2 ? counts[1] : nil
    }

    /// $1 the mark (NAME=VALUE), $2 the signal number, $3 the grace in tenths of a second: sends
    /// $2 to each process `markedProcesses` finds, looks again every tenth (a `sleep` without
    /// fractions: every second) until none is left or the grace is over, sends SIGKILL to those
    /// still there, and prints `SIGNALLED KILLED` (counts). The script's own processes do not carry
    /// the mark (its `docker exec` sets none).
    static let endScript = markedProcesses + #"""
        n=0
        for p in $(marked "$1"); do
          kill -"$2" "$p" 2>/dev/null && n=$((n+1))
        done
        left=
        t=0
        while [ "$n" -gt 0 ]; do
          left=$(marked "$1")
          [ -z "$left" ] || [ "$t" -ge "$3" ] && break
          sleep 0.1 2>/dev/null || { sleep 1; t=$((t+9)); }
          t=$((t+1))
        done
        k=0
        for p in $left; do
          kill -KILL "$p" 2>/dev/null && k=$((k+1))
        done
        echo "$n $k"
        """#

    /// The shell function `marked MARK`, the one rule for finding what devenv marked in a
    /// container (this marker, and `DockerPlanner.lifecycleMark`): prints the PID of each process
    /// whose environment holds the entry MARK (NAME=VALUE) whole, one a line, never the script's
    /// own shell. /proc/PID/environ is NUL-separated: each entry on a line of its own, compared
    /// with `grep -x`, so a mark is never matched inside another value. Needs `sh`, `tr`, `grep`
    /// and /proc (busybox has them); a process of another user is not read (no CAP_SYS_PTRACE).
    static let markedProcesses = #"""
        marked() {
          for d in /proc/[0-9]*; do
            p=${d#/proc/}
            [ "$p" = "$$" ] && continue
            tr '\0' '\n' < "$d/environ" 2>/dev/null | grep -qx "$1" && echo "$p"
          done
        }

        """#
}
