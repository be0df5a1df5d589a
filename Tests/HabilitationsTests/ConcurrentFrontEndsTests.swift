import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// Several Annuaire front-ends writing to one directory (issue #4): each has
/// its own `HabilitationService` (its own write gate) and its own connections
/// to the same slapd, like two `annuaire serve --backend` processes. Their
/// writes race on the same groups and on users that belong to two
/// conventions; the concurrency guard (RFC 4528 assertions on entryCSN in
/// RFC 5805 transactions) must leave the materialised state (R1, R5) exactly
/// what the memberships imply, with no reconciler run in between.
@Suite("Several front-ends on one directory")
struct ConcurrentFrontEndsTests {
    struct FrontEnd {
        let store: OpenLDAPStore
        let service: HabilitationService

        static func start(on directory: TestDirectory, name: String) throws -> FrontEnd {
            let store = OpenLDAPStore(configuration: .init(endpoint: directory.slapd.endpoint, dataConnections: 4, bindConnections: 1))
            let root = directory.dataDirectory.root.appendingPathComponent(name)
            let service = HabilitationService(
                store: store, layout: directory.layout, mail: try MaildirTransport(root: root.appendingPathComponent("mail")),
                outbox: try MailOutbox(folder: root.appendingPathComponent("outbox")), logger: TestDirectory.logger)
            return FrontEnd(store: store, service: service)
        }
    }

    static let users = 10

    @Test("R1, R5: two front-ends attach the same users to a group of each of two conventions at once; member, memberOf and annHabilitation lose nothing, the races are retried")
    func racingFrontEnds() async throws {
        try await TestDirectory.with { directory in
            let first = try FrontEnd.start(on: directory, name: "front-end-1")
            let second = try FrontEnd.start(on: directory, name: "front-end-2")
            do {
                try await Self.race(directory, first, second)
            } catch {
                await first.store.shutdown()
                await second.store.shutdown()
                throw error
            }
            await first.store.shutdown()
            await second.store.shutdown()
        }
    }

    static func race(_ directory: TestDirectory, _ first: FrontEnd, _ second: FrontEnd) async throws {
        do {
            let layout = directory.layout
            let operatorPrincipal = try Principal(dn: layout.operatorAccount(DemoDirectory.operatorName), role: .operator)
            let profileT1 = "cn=T1,cn=CDAP,\(layout.services)"
            let conventionA = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let groupA = "cn=T1,\(conventionA)"
            let conventionB = "cn=CONV-2,cn=PART2,\(layout.partners)"
            let groupB = "cn=B1,\(conventionB)"

            // A second partner whose convention grants the same profile, a group there, and users of both conventions.
            let setup = first.service
            func add(_ dn: String, _ attributes: [String: [String]]) async throws {
                _ = try await setup.add(
                    dn: dn, attributes: attributes.map { PartialAttribute(type: $0.key, strings: $0.value) }, by: operatorPrincipal, controls: [])
            }
            try await add("cn=PART2,\(layout.partners)", ["objectClass": ["annPartner"], "cn": ["PART2"], "annPartnerType": ["cn=COMMUNE,\(layout.partnerTypes)"]])
            try await add(conventionB, ["objectClass": ["annConvention"], "cn": ["CONV-2"], "annOpenDate": ["20200101000000Z"], "annGrantedProfile": [profileT1]])
            let users = (0..<Self.users).map { layout.user(String(format: "SHR%07d", $0)) }
            for (index, user) in users.enumerated() {
                try await add(user, [
                    "objectClass": ["inetOrgPerson"], "uid": [String(format: "SHR%07d", index)], "sn": ["PARTAGE\(index)"], "givenName": ["Camille"],
                    "cn": ["Camille PARTAGE\(index)"], "mail": ["c.partage\(index)@partenaire.fr"], "annConvention": [conventionA, conventionB],
                ])
            }
            try await add(groupB, [
                "objectClass": ["annGroup"], "cn": ["B1"], "annLabel": ["CDAP B1"], "annResponsible": [users[0]], "annRole": [profileT1],
            ])

            // Each user is attached to group A by one front-end and to group B by the other, at the same time.
            func attach(_ frontEnd: FrontEnd, _ user: String, to group: String) async throws {
                let uid = String(user.dropFirst("uid=".count).prefix { $0 != "," })
                _ = try await frontEnd.service.add(
                    dn: "annMemberUid=\(uid),\(group)",
                    attributes: [
                        PartialAttribute(type: "objectClass", strings: ["annMembership"]), PartialAttribute(type: "annMemberUid", strings: [uid]),
                        PartialAttribute(type: "annMember", strings: [user]), PartialAttribute(type: "annOpenDate", strings: ["20200101000000Z"]),
                    ],
                    by: operatorPrincipal, controls: [])
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for (index, user) in users.enumerated() { try await attach(first, user, to: index.isMultiple(of: 2) ? groupA : groupB) }
                }
                group.addTask {
                    for (index, user) in users.enumerated() { try await attach(second, user, to: index.isMultiple(of: 2) ? groupB : groupA) }
                }
                try await group.waitForAll()
            }

            // Nothing left to derive in either convention: no write derived from a stale reading.
            let now = Date()
            for convention in [conventionA, conventionB] {
                let world = try await ConventionWorld.load(convention, store: directory.store, layout: layout)
                let pending = world.derivedChanges(at: now)
                #expect(pending.isEmpty, "\(convention): materialised state out of step: \(pending.map { "\($0.dn): \($0.changes.map(\.modification.type))" })")
            }
            let memberA = Set(try await Self.values(directory, groupA, "member").map { $0.lowercased() })
            let memberB = Set(try await Self.values(directory, groupB, "member").map { $0.lowercased() })
            for user in users {
                #expect(memberA.contains(user.lowercased()) && memberB.contains(user.lowercased()), "\(user) missing from a group's member")
                let memberOf = Set(try await Self.values(directory, user, "memberOf").map { $0.lowercased() })
                #expect(memberOf == [groupA.lowercased(), groupB.lowercased()], "\(user) memberOf \(memberOf)")
                #expect(try await Self.values(directory, user, "annHabilitation").map { $0.lowercased() } == [profileT1.lowercased()])
            }
            let conflicts = first.service.writeConflictsRetried + second.service.writeConflictsRetried
            #expect(conflicts > 0, "the two front-ends never raced: the test proved nothing")
            print("two front-ends, \(2 * Self.users) racing memberships: \(conflicts) writes prepared again after losing a race")

            // R1 with two conventions granting the same profile: the user keeps T1 through B when its
            // membership in A closes, and reconciling either convention changes nothing.
            let closed = "annMemberUid=SHR0000000,\(groupA)"
            _ = try await first.service.modify(
                dn: closed, changes: [.init(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: ["20210101000000Z"]))],
                by: operatorPrincipal, controls: [])
            #expect(try await Self.values(directory, users[0], "memberOf").map { $0.lowercased() } == [groupB.lowercased()])
            #expect(try await Self.values(directory, users[0], "annHabilitation").map { $0.lowercased() } == [profileT1.lowercased()])
            let pass = try await second.service.reconcile()
            #expect(pass.changed == 0, "a reconciliation after the writes found \(pass.changed) entries to change")
        }
    }

    static func values(_ directory: TestDirectory, _ dn: String, _ attribute: String) async throws -> [String] {
        try await directory.store.read(dn, attributes: [attribute])?.values(of: attribute).map { String(decoding: $0, as: UTF8.self) } ?? []
    }
}
