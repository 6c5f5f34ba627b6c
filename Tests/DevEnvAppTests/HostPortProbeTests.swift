import DevEnvCore
import DevEnvSystem
import Foundation
import Testing
import TestSupport

/// The host side of up's port check, on this machine's real sockets.
@Suite struct HostPortProbeTests {
    @Test func aListenerHoldsThePortAConnectionInTimeWaitDoesNot() throws {
        let port = HostPorts.free(1)[0]
        let mapping = PortMapping(hostIP: "127.0.0.1", hostPort: port, containerPort: port)
        let listener = try HostPorts.Listener(port: port, reuseAddress: true)
        #expect(HostPortProbe.holder(of: mapping) != nil, "a listener on 127.0.0.1:\(port)")

        // A connection the listening side closes first leaves TIME_WAIT on that port (as a
        // removed container's docker-proxy does after serving a request; it listens with
        // SO_REUSEADDR, which its connections keep in TIME_WAIT).
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        let accepted = listener.acceptOne()
        #expect(accepted >= 0)
        close(accepted)
        listener.close()
        var byte: UInt8 = 0
        _ = read(client, &byte, 1)  // the server's FIN
        close(client)
        #expect(HostPortProbe.holder(of: mapping) == nil, "only a TIME_WAIT connection is left on \(port)")
    }
}
