import AnnuaireTestSupport
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R6 end to end with ldap-utils: a temporary password mailed to the person,
/// a session that may only change it, the 24 hours measured on a controlled
/// clock, the quality policy ("forgot password", now a link: PasswordRecoveryTests).
@Suite("Temporary passwords and forgot password (R6)")
struct TemporaryPasswordTests {
    /// The temporary password in the last mail to `address`.
    static func temporaryPassword(in server: TestServer, to address: String) throws -> String {
        try server.mailedTemporaryPassword(to: address)
    }

    func reset(_ server: TestServer, _ identifier: String) async throws {
        let layout = server.directory.layout
        let result = try await CommandLineTool.run("ldappasswd", [
            "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password, layout.user(identifier),
        ])
        #expect(result.status == 0, "\(result.error)")
    }

    @Test("a temporary password opens a session that may only change it; ldappasswd changes it; then the new one works and the old one fails")
    func changeAfterReset() async throws {
        try await TestServer.with { server in
            let dn = server.directory.layout.user("XXX0606XX07")
            try await reset(server, "XXX0606XX07")
            let temporary = try Self.temporaryPassword(in: server, to: "j.lacroix@partenaire.fr")
            let who = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", temporary, "-e", "ppolicy"])
            #expect(who.status == 0, "\(who.error)")
            #expect((who.output + who.error).contains("Password must be changed"))
            // Annuaire asks slapd for the policy on every bind; a client that did not ask gets no policy control.
            let raw = try RawLDAPClient(port: server.port)
            try await raw.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(temporary.utf8))))))
            let bound = try #require(try await raw.receive())
            guard case .bindResponse(let response) = bound.operation else { throw EmbeddedSlapdTestError("expected a bind response") }
            #expect(response.result.code == .success)
            #expect(!bound.controls.contains { $0.oid == PasswordPolicyControl.oid }, "a policy control the client did not ask for")
            let search = try await CommandLineTool.run("ldapsearch", ["-x", "-H", server.url, "-D", dn, "-w", temporary, "-b", dn, "-s", "base"])
            #expect(search.status == 53)
            #expect(search.output.contains("R6 : cette session a été ouverte avec un mot de passe temporaire"))
            let weak = try await CommandLineTool.run("ldappasswd", ["-x", "-H", server.url, "-D", dn, "-w", temporary, "-a", temporary, "-s", "court"])
            #expect(weak.output.contains("Constraint violation (19)"))
            #expect(weak.output.contains("il en faut au moins 12"))
            let change = try await CommandLineTool.run("ldappasswd", ["-x", "-H", server.url, "-D", dn, "-w", temporary, "-a", temporary, "-s", "Nouveau-Mot-2026!"])
            #expect(change.status == 0, "\(change.output)")
            let fresh = try await CommandLineTool.run("ldapsearch", ["-x", "-LLL", "-H", server.url, "-D", dn, "-w", "Nouveau-Mot-2026!", "-b", dn, "-s", "base", "uid"])
            #expect(fresh.status == 0, "\(fresh.output)")
            #expect(fresh.output.contains("uid: XXX0606XX07"))
            let old = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", temporary])
            #expect(old.status == 49)
        }
    }

    @Test("R6 by ldapmodify: a temporary-password session deletes the current value and adds the new one; replace without the current value gets 19 and mustSupplyOldPassword; nobody sets another person's password by Modify")
    func changeByModify() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let dn = layout.user("XXX0606XX07")
            try await reset(server, "XXX0606XX07")
            let temporary = try Self.temporaryPassword(in: server, to: "j.lacroix@partenaire.fr")
            let replace = "dn: \(dn)\nchangetype: modify\nreplace: userPassword\nuserPassword: Nouveau-Mot-2026!\n"
            let refused = try await CommandLineTool.run(
                "ldapmodify", ["-x", "-H", server.url, "-D", dn, "-w", temporary, "-e", "ppolicy"], input: replace)
            #expect(refused.status == 19, "\(refused.output)\(refused.error)")
            #expect(refused.error.contains("must supply the current password"), "\(refused.error)")
            let wrongCurrent = "dn: \(dn)\nchangetype: modify\ndelete: userPassword\nuserPassword: not-the-current-one\n-\nadd: userPassword\nuserPassword: Nouveau-Mot-2026!\n"
            let wrong = try await CommandLineTool.run("ldapmodify", ["-x", "-H", server.url, "-D", dn, "-w", temporary], input: wrongCurrent)
            #expect(wrong.status == 49, "\(wrong.error)")
            let weak = "dn: \(dn)\nchangetype: modify\ndelete: userPassword\nuserPassword: \(temporary)\n-\nadd: userPassword\nuserPassword: court\n"
            let tooShort = try await CommandLineTool.run("ldapmodify", ["-x", "-H", server.url, "-D", dn, "-w", temporary], input: weak)
            #expect(tooShort.status == 19, "\(tooShort.error)")
            #expect(tooShort.error.contains("il en faut au moins 12"), "\(tooShort.error)")
            let safe = "dn: \(dn)\nchangetype: modify\ndelete: userPassword\nuserPassword: \(temporary)\n-\nadd: userPassword\nuserPassword: Nouveau-Mot-2026!\n"
            let changed = try await CommandLineTool.run("ldapmodify", ["-x", "-H", server.url, "-D", dn, "-w", temporary], input: safe)
            #expect(changed.status == 0, "\(changed.error)")
            let fresh = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", "Nouveau-Mot-2026!", "-e", "ppolicy"])
            #expect(fresh.status == 0, "\(fresh.error)")
            #expect(!(fresh.output + fresh.error).contains("Password must be changed"))
            let old = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", temporary])
            #expect(old.status == 49)
            // The stored value is slapd's hash, never the text sent.
            let stored = try await server.directory.store.read(dn, attributes: ["userPassword"])
            let hash = String(decoding: try #require(stored?.attributes.first { $0.type.lowercased() == "userpassword" }?.values.first), as: UTF8.self)
            #expect(hash.hasPrefix("{ARGON2}"), "\(hash.prefix(9))")

            // Another person's password: neither a colleague nor the administrator sets it by Modify.
            let other = layout.user("XXX0606XX08")
            let setOther = "dn: \(other)\nchangetype: modify\nreplace: userPassword\nuserPassword: Pris-En-Main-2026!\n"
            for binder in [dn, layout.user(DemoDirectory.administratorIdentifier)] {
                let password = binder == dn ? "Nouveau-Mot-2026!" : DemoDirectory.password
                let attempt = try await CommandLineTool.run("ldapmodify", ["-x", "-H", server.url, "-D", binder, "-w", password], input: setOther)
                #expect(attempt.status == 53, "\(attempt.error)")
                #expect(attempt.error.contains("R6"), "\(attempt.error)")
            }
            let untouched = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", other, "-w", DemoDirectory.password])
            #expect(untouched.status == 0, "\(untouched.error)")
        }
    }

    @Test("24 hours and one second later the temporary password fails with 49 and, with the control, passwordExpired")
    func expiresAfter24Hours() async throws {
        let clock = ManualClock(Date())
        try await TestServer.with(clock: clock) { server in
            let dn = server.directory.layout.user("XXX0606XX08")
            try await reset(server, "XXX0606XX08")
            let temporary = try Self.temporaryPassword(in: server, to: "n.dupont@partenaire.fr")
            clock.advance(by: 23 * 3600)
            let stillGood = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", temporary])
            #expect(stillGood.status == 0, "\(stillGood.error)")
            clock.advance(by: 3600 + 60)
            let expired = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", temporary, "-e", "ppolicy"])
            #expect(expired.status == 49)
            #expect((expired.output + expired.error).contains("Password expired"))
        }
    }

    @Test("the create-user workflow mails the identifier and a temporary password to the new person")
    func createUserMails() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let client = try RawLDAPClient(port: server.port)
            let admin = layout.user(DemoDirectory.administratorIdentifier)
            try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(name: admin, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
            _ = try await client.receive()
            let request = CreateUserRequest(
                convention: convention, group: "cn=T1,\(convention)", sn: "LAGARE", givenName: "Xavier", mail: "x.lagare@partenaires.fr",
                mailConfirmation: "x.lagare@partenaires.fr", workMode: "itinerant")
            try await client.send(LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: CreateUserRequest.oid, value: request.encoded()))))
            guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
                Issue.record("expected an extended response")
                return
            }
            #expect(response.result.code == .success, "\(response.result.diagnosticMessage)")
            let mails = try server.maildir.delivered().filter { $0.contains("To: x.lagare@partenaires.fr") }
            #expect(mails.count == 2)
            #expect(mails.contains { $0.contains("XXX0606XX12") && !$0.contains("mot de passe temporaire pour") })
            let temporary = try Self.temporaryPassword(in: server, to: "x.lagare@partenaires.fr")
            let who = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX12"), "-w", temporary])
            #expect(who.status == 0, "\(who.error)")
        }
    }

    @Test("R9: an administrator has a user's identifier mailed again; another partner's administrator cannot, nor a plain user of the same partner")
    func resendIdentifier() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let value = ForgotPasswordRequest(identifier: "XXX0606XX07").encoded()
            /// Binds on a new connection (the bind must succeed), then asks for the resend.
            func resend(as dn: String, password: String) async throws -> LDAPResult {
                let client = try RawLDAPClient(port: server.port)
                try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(
                    name: dn, authentication: .simple(password: Array(password.utf8))))))
                guard case .bindResponse(let bound) = try #require(try await client.receive()).operation else {
                    throw EmbeddedSlapdTestError("expected a bind response")
                }
                try #require(bound.result.code == .success, "bind as \(dn): \(bound.result.diagnosticMessage)")
                try await client.send(LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: HabilitationService.resendIdentifierOID, value: value))))
                guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
                    throw EmbeddedSlapdTestError("expected an extended response")
                }
                return response.result
            }

            let allowed = try await resend(as: layout.user(DemoDirectory.administratorIdentifier), password: DemoDirectory.password)
            #expect(allowed.code == .success, "\(allowed.diagnosticMessage)")
            let mails = try server.maildir.delivered()
            #expect(mails.count == 1)
            #expect(mails.first?.contains("To: j.lacroix@partenaire.fr") == true)
            #expect(mails.first?.contains("XXX0606XX07") == true)

            // An administrator, but of another partner's convention: the person is out of its sight,
            // the answer of a missing user (R8, R9).
            let other = try await OtherPartner.add(to: server)
            let otherPartner = try await resend(as: other.administrator, password: OtherPartner.password)
            #expect(otherPartner.code == .noSuchObject, "\(otherPartner.code): \(otherPartner.diagnosticMessage)")
            // A user of the same partner who administers nothing: a colleague is out of its sight too.
            let plainUser = try await resend(as: layout.user("XXX0606XX06"), password: DemoDirectory.password)
            #expect(plainUser.code == .noSuchObject, "\(plainUser.code): \(plainUser.diagnosticMessage)")
            #expect(try server.maildir.delivered().count == 1)
        }
    }
}
