import AnnuaireTestSupport
import Habilitations
import Testing

/// A second partner for the R8 tests, added by the operator over LDAP:
/// PART2 with convention CONV-2 (granting CDAP/T1) and its administrator
/// ADM0000002 (password `Autre-Secret-2026`).
struct OtherPartner {
    static let password = "Autre-Secret-2026"
    let convention: String
    let administrator: String

    init(layout: DirectoryLayout) {
        convention = "cn=CONV-2,cn=PART2,\(layout.partners)"
        administrator = layout.user("ADM0000002")
    }

    /// Its convention's group G2, whose responsible is its administrator (added by `addWithGroup`).
    var group: String { "cn=G2,\(convention)" }

    /// Adds the partner, its convention, its administrator and its group G2.
    static func addWithGroup(to server: some RulesTestServer) async throws -> OtherPartner {
        let layout = server.layout
        let other = OtherPartner(layout: layout)
        return try await add(to: server, extraLDIF: """
            dn: \(other.group)
            changetype: add
            objectClass: annGroup
            cn: G2
            annLabel: Groupe 2
            annOpenDate: 20200101000000Z
            annResponsible: \(other.administrator)

            """)
    }

    /// Adds the partner, its convention and its administrator, plus `extraLDIF` (records separated by blank lines).
    static func add(to server: some RulesTestServer, extraLDIF: String = "") async throws -> OtherPartner {
        let layout = server.layout
        let other = OtherPartner(layout: layout)
        let result = try await CommandLineTool.run("ldapmodify", [
            "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password,
        ], input: """
            dn: cn=PART2,\(layout.partners)
            changetype: add
            objectClass: annPartner
            cn: PART2
            annPartnerType: cn=COMMUNE,\(layout.partnerTypes)

            dn: \(other.convention)
            changetype: add
            objectClass: annConvention
            cn: CONV-2
            annOpenDate: 20200101000000Z
            annGrantedProfile: cn=T1,cn=CDAP,\(layout.services)

            dn: \(other.administrator)
            changetype: add
            objectClass: inetOrgPerson
            uid: ADM0000002
            cn: Paul AUTRE
            sn: AUTRE
            givenName: Paul
            mail: p.autre@commune.fr
            annConvention: \(other.convention)
            annAdministers: \(other.convention)
            userPassword: \(password)

            \(extraLDIF)
            """)
        try #require(result.status == 0, "adding the other partner: \(result.error)")
        return other
    }
}
