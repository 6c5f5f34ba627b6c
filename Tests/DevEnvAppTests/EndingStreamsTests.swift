import DevEnvCore
@testable import DevEnvSystem
import Foundation
import Testing

/// dash30: quitting the dashboard while docker 28's `stats` streamed took a second after the
/// terminal was back: the stream ignores SIGTERM, and quitting waited for its SIGKILL.
@Suite struct EndingStreamsTests {
    /// A stream that ignores SIGTERM, once it has said so.
    static func stubbornStream() throws -> BackgroundProcess {
        let process = try BackgroundProcess(ProcessInvocation(["sh", "-c", "trap '' TERM INT; echo ready; exec sleep 100"]),
                                            baseEnvironment: ["PATH": "/usr/bin:/bin"])
        var said = ""
        let deadline = Date().addingTimeInterval(30)
        while !said.contains("ready"), Date() < deadline {
            if case .bytes(let bytes) = process.read() { said += String(decoding: bytes, as: UTF8.self) } else { usleep(2000) }
        }
        try #require(said.contains("ready"), "the stream did not start within 30 s")
        return process
    }

    /// With a grace no wait would outlast, only `endNow` can end the stream within the wait:
    /// without it (quitting as before) the wait gives up and the child still runs.
    @Test func endNowEndsAStreamThatIgnoresSIGTERMWithoutItsGrace() throws {
        let process = try Self.stubbornStream()
        let pid = process.pid
        let ending = EndingStreams(grace: 3600)
        process.closeAside(counting: ending)
        ending.endNow()
        #expect(ending.wait(seconds: 30), "the stream was not ended and reaped within 30 s")
        #expect(kill(pid, 0) != 0)
    }

    /// A stream ended after `endNow` (a quit under way) gets no grace either.
    @Test func aStreamEndedAfterEndNowGetsNoGrace() throws {
        let ending = EndingStreams(grace: 3600)
        ending.endNow()
        let process = try Self.stubbornStream()
        let pid = process.pid
        process.closeAside(counting: ending)
        #expect(ending.wait(seconds: 30), "the stream was not ended and reaped within 30 s")
        #expect(kill(pid, 0) != 0)
    }

    /// Without `endNow`, the grace: a stream that ignores SIGTERM is killed once it has passed.
    @Test func aStreamThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let process = try Self.stubbornStream()
        let pid = process.pid
        let ending = EndingStreams(grace: 0.05)
        process.closeAside(counting: ending)
        #expect(ending.wait(seconds: 30), "the stream was not ended and reaped within 30 s")
        #expect(kill(pid, 0) != 0)
    }
}
