import AnnuaireTestSupport
import Glibc
import Habilitations
import Testing

/// The front-end driven by OpenLDAP's own command-line clients (ldap-utils),
/// as a newcomer would after `make run`.
@Suite("ldap-utils against the front-end")
struct LDAPUtilsInteropTests {
    static let password = DemoDirectory.password

    @Test("ldapwhoami prints the bound DN; a wrong password gives Invalid credentials (49)")
    func whoAmI() async throws {
        try await TestServer.with { server in
            let dn = server.directory.layout.user("XXX0606XX06")
            let good = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", Self.password])
            #expect(good.status == 0)
            #expect(good.output.trimmingCharacters(in: .whitespacesAndNewlines) == "dn:\(dn)")
            let bad = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", "not-the-password"])
            #expect(bad.status == 49)
            #expect(bad.error.contains("Invalid credentials (49)"))
            let anonymous = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url])
            #expect(anonymous.status == 0)
            #expect(anonymous.output.contains("anonymous"))
        }
    }

    @Test("a closed user (R7) and an unknown DN get the same Invalid credentials (49)")
    func closedAndUnknown() async throws {
        try await TestServer.with { server in
            for dn in [server.directory.layout.user(DemoDirectory.closedUserIdentifier), server.directory.layout.user("XXX0606XX99")] {
                let result = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", Self.password])
                #expect(result.status == 49)
                #expect(!result.error.contains("locked"))
            }
        }
    }

    @Test("ldapsearch (sn=DUP*) as the administrator returns DUPUIS and DUPONT with cn and mail")
    func searchDup() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let result = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-H", server.url, "-D", layout.user(DemoDirectory.administratorIdentifier), "-w", Self.password,
                "-b", layout.suffix, "(sn=DUP*)", "cn", "mail",
            ])
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("dn: \(layout.user("XXX0606XX06"))"))
            #expect(result.output.contains("dn: \(layout.user("XXX0606XX08"))"))
            #expect(result.output.contains("cn: Martin DUPUIS"))
            #expect(result.output.contains("mail: n.dupont@partenaire.fr"))
            #expect(!result.output.contains("userPassword"))
            #expect(result.output.components(separatedBy: "dn: ").count == 3)
        }
    }

    @Test("the root DSE is readable anonymously and advertises what works")
    func rootDSE() async throws {
        try await TestServer.with { server in
            let operational = try await CommandLineTool.run("ldapsearch", ["-x", "-LLL", "-H", server.url, "-b", "", "-s", "base", "+"])
            #expect(operational.status == 0)
            #expect(operational.output.contains("namingContexts: \(server.directory.layout.suffix)"))
            #expect(operational.output.contains("supportedLDAPVersion: 3"))
            #expect(operational.output.contains("supportedExtension: 1.3.6.1.4.1.4203.1.11.3"))
            #expect(operational.output.contains("subschemaSubentry: cn=Subschema"))
            #expect(!operational.output.contains("objectClass"))
            let plain = try await CommandLineTool.run("ldapsearch", ["-x", "-LLL", "-H", server.url, "-b", "", "-s", "base"])
            #expect(plain.output.contains("objectClass: top"))
            #expect(!plain.output.contains("namingContexts"))
        }
    }

    @Test("anonymous clients read the schema but not the data")
    func anonymousAccess() async throws {
        try await TestServer.with { server in
            let schema = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-o", "ldif-wrap=no", "-H", server.url, "-b", "cn=Subschema", "-s", "base", "objectClasses",
            ])
            #expect(schema.status == 0)
            #expect(schema.output.contains("NAME 'annGroup'"))
            let data = try await CommandLineTool.run("ldapsearch", ["-x", "-H", server.url, "-b", server.directory.layout.suffix, "(uid=*)"])
            #expect(data.status == 50)
            #expect(data.output.contains("R8 : un client anonyme ne lit que le root DSE"), "\(data.output)")
        }
    }

    @Test("unsupported requests get well-formed answers: unknown extended operation, SASL, unauthenticated bind")
    func unsupported() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let exop = try await CommandLineTool.run("ldapexop", ["-x", "-H", server.url, "1.2.3.4"])
            #expect(exop.status != 0)
            #expect(exop.error.contains("unsupported extended operation 1.2.3.4"))
            let sasl = try await CommandLineTool.run("ldapwhoami", ["-H", server.url, "-Y", "DIGEST-MD5", "-U", "x", "-w", "x"])
            #expect(sasl.status == 7)
            let unauthenticated = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX06")])
            #expect(unauthenticated.status == 53)
        }
    }

    @Test("slapd killed with SIGKILL comes back and the next search through the server works")
    func slapdRestart() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let arguments = [
                "-x", "-LLL", "-H", server.url, "-D", layout.user(DemoDirectory.administratorIdentifier), "-w", Self.password,
                "-b", layout.people, "-s", "one", "1.1",
            ]
            let before = try await CommandLineTool.run("ldapsearch", arguments)
            #expect(before.status == 0)
            let pid = try #require(server.directory.slapd.pid)
            kill(pid, SIGKILL)
            try await eventually { server.directory.slapd.restartCount > 0 && server.directory.slapd.pid != nil }
            let after = try await CommandLineTool.run("ldapsearch", arguments)
            #expect(after.status == 0, "\(after.error)")
            #expect(after.output == before.output)
        }
    }
}
