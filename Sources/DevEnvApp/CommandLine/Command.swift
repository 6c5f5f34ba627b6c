import DevEnvCore

/// A subcommand with its own options, as parsed from argv.
public enum Command: Sendable, Hashable {
    /// `ports`: `--port CONTAINER=HOST`, for this `up` only.
    case up(ports: [PortOverride])
    case down(volumes: Bool, images: Bool = false)
    case restart
    case build(noCache: Bool)
    case status
    case shell
    /// `service`: `--service NAME`, in that service's container instead of the app's.
    case exec([String], service: String? = nil)
    /// `raw`: the container's bytes unchanged even on a terminal (escape sequences included).
    /// `service`: `logs SERVICE`, that service's output instead of the app's.
    case logs(follow: Bool, tail: String?, since: String?, raw: Bool = false, service: String? = nil)
    case syncDeps
    case cleanCache
    /// `devenv prune`: the project's devenv-built images no profile uses any more.
    case prune
    case config
    /// `devenv test [ARGS...]`: ARGS are added to the profile's test command.
    case test([String])
    /// `devenv init`: write the Dockerfile and its companions for a uv project.
    /// `with`: services to add (`--with postgres`, `--with redis`; `InitService`).
    case initialize(baseImage: String?, python: String?, force: Bool, with: [String] = [])
    /// `devenv doctor`: check the machine, the engine and the project.
    case doctor
    case help(String?)
    /// `devenv completion bash|zsh|fish`: the shell's completion script.
    case completion(String)
    /// `devenv __complete profiles|services`: names for the completion scripts.
    case completeNames(String)
    case version
    /// No command: the dashboard on a terminal, else `status`.
    case dashboard

    public var name: String {
        switch self {
        case .up: "up"
        case .down: "down"
        case .restart: "restart"
        case .build: "build"
        case .status: "status"
        case .shell: "shell"
        case .exec: "exec"
        case .logs: "logs"
        case .syncDeps: "sync-deps"
        case .cleanCache: "clean-cache"
        case .prune: "prune"
        case .config: "config"
        case .test: "test"
        case .initialize: "init"
        case .doctor: "doctor"
        case .help: "help"
        case .completion: "completion"
        case .completeNames: "__complete"
        case .version: "version"
        case .dashboard: "dashboard"
        }
    }
}
