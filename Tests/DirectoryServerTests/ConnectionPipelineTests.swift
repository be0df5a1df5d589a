@testable import DirectoryServer
import NIOCore
import Glibc
import NIOEmbedded
import Testing

@Suite("A client connection's handlers")
struct ConnectionPipelineTests {
    /// A connection with the server's handlers and an idle timeout of `idleTimeout` seconds, active.
    /// (An `EmbeddedChannel` is used from the thread that made it only: the test is synchronous.)
    private static func connection(idleTimeout: Int) throws -> (EmbeddedChannel, ClientRawWriter) {
        let channel = EmbeddedChannel()
        let (raw, _) = try ConnectionPipeline.configure(
            channel.pipeline.syncOperations, ldaps: nil, startTLS: nil, security: ConnectionSecurity(tls: false),
            maximumPDUSize: 1 << 20, requestTimeout: 0, idleTimeout: idleTimeout)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 389)).wait()
        return (channel, raw)
    }

    @Test("answers the fast path forwards count as activity for the idle timeout; a connection with no traffic is closed")
    func forwardedAnswersKeepTheConnectionOpen() throws {
        let (forwarding, raw) = try Self.connection(idleTimeout: 2)
        let (silent, _) = try Self.connection(idleTimeout: 2)
        #expect(forwarding.isActive && silent.isActive)
        // IdleStateHandler measures idleness on the wall clock and checks it when the loop's
        // (here simulated) timer fires: 1.2 s of silence, one forwarded answer (a search result
        // PDU as slapd encodes it), 1 s more, then the 2 s check.
        usleep(1_200_000)
        var pdu = ByteBuffer()
        pdu.writeBytes([0x30, 0x0C, 0x02, 0x01, 0x02, 0x65, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00])
        #expect(raw.write(pdu))
        raw.flush()
        #expect(try forwarding.readOutbound(as: ByteBuffer.self) == pdu)
        usleep(1_000_000)
        forwarding.embeddedEventLoop.advanceTime(by: .seconds(2))
        silent.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(forwarding.isActive, "closed as idle 1 s after a forwarded answer, the timeout is 2 s")
        #expect(!silent.isActive, "a connection with no traffic for 2.2 s was not closed by a 2 s idle timeout")
        _ = try? forwarding.finish()
        _ = try? silent.finish()
    }

    @Test("a closed connection's handlers are freed: the session starter a connection holds does not keep them alive")
    func closedConnectionIsFreed() throws {
        weak var freed: InlineRequestHandler?
        do {
            let (channel, _) = try Self.connection(idleTimeout: 0)
            let inline = try channel.pipeline.syncOperations.handler(type: InlineRequestHandler.self)
            // As the server sets it: the closure holds what the connection was given, this handler included.
            inline.startSession = { _ in withExtendedLifetime(inline) { false } }
            freed = inline
            _ = try? channel.finish()
        }
        #expect(freed == nil, "the handler outlived its closed connection")
    }
}
