import AnnuaireTestSupport
import Habilitations
import LDAPProtocol
import Testing

/// Issue #18: searches and binds the connection's event loop answers itself (`InlineRequestHandler`)
/// keep LDAP's order and the session's rules: a request sent behind a bind runs as the identity
/// that bind gave (RFC 4511 §4.2.1), whether the bind succeeded or not; Abandon and Cancel reach
/// a search taken on the loop.
@Suite("Requests answered on the event loop")
struct InlineRequestTests {
    /// The entries and the result code of each request, by message ID, until every one of `ids`
    /// is answered (requests run at once: their results may come in any order).
    private static func answers(_ client: RawLDAPClient, until ids: Int...) async throws -> (entries: [Int: [String]], codes: [Int: LDAPResultCode]) {
        var entries: [Int: [String]] = [:]
        var codes: [Int: LDAPResultCode] = [:]
        while ids.contains(where: { codes[$0] == nil }), let message = try await client.receive() {
            switch message.operation {
            case .searchResultEntry(let entry): entries[message.messageID, default: []].append(entry.objectName.lowercased())
            case .searchResultDone(let result): codes[message.messageID] = result.code
            case .bindResponse(let response): codes[message.messageID] = response.result.code
            case .extendedResponse(let response): codes[message.messageID] = response.result.code
            default: break
            }
        }
        return (entries, codes)
    }

