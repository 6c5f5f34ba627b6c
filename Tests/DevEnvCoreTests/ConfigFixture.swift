import DevEnvCore
import TestSupport

/// A project at /home/ada/src/My App with an installed devenv at /opt/devenv, whose shipped
/// profiles are small, known files (the real ones are tested in ConfigShippedProfilesTests).
enum ConfigFixture {
    static let executable = "/opt/devenv/bin/devenv"
    static let shipped = "/opt/devenv/share/devenv/profiles"
    static let project = "/home/ada/src/My App"
    static let environment: HostEnvironment = ["HOME": "/home/ada"]

    static let shippedDev = """
        target = "dev"
        user = "host"
        ports = ["8000:8000"]
        command = ["sleep", "infinity"]

        [env]
        DEBUG = "1"
        LOG_LEVEL = "DEBUG"

        [volumes]
        venv = "/venv"
        """
    static let shippedProd = """
        target = "prod"
        user = "image"
        read_only = true
        mount_workspace = false
        """

    static func fileSystem(_ projectFiles: [String: String] = [:], other: [String: String] = [:]) -> InMemoryFileSystem {
        let fs = InMemoryFileSystem()
        fs.addFile(executable, "binary")
        fs.addFile("\(shipped)/dev.toml", shippedDev)
        fs.addFile("\(shipped)/prod.toml", shippedProd)
        fs.addDirectory(project)
        for (path, text) in projectFiles { fs.addFile("\(project)/\(path)", text) }
        for (path, text) in other { fs.addFile(path, text) }
        return fs
    }

    static func evaluate(_ fs: InMemoryFileSystem, profile: String? = nil,
                         environment: HostEnvironment = environment) -> ConfigLoader.Evaluation {
        ConfigLoader.evaluate(projectDirectory: project, profile: profile, executablePath: executable,
                              environment: environment, fileSystem: fs)
    }

    static func location(_ file: String, _ line: Int, _ column: Int) -> ConfigOrigin {
        .file(SourceLocation(file: file, line: line, column: column))
    }
}
