import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// R8 in a portal session that stays open: when the operator removes an administrator from its
/// convention, the convention's pages answer as for a missing one within the server's rights
/// refresh and the portal's conventions keeping time, without a new login; named again, the
/// administrator reaches them again, still without a new login.
@Suite(.serialized) struct PortalRightsMidSessionTests {
    typealias HTTP = PortalHTTPTests

    static let identifier = "ADM0000003"
    static let password = "Troisieme-Secret-2026"

    /// A third convention of the second partner, and an administrator of it who manages no group
    /// (a group's responsible reads its convention too, R8, which would hide the change).
    static func addThirdConvention(_ server: TestServer) async throws {
        let layout = server.directory.layout
        let convention = "cn=CONV-3,cn=PART2,\(layout.partners)"
        let result = try await server.modifyAsOperator("""
            dn: \(convention)
            changetype: add
            objectClass: annConvention
            cn: CONV-3
            annOpenDate: 20200101000000Z
            annGrantedProfile: cn=T1,cn=CDAP,\(layout.services)

            dn: \(layout.user(identifier))
            changetype: add
            objectClass: inetOrgPerson
            uid: \(identifier)
            cn: Anne TROIS
            sn: TROIS
            givenName: Anne
            mail: a.trois@commune-deux.fr
            annConvention: \(convention)
            annAdministers: \(convention)
            userPassword: \(password)

            """)
        try #require(result.status == 0, "adding the third convention: \(result.error)")
    }

    static func administers(_ server: TestServer, _ operation: String) async throws {
        let layout = server.directory.layout
        let result = try await server.modifyAsOperator("""
            dn: \(layout.user(identifier))
            changetype: modify
            \(operation): annAdministers
            annAdministers: cn=CONV-3,cn=PART2,\(layout.partners)

            """)
        try #require(result.status == 0, "ldapmodify \(operation): \(result.error)")
    }

    @Test func conventionNamedThenRemovedMidSession() async throws {
        try await HTTP.withPortal(server: { $0.rightsRefreshSeconds = 1 }, configure: { $0.conventionsKeptSeconds = 1 }) { server, portal in
            try await SecondPartner.add(to: server)
            try await Self.addThirdConvention(server)
            // She logs in as a person of CONV-3, not yet its administrator.
            try await Self.administers(server, "delete")
            let jar = try HTTP.jar()
            let login = try await HTTP.login(portal, jar: jar, identifier: Self.identifier, password: Self.password)
            try #require(login.status == 303)
            let detail = portal.url + "/conventions/detail?convention=CONV-3"
            let before = try await HTTP.curl(detail, jar: jar)
            #expect(before.status == 404, "a person reaches a convention it does not administer: \(before.status)")

            // The operator names her: the server reads her rights again, the portal her conventions.
            try await Self.administers(server, "add")
            try await Task.sleep(for: .milliseconds(1500))
            let named = try await HTTP.curl(detail, jar: jar)
            #expect(named.status == 200, "named mid-session, the administrator does not reach its convention without a new login: \(named.status) \(HTTP.mainText(named.body))")
            #expect(named.body.contains("CONV-3"))

            try await Self.administers(server, "delete")
            try await Task.sleep(for: .milliseconds(1500))
            let removed = try await HTTP.curl(detail, jar: jar)
            #expect(removed.status == 404, "still reachable after the operator removed the administrator: \(removed.status)")
            let list = try await HTTP.curl(portal.url + "/conventions", jar: jar)
            #expect(list.status == 200)
            #expect(!list.body.contains("CONV-3"), "Mes conventions still lists CONV-3")
        }
    }
}
