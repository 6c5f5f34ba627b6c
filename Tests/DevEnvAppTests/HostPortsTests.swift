import Foundation
import Testing
@testable import TestSupport

/// The tests' host ports are kept apart across test processes too (two engineers' runs, CI
/// beside them, on one machine and one engine): a port one process handed out is locked in
/// `HostPorts.reservationFile` until it ends. Another process here is python3, whose
/// `fcntl.lockf` takes the same POSIX record locks.
@Suite struct HostPortsTests {
    /// Runs a python3 child that tries `lockf` on `port`'s byte of the reservation file, says
    /// "held" or "refused", and, when it holds it, keeps it until its stdin closes.
    final class OtherProcess {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        let answer: String

        init(locking port: Int) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import fcntl, os, sys
                fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
                try:
                    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, int(sys.argv[2]), 0)
                except OSError:
                    print("refused", flush=True)
                    sys.exit(0)
                print("held", flush=True)
                sys.stdin.read()
                """, HostPorts.reservationFile, String(port)]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            // One line, then (held) nothing until stdin closes: read up to the newline.
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
                line.append(byte)
            }
            answer = String(decoding: line, as: UTF8.self)
        }

        func end() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    @Test("a port this process handed out is refused to another process")
    func aHandedOutPortIsHeldAgainstOthers() throws {
        let port = HostPorts.free(1)[0]
        let other = try OtherProcess(locking: port)
        defer { other.end() }
        #expect(other.answer == "refused", "another process could take \(port): \(other.answer)")
    }

    @Test("a port another process holds is not reserved here until that process ends")
    func aPortHeldElsewhereIsRefusedHere() throws {
        // Below the range `free` hands out, so no other test here holds it; a port the same
        // test of another run holds right now is passed over.
        var port = 0
        var other: OtherProcess?
        for _ in 0..<20 where other == nil {
            port = Int.random(in: 10000..<HostPorts.range.lowerBound)
            let tried = try OtherProcess(locking: port)
            if tried.answer == "held" { other = tried } else { tried.end() }
        }
        let holder = try #require(other, "no other process could take a port")
        #expect(!HostPorts.reserveAcrossProcesses(port))
        holder.end()
        #expect(HostPorts.reserveAcrossProcesses(port))
    }
}
