import AnnuaireTestSupport
import LDAPProtocol
import Testing

/// The connection limits of ServerConfiguration: the maximum number of open
/// connections (one more is told `busy` in a Notice of Disconnection) and the
/// idle timeout.
@Suite("Connection limits")
struct ConnectionLimitTests {
    static let rootDSE = ProtocolOperation.searchRequest(SearchRequest(baseObject: "", scope: .baseObject))

    @Test("a connection over the maximum gets a Notice of Disconnection with busy (51); the others keep working")
    func maximumConnections() async throws {
        try await TestServer.with(demo: false, configure: { $0.maximumConnections = 2 }) { server in
            let first = try RawLDAPClient(port: server.port)
            let second = try RawLDAPClient(port: server.port)
            for client in [first, second] {
                try await client.send(LDAPMessage(messageID: 1, operation: Self.rootDSE))
                _ = try #require(try await client.receive())
                _ = try #require(try await client.receive())
            }
            let third = try RawLDAPClient(port: server.port)
            let notice = try #require(try await third.receive())
            guard case .extendedResponse(let response) = notice.operation else {
                Issue.record("expected a Notice of Disconnection, got \(notice.operation.name)")
                return
            }
            #expect(notice.messageID == 0)
            #expect(response.result.code == .busy)
            #expect(try await third.receive() == nil)
            try await first.send(LDAPMessage(messageID: 2, operation: Self.rootDSE))
            #expect(try await first.receive()?.messageID == 2)
        }
    }

    @Test("an idle connection is closed after the idle timeout, not before; a request in between starts the wait again")
    func idleTimeout() async throws {
        try await TestServer.with(demo: false, configure: { $0.idleTimeout = 4 }) { server in
            let client = try RawLDAPClient(port: server.port)
            try await client.send(LDAPMessage(messageID: 1, operation: Self.rootDSE))
            _ = try #require(try await client.receive())
            _ = try #require(try await client.receive())
            // Still open well inside the timeout: a second request is answered (1.5 s idle, then
            // activity again, so the close may only come 4 s after this answer).
            try await Task.sleep(for: .milliseconds(1500))
            try await client.send(LDAPMessage(messageID: 2, operation: Self.rootDSE))
            #expect(try await client.receive()?.messageID == 2, "the connection was closed before the idle timeout")
            #expect(try await client.receive()?.messageID == 2)
            let answered = ContinuousClock.now
            // Nothing more is sent: the server closes the connection (end of stream, or a reset,
            // which is a close too; a receive that times out after 30 s fails the bound below)...
            let after: LDAPMessage?
            do {
                after = try await client.receive()
            } catch {
                after = nil
            }
            #expect(after == nil)
            // ...once the timeout has run from the last activity, and not long after.
            let idle = ContinuousClock.now - answered
            #expect(idle >= .milliseconds(3900), "closed after \(idle) of idleness, the timeout is 4 s")
            #expect(idle < .seconds(25), "still open after \(idle) of idleness, the timeout is 4 s")
        }
    }
}
