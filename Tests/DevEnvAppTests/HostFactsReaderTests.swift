@testable import DevEnvSystem
import Foundation
import Testing

/// `HostFactsReader.localAccount` against passwd files written here.
@Suite struct HostFactsReaderTests {
    private func withPasswd(_ text: String, _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-passwd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try body(path)
    }

    @Test func findsTheAccountByUID() throws {
        let text = """
            root:x:0:0:root:/root:/bin/bash
            # not an entry
            short:x:1001
            dev:x:1000:1000:Dev Éloïse,,,:/home/dév:/bin/zsh
            padded:x:01002:100::/home/padded:/bin/sh
            noshell:x:1003:100::/home/noshell
            last:x:1004:100::/home/last:/bin/sh
            """
        try withPasswd(text) { path in
            #expect(HostFactsReader.localAccount(0, passwd: path)! == ("root", "/root"))
            #expect(HostFactsReader.localAccount(1000, passwd: path)! == ("dev", "/home/dév"))
            // A UID with leading zeros is the same number; a line without a shell has no newline in its home.
            #expect(HostFactsReader.localAccount(1002, passwd: path)! == ("padded", "/home/padded"))
            #expect(HostFactsReader.localAccount(1003, passwd: path)! == ("noshell", "/home/noshell"))
            // The last line has no newline at all.
            #expect(HostFactsReader.localAccount(1004, passwd: path)! == ("last", "/home/last"))
            #expect(HostFactsReader.localAccount(1001, passwd: path) == nil)
            #expect(HostFactsReader.localAccount(4242, passwd: path) == nil)
        }
        #expect(HostFactsReader.localAccount(0, passwd: "/nonexistent/passwd") == nil)
    }
}
