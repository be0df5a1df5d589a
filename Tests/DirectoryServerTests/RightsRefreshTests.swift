import AnnuaireTestSupport
import DirectoryServer
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R8 on connections already open: a bound session reads its rights again once they are older
/// than `rightsRefreshSeconds`, so an administrator the operator removes loses the convention's
/// users on the connection it keeps open, and gets them back when named again, without a new bind.
@Suite("R8: rights read again on open connections")
struct RightsRefreshTests {
    /// The users of `convention` a search on `client` returns (message `id`).
    static func users(_ client: RawLDAPClient, id: Int, convention: String, layout: DirectoryLayout) async throws -> Int {
        let search = SearchRequest(
            baseObject: layout.people, scope: .wholeSubtree,
            filter: .equality(AttributeName.convention, Array(convention.utf8)), attributes: ["1.1"])
        try await client.send(LDAPMessage(messageID: id, operation: .searchRequest(search)))
        var entries = 0
        while let message = try await client.receive() {
            switch message.operation {
            case .searchResultEntry: entries += 1
            case .searchResultDone(let result):
                #expect(result.code == .success, "\(result)")
                return entries
            default: continue
            }
        }
        Issue.record("the connection closed before the search ended")
        return entries
    }

    /// The operator changes the administrator's conventions with ldapmodify.
    static func change(_ server: InMemoryServer, _ operation: String, administrator: String, convention: String) async throws {
        let result = try await server.modifyAsOperator(
            "dn: \(administrator)\nchangetype: modify\n\(operation): \(AttributeName.administers)\n\(AttributeName.administers): \(convention)\n")
        try #require(result.status == 0, "ldapmodify \(operation): \(result.error)")
    }

    @Test("an administrator removed by the operator no longer sees the convention's users on its open connection once its rights are a second old; named again, it sees them again, with no new bind")
    func revokedThenRestored() async throws {
        try await InMemoryServer.with(configure: { $0.rightsRefreshSeconds = 1 }) { server in
            let layout = server.layout
            let administrator = layout.user(DemoDirectory.administratorIdentifier)
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let client = try RawLDAPClient(port: server.port)
            try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(
                BindRequest(name: administrator, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
            guard case .bindResponse(let bound)? = try await client.receive()?.operation else {
                Issue.record("no bind response")
                return
            }
            try #require(bound.result.code == .success, "\(bound.result)")
            let administering = try await Self.users(client, id: 2, convention: convention, layout: layout)
            #expect(administering > 2, "the administrator sees its convention's users (\(administering))")

            try await Self.change(server, "delete", administrator: administrator, convention: convention)
            try await Task.sleep(for: .milliseconds(1200))
            let removed = try await Self.users(client, id: 3, convention: convention, layout: layout)
            #expect(removed < administering, "still \(removed) users seen after the operator removed the administrator")
            // What it still sees it sees as T1's responsible (R8: the users of the groups it manages).

            try await Self.change(server, "add", administrator: administrator, convention: convention)
            try await Task.sleep(for: .milliseconds(1200))
            let restored = try await Self.users(client, id: 4, convention: convention, layout: layout)
            #expect(restored == administering, "named again: \(restored) users seen, \(administering) before")
        }
    }
}
