import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// The reconciler's periodic run between full passes (`reconcileDue`): it
/// finds what has an open or close date in the elapsed window and derives
/// only that, and must leave nothing for a full pass to change (R5, R7),
/// with a controllable clock, never by sleeping.
@Suite("Reconciling what falls due")
struct DueReconciliationTests {
    @Test("R5, R7: a membership that opens, a user and a group that close tomorrow are applied by the due run once the clock has moved; a later date waits; a full pass then changes nothing")
    func dueRunAppliesWhatTimeChanged() async throws {
        let today = GeneralizedTime.startOfDay(Date())
        let clock = ManualClock(today.addingTimeInterval(10 * 3600))
        try await TestServer.with(clock: clock) { server in
            let layout = server.directory.layout
            let service = server.habilitations
            let op = try Principal(dn: layout.operatorAccount(DemoDirectory.operatorName), role: .operator)
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let profile = "cn=T1,cn=CDAP,\(layout.services)"
            let tomorrow = GeneralizedTime.string(today.addingTimeInterval(24 * 3600))
            let inThreeDays = GeneralizedTime.string(today.addingTimeInterval(3 * 24 * 3600))
            func add(_ dn: String, _ attributes: [String: [String]]) async throws {
                _ = try await service.add(dn: dn, attributes: attributes.map { PartialAttribute(type: $0.key, strings: $0.value) }, by: op, controls: [])
            }
            func attach(_ identifier: String, to group: String, from date: String) async throws {
                try await add("annMemberUid=\(identifier),\(group)", [
                    "objectClass": ["annMembership"], "annMemberUid": [identifier], "annMember": [layout.user(identifier)], "annOpenDate": [date],
                ])
            }
            func memberOf(_ identifier: String) async throws -> Set<String> {
                Set(try await server.directory.store.read(layout.user(identifier), attributes: ["memberOf"])?.values(of: "memberOf")
                    .map { String(decoding: $0, as: UTF8.self).lowercased() } ?? [])
            }
            func status(_ dn: String) async throws -> String? {
                try await server.directory.store.read(dn, attributes: ["annStatus"])?.values(of: "annStatus").first.map { String(decoding: $0, as: UTF8.self) }
            }
            var next: String?
            repeat { next = try await service.reconcile(after: next).next } while next != nil

            let later = "cn=LATER,\(convention)"
            let ending = "cn=ENDING,\(convention)"
            for (group, close) in [(later, nil), (ending, tomorrow)] as [(String, String?)] {
                var attributes = [
                    "objectClass": ["annGroup"], "cn": [String(group.dropFirst(3).prefix { $0 != "," })], "annLabel": ["Groupe"],
                    "annOpenDate": ["20200101000000Z"], "annResponsible": [layout.user(DemoDirectory.administratorIdentifier)], "annRole": [profile],
                ]
                if let close { attributes["annCloseDate"] = [close] }
                try await add(group, attributes)
            }
            try await attach("XXX0606XX06", to: later, from: tomorrow)
            try await attach("XXX0606XX07", to: later, from: inThreeDays)
            try await attach("XXX0606XX10", to: ending, from: "20200101000000Z")
            _ = try await service.modify(
                dn: layout.user("XXX0606XX08"),
                changes: [.init(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [tomorrow]))], by: op, controls: [])
            #expect(try await !memberOf("XXX0606XX06").contains(later.lowercased()))
            #expect(try await memberOf("XXX0606XX10").contains(ending.lowercased()))
            #expect(try await status(layout.user("XXX0606XX08")) == "open")

            // Nothing falls due within the same instant.
            let before = clock.now
            #expect(try await service.reconcileDue(since: before, until: before) == 0)

            clock.advance(by: 24 * 3600)
            let changed = try await service.reconcileDue(since: before, until: clock.now)
            #expect(changed > 0)
            #expect(try await memberOf("XXX0606XX06").contains(later.lowercased()), "R5: the membership opened today")
            #expect(try await !memberOf("XXX0606XX07").contains(later.lowercased()), "R5: opens in three days, not yet")
            #expect(try await !memberOf("XXX0606XX10").contains(ending.lowercased()), "R5: the group closed today")
            #expect(try await status(ending) == "closed")
            #expect(try await status(layout.user("XXX0606XX08")) == "closed", "R7: the user's close date has come")
            #expect(try await memberOf("XXX0606XX08").isEmpty, "R7: a closed user is nobody's member")
            let afterDue = try await service.reconcile()
            #expect(afterDue.changed == 0, "the due run left \(afterDue.changed) entries for a full pass")

            let second = clock.now
            clock.advance(by: 2 * 24 * 3600)
            #expect(try await service.reconcileDue(since: second, until: clock.now) > 0)
            #expect(try await memberOf("XXX0606XX07").contains(later.lowercased()))
            #expect(try await service.reconcile().changed == 0)
        }
    }
}
