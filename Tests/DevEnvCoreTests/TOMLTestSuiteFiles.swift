import Foundation

/// The cases of the public toml-test suite (TOML 1.0.0 list), when the suite is at hand:
/// $TOML_TEST_SUITE, else `../shared/toml-test` or `../../shared/toml-test` from the package root
/// (the main checkout and a worktree below it).
enum TOMLTestSuiteFiles {
    struct Case {
        var name: String
        var bytes: [UInt8]
        var isValid: Bool { name.hasPrefix("valid/") }
    }

    static let directory: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var candidates = [root.appendingPathComponent("../shared/toml-test"),
                          root.appendingPathComponent("../../shared/toml-test")]
        if let dir = ProcessInfo.processInfo.environment["TOML_TEST_SUITE"], !dir.isEmpty {
            candidates.insert(URL(fileURLWithPath: dir), at: 0)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("files-toml-1.0.0").path) }
    }()

    /// Every `.toml` case listed, in list order; empty when the suite is not there.
    static let cases: [Case] = {
        guard let directory,
              let list = try? String(contentsOf: directory.appendingPathComponent("files-toml-1.0.0"), encoding: .utf8)
        else { return [] }
        return list.split(separator: "\n").compactMap { line in
            let name = String(line)
            guard name.hasSuffix(".toml"),
                  let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
            else { return nil }
            return Case(name: name, bytes: Array(data))
        }
    }()
}
