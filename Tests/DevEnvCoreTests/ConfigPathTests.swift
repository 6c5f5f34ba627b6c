@testable import DevEnvCore
import Testing
import TestSupport

@Suite struct ConfigPathTests {
    @Test(arguments: [
        ("/a/./b/../c", "/a/c"), ("a/../../x", "../x"), ("", "."), (".", "."), ("/", "/"), ("/..", "/"),
        ("//a//b/", "/a/b"), ("../..", "../.."), ("a/b/..", "a"), ("/home/dév/ü.toml", "/home/dév/ü.toml"),
        ("x/.../y", "x/.../y"),
    ])
    func normalize(path: String, expected: String) {
        #expect(ConfigPath.normalize(path) == expected)
    }

    /// The one-pass `normalize` (issue 14) against the split-and-join it replaced, on paths
    /// made of the parts that matter: `.`, `..`, `...`, empty components, non-ASCII names.
    @Test func normalizeAgreesWithSplitAndJoin() {
        func reference(_ path: String) -> String {
            let absolute = path.hasPrefix("/")
            var parts: [Substring] = []
            for part in path.split(separator: "/") {
                if part == "." { continue }
                if part == ".." {
                    if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append(part) }
                } else {
                    parts.append(part)
                }
            }
            let joined = (absolute ? "/" : "") + parts.joined(separator: "/")
            return joined.isEmpty ? "." : joined
        }
        let pieces = ["a", "bc", ".", "..", "...", "", "dév", "x.y", ".a", "a."]
        var random = SplitMix64(seed: 0x5EED_0014)
        for _ in 0..<5000 {
            let count = random.below(7)
            var path = random.below(2) == 0 ? "/" : ""
            path += (0..<count).map { _ in pieces[random.below(pieces.count)] }.joined(separator: "/")
            if random.below(4) == 0 { path += "/" }
            #expect(ConfigPath.normalize(path) == reference(path), "\(path)")
        }
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
