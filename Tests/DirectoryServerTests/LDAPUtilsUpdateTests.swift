import AnnuaireTestSupport
import Habilitations
import Testing

/// Add, Modify, Delete, Modify DN, Compare and the search controls through the
/// front-end, driven by ldap-utils (RFC 4511 §4.5–§4.10, RFC 2696, RFC 2891,
/// RFC 4527, RFC 4528).
@Suite("ldap-utils updates, compare and controls")
struct LDAPUtilsUpdateTests {
    static let password = DemoDirectory.password

    func operatorArguments(_ server: TestServer) -> [String] {
        ["-x", "-H", server.url, "-D", server.directory.layout.operatorAccount(DemoDirectory.operatorName), "-w", Self.password]
    }

    @Test("an operator adds, modifies, renames and deletes an entry; slapd's result codes come back")
    func operatorUpdates() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let base = operatorArguments(server)
            let dn = "uid=TEST0001,\(layout.people)"
            let add = try await CommandLineTool.run("ldapmodify", base, input: """
                dn: \(dn)
                changetype: add
                objectClass: inetOrgPerson
                objectClass: annUser
                uid: TEST0001
                cn: Alice TEST
                sn: TEST
                givenName: Alice
                mail: a.test@partenaire.fr

                """)
            #expect(add.status == 0, "\(add.error)")
            let again = try await CommandLineTool.run("ldapmodify", base, input: "dn: \(dn)\nchangetype: add\nobjectClass: inetOrgPerson\nuid: TEST0001\ncn: x\nsn: x\ngivenName: x\nmail: x.y@partenaire.fr\n")
            #expect(again.status == 68)
            let invalid = try await CommandLineTool.run("ldapmodify", base, input: "dn: cn=BROKEN,\(layout.partnerTypes)\nchangetype: add\nobjectClass: annPartnerType\nannLabel: x\nou: nope\n")
            #expect(invalid.status == 65)
            let modify = try await CommandLineTool.run("ldapmodify", base, input: "dn: \(dn)\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 04 00 00 00 99\n")
            #expect(modify.status == 0, "\(modify.error)")
            let read = try await CommandLineTool.run("ldapsearch", base + ["-LLL", "-b", dn, "-s", "base", "telephoneNumber"])
            #expect(read.output.contains("telephoneNumber: 04 00 00 00 99"))
            // Identifiers are never renamed (R4); other entries may be, by the operator.
            let renameUser = try await CommandLineTool.run("ldapmodrdn", base + ["-r", dn, "uid=TEST0003"])
            #expect(renameUser.status == 53)
            let rename = try await CommandLineTool.run("ldapmodrdn", base + ["-r", "cn=COMMUNE,\(layout.partnerTypes)", "cn=COMMUNES"])
            #expect(rename.status == 0, "\(rename.error)")
            let compare = try await CommandLineTool.run("ldapcompare", base + [dn, "sn:TEST"])
            #expect(compare.status == 6)
            #expect(compare.output.contains("TRUE"))
            let compareFalse = try await CommandLineTool.run("ldapcompare", base + [dn, "sn:OTHER"])
            #expect(compareFalse.status == 5)
            let delete = try await CommandLineTool.run("ldapdelete", base + [dn])
            #expect(delete.status == 0, "\(delete.error)")
            let missing = try await CommandLineTool.run("ldapdelete", base + [dn])
            #expect(missing.status == 32)
            #expect(missing.error.contains("matched DN: \(layout.people)"))
        }
    }

    @Test("a user may change only its own contact attributes; others and anonymous are refused with 50")
    func selfService() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let me = layout.user("XXX0606XX07")
            let mine = ["-x", "-H", server.url, "-D", me, "-w", Self.password]
            let phone = try await CommandLineTool.run("ldapmodify", mine, input: "dn: \(me)\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 06 11 11 11 11\n")
            #expect(phone.status == 0, "\(phone.error)")
            let mail = try await CommandLineTool.run("ldapmodify", mine, input: "dn: \(me)\nchangetype: modify\nreplace: mail\nmail: x@y.fr\n")
            #expect(mail.status == 50)
            // A password is changed with the current one (pwdSafeModify): a bare replace is a constraint violation.
            let password = try await CommandLineTool.run("ldapmodify", mine, input: "dn: \(me)\nchangetype: modify\nreplace: userPassword\nuserPassword: x\n")
            #expect(password.status == 19)
            #expect(password.error.contains("must supply the current password"))
            let passwordAndMail = try await CommandLineTool.run(
                "ldapmodify", mine, input: "dn: \(me)\nchangetype: modify\nreplace: mail\nmail: x@y.fr\n-\nreplace: userPassword\nuserPassword: x\n")
            #expect(passwordAndMail.status == 53)
            let other = try await CommandLineTool.run("ldapmodify", mine, input: "dn: \(layout.user("XXX0606XX06"))\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 1\n")
            // Another person is out of its sight: the answer of a missing entry (R8).
            #expect(other.status == 32)
            let delete = try await CommandLineTool.run("ldapdelete", mine + [layout.user("XXX0606XX06")])
            #expect(delete.status == 32)
            let anonymous = try await CommandLineTool.run("ldapdelete", ["-x", "-H", server.url, layout.user("XXX0606XX06")])
            #expect(anonymous.status == 50)
            let comparePassword = try await CommandLineTool.run("ldapcompare", mine + [me, "userPassword:\(Self.password)"])
            #expect(comparePassword.status == 50)
        }
    }

    @Test("ldapsearch -E pr=2/noprompt pages through the 7 demo people in 4 pages")
    func pagedResults() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let result = try await CommandLineTool.run("ldapsearch", operatorArguments(server) + [
                "-b", layout.people, "-s", "one", "-E", "pr=2/noprompt", "(objectClass=inetOrgPerson)", "uid",
            ])
            #expect(result.status == 0, "\(result.error)")
            let uids = result.output.split(separator: "\n").filter { $0.hasPrefix("uid: ") }
            #expect(Set(uids).count == 7)
            #expect(result.output.split(separator: "\n").filter { $0.hasPrefix("pagedresults: cookie=") }.count == 4)
        }
    }

    @Test("server-side sort (RFC 2891) orders by sn; the assertion control (RFC 4528) guards a modify")
    func sortAndAssertion() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let sorted = try await CommandLineTool.run("ldapsearch", operatorArguments(server) + [
                "-LLL", "-b", layout.people, "-s", "one", "-E", "!sss=sn:caseIgnoreOrderingMatch", "(objectClass=inetOrgPerson)", "sn",
            ])
            #expect(sorted.status == 0, "\(sorted.error)")
            let names = sorted.output.split(separator: "\n").filter { $0.hasPrefix("sn: ") }.map { String($0.dropFirst(4)) }
            #expect(names.count == 7)
            #expect(names == names.sorted())
            let dn = layout.user("XXX0606XX10")
            let refused = try await CommandLineTool.run("ldapmodify", operatorArguments(server) + ["-e", "!assert=(sn=NOTDURAND)"],
                input: "dn: \(dn)\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 07 00 01 00 01\n")
            #expect(refused.status == 122)
            let accepted = try await CommandLineTool.run("ldapmodify", operatorArguments(server) + ["-e", "!assert=(sn=DURAND)"],
                input: "dn: \(dn)\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 07 00 01 00 02\n")
            #expect(accepted.status == 0, "\(accepted.error)")
        }
    }

    @Test("post-read (RFC 4527) returns the changed entry without its password")
    func postRead() async throws {
        try await TestServer.with { server in
            let dn = server.directory.layout.user("XXX0606XX10")
            let result = try await CommandLineTool.run("ldapmodify", operatorArguments(server) + ["-e", "postread=*"],
                input: "dn: \(dn)\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 07 00 01 00 99\n")
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("telephoneNumber: 07 00 01 00 99"))
            #expect(!result.output.contains("userPassword"))
        }
    }
}
