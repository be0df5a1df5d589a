import AnnuaireTestSupport
import Habilitations
import LDAPProtocol
import Testing

/// The create-users extended operation
/// (2.25.309896955993207786281445528786519232768.3.4): bulk onboarding all or
/// nothing, with a dry run; each request is judged as create-user judges one.
@Suite("Create-users batch")
struct CreateUsersBatchTests {
    func bind(_ client: RawLDAPClient, _ dn: String) async throws {
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
        guard case .bindResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected a bind response")
        }
        #expect(response.result.code == .success)
    }

    func send(_ client: RawLDAPClient, _ request: CreateUsersRequest, id: Int) async throws -> CreateUsersResponse {
        try await client.send(LDAPMessage(messageID: id, operation: .extendedRequest(ExtendedRequest(name: CreateUsersRequest.oid, value: request.encoded()))))
        guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected an extended response")
        }
        #expect(response.result.code == .success, "\(response.result.diagnosticMessage)")
        return try CreateUsersResponse(value: try #require(response.value))
    }

    func user(_ index: Int, convention: String, group: String) -> CreateUserRequest {
        CreateUserRequest(
            convention: convention, group: group, sn: "LOT\(index)", givenName: "Agent", mail: "agent\(index).lot@partenaire.fr",
            mailConfirmation: "agent\(index).lot@partenaire.fr", workMode: "sedentary")
    }

    @Test("one bad request in three: nothing is written, the refusal names index 1 and R4; a dry run writes nothing; fixed, the three are created in order in group T1")
    func allOrNothing() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let group = "cn=T1,\(convention)"
            let client = try RawLDAPClient(port: server.port)
            try await bind(client, layout.user(DemoDirectory.administratorIdentifier))
            var users = (0..<3).map { user($0, convention: convention, group: group) }
            users[1].mailConfirmation = "autre@partenaire.fr"

            let refused = try await send(client, CreateUsersRequest(users: users), id: 2)
            #expect(refused.created.isEmpty)
            #expect(refused.refused.map(\.index) == [1])
            #expect(refused.refused.first?.diagnosticMessage.hasPrefix("R4 : les deux adresses mail diffèrent") == true)
            #expect(try await server.directory.store.read(layout.user("XXX0606XX12"), attributes: ["1.1"]) == nil)
            let counter = try await server.directory.store.read(layout.identifierCounter, attributes: ["annIdentifierCounter"])
            #expect(counter?.values(of: "annIdentifierCounter").first.map { String(decoding: $0, as: UTF8.self) } == "11", "no identifier drawn")

            users[1].mailConfirmation = users[1].mail
            let dryRun = try await send(client, CreateUsersRequest(users: users, dryRun: true), id: 3)
            #expect(dryRun.created.isEmpty && dryRun.refused.isEmpty)
            #expect(try await server.directory.store.read(layout.user("XXX0606XX12"), attributes: ["1.1"]) == nil)

            let created = try await send(client, CreateUsersRequest(users: users), id: 4)
            #expect(created.refused.isEmpty)
            #expect(created.created.map(\.identifier) == ["XXX0606XX12", "XXX0606XX13", "XXX0606XX14"])
            let members = try await server.directory.store.read(group, attributes: ["member"])?.values(of: "member").map { String(decoding: $0, as: UTF8.self) } ?? []
            #expect(members.filter { $0.contains("XXX0606XX1") && !$0.contains("XXX0606XX10") && !$0.contains("XXX0606XX11") }.count == 3)
            let second = try await server.directory.store.read(layout.user("XXX0606XX13"), attributes: ["sn", "memberOf", "annStatus"])
            #expect(second?.values(of: "sn").first.map { String(decoding: $0, as: UTF8.self) } == "LOT1")
            #expect(second?.values(of: "memberOf").first.map { String(decoding: $0, as: UTF8.self) }?.lowercased() == group.lowercased())
            let mails = try server.maildir.delivered().filter { $0.contains("agent2.lot@partenaire.fr") }
            #expect(mails.count == 2, "identifier and temporary password")
        }
    }

    @Test("another partner's convention is refused with R8, per request; a person may not send a batch")
    func delegation() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let other = "cn=CONV-9999-001,cn=PART9999,\(layout.partners)"
            let client = try RawLDAPClient(port: server.port)
            try await bind(client, layout.user(DemoDirectory.administratorIdentifier))
            let response = try await send(client, CreateUsersRequest(users: [
                user(0, convention: convention, group: "cn=T1,\(convention)"), user(1, convention: other, group: "cn=T1,\(other)"),
            ], dryRun: true), id: 2)
            #expect(response.refused.map(\.index) == [1])
            #expect(response.refused.first?.diagnosticMessage.hasPrefix("R8 :") == true)

            let person = try RawLDAPClient(port: server.port)
            try await bind(person, layout.user("XXX0606XX06"))
            let refused = try await send(person, CreateUsersRequest(users: [user(0, convention: convention, group: "cn=T1,\(convention)")]), id: 2)
            #expect(refused.created.isEmpty)
            #expect(refused.refused.first?.diagnosticMessage.hasPrefix("R8 :") == true)
        }
    }

    @Test("the request and response values round-trip through BER, dryRun DEFAULT FALSE left out")
    func codec() throws {
        let request = CreateUsersRequest(users: [
            CreateUserRequest(convention: "cn=C", group: "cn=G,cn=C", sn: "A", givenName: "B", mail: "a@b.fr", mailConfirmation: "a@b.fr", workMode: "itinerant"),
        ])
        #expect(try CreateUsersRequest(value: request.encoded()) == request)
        var dry = request
        dry.dryRun = true
        #expect(try CreateUsersRequest(value: dry.encoded()) == dry)
        #expect(dry.encoded().count == request.encoded().count + 3)
        let response = CreateUsersResponse(created: [CreateUserResponse(identifier: "X1", dn: "uid=X1")], refused: [.init(index: 4, diagnosticMessage: "R4: …")])
        #expect(try CreateUsersResponse(value: response.encoded()) == response)
        #expect(throws: LDAPOperationError.self) { try CreateUsersRequest(value: [0x30, 0x00]) }
    }
}
