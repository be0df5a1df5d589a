import AnnuaireTestSupport
import Habilitations
import Testing

/// Groups for the tests of a group's responsible (R8), added by the operator
/// over LDAP to the demo convention, which is made to grant CDAP/T2 as well:
/// RESP (role T1), whose responsible is LACROIX (XXX0606XX07), holding DUPUIS
/// (XXX0606XX06, also in T1); OTHER (roles T1 and T2), whose responsible is the
/// administrator, holding DUPONT (XXX0606XX08). LACROIX binds with the demo password.
struct ResponsibleGroups {
    let convention: String
    let responsible: String
    let administrator: String
    let profileT1: String
    let profileT2: String

    init(layout: DirectoryLayout) {
        convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
        responsible = layout.user("XXX0606XX07")
        administrator = layout.user(DemoDirectory.administratorIdentifier)
        profileT1 = "cn=T1,cn=CDAP,\(layout.services)"
        profileT2 = "cn=T2,cn=CDAP,\(layout.services)"
    }

    func group(_ code: String) -> String { "cn=\(code),\(convention)" }
    var resp: String { group("RESP") }
    var other: String { group("OTHER") }
    func membership(_ identifier: String, in group: String) -> String { "annMemberUid=\(identifier),\(group)" }

    static func add(to server: some RulesTestServer) async throws -> ResponsibleGroups {
        let layout = server.layout
        let groups = ResponsibleGroups(layout: layout)
        let result = try await CommandLineTool.run("ldapmodify", [
            "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password,
        ], input: """
            dn: \(groups.convention)
            changetype: modify
            add: annGrantedProfile
            annGrantedProfile: \(groups.profileT2)

            dn: \(groups.resp)
            changetype: add
            objectClass: annGroup
            cn: RESP
            annLabel: Groupe de Justine
            annOpenDate: 20200101000000Z
            annResponsible: \(groups.responsible)
            annRole: \(groups.profileT1)

            dn: \(groups.other)
            changetype: add
            objectClass: annGroup
            cn: OTHER
            annLabel: Autre groupe
            annOpenDate: 20200101000000Z
            annResponsible: \(groups.administrator)
            annRole: \(groups.profileT1)
            annRole: \(groups.profileT2)

            dn: \(groups.membership("XXX0606XX06", in: groups.resp))
            changetype: add
            objectClass: annMembership
            annMemberUid: XXX0606XX06
            annMember: \(layout.user("XXX0606XX06"))
            annOpenDate: 20200101000000Z

            dn: \(groups.membership("XXX0606XX08", in: groups.other))
            changetype: add
            objectClass: annMembership
            annMemberUid: XXX0606XX08
            annMember: \(layout.user("XXX0606XX08"))
            annOpenDate: 20200101000000Z

            """)
        try #require(result.status == 0, "adding the responsible's groups: \(result.error)")
        return groups
    }
}
