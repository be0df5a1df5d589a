import DirectoryBackend
import Foundation
import LDAPProtocol
import NIOConcurrencyHelpers

/// A rule-checked write lost a race with another writer (another Annuaire
/// front-end on the same directory): what it derived from is stale.
struct WriteConflict: Error {}

extension HabilitationService {
    /// How many times a write is prepared again after losing a race before the client gets `busy`.
    static let conflictAttempts = 8

    /// Writes prepared again because another writer committed first (`annuaire_write_conflicts_total`).
    public var writeConflictsRetried: Int { conflictsRetried.withLockedValue { $0 } }

    /// Sends `operations` in one transaction under `guard` (see `ConcurrencyGuard`): all or nothing.
    /// A failed assertion of the guard's becomes `WriteConflict`; one of the client's stays what it is.
    func commit(_ operations: [PlannedOperation], guardedBy guard: ConcurrencyGuard, on target: (any DirectoryStore)? = nil) async throws {
        let planned = try `guard`.applied(to: operations)
        do {
            try await (target ?? store).transaction { writer in
                for operation in planned { try operation.send(with: &writer) }
            }
        } catch let error as LDAPOperationError where error.code == .assertionFailed {
            if try await `guard`.isStale(in: store) { throw WriteConflict() }
            throw error
        }
    }

    /// Runs `body` (read, check, derive, commit) again from a fresh reading while it loses races,
    /// waiting a little longer each time; after `conflictAttempts` the client gets `busy` (51).
    func retryingConflicts<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        for attempt in 1...Self.conflictAttempts {
            do {
                return try await body()
            } catch is WriteConflict {
                conflictsRetried.withLockedValue { $0 += 1 }
                logger.debug("write raced another writer; preparing it again", metadata: ["write": "\(what)", "attempt": "\(attempt)"])
                let ceiling = min(200, 5 << attempt)
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...ceiling)))
            }
        }
        throw LDAPOperationError(
            .busy,
            "\(what): the convention kept changing while this change was prepared (another writer is busy there); try again")
    }
}
