import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Logging
import Testing

/// The rules decided in Swift (R2, R3, R5, R7, the R8 allow-lists and the
/// derivation of member/memberOf/annHabilitation), tested in process on the
/// demo directory held in memory: no slapd, no socket, so these run in
/// parallel in milliseconds. What only slapd decides (filters on real
/// indexes, ppolicy, transactions, restarts) stays in the suites that start one.
@Suite("Rules in process, on a directory in memory")
struct InProcessRulesTests {
    let store: InMemoryDirectoryStore
    let service: HabilitationService
    let layout = DirectoryLayout()
    let folder: URL
    let maildir: MaildirTransport
    /// 3 December 2026, 10:00 UTC, moved by the tests of dates.
    let clock = ManualClock(Date(timeIntervalSince1970: 1_796_292_000))

    var convention: String { "cn=CONV-0606-001,cn=PART0606,\(layout.partners)" }
    var administrator: String { layout.user(DemoDirectory.administratorIdentifier) }

    init() async throws {
        store = try InMemoryDirectoryStore(suffix: layout.suffix)
        let base = try ProjectResources.render(TestDirectory.resources.baseTemplate, ["SUFFIX": layout.suffix])
        for case .add(let dn, let attributes) in try LDIFParser.parse(base) where (try DistinguishedName(dn)) != store.suffix {
            try await store.add(dn: dn, attributes: attributes, controls: [])
        }
        try await DemoDirectory.load(into: store, resources: TestDirectory.resources, layout: layout)
        folder = URL(fileURLWithPath: try TestDirectory.makeTemporaryFolder("rules"))
        maildir = try MaildirTransport(root: folder.appendingPathComponent("mail"))
        service = HabilitationService(
            store: store, layout: layout, clock: clock, mail: maildir, outbox: try MailOutbox(folder: folder.appendingPathComponent("outbox")),
            logger: Logger(label: "in-process-rules"))
    }

    func principal(_ dn: String) async throws -> Principal {
        let entry = try await store.read(dn, attributes: ["objectClass", "annAdministers", "annManages", "annServiceScope"])
        return try Principal.resolve(dn: dn, entry: entry.map(EntrySnapshot.init), layout: layout)
    }

    func values(_ dn: String, _ type: String) async throws -> Set<String> {
        let entry = try await store.read(dn, attributes: [type])
        return Set((entry?.values(of: type) ?? []).map { String(decoding: $0, as: UTF8.self).lowercased() })
    }

    func refusal(_ body: () async throws -> Void) async -> LDAPOperationError? {
        do {
            try await body()
            return nil
        } catch let error as LDAPOperationError {
            return error
        } catch {
            return LDAPOperationError(.other, "\(error)")
        }
    }

    func group(_ code: String, roles: [String] = []) -> [PartialAttribute] {
        [
            PartialAttribute(type: "objectClass", strings: ["annGroup"]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: "annLabel", strings: ["Groupe \(code)"]),
            PartialAttribute(type: "annResponsible", strings: [administrator]),
        ] + (roles.isEmpty ? [] : [PartialAttribute(type: "annRole", strings: roles)])
    }

    @Test("the demo loads with its derived state: T1's members hold memberOf and the T1 habilitation (R1, R5)")
    func demoDerived() async throws {
        let t1 = "cn=T1,\(convention)".lowercased()
        #expect(try await values(layout.user("XXX0606XX06"), "memberOf").contains { $0.replacingOccurrences(of: " ", with: "") == t1 })
        #expect(!(try await values(layout.user("XXX0606XX06"), "annHabilitation")).isEmpty)
        #expect(try await values(layout.user("XXX0606XX09"), "memberOf").isEmpty, "the closed user is no member (R7)")
    }

    @Test("R3: a group may hold only roles its convention grants; R2: a group code is unique in its convention")
    func groupRules() async throws {
        let admin = try await principal(administrator)
        let ungranted = await refusal {
            _ = try await service.add(
                dn: "cn=G1,\(convention)", attributes: group("G1", roles: ["cn=SUPERVISEUR,cn=SUPCDAP,\(layout.services)"]), by: admin, controls: [])
        }
        #expect(ungranted?.code == .constraintViolation && ungranted?.result.diagnosticMessage.contains("R3") == true, "\(String(describing: ungranted))")
        _ = try await service.add(dn: "cn=G1,\(convention)", attributes: group("G1", roles: ["cn=T1,cn=CDAP,\(layout.services)"]), by: admin, controls: [])
        let again = await refusal { _ = try await service.add(dn: "cn=G1,\(convention)", attributes: group("G1"), by: admin, controls: []) }
        #expect(again?.code == .entryAlreadyExists, "\(String(describing: again))")
    }

