import DirectoryBackend
import LDAPProtocol

/// Optimistic concurrency between Annuaire front-ends writing to one
/// directory (issue #4, "several front-ends write at once"). A rule-checked
/// write derives the materialised state (R5, R7: member, memberOf,
/// annHabilitation, statuses) from what it read; its transaction (RFC 5805)
/// commits only if nothing it derived from changed since:
///
/// - every convention it read gets `annRevision` + 1 under an assertion
///   (RFC 4528) that the convention's `entryCSN` is still the one read
///   before its groups, memberships and users were read. Every rule-checked
///   write in a convention does this, so two writes prepared from the same
///   reading cannot both commit, in one process or in several;
/// - every existing user whose derived values it rewrites carries an
///   assertion on the `entryCSN` it read: a user may belong to several
///   conventions and be rewritten from each of them.
///
/// A failed assertion fails the whole transaction (nothing applied); the
/// write is then prepared again from a fresh reading
/// (`HabilitationService.retryingConflicts`).
public struct ConcurrencyGuard: Sendable {
    struct Assertion: Sendable {
        var dn: String
        var entryCSN: String
    }

    /// Conventions read, with the revision read.
    private(set) var conventions: [(assertion: Assertion, revision: Int)] = []
    /// Entries whose first request in the transaction asserts their entryCSN.
    private(set) var entries: [DistinguishedName: Assertion] = [:]

    /// Guards the conventions of `worlds` and the existing users among `rewritten` (DNs of entries the write modifies).
    init(worlds: [ConventionWorld], rewritten: [String]) {
        var seen: Set<DistinguishedName> = []
        for world in worlds where !world.convention.dn.isEmpty {
            guard seen.insert(world.name).inserted, let csn = world.convention.value("entryCSN") else { continue }
            let revision = world.convention.value(AttributeName.revision).flatMap { Int($0) } ?? 0
            conventions.append((Assertion(dn: world.convention.dn, entryCSN: csn), revision))
        }
        for dn in rewritten {
            guard let name = try? DistinguishedName(dn), entries[name] == nil,
                  let user = worlds.lazy.compactMap({ $0.users[name] }).first, let csn = user.value("entryCSN")
            else { continue }
            entries[name] = Assertion(dn: user.dn, entryCSN: csn)
        }
    }

    /// The transaction's requests with the guard's. Every request that can fail on an assertion comes
    /// before any that may store an attribute type for the first time (see `AttributeTablePrimer`):
    /// the revision bumps (each asserting its convention as read), then the derived changes that assert
    /// their user, then the client's change if it asserts its entry, then the rest in the given order.
    func applied(to operations: [PlannedOperation]) throws -> [PlannedOperation] {
        var bumps: [PlannedOperation] = []
        for (assertion, revision) in conventions {
            bumps.append(.derived(
                assertion.dn,
                [.init(operation: .replace, modification: PartialAttribute(type: AttributeName.revision, strings: [String(revision + 1)]))]))
            bumps[bumps.count - 1].controls = [try Self.assertionControl(assertion, and: nil)]
        }
        var assertedDerived: [PlannedOperation] = []
        var assertedOther: [PlannedOperation] = []
        var rest: [PlannedOperation] = []
        var asserted: Set<DistinguishedName> = []
        for var operation in operations {
            guard let name = try? DistinguishedName(operation.dn), let assertion = entries[name], asserted.insert(name).inserted else {
                rest.append(operation)
                continue
            }
            // A client's own assertion on the entry is kept: both must hold.
            let index = operation.controls.firstIndex { $0.oid == AssertionControl.oid }
            let client = try index.map { try AssertionControl(operation.controls[$0]).filter }
            if let index { operation.controls.remove(at: index) }
            operation.controls.append(try Self.assertionControl(assertion, and: client))
            if operation.isDerived { assertedDerived.append(operation) } else { assertedOther.append(operation) }
        }
        return bumps + assertedDerived + assertedOther + rest
    }

    /// Whether something guarded changed since it was read (then a failed assertion was ours, not the client's).
    func isStale(in store: any DirectoryStore) async throws -> Bool {
        let all = conventions.map(\.assertion) + entries.values
        for assertion in all {
            let current = try await store.read(assertion.dn, attributes: ["entryCSN"]).flatMap { entry in
                entry.attributes.first { $0.type.lowercased() == "entrycsn" }?.stringValues.first
            }
            if current != assertion.entryCSN { return true }
        }
        return false
    }

    private static func assertionControl(_ assertion: Assertion, and client: SearchFilter?) throws -> LDAPControl {
        let mine = SearchFilter.equality("entryCSN", Array(assertion.entryCSN.utf8))
        return try AssertionControl(client.map { .and([$0, mine]) } ?? mine).control()
    }
}
