import DevEnvCore
@testable import DevEnvSystem
import Foundation
import Testing

/// `SystemEnvironment.variables` against Foundation's reading of the same environment, and on
/// entries of its own. No setenv: the test process's environment is read by every thread (other
/// tests spawn children with it, Foundation reads it), and glibc's setenv and unsetenv move its
/// entries under a reader's feet.
@Suite struct SystemEnvironmentTests {
    @Test func variablesAreTheProcessEnvironment() {
        #expect(SystemEnvironment.variables() == ProcessInfo.processInfo.environment)
    }

    /// cachebreak27: the configuration cache's key holds whom file permissions are checked for;
    /// the kernel's own account of this process (/proc/self/status: Uid, Gid, Groups, CapEff)
    /// says the same effective user, group, groups and capabilities.
    @Test func credentialsAreWhatTheKernelSays() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        func numbers(_ field: String) -> [UInt32] {
            let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
            return line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) }
        }
        let uids = numbers("Uid"), gids = numbers("Gid")
        try #require(uids.count == 4 && gids.count == 4)
        let credentials = SystemEnvironment.credentials()
        // Real, effective, saved, file system: the effective ones are the second.
        #expect(Array(credentials.prefix(2)) == [uids[1], gids[1]])
        #expect(Array(credentials.dropFirst(2).dropLast(2)) == numbers("Groups").sorted())
        let capabilities = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
            .flatMap { UInt64($0.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
        #expect(Array(credentials.suffix(2)) == capabilities.map { [UInt32($0 >> 32), UInt32($0 & 0xffff_ffff)] })
    }

    @Test func entriesSplitAtTheFirstEqualsSign() {
        let entries = ["DEVENV_TEST_EQUALS=a=b==c", "DEVENV_TEST_EMPTY=", "DEVENV_TEST_TEXT=é ü 日本", "NO_EQUALS_SIGN",
                       "REPEATED=first", "REPEATED=last"]
        let pointers: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let variables = pointers.withUnsafeBufferPointer { SystemEnvironment.variables($0.baseAddress!) }
        // A value keeps every '=' after the first; an empty value is a value; the last of
        // repeated names wins; an entry without '=' is no variable.
        #expect(variables == ["DEVENV_TEST_EQUALS": "a=b==c", "DEVENV_TEST_EMPTY": "", "DEVENV_TEST_TEXT": "é ü 日本",
                              "REPEATED": "last"])
    }

    /// break22: a variable whose bytes are not UTF-8 (DOCKER_HOST=unix:///tmp/\xe9/d.sock) was
    /// passed on with U+FFFD in their place: docker then looked for another socket ("no Docker
    /// engine answers"), though docker itself, run by hand, reached it.
    @Test func entriesThatAreNotUTF8AreKeptByteForByteAndReachTheChildUnchanged() throws {
        let raw: [[UInt8]] = [Array("DEVENV_TEST_LATIN=/tmp/caf".utf8) + [0xE9] + Array("/d.sock".utf8),
                              Array("DEVENV_TEST_TEXT=é".utf8)]
        let pointers: [UnsafeMutablePointer<CChar>?] = raw.map { bytes in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (k, byte) in bytes.enumerated() { copy[k] = CChar(bitPattern: byte) }
            copy[bytes.count] = 0
            return copy
        } + [nil]
        defer { pointers.forEach { $0?.deallocate() } }
        let variables = pointers.withUnsafeBufferPointer { SystemEnvironment.variables($0.baseAddress!) }
        let verbatim = pointers.withUnsafeBufferPointer { SystemEnvironment.verbatim($0.baseAddress!) }
        #expect(variables["DEVENV_TEST_LATIN"] == "/tmp/caf\u{FFFD}/d.sock")
        #expect(Array(verbatim.keys) == ["DEVENV_TEST_LATIN"])
        #expect(verbatim["DEVENV_TEST_LATIN"]?.entry == raw[0])
        // A child inheriting it gets the original bytes; one given another value gets that.
        var runner = PosixProcessRunner(environment: variables.merging(["PATH": "/usr/bin:/bin"]) { _, new in new })
        runner.verbatim = verbatim
        let inherited = try runner.run(ProcessInvocation(["sh", "-c", #"printf %s "$DEVENV_TEST_LATIN""#]))
        #expect(inherited.stdout == Array(raw[0].dropFirst("DEVENV_TEST_LATIN=".count)))
        let replaced = try runner.run(ProcessInvocation(["sh", "-c", #"printf %s "$DEVENV_TEST_LATIN""#],
                                                        environment: ["DEVENV_TEST_LATIN": "/other"]))
        #expect(replaced.stdoutText == "/other")
    }

    /// ASCII entries are taken as UTF-8 without decoding (issue 14: this runs before status's
    /// docker call); the rules stay: a valid later entry of a name drops an earlier invalid
    /// one, an invalid later one replaces a valid earlier one, valid non-ASCII is not verbatim.
    @Test func verbatimKeepsTheLastEntryOfANameAndOnlyInvalidOnes() throws {
        let latin = Array("A=caf".utf8) + [0xE9]
        let raw: [[UInt8]] = [latin, Array("A=plain".utf8), Array("B=ok".utf8), Array("B=x".utf8) + [0xFF],
                              Array("C=é".utf8), Array("NOEQUALS".utf8) + [0xFE]]
        let pointers: [UnsafeMutablePointer<CChar>?] = raw.map { bytes in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (k, byte) in bytes.enumerated() { copy[k] = CChar(bitPattern: byte) }
            copy[bytes.count] = 0
            return copy
        } + [nil]
        defer { pointers.forEach { $0?.deallocate() } }
        let verbatim = pointers.withUnsafeBufferPointer { SystemEnvironment.verbatim($0.baseAddress!) }
        #expect(verbatim.keys.sorted() == ["B"])
        #expect(verbatim["B"]?.entry == raw[3])
        #expect(verbatim["B"]?.value == "x\u{FFFD}")
    }
}
