import DevEnvCore
import Testing

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
