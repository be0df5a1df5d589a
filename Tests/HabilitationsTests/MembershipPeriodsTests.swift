import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R5 over time through plain LDAP (ldapmodify), as any client meets it:
/// an ended membership attached again is a new period with the old one in
/// the history; a future close date closes on that date (controlled clock);
/// an ended period is never reopened; a started membership keeps its open date.
@Suite("Membership periods (R5, R11)")
struct MembershipPeriodsTests {
    static let convention = "cn=CONV-0606-001,cn=PART0606,ou=partners,dc=annuaire,dc=local"
    static let membership = "annMemberUid=XXX0606XX06,cn=T1,\(convention)"

    func ldif(_ server: some RulesTestServer, _ text: String) async throws -> CommandResult {
        try await CommandLineTool.run(
            "ldapmodify", ["-x", "-H", server.url, "-D", server.layout.user(DemoDirectory.administratorIdentifier), "-w", DemoDirectory.password],
            input: text)
    }

    func memberOf(_ server: some RulesTestServer, _ identifier: String) async throws -> [String] {
        let entry = try await server.store.read(server.layout.user(identifier), attributes: ["memberOf"])
        return (entry?.values(of: "memberOf") ?? []).map { String(decoding: $0, as: UTF8.self).lowercased() }
    }

    func events(_ server: some RulesTestServer, action: String) async throws -> [EntrySnapshot] {
        try await server.store.searchAll(SearchQuery(
            base: server.layout.history, scope: .singleLevel,
            filter: "(&(annAction=\(action))(annTarget=\(Self.membership)))", attributes: ["*"])).map(EntrySnapshot.init)
    }

    @Test("a close date tomorrow closes tomorrow; then a later date is refused (R5); an Add attaches again, the ended period in the history")
    func closeThenAttachAgain() async throws {
        let today = GeneralizedTime.startOfDay(Date())
        let clock = ManualClock(today.addingTimeInterval(10 * 3600))
        try await InMemoryServer.with(clock: clock) { server in
            let tomorrow = GeneralizedTime.string(today.addingTimeInterval(24 * 3600))
            let close = try await ldif(server, "dn: \(Self.membership)\nchangetype: modify\nreplace: annCloseDate\nannCloseDate: \(tomorrow)\n")
            #expect(close.status == 0, "\(close.error)")
            #expect(try await memberOf(server, "XXX0606XX06").contains("cn=t1,\(Self.convention.lowercased())"))
            #expect(try await events(server, action: "close").count == 1)

            clock.advance(by: 24 * 3600)
            var next: String?
            repeat { next = try await server.habilitations.reconcile(after: next).next } while next != nil
            #expect(try await !memberOf(server, "XXX0606XX06").contains("cn=t1,\(Self.convention.lowercased())"))

            let later = GeneralizedTime.string(today.addingTimeInterval(30 * 24 * 3600))
            let reopen = try await ldif(server, "dn: \(Self.membership)\nchangetype: modify\nreplace: annCloseDate\nannCloseDate: \(later)\n")
            #expect(reopen.status == 19, "\(reopen.error)")
            #expect(reopen.error.contains("R5"), "\(reopen.error)")
            let removed = try await ldif(server, "dn: \(Self.membership)\nchangetype: modify\ndelete: annCloseDate\n")
            #expect(removed.status == 19, "\(removed.error)")

            let overlapping = try await ldif(server, """
                dn: \(Self.membership)
                changetype: add
                objectClass: annMembership
                annMemberUid: XXX0606XX06
                annMember: \(server.layout.user("XXX0606XX06"))
                annOpenDate: \(GeneralizedTime.string(today))

                """)
            #expect(overlapping.status == 19, "\(overlapping.error)")
            #expect(overlapping.error.contains("R5 : la nouvelle période ne peut pas s'ouvrir"), "\(overlapping.error)")
            let again = try await ldif(server, """
                dn: \(Self.membership)
                changetype: add
                objectClass: annMembership
                annMemberUid: XXX0606XX06
                annMember: \(server.layout.user("XXX0606XX06"))

                """)
            #expect(again.status == 0, "\(again.error)")
            #expect(try await memberOf(server, "XXX0606XX06").contains("cn=t1,\(Self.convention.lowercased())"))
            let reattached = try #require(try await events(server, action: "reattach").first)
            let changes = reattached.values("annChange").compactMap(HistoryChange.init(stored:))
            #expect(changes.contains(HistoryChange(attribute: "annCloseDate", old: [tomorrow], new: [])), "\(changes)")
            #expect(changes.contains(HistoryChange(attribute: "annOpenDate", old: ["20210720000000Z"], new: [GeneralizedTime.string(clock.now).prefix(8) + "000000Z"])), "\(changes)")
            #expect(reattached.values("annConcerns").map { $0.lowercased() } == [server.layout.user("XXX0606XX06").lowercased()])
            let twice = try await ldif(server, """
                dn: \(Self.membership)
                changetype: add
                objectClass: annMembership
                annMemberUid: XXX0606XX06
                annMember: \(server.layout.user("XXX0606XX06"))

                """)
            #expect(twice.status == 68, "\(twice.error)")
        }
    }

    @Test("R11: a group's modify records old and new values, never a derived value; closing and reopening are their own actions")
    func groupHistory() async throws {
        try await InMemoryServer.with { server in
            let group = "cn=T1,\(Self.convention)"
            let label = try await ldif(server, "dn: \(group)\nchangetype: modify\nreplace: annLabel\nannLabel: CDAP T1 (consultation)\n")
            #expect(label.status == 0, "\(label.error)")
            let closed = try await ldif(server, "dn: \(group)\nchangetype: modify\nreplace: annCloseDate\nannCloseDate: 20200101000000Z\n")
            #expect(closed.status == 0, "\(closed.error)")
            let reopened = try await ldif(server, "dn: \(group)\nchangetype: modify\ndelete: annCloseDate\n")
            #expect(reopened.status == 0, "\(reopened.error)")
            let all = try await server.store.searchAll(SearchQuery(
                base: server.layout.history, scope: .singleLevel, filter: "(annTarget=\(group))", attributes: ["*"])).map(EntrySnapshot.init)
            #expect(all.map { $0.value("annAction") ?? "" }.sorted() == ["close", "modify", "reopen"])
            let modify = try #require(all.first { $0.value("annAction") == "modify" })
            #expect(modify.values("annChange").compactMap(HistoryChange.init(stored:)) == [
                HistoryChange(attribute: "annLabel", old: ["CDAP T1"], new: ["CDAP T1 (consultation)"]),
            ])
            #expect(all.allSatisfy { event in
                event.values("annChange").compactMap(HistoryChange.init(stored:)).allSatisfy { !["member", "annStatus", "annLevel"].contains($0.attribute) }
            })
        }
    }
}
