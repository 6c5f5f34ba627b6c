import DevEnvCore
import Testing
import TestSupport

/// The one program-search rule (`ProgramSearch`, execvp's): the file the engine is judged from
/// is the file the runner runs (cachebreak28: two rules disagreed).
@Suite struct ProgramSearchTests {
    static let podmanShim = "#!/bin/sh\nexec /usr/bin/podman \"$@\"\n"

    /// A mode-644 `docker` early on PATH is passed over, as execvp passes over what it may not
    /// execute: the engine is judged from the docker that runs. Before, the judgement took the
    /// first regular file (a Podman shim someone forgot to chmod: Podman) and the runner the
    /// next executable one (Docker's CLI): `status` failed, `up --dry-run` planned for Podman.
    @Test func aFileThatCannotBeExecutedIsPassedOverByEveryone() {
        let files = InMemoryFileSystem()
        files.addFile("/home/ada/bin/docker", Self.podmanShim)
        files.addFile("/usr/bin/docker", "\u{7F}ELF binary", mode: 0o755)
        let path = "/home/ada/bin:/usr/bin"
        #expect(ProgramSearch.locate("docker", path: path, fileSystem: files) == .found("/usr/bin/docker"))
        #expect(EngineKind.of(cli: "docker", searchPath: path, fileSystem: files) == .docker)
        // Executable, it is the one: both say so.
        files.setPermissions("/home/ada/bin/docker", 0o755)
        #expect(ProgramSearch.locate("docker", path: path, fileSystem: files) == .found("/home/ada/bin/docker"))
        #expect(EngineKind.of(cli: "docker", searchPath: path, fileSystem: files) == .podman)
    }

    /// Nothing runs: what was passed over is named, and the error says it (execvp: EACCES, not
    /// ENOENT). A folder named like the program is passed over too (execve refuses it).
    @Test func nothingToRunNamesWhatWasPassedOver() {
        let files = InMemoryFileSystem()
        files.addDirectory("/opt/docker")
        files.addFile("/home/ada/bin/docker", Self.podmanShim)
        #expect(ProgramSearch.locate("docker", path: "/opt:/home/ada/bin", fileSystem: files) == .notFound(passedOver: "/opt/docker"))
        #expect(ProgramSearch.locate("docker", path: "/nowhere:/home/ada/bin", fileSystem: files) == .notFound(passedOver: "/home/ada/bin/docker"))
        #expect(ProgramSearch.locate("docker", path: "/nowhere", fileSystem: files) == .notFound(passedOver: nil))
        #expect(EngineKind.of(cli: "docker", searchPath: "/home/ada/bin", fileSystem: files) == .docker)
        let error = ProgramSearch.notFoundError("docker", passedOver: "/home/ada/bin/docker")
        #expect(error.message == "docker: command not found")
        #expect(error.detail?.contains("/home/ada/bin/docker is there but is not a file devenv may execute") == true, "\(error)")
        #expect(error.hint?.contains("chmod +x") == true)
        #expect(ProgramSearch.notFoundError("docker", passedOver: nil).detail == nil)
    }

    /// POSIX (XBD 8.3): a zero-length PATH entry (`::`, a leading or trailing ':', or PATH set
    /// but empty) is the current working directory, as `.` is. Before, the runner skipped it
    /// while the judgement took it, so a Podman wrapper named `docker` in the current folder made
    /// devenv plan for Podman and run Docker.
    @Test(arguments: [":/usr/bin", "/nowhere::/usr/bin", ".:/usr/bin", "", ":"])
    func anEmptyEntryIsTheCurrentFolder(path: String) {
        let files = InMemoryFileSystem()
        files.addFile("./docker", Self.podmanShim, mode: 0o755)
        files.addFile("/usr/bin/docker", "\u{7F}ELF binary", mode: 0o755)
        #expect(ProgramSearch.locate("docker", path: path, fileSystem: files) == .found("./docker"))
        #expect(EngineKind.of(cli: "docker", searchPath: path, fileSystem: files) == .podman)
        // A call with a working folder of its own searches from there (execvp after its chdir).
        files.addFile("/src/shop/docker", "#!/bin/sh\n", mode: 0o755)
        #expect(ProgramSearch.locate("docker", path: path, directory: "/src/shop", fileSystem: files) == .found("/src/shop/docker"))
    }

    /// A trailing ':' is an entry too, tried last; without one, the last folder ends the search.
    @Test func theEntriesAreTriedInOrder() {
        let files = InMemoryFileSystem()
        files.addFile("./docker", Self.podmanShim, mode: 0o755)
        files.addFile("/b/docker", "#!/bin/sh\n", mode: 0o755)
        #expect(ProgramSearch.locate("docker", path: "/a:/b:", fileSystem: files) == .found("/b/docker"))
        #expect(ProgramSearch.locate("docker", path: "/a:", fileSystem: files) == .found("./docker"))
        #expect(ProgramSearch.locate("docker", path: "/a", fileSystem: files) == .notFound(passedOver: nil))
        // Unset: the default path (never the current folder).
        files.addFile("/usr/local/bin/docker", "#!/bin/sh\n", mode: 0o755)
        #expect(ProgramSearch.locate("docker", path: nil, fileSystem: files) == .found("/usr/local/bin/docker"))
    }

    /// A name with a '/' is not searched; it runs only when it may be executed.
    @Test func aNameWithASlashIsThePath() {
        let files = InMemoryFileSystem()
        files.addFile("/opt/shim/docker", Self.podmanShim)
        #expect(ProgramSearch.locate("/opt/shim/docker", path: "/usr/bin", fileSystem: files) == .notFound(passedOver: "/opt/shim/docker"))
        #expect(EngineKind.of(cli: "/opt/shim/docker", searchPath: nil, fileSystem: files) == .docker)
        files.setPermissions("/opt/shim/docker", 0o755)
        #expect(ProgramSearch.locate("/opt/shim/docker", path: "/usr/bin", fileSystem: files) == .found("/opt/shim/docker"))
        files.addFile("/src/shop/bin/init.sh", "#!/bin/sh\n", mode: 0o755)
        #expect(ProgramSearch.locate("bin/init.sh", path: nil, directory: "/src/shop", fileSystem: files) == .found("/src/shop/bin/init.sh"))
        #expect(ProgramSearch.locate("", path: "/usr/bin", fileSystem: files) == .notFound(passedOver: nil))
    }
}
