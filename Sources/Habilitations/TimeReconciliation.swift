import DirectoryBackend
public import Foundation
import LDAPProtocol

/// What only time changes (R5, R7): a membership, user, group or convention
/// whose open date arrives or whose close date passes. `reconcile(after:limit:)`
/// derives whole conventions, a bounded batch per call (at start, and as a
/// periodic safety net); `reconcileDue(since:until:)` derives only what has
/// a date in a time window, found by a search, so a periodic run costs what
/// is due rather than the size of the directory. Both are idempotent.
extension HabilitationService {
    /// Brings the materialised state of up to `limit` conventions in line with
    /// the clock, starting after `cursor`; returns the changes made and where
    /// to go on (nil: the pass is complete).
    public func reconcile(after cursor: String? = nil, limit: Int = 50) async throws -> (changed: Int, next: String?) {
        let conventions = try await store.searchAll(SearchQuery(
            base: layout.partners, scope: .wholeSubtree, filter: .objectClass(ObjectClassName.convention), attributes: ["1.1"]))
            .map(\.objectName).sorted()
        let remaining = conventions.drop { cursor != nil && $0 <= cursor! }
        var changed = 0
        var last: String?
        for convention in remaining.prefix(limit) {
            changed += try await reconcileSkippingBusy(convention) {
                try await ConventionWorld.load(convention, store: self.store, layout: self.layout)
            }
            last = convention
        }
        return (changed, remaining.count > limit ? last : nil)
    }

    /// Brings in line what has an open or close date in `start...end`: the conventions and groups
    /// concerned whole, and for memberships and users only those users (a scoped world each).
    /// Returns the entries changed.
    public func reconcileDue(since start: Date, until end: Date) async throws -> Int {
        guard start <= end else { return 0 }
        let window = Self.dateWindowFilter(start, end)
        let below = try await store.searchAll(SearchQuery(
            base: layout.partners, scope: .wholeSubtree,
            filter: .and([.or([.objectClass(ObjectClassName.convention), .objectClass(ObjectClassName.group), .objectClass(ObjectClassName.membership)]), window]),
            attributes: ["objectClass", AttributeName.member]))
        let people = try await store.searchAll(SearchQuery(
            base: layout.people, scope: .singleLevel, filter: .and([.objectClass(ObjectClassName.user), window]), attributes: [AttributeName.convention, "memberOf"]))
        var whole: Set<String> = []
        var scoped: [String: Set<String>] = [:]
        for entry in below {
            let snapshot = EntrySnapshot(entry)
            let name = try DistinguishedName(entry.objectName)
            if snapshot.objectClasses.contains(ObjectClassName.convention.lowercased()) {
                whole.insert(name.description)
            } else if snapshot.objectClasses.contains(ObjectClassName.group.lowercased()) {
                whole.insert(name.ancestor(1).description)
            } else {
                scoped[name.ancestor(2).description, default: []].formUnion(snapshot.values(AttributeName.member))
            }
        }
        var alone: [String] = []
        for entry in people {
            let snapshot = EntrySnapshot(entry)
            let conventions = snapshot.values(AttributeName.convention).compactMap { try? DistinguishedName($0).description }
                + snapshot.values("memberOf").compactMap { try? DistinguishedName($0).ancestor(1).description }
            if conventions.isEmpty { alone.append(entry.objectName) }
            for convention in conventions { scoped[convention, default: []].insert(entry.objectName) }
        }
        var changed = 0
        for convention in whole.sorted() {
            changed += try await reconcileSkippingBusy(convention) {
                try await ConventionWorld.load(convention, store: self.store, layout: self.layout)
            }
        }
        for (convention, users) in scoped.sorted(by: { $0.key < $1.key }) where !whole.contains(convention) {
            changed += try await reconcileSkippingBusy(convention) {
                try await ConventionWorld.load(convention, users: users.sorted(), store: self.store, layout: self.layout)
            }
        }
        for user in alone {
            changed += try await reconcileSkippingBusy(user) {
                let entry = try await self.store.read(user, attributes: ConventionWorld.userAttributes).map(EntrySnapshot.init)
                return .person(try DistinguishedName(user), entry)
            }
        }
        return changed
    }

    /// `(|(&(annOpenDate>=start)(annOpenDate<=end))(&(annCloseDate>=start)(annCloseDate<=end)))`.
    static func dateWindowFilter(_ start: Date, _ end: Date) -> SearchFilter {
        let from = GeneralizedTime.string(start)
        let to = GeneralizedTime.string(end)
        return .or([
            .and([.atLeast(AttributeName.openDate, from), .atMost(AttributeName.openDate, to)]),
            .and([.atLeast(AttributeName.closeDate, from), .atMost(AttributeName.closeDate, to)]),
        ])
    }

    /// Loads a world, derives it at the clock's time and commits what changed, one write at a time
    /// and guarded like any write; a convention where another front-end keeps winning is left to it.
    private func reconcileSkippingBusy(_ what: String, _ load: @escaping () async throws -> ConventionWorld) async throws -> Int {
        do {
            return try await writeGate.withLock {
                try await retryingConflicts("reconcile \(what)") {
                    let world = try await load()
                    let derived = try await world.derivedChangesOffloaded(at: clock.now)
                    if !derived.isEmpty {
                        try await commit(
                            derived.map { PlannedOperation.derived($0.dn, $0.changes) },
                            guardedBy: ConcurrencyGuard(worlds: [world], rewritten: derived.map(\.dn)))
                    }
                    return derived.count
                }
            }
        } catch let error as LDAPOperationError where error.code == .busy {
            // Another front-end keeps writing there: its writes derive the state; the next pass checks it.
            logger.warning("skipped by this reconciliation pass", metadata: ["entry": "\(what)", "reason": "\(error.diagnosticMessage)"])
            return 0
        }
    }
}
