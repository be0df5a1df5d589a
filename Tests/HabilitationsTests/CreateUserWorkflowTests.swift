import AnnuaireTestSupport
import Habilitations
import LDAPProtocol
import Testing

/// The create-user workflow over LDAP (extended operation
/// 2.25.309896955993207786281445528786519232768.3.1): generated identifiers
/// (R4), the habilitation group chosen at creation (R4, R5), delegation (R8).
@Suite("Create-user workflow")
struct CreateUserWorkflowTests {
    func bind(_ client: RawLDAPClient, _ dn: String, password: String = DemoDirectory.password) async throws {
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(password.utf8))))))
        guard case .bindResponse(let response) = try #require(try await client.receive()).operation else {
            Issue.record("expected a bind response")
            return
        }
        #expect(response.result.code == .success)
    }

    func create(_ client: RawLDAPClient, _ request: CreateUserRequest, id: Int) async throws -> ExtendedResponse {
        try await client.send(LDAPMessage(messageID: id, operation: .extendedRequest(ExtendedRequest(name: CreateUserRequest.oid, value: request.encoded()))))
        guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected an extended response")
        }
        return response
    }

    @Test("the administrator creates LAGARE-like users: identifiers XXX0606XX12, XXX0606XX13 are generated, never reused, and the user is listed in its group")
    func createsUsers() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let group = "cn=T1,\(convention)"
            let client = try RawLDAPClient(port: server.port)
            try await bind(client, layout.user(DemoDirectory.administratorIdentifier))
            let request = CreateUserRequest(
                convention: convention, group: group, sn: "LAGARDE", givenName: "Xavière", mail: "x.lagarde@partenaire.fr",
                mailConfirmation: "x.lagarde@partenaire.fr", telephoneNumber: "07 00 02 00 01", telephoneConfirmation: "07 00 02 00 01",
                workMode: "itinerant")
            let first = try await create(client, request, id: 2)
            #expect(first.result.code == .success, "\(first.result.diagnosticMessage)")
            let created = try CreateUserResponse(value: try #require(first.value))
            #expect(created.identifier == "XXX0606XX12")
            #expect(created.dn == layout.user("XXX0606XX12"))
            var second = request
            second.mail = "x.lagarde2@partenaire.fr"
            second.mailConfirmation = second.mail
            let next = try await create(client, second, id: 3)
            #expect(try CreateUserResponse(value: try #require(next.value)).identifier == "XXX0606XX13")

            let listing = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-H", server.url, "-D", layout.user(DemoDirectory.administratorIdentifier), "-w", DemoDirectory.password,
                "-b", layout.people, "(memberOf=\(group))", "uid", "sn",
            ])
            #expect(listing.output.contains("uid: XXX0606XX12"))
            #expect(listing.output.contains("sn: LAGARDE"))
            let counter = try await server.store.read(layout.identifierCounter, attributes: ["annIdentifierCounter"])
            #expect(counter?.values(of: "annIdentifierCounter").first.map { String(decoding: $0, as: UTF8.self) } == "13")
        }
    }

    @Test("mistakes are refused with the rule named: e-mails differ (R4), no work mode (R4), a group of another convention, another partner's convention (R8)")
    func mistakes() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let client = try RawLDAPClient(port: server.port)
            try await bind(client, layout.user(DemoDirectory.administratorIdentifier))
            let good = CreateUserRequest(
                convention: convention, group: "cn=T1,\(convention)", sn: "X", givenName: "Y", mail: "y.x@partenaire.fr",
                mailConfirmation: "y.x@partenaire.fr", workMode: "sedentary")
            var differ = good
            differ.mailConfirmation = "y.z@partenaire.fr"
            let r1 = try await create(client, differ, id: 2)
            #expect(r1.result.code == .constraintViolation)
            #expect(r1.result.diagnosticMessage == "R4 : les deux adresses mail diffèrent (mail, mailConfirmation)")
            var noMode = good
            noMode.workMode = nil
            #expect(try await create(client, noMode, id: 3).result.diagnosticMessage.hasPrefix("R4 :"))
            var wrongGroup = good
            wrongGroup.group = "cn=NOPE,\(convention)"
            #expect(try await create(client, wrongGroup, id: 4).result.code == .constraintViolation)
            var otherConvention = good
            otherConvention.convention = "cn=CONV-9,cn=PART9,\(layout.partners)"
            let r4 = try await create(client, otherConvention, id: 5)
            #expect(r4.result.code == .insufficientAccessRights)
            #expect(r4.result.diagnosticMessage.hasPrefix("R8 :"))
            // Nothing was created and no identifier was spent on refused requests.
            let counter = try await server.store.read(layout.identifierCounter, attributes: ["annIdentifierCounter"])
            #expect(counter?.values(of: "annIdentifierCounter").first.map { String(decoding: $0, as: UTF8.self) } == "11")
        }
    }
}
