import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// The server-side calls a portal makes for the group screen (issue #16,
/// items 2 and 3): the same rules and history as an LDAP client's writes.
@Suite("Group and membership workflows, in process (R2, R3, R5, R7, R11)")
struct GroupAndMembershipWorkflowTests {
    static let convention = "cn=CONV-0606-001,cn=PART0606,ou=partners,dc=annuaire,dc=local"
    static let group = "cn=T1,\(convention)"

    static func memberOf(_ server: some RulesTestServer, _ identifier: String) async throws -> [String] {
        let entry = try await server.store.read(server.layout.user(identifier), attributes: ["memberOf"])
        return (entry?.values(of: "memberOf") ?? []).map { String(decoding: $0, as: UTF8.self).lowercased() }
    }

    @Test("close and reopen a group; end a membership and attach again; an ungranted role and a DN-shaped identifier are refused")
    func workflows() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let administrator = try Principal(
                dn: layout.user(DemoDirectory.administratorIdentifier), role: .partnerAdministrator(conventions: [DistinguishedName(Self.convention)]))
            let t1 = Self.group.lowercased()
            try await server.habilitations.closeGroup(Self.group, by: administrator)
            #expect(try await !Self.memberOf(server, "XXX0606XX06").contains(t1))
            try await server.habilitations.reopenGroup(Self.group, by: administrator)
            #expect(try await Self.memberOf(server, "XXX0606XX06").contains(t1))

            var change = GroupChange()
            change.addedRoles = ["cn=SUPERVISEUR,cn=SUPCDAP,\(layout.services)"]
            await #expect(throws: LDAPOperationError.self) { try await server.habilitations.changeGroup(Self.group, change, by: administrator) }

            try await server.habilitations.closeMembership(of: "XXX0606XX06", in: Self.group, by: administrator)
            #expect(try await !Self.memberOf(server, "XXX0606XX06").contains(t1))
            #expect(try await server.habilitations.attach("XXX0606XX06", to: Self.group, by: administrator) == .reattached)
            #expect(try await Self.memberOf(server, "XXX0606XX06").contains(t1))
            await #expect(throws: LDAPOperationError.self) {
                try await server.habilitations.attach("X,cn=T1", to: Self.group, by: administrator)
            }
        }
    }
}
