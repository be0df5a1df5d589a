import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import LDAPProtocol
import Testing

/// The slapd 2.5.13 back-mdb defect `AttributeTablePrimer` works around: an
/// attribute type first stored by an operation of a transaction (RFC 5805)
/// that a later operation makes fail is left numbered in memory only, and the
/// next entry storing it becomes unreadable (80, "internal error").
@Suite("Attribute table primer")
struct AttributeTablePrimerTests {
    /// A transaction whose first request stores `type` on `dn` and whose second fails on its assertion (RFC 4528).
    static func failedTransaction(_ store: OpenLDAPStore, storing type: String, _ value: String, on dn: String, then other: String) async throws {
        let never = try AssertionControl(.equality("entryCSN", Array("20000101000000.000000Z#000000#000#000000".utf8))).control()
        await #expect(throws: LDAPOperationError.self) {
            try await store.transaction { writer in
                try writer.modify(dn: dn, changes: [.init(operation: .replace, modification: PartialAttribute(type: type, strings: [value]))])
                try writer.modify(
                    dn: other, changes: [.init(operation: .replace, modification: PartialAttribute(type: "description", strings: ["x"]))],
                    controls: [never])
            }
        }
    }

    @Test("Every attribute type Annuaire writes in transactions is numbered at start: a failed transaction that stored one first leaves later entries readable")
    func primedTypesSurviveFailedTransactions() async throws {
        try await TestDirectory.with { directory in
            let store = directory.store
            let layout = directory.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            // annRevision: written by every rule-checked write, stored by no demo entry (only by the primer).
            try await Self.failedTransaction(store, storing: "annRevision", "7", on: convention, then: layout.user("XXX0606XX08"))
            _ = try await store.modify(
                dn: convention, changes: [.init(operation: .replace, modification: PartialAttribute(type: "annRevision", strings: ["8"]))], controls: [])
            let entry = try await store.read(convention, attributes: ["annRevision"])
            #expect(entry?.values(of: "annRevision").map { String(decoding: $0, as: UTF8.self) } == ["8"])
            // The scratch entry is gone, and priming again is harmless.
            #expect(try await store.read("cn=annuaire-attribute-primer,\(layout.suffix)", attributes: ["1.1"]) == nil)
            let count = try await AttributeTablePrimer.prime(store, suffix: layout.suffix, schema: TestDirectory.resources.projectSchema)
            #expect(count > 30)

            // The control: the same sequence on a type nobody primed shows the defect on this slapd
            // (2.5.13, Debian bookworm's), so the check above is what the primer makes pass. Should a
            // slapd keep its attribute table right, this fails on purpose: the primer may then go.
            try await Self.failedTransaction(store, storing: "roomNumber", "R1", on: layout.user("XXX0606XX07"), then: layout.user("XXX0606XX08"))
            _ = try await store.modify(
                dn: layout.user("XXX0606XX10"), changes: [.init(operation: .add, modification: PartialAttribute(type: "roomNumber", strings: ["R2"]))],
                controls: [])
            do {
                _ = try await store.read(layout.user("XXX0606XX10"), attributes: ["roomNumber"])
                Issue.record("this slapd reads back an unprimed type after a failed transaction: the defect AttributeTablePrimer works around is gone, so the primed check above proves nothing here")
            } catch let error as LDAPOperationError {
                #expect(error.code == .other, "the defect answers 80 (internal error): \(error.code) \(error.diagnosticMessage)")
            }
        }
    }
}
