public import DirectoryBackend
import Foundation
public import LDAPProtocol

/// The tutorial's example (docs/domain.md, "The tutorial's own example"): partner
/// "Nom du partenaire", its convention granting Consulter Dossier profile T1,
/// group T1 "CDAP T1", its users, an operator account and the partner
/// administrator. Loaded from `Fixtures/demo.ldif` in one LDAP transaction
/// (RFC 5805): a failed load leaves nothing behind.
public enum DemoDirectory {
    /// The demo accounts' password (README: "Try it"). The fixture stores only its argon2 hash.
    public static let password = "Annuaire-Demo-2026"
    public static let operatorName = "operateur"
    public static let administratorIdentifier = "XXX0606XX01"
    public static let userIdentifiers = ["XXX0606XX06", "XXX0606XX07", "XXX0606XX08", "XXX0606XX09", "XXX0606XX10", "XXX0606XX11"]
    /// BELGACEM Khader, closed on 09/10/2019 (R7).
    public static let closedUserIdentifier = "XXX0606XX09"

    /// The fixture's records for `layout`'s suffix.
    public static func records(resources: ProjectResources, layout: DirectoryLayout) throws -> [LDIFRecord] {
        let text = try ProjectResources.render(resources.demoFixture, ["SUFFIX": layout.suffix])
        return try LDIFParser.parse(text)
    }

    /// Whether the demo is already there (its partner administrator exists).
    public static func isLoaded(in store: any DirectoryStore, layout: DirectoryLayout) async throws -> Bool {
        try await store.read(layout.user(administratorIdentifier), attributes: ["1.1"]) != nil
    }

    /// Adds the demo in one transaction; returns how many records were applied.
    @discardableResult
    public static func load(into store: any DirectoryStore, resources: ProjectResources, layout: DirectoryLayout) async throws -> Int {
        let records = try records(resources: resources, layout: layout)
        let apply: @Sendable (inout TransactionWriter) throws -> Void = { writer in
            for record in records {
                switch record {
                case .add(let dn, let attributes): try writer.add(dn: dn, attributes: attributes)
                case .modify(let dn, let changes): try writer.modify(dn: dn, changes: changes)
                case .delete(let dn): try writer.delete(dn: dn)
                }
            }
        }
        do {
            try await store.transaction(apply)
        } catch let error as LDAPOperationError where error.code == .unavailable {
            // slapd went away during the commit: the transaction either
            // happened whole or not at all. Look, and apply it again if not.
            if try await !isLoaded(in: store, layout: layout) {
                try await store.transaction(apply)
            }
        }
        try await deriveMaterialisedState(of: records, in: store, layout: layout)
        return records.count
    }

    /// The fixture holds the data (memberships, dates); what follows from it (member, memberOf,
    /// annHabilitation, statuses: R1, R5, R7) is derived now, so the demo is complete before the
    /// first client connects rather than after the reconciler's first pass.
    private static func deriveMaterialisedState(of records: [LDIFRecord], in store: any DirectoryStore, layout: DirectoryLayout) async throws {
        for record in records {
            guard case .add(let dn, let attributes) = record,
                  attributes.contains(where: { $0.type.lowercased() == "objectclass" && $0.stringValues.contains { $0.lowercased() == ObjectClassName.convention.lowercased() } })
            else { continue }
            let world = try await ConventionWorld.load(dn, store: store, layout: layout)
            let derived = try await world.derivedChangesOffloaded(at: Date())
            guard !derived.isEmpty else { continue }
            try await store.transaction { writer in
                for (target, changes) in derived { try writer.modify(dn: target, changes: changes) }
            }
        }
    }
}
