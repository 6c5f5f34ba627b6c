import DevEnvCore
import Testing
import TestSupport

@Suite("Watched files")
struct WatchedFilesTests {
    @Test("folders of the files and the profile folders, once each; only absolute paths")
    func folders() {
        let watched = WatchedFiles(files: ["/p/devenv.toml", "/p/Dockerfile", "/p/docker/Dockerfile.dev", "/p//./.env.dev",
                                           "relative/file"],
                                   profileFolders: ["/home/ada/.config/devenv/profiles/", "/p/.devenv/profiles"])
        #expect(watched.folders == ["/home/ada/.config/devenv/profiles", "/p", "/p/.devenv/profiles", "/p/docker"])
        #expect(watched.files.contains("/p/.env.dev"))
        #expect(!watched.files.contains { !$0.hasPrefix("/") })
    }

    @Test("a change matters when it is a watched file, or a .toml in a profile folder")
    func relevant() {
        let watched = WatchedFiles(files: ["/p/devenv.toml", "/p/Dockerfile", "/p/uv.lock"],
                                   profileFolders: ["/p/.devenv/profiles"])
        let changed = ["/p/Dockerfile", "/p/.Dockerfile.swp", "/p/Dockerfile~", "/p/4913", "/p/Dockerfile",
                       "/p/.devenv/profiles/staging.toml", "/p/.devenv/profiles/notes.txt", "/p/src/app.py", "/p/uv.lock"]
        #expect(watched.relevant(changed) == ["/p/Dockerfile", "/p/.devenv/profiles/staging.toml", "/p/uv.lock"])
        #expect(watched.relevant([]) == [])
        #expect(WatchedFiles.parent("/Dockerfile") == "/")
    }
}

@Suite("Watched files: files not there yet")
struct WatchedFilesAbsentTests {
    static let watched = WatchedFiles(files: ["/p/devenv.toml", "/p/.devcontainer/devcontainer.json", "/p/docker/Dockerfile.dev"],
                                      profileFolders: ["/p/.devenv/profiles"],
                                      inSubfolders: [.init(folder: "/p/.devcontainer", name: "devcontainer.json")])

    @Test("a file in any subfolder counts; a folder on the way to a watched one counts (made, removed, renamed)")
    func relevant() {
        let changed = ["/p/.devcontainer/web/devcontainer.json", "/p/.devcontainer/web/notes.md", "/p/.devcontainer/web/x/devcontainer.json",
                       "/p/docker", "/p/.devenv", "/p/.devcontainer", "/p/src", "/p/.devcontainer/post-create.sh",
                       "/p/.devcontainer/api"]
        let folders: Set<String> = ["/p/.devcontainer/api"]
        #expect(Self.watched.relevant(changed, isFolder: folders.contains)
                == ["/p/.devcontainer/web/devcontainer.json", "/p/docker", "/p/.devenv", "/p/.devcontainer", "/p/.devcontainer/api"])
        // Without telling which entries are folders, an entry of .devcontainer is not one.
        #expect(Self.watched.relevant(["/p/.devcontainer/api"]) == [])
    }

    @Test("what a folder just watched brought with it: its watched files, profile files, devcontainer.json of subfolders")
    func present() {
        let fileSystem = InMemoryFileSystem(["/p/.devcontainer/devcontainer.json": "{}", "/p/.devcontainer/web/devcontainer.json": "{}",
                                             "/p/.devcontainer/web/notes.md": "", "/p/.devcontainer/Dockerfile": "",
                                             "/p/.devenv/profiles/staging.toml": "", "/p/.devenv/profiles/notes.txt": "",
                                             "/p/docker/Dockerfile.dev": "", "/p/docker/other": ""])
        #expect(Self.watched.present(in: "/p/.devcontainer", fileSystem: fileSystem)
                == ["/p/.devcontainer/devcontainer.json", "/p/.devcontainer/web/devcontainer.json"])
        #expect(Self.watched.present(in: "/p/.devcontainer/web", fileSystem: fileSystem) == ["/p/.devcontainer/web/devcontainer.json"])
        #expect(Self.watched.present(in: "/p/.devenv/profiles", fileSystem: fileSystem) == ["/p/.devenv/profiles/staging.toml"])
        #expect(Self.watched.present(in: "/p/docker", fileSystem: fileSystem) == ["/p/docker/Dockerfile.dev"])
        #expect(Self.watched.present(in: "/p", fileSystem: fileSystem) == [], "devenv.toml is not there")
    }

    @Test("the folders to watch: wanted ones present or not, and each existing subfolder of a subfolder-wide one")
    func foldersToWatch() throws {
        let fileSystem = InMemoryFileSystem(["/p/.devcontainer/devcontainer.json": "{}", "/p/.devcontainer/web/devcontainer.json": "{}"])
        fileSystem.addDirectory("/p/.devcontainer/api")
        #expect(Self.watched.folders == ["/p", "/p/.devcontainer", "/p/.devenv/profiles", "/p/docker"])
        #expect(Self.watched.folders(fileSystem: fileSystem)
                == ["/p", "/p/.devcontainer", "/p/.devcontainer/api", "/p/.devcontainer/web", "/p/.devenv/profiles", "/p/docker"])
    }
}
