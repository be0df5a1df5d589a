import AnnuaireTestSupport
import Habilitations
import Testing

/// R7 and the lockout policy at bind time: a closed user, a user before its
/// open date and a locked account all get invalidCredentials (49), exactly
/// like a wrong password.
@Suite("Bind refusals (R7, lockout)")
struct BindRefusalTests {
    @Test("a user before its open date cannot bind; a locked account cannot bind even with the right password")
    func refusals() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let future = layout.user("FUT0000001")
            let add = try await CommandLineTool.run("ldapmodify", [
                "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password,
            ], input: """
                dn: \(future)
                changetype: add
                objectClass: inetOrgPerson
                uid: FUT0000001
                cn: Futur USER
                sn: USER
                givenName: Futur
                mail: f.user@partenaire.fr
                annOpenDate: 20990101000000Z
                userPassword: Futur-Secret-2026

                """)
            #expect(add.status == 0, "\(add.error)")
            let early = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", future, "-w", "Futur-Secret-2026"])
            #expect(early.status == 49)

            let dn = layout.user("XXX0606XX10")
            for _ in 0..<5 {
                let wrong = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", "wrong-password"])
                #expect(wrong.status == 49)
            }
            let locked = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", DemoDirectory.password])
            #expect(locked.status == 49)
            #expect(!locked.error.lowercased().contains("lock"))
            let lockedWithControl = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", DemoDirectory.password, "-e", "ppolicy"])
            #expect(lockedWithControl.status == 49)
            // Never accountLocked: slapd says it before it looks at the password (BindAnswersTests).
            #expect(!(lockedWithControl.output + lockedWithControl.error).contains("Account locked"))
        }
    }
}
