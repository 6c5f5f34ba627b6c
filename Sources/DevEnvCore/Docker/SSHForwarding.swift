/// The container side of a profile's `ssh = true` (issue 10, item 10; the build side is
/// `docker build --ssh default`, DockerPlanner.build). The practice it follows: private git
/// dependencies reach the developer's SSH agent, never a key copied into an image or container.
public enum SSHForwarding {
    /// The agent socket's path inside the container; SSH_AUTH_SOCK is set to it.
    public static let agentTarget = "/run/devenv/ssh-agent.sock"

    /// For a profile that mounts the project (a dev-style one; prod gets only the build's
    /// `--ssh`): the host's agent socket (`SSH_AUTH_SOCK`, an absolute path) bind-mounted at
    /// `agentTarget`, and `~/.gitconfig` when it exists, read-only, at the container user's HOME
    /// (else /etc/gitconfig, which git reads as its system file). `origin` is the place of the
    /// `ssh` key, for errors about the mounts. Returns a warning when there is no agent to give.
    public static func apply(to spec: inout EnvironmentSpec, environment: HostEnvironment,
                             fileExists: (String) -> Bool, origin: String?) -> String? {
        guard spec.ssh, spec.mountWorkspace else { return nil }
        var warning: String?
        if let socket = environment["SSH_AUTH_SOCK"], socket.hasPrefix("/") {
            spec.mounts.append(.init(source: socket, target: agentTarget, origin: origin))
            if spec.environment["SSH_AUTH_SOCK"] == nil { spec.environment["SSH_AUTH_SOCK"] = agentTarget }
        } else {
            warning = "profile \(spec.profile) sets ssh = true but SSH_AUTH_SOCK is not set: its container gets no SSH agent (start one: eval \"$(ssh-agent)\" && ssh-add)"
        }
        if let home = environment["HOME"], home.hasPrefix("/"), fileExists(ConfigPath.join(home, ".gitconfig")) {
            let target = spec.environment["HOME"].map { ConfigPath.join($0, ".gitconfig") } ?? "/etc/gitconfig"
            spec.mounts.append(.init(source: ConfigPath.join(home, ".gitconfig"), target: target, readOnly: true, origin: origin))
        }
        return warning
    }
}
