import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R8, a group's responsible: which groups a user manages (`annManages`),
/// computed on a convention in memory (pure: no slapd needed).
@Suite("R8: groups managed by their responsible (annManages), in memory")
struct ManagedGroupsTests {
    let layout = DirectoryLayout()
    var conventionDN: String { "cn=CONV-1,cn=PART,\(layout.partners)" }
    let now = GeneralizedTime.date("20260601120000Z") ?? Date()

    func name(_ dn: String) throws -> DistinguishedName { try DistinguishedName(dn) }
    func group(_ code: String) -> String { "cn=\(code),\(conventionDN)" }

    func world() throws -> ConventionWorld {
        var world = ConventionWorld(name: try name(conventionDN), convention: EntrySnapshot(dn: conventionDN, attributes: [
            PartialAttribute(type: "objectClass", strings: ["annConvention"]),
            PartialAttribute(type: "annOpenDate", strings: ["20200101000000Z"]),
        ]))
        for (uid, extra) in [("RESP1", [PartialAttribute]()), ("RESP2", []), ("GONE", [PartialAttribute(type: "annCloseDate", strings: ["20250101000000Z"])])] {
            let dn = layout.user(uid)
            world.users[try name(dn)] = EntrySnapshot(dn: dn, attributes: [
                PartialAttribute(type: "uid", strings: [uid]),
                PartialAttribute(type: "annConvention", strings: [conventionDN]),
                PartialAttribute(type: "annOpenDate", strings: ["20200101000000Z"]),
                // A group of another convention it manages: kept as it is.
                PartialAttribute(type: "annManages", strings: ["cn=ELSEWHERE,cn=CONV-2,cn=PART2,\(layout.partners)"]),
            ] + extra)
        }
        func add(_ code: String, responsible: String, parent: String? = nil, close: String? = nil) throws {
            world.groups[try name(group(code))] = EntrySnapshot(dn: group(code), attributes: [
                PartialAttribute(type: "objectClass", strings: ["annGroup"]),
                PartialAttribute(type: "cn", strings: [code]),
                PartialAttribute(type: "annOpenDate", strings: ["20200101000000Z"]),
                PartialAttribute(type: "annResponsible", strings: [layout.user(responsible)]),
                PartialAttribute(type: "annParentGroup", strings: parent.map { [group($0)] } ?? []),
                PartialAttribute(type: "annCloseDate", strings: close.map { [$0] } ?? []),
            ])
        }
        try add("TOP", responsible: "RESP1")
        try add("SUB", responsible: "RESP2", parent: "TOP")
        try add("SUBSUB", responsible: "RESP2", parent: "SUB", close: "20250101000000Z")
        try add("SHUT", responsible: "RESP2", close: "20250101000000Z")
        try add("SHUTCHILD", responsible: "RESP1", parent: "SHUT")
        try add("GONEG", responsible: "GONE")
        try add("LOOP1", responsible: "RESP2", parent: "LOOP2")
        try add("LOOP2", responsible: "RESP2", parent: "LOOP1")
        return world
    }

    @Test("R8: a responsible manages its open groups and all their subgroups (closed ones too); not a closed group, nor a group below a closed parent; a closed user manages nothing; parent cycles end")
    func managed() throws {
        let managed = try world().managedGroups(at: now)
        #expect(managed[try name(layout.user("RESP1"))] == Set(try ["TOP", "SUB", "SUBSUB"].map { try name(group($0)) }))
        #expect(managed[try name(layout.user("RESP2"))] == Set(try ["SUB", "SUBSUB"].map { try name(group($0)) }))
        #expect(managed[try name(layout.user("GONE"))] == nil)
    }

    @Test("R8: annManages is derived for this convention's groups, the values of other conventions kept, and follows a change of responsible")
    func derived() throws {
        var world = try world()
        func annManages(_ uid: String) throws -> [String]? {
            let dn = layout.user(uid)
            let change = world.derivedChanges(at: now).first { $0.dn == dn }?.changes.first { $0.modification.type == "annManages" }
            return change?.modification.stringValues.map { $0.lowercased() }
        }
        let elsewhere = "cn=ELSEWHERE,cn=CONV-2,cn=PART2,\(layout.partners)".lowercased()
        #expect(try annManages("RESP1") == [elsewhere] + ["SUB", "SUBSUB", "TOP"].map { group($0).lowercased() }.sorted())
        #expect(try annManages("GONE") == nil, "only the other convention's value: nothing to change")
        // TOP handed over to RESP2: RESP1 keeps only what it manages elsewhere.
        let top = try name(group("TOP"))
        var entry = try #require(world.groups[top])
        entry.set("annResponsible", [layout.user("RESP2")])
        world.update(top, entry, kind: .group(convention: try name(conventionDN)))
        #expect(try annManages("RESP1") == nil)
        #expect(try annManages("RESP2")?.contains(group("TOP").lowercased()) == true)
        #expect(world.groups(managedBy: try name(layout.user("RESP1")), at: now).isEmpty)
    }
}