    private static func bind(_ id: Int, _ dn: String, password: String = DemoDirectory.password) throws -> [UInt8] {
        try LDAPMessage(messageID: id, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(password.utf8)))))
            .serializedBytes()
    }

    private static func people(_ id: Int, _ layout: DirectoryLayout, sizeLimit: Int = 0) throws -> [UInt8] {
        try LDAPMessage(messageID: id, operation: .searchRequest(SearchRequest(
            baseObject: layout.people, scope: .wholeSubtree, sizeLimit: sizeLimit, filter: .equality("objectClass", Array("inetOrgPerson".utf8)),
            attributes: ["1.1"]))).serializedBytes()
    }

    @Test("binds and searches sent in one write, before any answer: each search runs as the identity bound just before it", .timeLimit(.minutes(2)))
    func pipelinedBindsOrderSearches() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let person = layout.user("XXX0606XX07").lowercased()
            let operatorDN = layout.operatorAccount(DemoDirectory.operatorName)
            let client = try RawLDAPClient(port: server.port)
            try await client.send(
                try Self.bind(1, person) + Self.people(2, layout) + Self.bind(3, operatorDN) + Self.people(4, layout, sizeLimit: 5))
            var (entries, codes) = try await Self.answers(client, until: 1, 2, 3, 4)
            #expect(codes[1] == .success && codes[3] == .success)
            #expect(entries[2] == [person], "a person sees only its own entry (R8)")
            #expect(codes[2] == .success)
            #expect((entries[4] ?? []).count == 5, "the operator sees everyone, 5 asked")

            // The session has taken everything: the loop takes the next bind itself, holds the search behind it.
            try await client.send(try Self.people(5, layout, sizeLimit: 5))
            (entries, codes) = try await Self.answers(client, until: 5)
            #expect((entries[5] ?? []).count == 5)
            try await client.send(try Self.bind(6, person) + Self.people(7, layout) + Self.people(8, layout))
            (entries, codes) = try await Self.answers(client, until: 6, 7, 8)
            #expect(codes[6] == .success)
            #expect(entries[7] == [person], "a search behind a bind ran as the identity before the bind (result \(String(describing: codes[7])))")
            #expect(entries[8] == [person])
        }
    }

    @Test("a search sent behind a refused bind runs anonymous, not as the identity bound before", .timeLimit(.minutes(2)))
    func searchBehindRefusedBindIsAnonymous() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let operatorDN = layout.operatorAccount(DemoDirectory.operatorName)
            let client = try RawLDAPClient(port: server.port)
            try await client.send(try Self.bind(1, operatorDN) + Self.people(2, layout, sizeLimit: 3))
            var (entries, codes) = try await Self.answers(client, until: 1, 2)
            #expect(codes[1] == .success)
            #expect((entries[2] ?? []).count == 3)
            try await client.send(try Self.people(3, layout, sizeLimit: 3))
            (entries, codes) = try await Self.answers(client, until: 3)
            #expect((entries[3] ?? []).count == 3)

            try await client.send(try Self.bind(4, operatorDN, password: "not-the-password") + Self.people(5, layout, sizeLimit: 3))
            (entries, codes) = try await Self.answers(client, until: 4, 5)
            #expect(codes[4] == .invalidCredentials)
            #expect(entries[5] == nil, "a search behind a refused bind returned entries")
            #expect(codes[5] != .success)
        }
    }

    @Test("Abandon and Cancel of a search the loop took: no result for the abandoned one, canceled (118) then success for the canceled one", .timeLimit(.minutes(3)))
    func abandonAndCancelOnTheLoop() async throws {
        try await TestServer.with(configure: { $0.searchSizeLimit = 0 }) { server in
            try await ExtendedOperationTests().addPeople(server, count: 3000)
            let layout = server.directory.layout
            let client = try RawLDAPClient(port: server.port)
            try await client.send(try Self.bind(1, layout.operatorAccount(DemoDirectory.operatorName)) + Self.people(2, layout, sizeLimit: 1))
            _ = try await Self.answers(client, until: 1, 2)
            try await client.send(try Self.people(3, layout, sizeLimit: 1))
            _ = try await Self.answers(client, until: 3)

            let whoAmI = try LDAPMessage(messageID: 6, operation: .extendedRequest(ExtendedRequest(name: "1.3.6.1.4.1.4203.1.11.3"))).serializedBytes()
            try await client.send(
                try Self.people(4, layout) + LDAPMessage(messageID: 5, operation: .abandonRequest(4)).serializedBytes() + whoAmI)
            var (entries, codes) = try await Self.answers(client, until: 6)
            #expect(codes[4] == nil, "the abandoned search was answered")
            #expect((entries[4] ?? []).count < 3000)
            #expect(codes[6] == .success)

            let cancel = ExtendedRequest(name: CancelRequest.oid, value: CancelRequest(cancelID: 7).encoded())
            try await client.send(try Self.people(7, layout) + LDAPMessage(messageID: 8, operation: .extendedRequest(cancel)).serializedBytes())
            (entries, codes) = try await Self.answers(client, until: 7, 8)
            #expect(codes[7] == .canceled)
            #expect(codes[8] == .success)
            #expect((entries[7] ?? []).count < 3000)

            try await client.send(try Self.people(9, layout, sizeLimit: 2))
            (entries, codes) = try await Self.answers(client, until: 9)
            #expect((entries[9] ?? []).count == 2, "the connection goes on")
        }
    }

    @Test("on shutdown, a connection the loop alone served and one with a session both get a Notice of Disconnection (unavailable)", .timeLimit(.minutes(2)))
    func shutdownNoticesEveryConnection() async throws {
        let server = try await TestServer.start()
        let layout = server.directory.layout
        let operatorDN = layout.operatorAccount(DemoDirectory.operatorName)
        // Bound and searched on the loop only: no session was started for it.
        let loopOnly = try RawLDAPClient(port: server.port)
        try await loopOnly.send(try Self.bind(1, operatorDN))
        _ = try await Self.answers(loopOnly, until: 1)
        // A Who am I? needs the session.
        let withSession = try RawLDAPClient(port: server.port)
        try await withSession.send(
            try Self.bind(1, operatorDN)
                + LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: "1.3.6.1.4.1.4203.1.11.3"))).serializedBytes())
        let (_, codes) = try await Self.answers(withSession, until: 1, 2)
        #expect(codes[2] == .success)

        await server.application.triggerShutdown()
        for (name, client) in [("loop only", loopOnly), ("with a session", withSession)] {
            let notice = try await client.receive()
            guard case .extendedResponse(let response)? = notice?.operation else {
                Issue.record("\(name): expected a Notice of Disconnection, got \(String(describing: notice?.operation.name))")
                continue
            }
            #expect(notice?.messageID == 0)
            #expect(response.name == ExtendedResponse.noticeOfDisconnectionOID)
            #expect(response.result.code == .unavailable)
            #expect(try await client.receive() == nil)
        }
        await server.stop()
    }
}
