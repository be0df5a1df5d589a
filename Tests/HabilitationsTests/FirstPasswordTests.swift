import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// Issue #16, item 1 (R4, R6, R9): a user whose open date is in the future
/// gets its identifier at creation and its first temporary password on its
/// open date, so that the 24 hours start when the account opens; the
/// identifier mailed again (R9) has its own text and a closed person gets none.
@Suite("First password on the open date; identifier mailed again (R6, R9)")
struct FirstPasswordTests {
    static let convention = "cn=CONV-0606-001,cn=PART0606,ou=partners,dc=annuaire,dc=local"

    static func administrator(_ layout: DirectoryLayout) throws -> Principal {
        try Principal(dn: layout.user(DemoDirectory.administratorIdentifier), role: .partnerAdministrator(conventions: [DistinguishedName(convention)]))
    }

    @Test("open date tomorrow: the identifier now, the password mail tomorrow (controlled clock); it opens a session that changes it within 24 hours")
    func passwordOnOpenDate() async throws {
        // The manual clock runs a day behind: "tomorrow" for it is today for slapd, which enforces pwdStartTime on the real clock.
        let today = GeneralizedTime.startOfDay(Date())
        let clock = ManualClock(today.addingTimeInterval(-12 * 3600))
        try await TestServer.with(clock: clock) { server in
            let layout = server.layout
            let created = try await server.habilitations.createUser(CreateUserRequest(
                convention: Self.convention, group: "cn=T1,\(Self.convention)", sn: "LAGARE", givenName: "Xavier",
                mail: "x.lagare@partenaires.fr", mailConfirmation: "x.lagare@partenaires.fr", workMode: "sedentary",
                openDate: GeneralizedTime.string(today)), by: try Self.administrator(layout))
            let mails = try server.maildir.delivered()
            #expect(mails.count == 1, "\(mails)")
            #expect(mails.first?.contains(created.identifier) == true)
            #expect(mails.first?.contains("Un compte a été créé pour vous") == true)
            #expect(mails.first?.contains("Votre compte ouvrira le \(GeneralizedTime.display(today))") == true, "\(mails)")
            #expect(throws: (any Error).self) { try server.mailedTemporaryPassword(to: "x.lagare@partenaires.fr") }
            // Not yet: the outbox keeps the job, and a drain before the open date sends nothing.
            #expect(await server.habilitations.passwords.drainOutbox() == 0)
            #expect(try server.maildir.delivered().count == 1)

            clock.set(today.addingTimeInterval(60))
            #expect(await server.habilitations.passwords.drainOutbox() == 1)
            let temporary = try server.mailedTemporaryPassword(to: "x.lagare@partenaires.fr")
            #expect(await server.habilitations.passwords.drainOutbox() == 0, "the job left the outbox once delivered")
            clock.advance(by: 23 * 3600)
            let who = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", created.dn, "-w", temporary, "-e", "ppolicy"])
            #expect(who.status == 0, "\(who.output)\(who.error)")
            #expect((who.output + who.error).contains("Password must be changed"))
            let change = try await CommandLineTool.run("ldappasswd", ["-x", "-H", server.url, "-D", created.dn, "-w", temporary, "-a", temporary, "-s", "Nouveau-Mot-2026!"])
            #expect(change.status == 0, "\(change.output)\(change.error)")
            // R11: the person's own change is recorded, without any value.
            let events = try await server.store.searchAll(SearchQuery(
                base: layout.history, scope: .singleLevel, filter: "(&(annAction=change-password)(annTarget=\(created.dn)))", attributes: ["*"]))
            #expect(events.count == 1)
            #expect(events.first?.values(of: "annChange").isEmpty == true)
        }
    }

    @Test("an open user created today gets both mails at once, as before")
    func openToday() async throws {
        try await InMemoryServer.with { server in
            let created = try await server.habilitations.createUser(CreateUserRequest(
                convention: Self.convention, group: "cn=T1,\(Self.convention)", sn: "LAGARE", givenName: "Xavier",
                mail: "x.lagare@partenaires.fr", mailConfirmation: "x.lagare@partenaires.fr", workMode: "sedentary"),
                by: try Self.administrator(server.layout))
            #expect(try server.maildir.delivered().count == 2)
            #expect(try !server.mailedTemporaryPassword(to: "x.lagare@partenaires.fr").isEmpty)
            // R11: the creation records the person's fields and the group chosen, never a password.
            let event = try #require(try await server.store.searchAll(SearchQuery(
                base: server.layout.history, scope: .singleLevel, filter: "(&(annAction=create-user)(annTarget=\(created.dn)))",
                attributes: ["annChange"])).first)
            let changes = event.values(of: "annChange").compactMap { HistoryChange(stored: String(decoding: $0, as: UTF8.self)) }
            #expect(changes.contains(HistoryChange(attribute: "sn", old: [], new: ["LAGARE"])), "\(changes)")
            #expect(changes.contains(HistoryChange(attribute: "group", old: [], new: ["cn=T1,\(Self.convention)"])), "\(changes)")
            #expect(!changes.contains { $0.attribute.lowercased().contains("password") })
        }
    }

    @Test("R9: the identifier mailed again has the reminder's text, never the creation's; a closed person's is refused (R7)")
    func resendIdentifier() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let administrator = try Self.administrator(layout)
            try await server.habilitations.resendIdentifier(ForgotPasswordRequest(identifier: "XXX0606XX06").encoded(), by: administrator)
            let mail = try #require(try server.maildir.delivered().last)
            #expect(mail.contains("XXX0606XX06"))
            #expect(mail.contains("À la demande de votre administrateur"))
            #expect(!mail.contains("message séparé"), "the reminder announces no second mail")
            await #expect(throws: LDAPOperationError.self) {
                try await server.habilitations.resendIdentifier(ForgotPasswordRequest(identifier: DemoDirectory.closedUserIdentifier).encoded(), by: administrator)
            }
            do {
                try await server.habilitations.resendIdentifier(ForgotPasswordRequest(identifier: DemoDirectory.closedUserIdentifier).encoded(), by: administrator)
            } catch let error as LDAPOperationError {
                #expect(error.code == .constraintViolation)
                #expect(error.diagnosticMessage.hasPrefix("R9"), "\(error.diagnosticMessage)")
            }
            #expect(try server.maildir.delivered().count == 1)
        }
    }
}