    @Test("R5: attaching a person derives member, memberOf and annHabilitation in the same write; closing the membership takes them back")
    func membershipDerivation() async throws {
        let admin = try await principal(administrator)
        let profile = "cn=T1,cn=CDAP,\(layout.services)"
        let g = "cn=G2,\(convention)"
        _ = try await service.add(dn: g, attributes: group("G2", roles: [profile]), by: admin, controls: [])
        let person = layout.user("XXX0606XX10")
        let membership = "annMemberUid=XXX0606XX10,\(g)"
        _ = try await service.add(dn: membership, attributes: [
            PartialAttribute(type: "objectClass", strings: ["annMembership"]),
            PartialAttribute(type: "annMemberUid", strings: ["XXX0606XX10"]),
            PartialAttribute(type: "annMember", strings: [person]),
        ], by: admin, controls: [])
        #expect(try await values(person, "memberOf").contains(g.lowercased()))
        #expect(try await values(g, "member").contains(person.lowercased()))
        #expect(try await values(person, "annHabilitation").contains(profile.lowercased()))
        // Closed on the day it opened: it never counts.
        let opened = try #require(try await values(membership, "annOpenDate").first)
        _ = try await service.modify(dn: membership, changes: [
            .init(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [opened.uppercased()])),
        ], by: admin, controls: [])
        #expect(!(try await values(person, "memberOf")).contains(g.lowercased()))
        #expect(!(try await values(g, "member")).contains(person.lowercased()))
    }

    @Test("R8 allow-lists: an administrator and a person are each held to what their role may set on their own entries, and nothing changes on a refusal", arguments: [
        ("annAdministers", "cn=CONV-2,cn=PART2,ou=partners,dc=annuaire,dc=local"), ("annServiceScope", "cn=CDAP,ou=services,dc=annuaire,dc=local"),
        ("uidNumber", "0"), ("objectClass", "annOperator"), ("pwdPolicySubentry", "cn=default,ou=policies,dc=annuaire,dc=local"),
        ("pwdAccountLockedTime", "000001010000Z"), ("annCloseDate", "29991231000000Z"), ("memberOf", "cn=X,dc=annuaire,dc=local"),
    ])
    func allowLists(type: String, value: String) async throws {
        for who in [administrator, layout.user("XXX0606XX06")] {
            let actor = try await principal(who)
            let before = try await store.read(who, attributes: ["*", "+"])
            let refused = await refusal {
                _ = try await service.modify(dn: who, changes: [.init(operation: .add, modification: PartialAttribute(type: type, strings: [value]))], by: actor, controls: [])
            }
            #expect(refused != nil && [.insufficientAccessRights, .constraintViolation, .unwillingToPerform].contains(refused?.code), "\(who) \(type): \(String(describing: refused))")
            let after = try await store.read(who, attributes: ["*", "+"])
            #expect(after?.attributes.map(\.type) == before?.attributes.map(\.type), "\(who) \(type): the entry changed")
        }
        // What an administrator may set on a person of its convention goes through.
        let admin = try await principal(administrator)
        _ = try await service.modify(dn: layout.user("XXX0606XX06"), changes: [
            .init(operation: .replace, modification: PartialAttribute(type: "telephoneNumber", strings: ["0102030405"])),
        ], by: admin, controls: [])
        #expect(try await values(layout.user("XXX0606XX06"), "telephoneNumber") == ["0102030405"])
    }

    @Test("R4: create-user gives the next identifier from the counter, creates the person and its membership, and mails it; a mistyped confirmation is refused and nothing is created")
    func createUser() async throws {
        let admin = try await principal(administrator)
        let before = store.count
        let mistyped = await refusal {
            _ = try await service.createUser(CreateUserRequest(
                convention: convention, group: "cn=T1,\(convention)", sn: "LEGER", givenName: "Anne", mail: "a.leger@partenaire.fr",
                mailConfirmation: "a.leger@partenaire.com", workMode: "sedentary"), by: admin)
        }
        #expect(mistyped?.code == .constraintViolation && mistyped?.result.diagnosticMessage.contains("R4") == true, "\(String(describing: mistyped))")
        #expect(store.count == before)
        let created = try await service.createUser(CreateUserRequest(
            convention: convention, group: "cn=T1,\(convention)", sn: "LEGER", givenName: "Anne", mail: "a.leger@partenaire.fr",
            mailConfirmation: "a.leger@partenaire.fr", workMode: "sedentary"), by: admin)
        #expect(created.identifier.hasPrefix("XXX0606XX"), "\(created.identifier)")
        #expect(try await values(created.dn, "memberOf").contains("cn=T1,\(convention)".lowercased()))
        await service.passwords.drainOutbox()
        #expect(try maildir.delivered().contains { $0.contains("To: a.leger@partenaire.fr") })
    }

    @Test("R5, R7: a membership that opens tomorrow counts from tomorrow, when the due reconciliation runs")
    func dueMembership() async throws {
        let admin = try await principal(administrator)
        let person = layout.user("XXX0606XX10")
        let g = "cn=G3,\(convention)"
        _ = try await service.add(dn: g, attributes: group("G3"), by: admin, controls: [])
        let tomorrow = GeneralizedTime.string(GeneralizedTime.startOfDay(clock.now.addingTimeInterval(86_400)))
        _ = try await service.add(dn: "annMemberUid=XXX0606XX10,\(g)", attributes: [
            PartialAttribute(type: "objectClass", strings: ["annMembership"]),
            PartialAttribute(type: "annMemberUid", strings: ["XXX0606XX10"]),
            PartialAttribute(type: "annMember", strings: [person]),
            PartialAttribute(type: "annOpenDate", strings: [tomorrow]),
        ], by: admin, controls: [])
        #expect(!(try await values(person, "memberOf")).contains(g.lowercased()), "pending today")
        let start = clock.now
        clock.advance(by: 2 * 86_400)
        let changed = try await service.reconcileDue(since: start, until: clock.now)
        #expect(changed > 0)
        #expect(try await values(person, "memberOf").contains(g.lowercased()))
        #expect(try await values(g, "member").contains(person.lowercased()))
    }

    @Test("R8: an administrator is chosen among the convention's users, on the server: the operator's raw Modify giving annAdministers of a convention the person is not a user of is refused (19, R8) and nothing changes, as is taking the convention out of an administrator's annConvention; both in one Modify go through")
    func administratorIsAUserOfTheConvention() async throws {
        let op = try Principal(dn: layout.operatorAccount(DemoDirectory.operatorName), role: .operator)
        let other = "cn=CONV-0606-002,cn=PART0606,\(layout.partners)"
        _ = try await service.add(dn: other, attributes: [
            PartialAttribute(type: "objectClass", strings: ["annConvention"]),
            PartialAttribute(type: "cn", strings: ["CONV-0606-002"]),
            PartialAttribute(type: "annOpenDate", strings: ["20200101000000Z"]),
            PartialAttribute(type: "annGrantedProfile", strings: ["cn=T1,cn=CDAP,\(layout.services)"]),
        ], by: op, controls: [])
        func change(_ operation: ModifyRequest.Change.Operation, _ type: String, _ value: String) -> ModifyRequest.Change {
            .init(operation: operation, modification: PartialAttribute(type: type, strings: [value]))
        }
        let person = layout.user("XXX0606XX07")
        let before = try await store.read(person, attributes: ["*", "+"])
        let outside = await refusal { _ = try await service.modify(dn: person, changes: [change(.add, "annAdministers", other)], by: op, controls: []) }
        #expect(outside?.code == .constraintViolation && outside?.result.diagnosticMessage.hasPrefix("R8") == true, "\(String(describing: outside))")
        #expect(outside?.result.diagnosticMessage.contains(other) == true, "the message names the convention: \(String(describing: outside))")
        #expect(try await store.read(person, attributes: ["*", "+"])?.attributes.map { "\($0.type)=\($0.values)" } == before?.attributes.map { "\($0.type)=\($0.values)" }, "nothing changed")
        let taken = await refusal {
            _ = try await service.modify(dn: administrator, changes: [change(.replace, "annConvention", other)], by: op, controls: [])
        }
        #expect(taken?.code == .constraintViolation && taken?.result.diagnosticMessage.hasPrefix("R8") == true, "\(String(describing: taken))")
        #expect(try await values(administrator, "annConvention") == [convention.lowercased()])
        _ = try await service.modify(dn: person, changes: [change(.add, "annConvention", other), change(.add, "annAdministers", other)], by: op, controls: [])
        #expect(try await values(person, "annAdministers") == [other.lowercased()])
    }
}
