import Logging
import NIOConcurrencyHelpers
import LDAPProtocol

/// How a transaction (RFC 5805) waits, before its end, until slapd's worker threads are done
/// with its queued requests.
///
/// slapd 2.5.13 answers a request queued in a transaction before the worker thread that took it
/// has finished: that thread then writes the front-end back into the request (`op->o_bd = bd`,
/// `servers/slapd/{add,modify,delete}.c`). A `txn end` replaying the request meanwhile calls the
/// front-end instead of back-mdb and crashes slapd (ITS#9892's family; still in OpenLDAP's
/// current sources). No answer on the connection proves the thread is done.
///
/// What does: back-config pauses slapd's whole thread pool (`slap_pause_server`, which waits
/// until every other worker has finished its task) before it applies a Modify of `cn=config`.
/// The barrier is a Modify that slapd refuses only after that pause: the delete of a value
/// `cn=config` does not hold, answered `noSuchAttribute` (16), nothing changed. Its answer
/// therefore proves every request answered before it is finished.
///
/// While slapd pauses, it ends every search in progress with `busy` (51) past a multiple of 64
/// entries, and the pause waits for a search that scans without returning entries:
/// `SearchBarrierGate` keeps Annuaire's searches and the barrier apart.
///
/// The pause also waits for syncrepl's consumer, which can hold a worker for its `timeout`
/// (seconds) while it refreshes or connects: on a replicated provider (a database with
/// `olcSyncrepl`), or where the service identity cannot read `cn=config` to tell, the barrier
/// could stall every client's operations for that long, so the commit keeps the fixed pause
/// (`fallbackMicroseconds`). So does a backend that refuses the barrier (50, 32…). The log says
/// which, once.
final class TransactionSettling: Sendable {
    /// The barrier's Modify: delete a value `cn=config` never holds (`olcReferral` is a global
    /// setting of back-config, multi-valued, a URI).
    static let barrierDN = "cn=config"
    static let barrierValue = "ldap://annuaire-transaction-barrier.invalid/"
    static let barrierChange = ModifyRequest.Change(
        operation: .delete, modification: PartialAttribute(type: "olcReferral", strings: [barrierValue]))

    /// The fixed pause used when the barrier is not; Benchmarks/README.md, "The transaction
    /// race", shows crashes with 1 ms and none from 2 to 20 ms under load.
    static let fallbackMicroseconds: UInt32 = 20_000

    /// How long a transaction holds new searches back while those in progress end, before it
    /// gives the barrier up for what is left of the fixed pause (`SearchBarrierGate`): a search
    /// waits at most this long, plus a barrier's answer.
    static let drainMicroseconds: UInt32 = 5_000

    /// How often whether slapd replicates is read again (replication can be configured live).
    static let replicationCheckInterval: Duration = .seconds(60)

    /// What the next transaction uses, and why.
    enum Way: Equatable, Sendable {
        /// Not decided yet.
        case untried
        /// slapd answered the barrier after pausing its workers.
        case barrier
        /// slapd refused the barrier before pausing (its result code): the fixed pause.
        case refused(LDAPResultCode)
        /// slapd is a syncrepl consumer: the fixed pause.
        case replicated
        /// Whether slapd replicates could not be read: the fixed pause.
        case replicationUnknown
    }

    private struct State {
        var refused: LDAPResultCode?
        /// Whether slapd consumes a replica (nil: unknown), and when that was read.
        var consumer: Bool?
        var checkedAt: ContinuousClock.Instant?
        var answered = false
        var barriers = 0
        var told: Set<String> = []
    }

    private let state = NIOLockedValueBox(State())
    private let logger = Logger(label: "annuaire.store")

    var way: Way {
        state.withLockedValue { state in
            if let refused = state.refused { return .refused(refused) }
            guard state.checkedAt != nil else { return .untried }
            switch state.consumer {
            case .some(true): return .replicated
            case .none: return .replicationUnknown
            case .some(false): return state.answered ? .barrier : .untried
            }
        }
    }

    /// How many barriers slapd answered (tests).
    var barriersAnswered: Int { state.withLockedValue { $0.barriers } }

    /// Whether to send the barrier before this transaction's end.
    var triesBarrier: Bool {
        state.withLockedValue { $0.refused == nil && $0.consumer == false }
    }

    /// Whether slapd's replication is to be read (again) before the next transaction.
    var replicationCheckDue: Bool {
        state.withLockedValue { state in
            guard state.refused == nil else { return false }
            guard let checkedAt = state.checkedAt else { return true }
            return ContinuousClock.now - checkedAt >= Self.replicationCheckInterval
        }
    }

    /// What reading `cn=config` for `olcSyncrepl` found (nil: it could not be read).
    func replicationRead(consumer: Bool?) {
        state.withLockedValue {
            $0.consumer = consumer
            $0.checkedAt = .now
        }
        switch consumer {
        case .some(true):
            tellOnce("replicated", .notice, "slapd is a syncrepl consumer: transactions pause \(Self.fallbackMicroseconds / 1000) ms before their end (the transaction barrier would wait for the consumer's worker, up to its timeout)")
        case .none:
            tellOnce("unknown", .warning, "cannot read slapd's cn=config to tell whether it replicates: transactions pause \(Self.fallbackMicroseconds / 1000) ms before their end instead of using the transaction barrier")
        case .some(false):
            break
        }
    }

    /// Reads the barrier's answer: true when it proves the workers are done.
    func barrierAnswered(_ code: LDAPResultCode, diagnostic: String) -> Bool {
        if code == .noSuchAttribute {
            state.withLockedValue {
                $0.answered = true
                $0.barriers += 1
            }
            return true
        }
        state.withLockedValue { if $0.refused == nil { $0.refused = code } }
        let detail = diagnostic.isEmpty ? "" : ", \(diagnostic)"
        tellOnce("refused", .warning, "the backend refused the transaction barrier (a Modify of cn=config: result \(code.rawValue)\(detail)); transactions pause \(Self.fallbackMicroseconds / 1000) ms before their end instead. To avoid it, let this identity delete the value \(Self.barrierValue) of olcReferral on cn=config (=z), as Schema/slapd-config.ldif.template does")
        return false
    }

    private func tellOnce(_ key: String, _ level: Logger.Level, _ message: Logger.Message) {
        guard state.withLockedValue({ $0.told.insert(key).inserted }) else { return }
        logger.log(level: level, message)
    }
}
