@testable import DevEnvCore
import Testing
import TestSupport

/// The devcontainer.json corpus (`DevcontainerCorpus`): every file loads without crashing
/// (or, Compose-only, fails with a positioned error), every property devenv does not support
/// gets exactly one warning naming it, and the resolved profile is exactly what the file says
/// (nothing silently different).
@Suite struct DevcontainerCorpusTests {
    typealias F = ConfigFixture

    /// The resolved configuration, one fact a line, in a fixed order.
    static func summary(_ config: LoadedConfig) -> [String] {
        let p = config.profile, project = config.project
        var lines: [String] = []
        if let image = p.image.value { lines.append("image \(image)") } else {
            lines.append("build \(project.dockerfile.value) context \(project.context.value)" + (p.target.value.map { " target \($0)" } ?? ""))
        }
        lines += project.buildArgs.map { "build_arg \($0.name)=\($0.value)" }
        if !project.cacheFrom.value.isEmpty { lines.append("cache_from \(project.cacheFrom.value)") }
        lines.append("workspace \(project.workspace.value) mounted \(p.mountWorkspace.value)")
        lines.append("user \(p.user.value)")
        lines.append("command \(p.command.value.map { "\($0)" } ?? "(image's)")")
        if !p.ports.value.isEmpty { lines.append("ports \(p.ports.value.map(\.description))") }
        lines += p.portLabels.map { "port_label \($0.name)=\($0.value)" }
        lines += p.env.map { "env \($0.name)=\($0.value)" + (p.envResolvedAtUp.contains($0.name) ? " (at up)" : "") }
        lines += project.mounts.value.map { "mount \($0.volumeArgument)" }
        lines += p.volumes.map { "volume \($0.name)=\($0.value)" }
        if !p.tmpfs.value.isEmpty { lines.append("tmpfs \(p.tmpfs.value)") }
        if !p.runArgs.value.isEmpty { lines.append("run_args \(p.runArgs.value)") }
        if !p.capAdd.value.isEmpty { lines.append("cap_add \(p.capAdd.value)") }
        if let gpu = p.gpu.value { lines.append("gpu \(gpu.rawValue)") }
        for stage in LifecycleStage.allCases {
            if let command = p.lifecycle[stage] { lines.append("\(stage.devcontainerProperty) \(command.value.description)") }
        }
        if !p.lifecycle.isEmpty { lines.append("waitFor \(p.waitFor.value.devcontainerProperty)") }
        return lines
    }

    static func evaluate(_ entry: DevcontainerCorpus.Entry) -> ConfigLoader.Evaluation {
        var files = entry.files
        files[entry.path] = entry.json
        return F.evaluate(F.fileSystem(files))
    }

    /// Top-level and `build` properties devenv does not use, as the file has them.
    static func unsupportedProperties(_ json: String) throws -> [String] {
        let root = try JSONCDecoder.decode(Array(json.utf8), file: "x")
        guard case .object(let object) = root.value else { return [] }
        var names = object.names.filter { !DevcontainerReader.mapped.contains($0) }
        if case .object(let build)? = object["build"]?.value {
            names += build.names.filter { !["dockerfile", "dockerFile", "context", "target", "args", "cacheFrom"].contains($0) }.map { "build.\($0)" }
        }
        return names
    }

    @Test(arguments: DevcontainerCorpus.entries.map(\.name))
    func eachUnsupportedPropertyIsWarnedExactlyOnce(_ name: String) throws {
        let entry = try #require(DevcontainerCorpus.entries.first { $0.name == name })
        let evaluation = Self.evaluate(entry)
        let messages = evaluation.diagnostics.map(\.message)
        for property in try Self.unsupportedProperties(entry.json) {
            let naming = messages.filter { $0.contains("\"\(property)\"") }
            #expect(naming.count == 1, "\(name): \(property) is named by \(naming.count) findings: \(messages)")
        }
        // Every finding is placed in the file.
        for diagnostic in evaluation.diagnostics {
            #expect(diagnostic.location?.file == entry.path, "\(name): \(diagnostic)")
        }
    }

    @Test func eachFileResolvesToWhatItSays() throws {
        var results: [String: [String]] = [:]
        for entry in DevcontainerCorpus.entries {
            let evaluation = Self.evaluate(entry)
            let findings = evaluation.diagnostics.map { "\($0.severity.rawValue) \($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" }
            results[entry.name] = (evaluation.config.map(Self.summary) ?? ["(not loaded)"]) + findings
        }
        for entry in DevcontainerCorpus.entries {
            let got = results[entry.name] ?? []
            let want = Self.expected[entry.name] ?? []
            #expect(got == want, "\(entry.name):\n\(got.joined(separator: "\n"))")
        }
    }

    /// Reviewed by hand against each file: what devenv runs, and what it says it leaves out.
    static let expected: [String: [String]] = [
        "template-image-features": [
            #"image mcr.microsoft.com/devcontainers/python:1-3.12-bookworm"#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"ports ["127.0.0.1:8000:8000"]"#,
            #"postCreateCommand "pip3 install --user -r requirements.txt""#,
            #"waitFor updateContentCommand"#,
            #"warning 6:2 "features" is not supported: features are install scripts fetched from registries; install these tools in the Dockerfile instead (left out: ghcr.io/devcontainers/features/node:1, ghcr.io/devcontainers-contrib/features/poetry:2)"#,
            #"warning 12:2 "customizations" is not supported: editor settings (VS Code, Codespaces); devenv has no editor and leaves them alone"#,
            #"warning 19:2 "remoteUser" is not used: devenv runs the container as your own UID:GID (it syncs the user itself, as updateRemoteUserUID would), so files in the workspace stay yours"#,
        ],
        "compose-only": [
            #"(not loaded)"#,
            #"warning 3:5 "dockerComposeFile" is not supported: Docker Compose is not used; define the services in devenv.toml (devenv services) and give this file an image or build"#,
            #"error 3:5 devcontainer.json uses only Docker Compose, which devenv does not run; add "image" or "build" for the development container"#,
            #"warning 4:5 "service" is not supported: Docker Compose is not used; define the services in devenv.toml (devenv services)"#,
            #"warning 5:5 "runServices" is not supported: Docker Compose is not used; define the services in devenv.toml (devenv services)"#,
            #"warning 7:5 "shutdownAction" is not supported: devenv leaves the container running until `devenv down`"#,
            #"warning 8:28 "forwardPorts": "db:5432" names another service's port (Docker Compose), which devenv does not run; define that service in devenv.toml"#,
        ],
        "build-from-parent": [
            #"build Dockerfile context . target dev"#,
            #"build_arg PYTHON_VERSION=3.12"#,
            #"build_arg USERNAME=vscode"#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"run_args ["-e", "PYTHONDONTWRITEBYTECODE=1"]"#,
            #"warning 9:5 "build.options" is not supported; set build options in the Dockerfile, or build args in build.args"#,
            #"warning 11:25 "runArgs": --network is not allowed: set the profile's `network`; left out"#,
            #"warning 11:43 "runArgs": --platform is not allowed: devenv builds the image for the engine's own platform; left out"#,
            #"warning 12:3 "containerUser" is not used: devenv runs the container as your own UID:GID (it syncs the user itself, as updateRemoteUserUID would), so files in the workspace stay yours"#,
            #"warning 13:3 "updateRemoteUserUID" is not used: devenv runs the container as your own UID:GID (it syncs the user itself, as updateRemoteUserUID would), so files in the workspace stay yours"#,
        ],
        "home-mounts": [
            #"image mcr.microsoft.com/devcontainers/python:3.11"#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"env LOCAL_WORKSPACE_FOLDER=/home/ada/src/My App"#,
            #"env PATH=${containerEnv:PATH}:/home/vscode/.local/bin (at up)"#,
            #"env SSH_AUTH_SOCK=/ssh-agent"#,
            #"mount /home/ada/.ssh:/home/vscode/.ssh:ro"#,
            #"mount /home/ada/.aws:/home/vscode/.aws"#,
            #"mount /var/run/docker.sock:/var/run/docker-host.sock"#,
            #"volume pip-cache=/home/vscode/.cache/pip"#,
            #"warning 12:5 volume "pip-cache" becomes devenv's labelled volume for this environment (role "pip-cache"), not a volume shared with other containers"#,
        ],
        "ports-attributes": [
            #"image mcr.microsoft.com/devcontainers/python:3.12"#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"ports ["127.0.0.1:8000:8000", "127.0.0.1:5678:5678", "127.0.0.1:8888:8888", "127.0.0.1:9000:9000"]"#,
            #"port_label 5678=debugpy"#,
            #"port_label 8000=API"#,
            #"port_label 8888=Jupyter"#,
            #"warning 5:3 "portsAttributes": onAutoForward, requireLocalPort are editor settings devenv does not use; it shows each port's label"#,
            #"warning 10:3 "otherPortsAttributes" is not supported: only the label of listed ports (portsAttributes) is used"#,
        ],
        "lifecycle-objects": [
            #"image mcr.microsoft.com/devcontainers/python:3.12"#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"initializeCommand "mkdir -p /home/ada/.cache/devcontainer""#,
            #"onCreateCommand { "deps" = "pip install -e .[dev]", "hooks" = ["pre-commit", "install", "--install-hooks"] }"#,
            #"updateContentCommand "pip install -e .""#,
            #"postCreateCommand ["bash", ".devcontainer/setup.sh"]"#,
            // The folder quoted for sh -c: unquoted, git would get "/workspaces/My" and "App".
            #"postStartCommand "git config --global --add safe.directory '/workspaces/My App'""#,
            #"postAttachCommand { "status" = "git status --short" }"#,
            #"waitFor onCreateCommand"#,
        ],
        "legacy-dockerFile": [
            #"build .devcontainer/Dockerfile context ."#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"ports ["127.0.0.1:8000:8000"]"#,
            #"run_args ["--cap-add=SYS_PTRACE", "--security-opt", "seccomp=unconfined"]"#,
            #"postCreateCommand "pip install -r requirements.txt""#,
            #"waitFor updateContentCommand"#,
            #"warning 6:2 "settings" is not supported: editor settings (VS Code); devenv has no editor and leaves them alone"#,
            #"warning 7:2 "extensions" is not supported: editor extensions (VS Code); devenv has no editor and leaves them alone"#,
            #"warning 11:2 "remoteUser" is not used: devenv runs the container as your own UID:GID (it syncs the user itself, as updateRemoteUserUID would), so files in the workspace stay yours"#,
        ],
        "gpu-ml": [
            #"image nvcr.io/nvidia/pytorch:24.01-py3"#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"env NVIDIA_VISIBLE_DEVICES=all"#,
            #"run_args ["--gpus", "all", "--shm-size", "8g", "--ipc=host"]"#,
            #"gpu optional"#,
            #"postCreateCommand "pip install -r requirements.txt""#,
            #"waitFor updateContentCommand"#,
            #"warning 4:44 "hostRequirements.cpus" is not checked by devenv"#,
            #"warning 4:55 "hostRequirements.memory" is not checked by devenv"#,
            #"warning 7:3 "features" is not supported: features are install scripts fetched from registries; install these tools in the Dockerfile instead (left out: ghcr.io/devcontainers/features/nvidia-cuda:1)"#,
        ],
        "workspace-mount-volumes": [
            #"build .devcontainer/Dockerfile context .devcontainer"#,
            #"workspace /home/nonroot/workspace mounted true"#,
            #"user host"#,
            #"command ["sleep", "infinity"]"#,
            #"env USER=nonroot"#,
            #"volume cache=/home/nonroot/.cache"#,
            #"volume config=/home/nonroot/.config"#,
            #"tmpfs ["/tmp"]"#,
            #"warning 6:3 "remoteUser" is not used: devenv runs the container as your own UID:GID (it syncs the user itself, as updateRemoteUserUID would), so files in the workspace stay yours"#,
            #"warning 9:5 volume "cache" becomes devenv's labelled volume for this environment (role "cache"), not a volume shared with other containers"#,
            #"warning 10:5 volume "config" becomes devenv's labelled volume for this environment (role "config"), not a volume shared with other containers"#,
        ],
        "assorted": [
            #"build .devcontainer/Dockerfile context .devcontainer"#,
            #"cache_from ["ghcr.io/example/app:devcontainer"]"#,
            #"workspace /workspaces/My App mounted true"#,
            #"user host"#,
            #"command (image's)"#,
            #"run_args ["--privileged", "--security-opt", "seccomp=unconfined"]"#,
            #"cap_add ["SYS_PTRACE"]"#,
            #"gpu required"#,
            #"warning 6:17 "privileged": --privileged gives the container every capability and the host's devices"#,
            #"warning 9:3 "userEnvProbe" is not supported: devenv does not probe a login shell; set the variables in containerEnv or remoteEnv"#,
            #"warning 10:3 "secrets" is not supported: put secrets in the profile's env_file (not committed)"#,
            #"warning 11:3 "shutdownAction" is not supported: devenv leaves the container running until `devenv down`"#,
            #"warning 12:25 "hostRequirements.gpu": cores is not checked by devenv; it asks for all GPUs (--gpus all)"#,
            #"warning 13:3 "remote.containers.copyGitConfig" is not a devcontainer.json property devenv knows; it is not used"#,
            #"warning 15:23 "postStartCommand" is empty; nothing runs for it"#,
        ],
    ]
}
