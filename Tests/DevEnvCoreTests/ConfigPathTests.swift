@testable import DevEnvCore
import Testing

@Suite struct ConfigPathTests {
    @Test(arguments: [
        ("/a/./b/../c", "/a/c"), ("a/../../x", "../x"), ("", "."), (".", "."), ("/", "/"), ("/..", "/"),
        ("//a//b/", "/a/b"), ("../..", "../.."), ("a/b/..", "a"), ("/home/dév/ü.toml", "/home/dév/ü.toml"),
        ("x/.../y", "x/.../y"),
    ])
    func normalize(path: String, expected: String) {
        #expect(ConfigPath.normalize(path) == expected)
    }

    @Test func joinParentAndLastComponent() {
        #expect(ConfigPath.join("/p", "../share/devenv") == "/share/devenv")
        #expect(ConfigPath.join("/p", "/abs/./x") == "/abs/x")
        #expect(ConfigPath.parent("/p/devenv.toml") == "/p")
        #expect(ConfigPath.parent("/p") == "/")
        #expect(ConfigPath.parent("p") == ".")
        #expect(ConfigPath.lastComponent("/p/q/") == "q")
    }
}
