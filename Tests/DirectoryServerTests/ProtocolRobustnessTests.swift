import AnnuaireTestSupport
import Habilitations
import LDAPProtocol
import Testing

/// Malformed and demanding traffic on the raw socket: the server answers with
/// a Notice of Disconnection (RFC 4511 §4.4.1) and keeps serving others.
@Suite("Protocol robustness on the raw socket")
struct ProtocolRobustnessTests {
    static let rootDSESearch = ProtocolOperation.searchRequest(SearchRequest(baseObject: "", scope: .baseObject))

    /// Reads PDUs until the Notice of Disconnection, then expects the close.
    func expectNotice(_ client: RawLDAPClient, code: LDAPResultCode = .protocolError) async throws {
        let message = try #require(try await client.receive())
        #expect(message.messageID == 0)
        guard case .extendedResponse(let response) = message.operation else {
            Issue.record("expected a Notice of Disconnection, got \(message.operation.name)")
            return
        }
        #expect(response.name == ExtendedResponse.noticeOfDisconnectionOID)
        #expect(response.result.code == code)
        #expect(try await client.receive() == nil)
    }

    @Test("garbage, lying lengths, indefinite lengths and oversized PDUs end the session cleanly; the server keeps serving")
    func malformed() async throws {
        try await TestServer.with(demo: false) { server in
            var generator = SystemRandomNumberGenerator()
            let cases: [[UInt8]] = [
                (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }.map { $0 == 0x30 ? 0x31 : $0 },
                [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF],                 // 4 GiB announced
                [0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00],           // indefinite length
                [0x30, 0x05, 0x02, 0x01, 0x01, 0x63, 0x00],           // a search request with no fields
                [0x30, 0x06, 0x02, 0x01, 0x00, 0x42, 0x01, 0x00],     // messageID 0 from a client
                [0x30, 0x05, 0x02, 0x01, 0x05, 0x7F, 0x00],           // unknown operation
            ]
            for bytes in cases {
                let client = try RawLDAPClient(port: server.port)
                try await client.send(bytes)
                try await expectNotice(client)
            }
            let healthy = try RawLDAPClient(port: server.port)
            try await healthy.send(LDAPMessage(messageID: 1, operation: Self.rootDSESearch))
            let entry = try #require(try await healthy.receive())
            #expect(entry.messageID == 1)
        }
    }

    @Test("1,000 pipelined searches on one connection get 1,000 correct answers")
    func pipelining() async throws {
        try await TestServer.with(demo: false) { server in
            let client = try RawLDAPClient(port: server.port)
            var burst: [UInt8] = []
            for id in 1...1000 {
                burst += try LDAPMessage(messageID: id, operation: Self.rootDSESearch).serializedBytes()
            }
            try await client.send(burst)
            var entries = Set<Int>()
            var done = Set<Int>()
            while done.count < 1000, let message = try await client.receive() {
                switch message.operation {
                case .searchResultEntry(let entry):
                    #expect(entry.objectName == "")
                    entries.insert(message.messageID)
                case .searchResultDone(let result):
                    #expect(result.code == .success)
                    done.insert(message.messageID)
                default:
                    Issue.record("unexpected \(message.operation.name)")
                }
            }
            #expect(entries == Set(1...1000))
            #expect(done == Set(1...1000))
        }
    }

    @Test("an unknown critical control gets unavailableCriticalExtension (12); a non-critical one is ignored")
    func criticalControls() async throws {
        try await TestServer.with(demo: false) { server in
            let client = try RawLDAPClient(port: server.port)
            try await client.send(LDAPMessage(messageID: 7, operation: Self.rootDSESearch, controls: [LDAPControl(oid: "1.2.3.4.5", criticality: true)]))
            let refused = try #require(try await client.receive())
            guard case .searchResultDone(let result) = refused.operation else {
                Issue.record("expected SearchResultDone, got \(refused.operation.name)")
                return
            }
            #expect(result.code == .unavailableCriticalExtension)
            try await client.send(LDAPMessage(messageID: 8, operation: Self.rootDSESearch, controls: [LDAPControl(oid: "1.2.3.4.5", criticality: false)]))
            let entry = try #require(try await client.receive())
            guard case .searchResultEntry = entry.operation else {
                Issue.record("expected the root DSE, got \(entry.operation.name)")
                return
            }
        }
    }

    @Test("Who am I follows the session's binds; Unbind closes the connection")
    func whoAmIAndUnbind() async throws {
        try await TestServer.with { server in
            let client = try RawLDAPClient(port: server.port)
            let whoAmI = ProtocolOperation.extendedRequest(ExtendedRequest(name: "1.3.6.1.4.1.4203.1.11.3"))
            try await client.send(LDAPMessage(messageID: 1, operation: whoAmI))
            guard case .extendedResponse(let anonymous) = try #require(try await client.receive()).operation else {
                Issue.record("expected an extended response")
                return
            }
            #expect(anonymous.result.code == .success)
            #expect(anonymous.value == [])
            let dn = server.directory.layout.user("XXX0606XX07")
            try await client.send(LDAPMessage(messageID: 2, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
            guard case .bindResponse(let bound) = try #require(try await client.receive()).operation else {
                Issue.record("expected a bind response")
                return
            }
            #expect(bound.result.code == .success)
            try await client.send(LDAPMessage(messageID: 3, operation: whoAmI))
            guard case .extendedResponse(let named) = try #require(try await client.receive()).operation else {
                Issue.record("expected an extended response")
                return
            }
            #expect(named.value.map { String(decoding: $0, as: UTF8.self) } == "dn:\(dn)")
            // A failed bind leaves the session anonymous (RFC 4513 §5.1.3 via §4.2.1 of RFC 4511).
            try await client.send(LDAPMessage(messageID: 4, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array("wrong".utf8))))))
            _ = try await client.receive()
            try await client.send(LDAPMessage(messageID: 5, operation: whoAmI))
            guard case .extendedResponse(let again) = try #require(try await client.receive()).operation else {
                Issue.record("expected an extended response")
                return
            }
            #expect(again.value == [])
            try await client.send(LDAPMessage(messageID: 6, operation: .unbindRequest))
            #expect(try await client.receive() == nil)
        }
    }
}
