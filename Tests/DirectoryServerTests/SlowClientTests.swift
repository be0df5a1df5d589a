import AnnuaireTestSupport
import LDAPProtocol
import NIOConcurrencyHelpers
import Testing

/// Issue #9, memory and slow clients: a client dripping its request a byte
/// at a time holds up nobody, and is cut off once its request has taken
/// longer than `requestTimeout` to arrive (the idle timeout alone never fires
/// on it: every byte resets it). Many connections held open at once are all
/// answered. (Memory is measured by `Benchmarks/slow-clients.sh`, with 1,000
/// connections against `annuaire serve`.)
@Suite("Slow and many clients")
struct SlowClientTests {
    static let rootDSE = ProtocolOperation.searchRequest(SearchRequest(baseObject: "", scope: .baseObject))

    /// A search request whose filter makes it a few hundred bytes long: many seconds of dripping.
    static func longRequest() throws -> [UInt8] {
        let filter = SearchFilter.equality("description", Array(String(repeating: "x", count: 300).utf8))
        return try LDAPMessage(messageID: 1, operation: .searchRequest(SearchRequest(baseObject: "", scope: .baseObject, filter: filter))).serializedBytes()
    }

    @Test("a slow-drip client does not hold up 200 other connections, whose searches are answered meanwhile; it is then disconnected with a Notice of Disconnection")
    func slowDrip() async throws {
        try await TestServer.with(demo: false, configure: { $0.requestTimeout = 5 }) { server in
            let request = try Self.longRequest()
            let dripper = try RawLDAPClient(port: server.port, timeoutSeconds: 60)
            try await dripper.send(Array(request.prefix(4)))
            // Read at once what the server sends: bytes dripped after it closed reset the connection,
            // which would drop a notice left unread.
            let noticeTask = Task { try await dripper.receive() }
            let stop = NIOLockedValueBox(false)
            let dripping = Task {
                var sent = 4
                while sent < request.count - 1, !stop.withLockedValue({ $0 }) {
                    try await Task.sleep(for: .milliseconds(500))
                    do { try await dripper.send([request[sent]]) } catch { break }
                    sent += 1
                }
                return sent
            }
            // Meanwhile: 200 more connections, each answered.
            var clients: [RawLDAPClient] = []
            for _ in 0..<200 { clients.append(try RawLDAPClient(port: server.port, timeoutSeconds: 60)) }
            var answered = 0
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        try await client.send(LDAPMessage(messageID: index + 1, operation: Self.rootDSE))
                        guard case .searchResultEntry = try await client.receive()?.operation,
                              case .searchResultDone(let done) = try await client.receive()?.operation
                        else { return false }
                        return done.code == .success
                    }
                }
                for try await ok in group where ok { answered += 1 }
            }
            #expect(answered == 200)
            // The dripper never completes its request: the server ends the session.
            let notice = try #require(try await noticeTask.value)
            stop.withLockedValue { $0 = true }
            let sent = try await dripping.value
            #expect(sent < request.count - 1, "the request was sent whole before the cut-off: the test proves nothing")
            guard case .extendedResponse(let response) = notice.operation else {
                Issue.record("expected a Notice of Disconnection, got \(notice.operation.name)")
                return
            }
            #expect(notice.messageID == 0)
            #expect(response.name == ExtendedResponse.noticeOfDisconnectionOID)
            #expect(response.result.code == .unavailable)
            #expect(response.result.diagnosticMessage.contains("did not arrive whole"))
            // Then the connection is closed (end of stream, or reset if a dripped byte crossed the close).
            #expect((try? await dripper.receive()) == nil)
            // The held connections still work.
            try await clients[0].send(LDAPMessage(messageID: 500, operation: Self.rootDSE))
            #expect(try await clients[0].receive()?.messageID == 500)
        }
    }

    @Test("a request that arrives in pieces within the bound is answered normally")
    func piecesWithinBound() async throws {
        try await TestServer.with(demo: false, configure: { $0.requestTimeout = 30 }) { server in
            let request = try LDAPMessage(messageID: 7, operation: Self.rootDSE).serializedBytes()
            let client = try RawLDAPClient(port: server.port)
            for byte in request { try await client.send([byte]) }
            #expect(try await client.receive()?.messageID == 7)
            #expect(try await client.receive()?.messageID == 7)
            // Two requests in one write, the second cut in half, then completed.
            let second = try LDAPMessage(messageID: 8, operation: Self.rootDSE).serializedBytes()
            try await client.send(request + second.prefix(5))
            try await client.send(Array(second.dropFirst(5)))
            var ids: [Int] = []
            for _ in 0..<4 { ids.append(try #require(try await client.receive()).messageID) }
            #expect(ids == [7, 7, 8, 8])
        }
    }
}
