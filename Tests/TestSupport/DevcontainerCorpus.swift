/// devcontainer.json files written for the tests in the shapes public Python repositories use
/// (the devcontainers templates with features and editor settings, Docker Compose setups,
/// builds from the parent folder, home-folder mounts, port attributes, object-form lifecycle
/// commands, GPU projects, the older vscode-dev-containers spellings). Written here, not
/// copied. The images they name are never pulled: `DevcontainerCorpusTests` only loads them,
/// and `DevcontainerCorpusEngineTests` runs them with the local test images instead.
public enum DevcontainerCorpus {
    public struct Entry: Sendable {
        public var name: String
        /// Where the file is, in the project.
        public var path: String
        public var json: String
        /// Other files of the project (a Dockerfile the build names).
        public var files: [String: String] = [:]
    }

    public static let entries: [Entry] = [
        Entry(name: "template-image-features", path: ".devcontainer/devcontainer.json", json: """
            // For format details, see the dev container specification.
            {
            \t"name": "Python 3",
            \t// A ready image; the features add tools to it.
            \t"image": "mcr.microsoft.com/devcontainers/python:1-3.12-bookworm",
            \t"features": {
            \t\t"ghcr.io/devcontainers/features/node:1": { "version": "lts", "nodeGypDependencies": true },
            \t\t"ghcr.io/devcontainers-contrib/features/poetry:2": {},
            \t},
            \t"forwardPorts": [8000],
            \t"postCreateCommand": "pip3 install --user -r requirements.txt",
            \t"customizations": {
            \t\t"vscode": {
            \t\t\t"settings": { "python.defaultInterpreterPath": "/usr/local/bin/python" },
            \t\t\t"extensions": ["ms-python.python", "charliermarsh.ruff"]
            \t\t}
            \t},
            \t// "remoteUser": "root"
            \t"remoteUser": "vscode"
            }
            """),
        Entry(name: "compose-only", path: ".devcontainer/devcontainer.json", json: """
            {
                "name": "api + db",
                "dockerComposeFile": ["../docker-compose.yml", "docker-compose.extend.yml"],
                "service": "api",
                "runServices": ["api", "db"],
                "workspaceFolder": "/workspaces/${localWorkspaceFolderBasename}",
                "shutdownAction": "stopCompose",
                "forwardPorts": [8000, "db:5432"],
                "postCreateCommand": "pip install -e ."
            }
            """),
        Entry(name: "build-from-parent", path: ".devcontainer/devcontainer.json", json: """
            {
              "name": "service (Dockerfile in the repository root)",
              "build": {
                // The context is one level up from this folder.
                "context": "..",
                "dockerfile": "../Dockerfile",
                "target": "dev",
                "args": { "PYTHON_VERSION": "3.12", "USERNAME": "vscode" },
                "options": ["--platform=linux/amd64"]
              },
              "runArgs": ["--init", "--network=host", "--platform", "linux/amd64", "-e", "PYTHONDONTWRITEBYTECODE=1"],
              "containerUser": "vscode",
              "updateRemoteUserUID": true
            }
            """, files: ["Dockerfile": "FROM python:3.12-slim AS dev\n"]),
        Entry(name: "home-mounts", path: ".devcontainer.json", json: """
            {
              "image": "mcr.microsoft.com/devcontainers/python:3.11",
              "containerEnv": { "SSH_AUTH_SOCK": "/ssh-agent" },
              "remoteEnv": {
                "PATH": "${containerEnv:PATH}:/home/vscode/.local/bin",
                "LOCAL_WORKSPACE_FOLDER": "${localWorkspaceFolder}"
              },
              "mounts": [
                "source=${localEnv:HOME}/.ssh,target=/home/vscode/.ssh,type=bind,readonly",
                "source=${localEnv:HOME}${localEnv:USERPROFILE}/.aws,target=/home/vscode/.aws,type=bind,consistency=cached",
                "source=/var/run/docker.sock,target=/var/run/docker-host.sock,type=bind",
                { "source": "pip-cache", "target": "/home/vscode/.cache/pip", "type": "volume" }
              ]
            }
            """),
        Entry(name: "ports-attributes", path: ".devcontainer/devcontainer.json", json: """
            {
              "image": "mcr.microsoft.com/devcontainers/python:3.12",
              "forwardPorts": [8000, 5678, 8888],
              "appPort": "9000:9000",
              "portsAttributes": {
                "8000": { "label": "API", "onAutoForward": "notify" },
                "5678": { "label": "debugpy", "onAutoForward": "silent" },
                "8888": { "label": "Jupyter", "requireLocalPort": true }
              },
              "otherPortsAttributes": { "onAutoForward": "ignore" }
            }
            """),
        Entry(name: "lifecycle-objects", path: ".devcontainer/devcontainer.json", json: """
            {
              "image": "mcr.microsoft.com/devcontainers/python:3.12",
              "initializeCommand": "mkdir -p ${localEnv:HOME}/.cache/devcontainer",
              "onCreateCommand": {
                "deps": "pip install -e .[dev]",
                "hooks": ["pre-commit", "install", "--install-hooks"],
              },
              "updateContentCommand": "pip install -e .",
              "postCreateCommand": ["bash", ".devcontainer/setup.sh"],
              "postStartCommand": "git config --global --add safe.directory ${containerWorkspaceFolder}",
              "postAttachCommand": { "status": "git status --short" },
              "waitFor": "onCreateCommand",
            }
            """),
        Entry(name: "legacy-dockerFile", path: ".devcontainer/devcontainer.json", json: """
            // The older vscode-dev-containers spellings.
            {
            \t"name": "Python 3",
            \t"dockerFile": "Dockerfile",
            \t"context": "..",
            \t"settings": { "terminal.integrated.shell.linux": "/bin/bash" },
            \t"extensions": ["ms-python.python"],
            \t"appPort": [8000],
            \t"runArgs": ["--cap-add=SYS_PTRACE", "--security-opt", "seccomp=unconfined"],
            \t"postCreateCommand": "pip install -r requirements.txt",
            \t"remoteUser": "vscode",
            }
            """, files: [".devcontainer/Dockerfile": "FROM python:3\n"]),
        Entry(name: "gpu-ml", path: ".devcontainer/devcontainer.json", json: """
            {
              "name": "training",
              "image": "nvcr.io/nvidia/pytorch:24.01-py3",
              "hostRequirements": { "gpu": "optional", "cpus": 4, "memory": "16gb" },
              "runArgs": ["--gpus", "all", "--shm-size", "8g", "--ipc=host"],
              "containerEnv": { "NVIDIA_VISIBLE_DEVICES": "all" },
              "features": { "ghcr.io/devcontainers/features/nvidia-cuda:1": { "installCudnn": true } },
              "postCreateCommand": "pip install -r requirements.txt"
            }
            """),
        Entry(name: "workspace-mount-volumes", path: ".devcontainer/devcontainer.json", json: """
            {
              "name": "${localWorkspaceFolderBasename} devcontainer",
              "build": { "dockerfile": "Dockerfile" },
              "workspaceMount": "source=${localWorkspaceFolder},target=/home/nonroot/workspace,type=bind,consistency=cached",
              "workspaceFolder": "/home/nonroot/workspace",
              "remoteUser": "nonroot",
              "remoteEnv": { "USER": "nonroot" },
              "mounts": [
                { "source": "cache", "target": "/home/nonroot/.cache", "type": "volume" },
                { "source": "config", "target": "/home/nonroot/.config", "type": "volume" },
                { "type": "tmpfs", "target": "/tmp" }
              ],
              "init": true
            }
            """, files: [".devcontainer/Dockerfile": "FROM debian:bookworm\n"]),
        Entry(name: "assorted", path: ".devcontainer/devcontainer.json", json: """
            {
              "$schema": "../schemas/devContainer.schema.json",
              "name": "assorted",
              "build": { "dockerfile": "Dockerfile", "cacheFrom": ["ghcr.io/example/app:devcontainer"] },
              "overrideCommand": false,
              "privileged": true,
              "capAdd": ["SYS_PTRACE"],
              "securityOpt": ["seccomp=unconfined"],
              "userEnvProbe": "loginInteractiveShell",
              "secrets": { "OPENAI_API_KEY": { "description": "for the examples" } },
              "shutdownAction": "none",
              "hostRequirements": { "gpu": { "cores": 2 } },
              "remote.containers.copyGitConfig": true,
              "runArgs": [],
              "postStartCommand": ""
            }
            """, files: [".devcontainer/Dockerfile": #"FROM python:3.12\#nCMD ["python", "-m", "http.server"]\#n"#]),
    ]
}
