import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// Membership and user writes derive from a scoped world (the users they
/// touch, not the whole convention). After each write of a sequence that
/// mixes them with group writes (which derive from the whole convention),
/// the whole convention's derivation must find nothing left to change (R1,
/// R5, R7): the scoped derivation missed nothing.
@Suite("Scoped derivation")
struct ScopedDerivationTests {
    @Test("R5, R7: after each membership, user and group write, a whole-convention derivation finds nothing to change")
    func scopedWritesLeaveNothingToDerive() async throws {
        try await InMemoryServer.withDirectory { directory, root in
            let layout = directory.layout
            let service = HabilitationService(
                store: directory.store, layout: layout, mail: try MaildirTransport(root: root.appendingPathComponent("mail")),
                outbox: try MailOutbox(folder: root.appendingPathComponent("outbox")), logger: TestDirectory.logger)
            let op = try Principal(dn: layout.operatorAccount(DemoDirectory.operatorName), role: .operator)
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let profile = "cn=T1,cn=CDAP,\(layout.services)"
            let parent = "cn=P,\(convention)"
            let child = "cn=C,\(convention)"
            let martin = layout.user("XXX0606XX06")
            let justine = layout.user("XXX0606XX07")
            func replace(_ type: String, _ values: [String]) -> [ModifyRequest.Change] {
                [.init(operation: .replace, modification: PartialAttribute(type: type, strings: values))]
            }
            func add(_ dn: String, _ attributes: [String: [String]]) async throws {
                _ = try await service.add(dn: dn, attributes: attributes.map { PartialAttribute(type: $0.key, strings: $0.value) }, by: op, controls: [])
            }
            func membership(_ user: String, _ group: String) -> String {
                "annMemberUid=\(user.dropFirst(4).prefix { $0 != "," }),\(group)"
            }
            func attach(_ user: String, to group: String) async throws {
                try await add(membership(user, group), [
                    "objectClass": ["annMembership"], "annMemberUid": [String(user.dropFirst(4).prefix { $0 != "," })],
                    "annMember": [user], "annOpenDate": ["20200101000000Z"],
                ])
            }
            var step = 0
            func expectNothingToDerive(_ what: String) async throws {
                step += 1
                let world = try await ConventionWorld.load(convention, store: directory.store, layout: layout)
                let pending = world.derivedChanges(at: Date())
                #expect(pending.isEmpty, "step \(step), after \(what): \(pending.map { "\($0.dn): \($0.changes.map(\.modification.type))" })")
            }
            func memberOf(_ user: String) async throws -> Set<String> {
                Set(try await directory.store.read(user, attributes: ["memberOf"])?.values(of: "memberOf").map { String(decoding: $0, as: UTF8.self).lowercased() } ?? [])
            }

            _ = try await service.reconcile()
            try await add(parent, ["objectClass": ["annGroup"], "cn": ["P"], "annLabel": ["Parent"], "annOpenDate": ["20200101000000Z"], "annResponsible": [layout.user("XXX0606XX01")], "annRole": [profile]])
            try await add(child, [
                "objectClass": ["annGroup"], "cn": ["C"], "annLabel": ["Child"], "annOpenDate": ["20200101000000Z"], "annResponsible": [layout.user("XXX0606XX01")],
                "annRole": [profile], "annParentGroup": [parent],
            ])
            try await expectNothingToDerive("two groups")
            try await attach(martin, to: child)
            try await expectNothingToDerive("a membership in the subgroup")
            #expect(try await memberOf(martin).contains(child.lowercased()))
            _ = try await service.modify(dn: parent, changes: replace("annCloseDate", ["20210101000000Z"]), by: op, controls: [])
            try await expectNothingToDerive("closing the parent group")
            #expect(try await !memberOf(martin).contains(child.lowercased()), "R5: a closed parent closes its subgroups' memberships")
            try await attach(justine, to: child)
            try await expectNothingToDerive("a membership in the subgroup of a closed parent")
            _ = try await service.modify(dn: parent, changes: replace("annCloseDate", []), by: op, controls: [])
            try await expectNothingToDerive("reopening the parent group")
            #expect(try await memberOf(justine).contains(child.lowercased()))
            _ = try await service.modify(dn: membership(martin, child), changes: replace("annCloseDate", ["20210101000000Z"]), by: op, controls: [])
            try await expectNothingToDerive("closing a membership")
            _ = try await service.modify(dn: justine, changes: replace("annCloseDate", ["20210101000000Z"]), by: op, controls: [])
            try await expectNothingToDerive("closing a user (R7)")
            #expect(try await memberOf(justine).isEmpty)
            _ = try await service.modify(dn: justine, changes: replace("annCloseDate", []), by: op, controls: [])
            try await expectNothingToDerive("reopening the user")
            _ = try await service.delete(dn: membership(justine, child), by: op, controls: [])
            try await expectNothingToDerive("deleting a membership")
            #expect(try await memberOf(justine) == ["cn=t1,\(convention.lowercased())"])
            // The group's last membership: slapd 2.5.13 fails a transaction that leaves a parent childless,
            // so it is closed in the transaction and deleted just after (LastChildDeletion).
            _ = try await service.delete(dn: membership(martin, child), by: op, controls: [])
            try await expectNothingToDerive("deleting the group's last membership")
            #expect(try await directory.store.read(membership(martin, child), attributes: ["1.1"]) == nil)
            let created = try await service.createUser(
                CreateUserRequest(
                    convention: convention, group: child, sn: "NOUVEAU", givenName: "Léa", mail: "l.nouveau@partenaire.fr",
                    mailConfirmation: "l.nouveau@partenaire.fr", workMode: "itinerant"),
                by: op)
            try await expectNothingToDerive("creating a user in the subgroup")
            #expect(try await memberOf(created.dn) == [child.lowercased()])
        }
    }
}
