import AnnuaireTestSupport
@testable import DirectoryBackend
import Habilitations
import LDAPProtocol
import Testing

/// Issue #18, through the server: a client that stops reading its answers does not hold up
/// other clients, whose searches share the upstream links with it (the links are never stopped
/// for one client); its own operations are given up once too much of its answers waits unread.
@Suite("Fast path through the server")
struct FastPathTests {
    static func bind(_ client: RawLDAPClient, _ dn: String, id: Int = 1) async throws -> LDAPResultCode? {
        try await client.send(LDAPMessage(
            messageID: id, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
        guard case .bindResponse(let response) = try await client.receive()?.operation else { return nil }
        return response.result.code
    }

    @Test("a client that reads none of 600 pipelined whole-directory searches holds up no other client's searches", .timeLimit(.minutes(3)))
    func slowClientStallsNobody() async throws {
        try await TestServer.with(configure: { $0.searchSizeLimit = 0; $0.fastPath = true }) { server in
            let layout = server.directory.layout
            let slow = try RawLDAPClient(port: server.port, timeoutSeconds: 60)
            #expect(try await Self.bind(slow, layout.operatorAccount(DemoDirectory.operatorName)) == .success)
            var flood: [UInt8] = []
            for id in 2..<602 {
                flood += try LDAPMessage(
                    messageID: id, operation: .searchRequest(SearchRequest(baseObject: layout.suffix, scope: .wholeSubtree))).serializedBytes()
            }
            // Sent in the background: the server stops reading the slow client, so this send blocks.
            let sending = Task { try? await slow.send(flood) }
            try await Task.sleep(for: .seconds(1))

            // Another identity, meanwhile: each search answered, in order, while the flood is unread.
            let other = try RawLDAPClient(port: server.port, timeoutSeconds: 20)
            let person = layout.user("XXX0606XX07")
            #expect(try await Self.bind(other, person) == .success)
            var answered = 0
            let clock = ContinuousClock()
            var slowest = Duration.zero
            for id in 2..<22 {
                let started = clock.now
                try await other.send(LDAPMessage(
                    messageID: id, operation: .searchRequest(SearchRequest(baseObject: person, scope: .baseObject, attributes: ["cn"]))))
                guard case .searchResultEntry(let entry) = try await other.receive()?.operation,
                      let done = try await other.receive(), case .searchResultDone(let result) = done.operation
                else { break }
                slowest = max(slowest, clock.now - started)
                #expect(entry.objectName.lowercased() == person.lowercased())
                #expect(done.messageID == id)
                if result.code == .success { answered += 1 }
            }
            #expect(answered == 20)
            #expect(slowest < .seconds(10), "a search waited \(slowest) behind the unread answers")

            // The slow client's answers are there when it reads, each under its own message ID.
            var ids: Set<Int> = []
            for _ in 0..<200 {
                guard let message = try await slow.receive() else { break }
                ids.insert(message.messageID)
            }
            #expect(ids.isSubset(of: Set(2..<602)))
            #expect(!ids.isEmpty)
            sending.cancel()
        }
    }

    @Test("searches forwarded on the fast path, 300 entries each, are never ended busy (51) by the transaction barrier of writes running meanwhile", .timeLimit(.minutes(2)))
    func fastPathSearchesAndBarriers() async throws {
        try await TestServer.with(configure: { $0.searchSizeLimit = 0; $0.fastPath = true }) { server in
            let layout = server.directory.layout
            let writer = try #require(server.directory.store.forClients() as? OpenLDAPStore)
            let many = try await writer.addManyUnits(300, under: layout.suffix)
            let client = try RawLDAPClient(port: server.port, timeoutSeconds: 20)
            #expect(try await Self.bind(client, layout.operatorAccount(DemoDirectory.operatorName)) == .success)
            let barriersBefore = writer.settling.barriersAnswered
            let deadline = ContinuousClock.now + .seconds(5)
            async let writes: Int = {
                var count = 0
                while ContinuousClock.now < deadline {
                    let name = "w\(count)"
                    try await writer.transaction { transaction in
                        try transaction.add(dn: "ou=\(name),\(layout.suffix)", attributes: [
                            PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: [name]),
                        ])
                    }
                    count += 1
                }
                return count
            }()
            var listings: [(LDAPResultCode, Int)] = []
            var id = 2
            while ContinuousClock.now < deadline {
                try await client.send(LDAPMessage(messageID: id, operation: .searchRequest(SearchRequest(
                    baseObject: many, scope: .wholeSubtree, attributes: ["ou"]))))
                var entries = 0
                var code: LDAPResultCode?
                while code == nil, let message = try await client.receive() {
                    switch message.operation {
                    case .searchResultEntry: entries += 1
                    case .searchResultDone(let result): code = result.code
                    default: break
                    }
                }
                listings.append((code ?? .other, entries))
                id += 1
            }
            let written = try await writes
            #expect(written > 0)
            #expect(!listings.isEmpty)
            #expect(listings.allSatisfy { $0.0 == .success && $0.1 == 301 }, "listings cut: \(listings.filter { $0.0 != .success || $0.1 != 301 })")
            #expect(writer.settling.barriersAnswered > barriersBefore, "some transactions ended on a barrier meanwhile")
        }
    }
}
