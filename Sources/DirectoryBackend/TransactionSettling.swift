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
/// therefore proves every request answered before it is finished. A backend that does not let
/// Annuaire's identity modify `cn=config` answers otherwise (50, 32…): the commit then falls back
/// to a fixed pause (`fallbackMicroseconds`), as before, and the log says why once.
final class TransactionSettling: Sendable {
    /// The barrier's Modify: delete a value `cn=config` never holds (`olcReferral` is a global
    /// setting of back-config, multi-valued, a URI).
    static let barrierDN = "cn=config"
    static let barrierValue = "ldap://annuaire-transaction-barrier.invalid/"
    static let barrierChange = ModifyRequest.Change(
        operation: .delete, modification: PartialAttribute(type: "olcReferral", strings: [barrierValue]))

    /// The fixed pause used when the backend refuses the barrier; Benchmarks/README.md, "The
    /// transaction race", shows crashes with 1 ms and none from 2 to 20 ms under load.
    static let fallbackMicroseconds: UInt32 = 20_000

    enum Way: Equatable, Sendable {
        /// Not tried yet on this store.
        case untried
        /// slapd answered the barrier after pausing its workers.
        case barrier
        /// slapd refused the barrier before pausing (its result code): the fixed pause.
        case fixedPause(LDAPResultCode)
    }

    private let state = NIOLockedValueBox(Way.untried)
    private let logger = Logger(label: "annuaire.store")

    /// What the next transaction uses.
    var way: Way { state.withLockedValue { $0 } }

    /// Whether to send the barrier (false once the backend refused it).
    var triesBarrier: Bool {
        state.withLockedValue { if case .fixedPause = $0 { false } else { true } }
    }

    /// Reads the barrier's answer: true when it proves the workers are done.
    func barrierAnswered(_ code: LDAPResultCode, diagnostic: String) -> Bool {
        if code == .noSuchAttribute {
            state.withLockedValue { $0 = .barrier }
            return true
        }
        let first = state.withLockedValue { way -> Bool in
            if case .fixedPause = way { return false }
            way = .fixedPause(code)
            return true
        }
        if first {
            let detail = diagnostic.isEmpty ? "" : ", \(diagnostic)"
            logger.warning("the backend refused the transaction barrier (a Modify of cn=config: result \(code.rawValue)\(detail)); transactions pause \(Self.fallbackMicroseconds / 1000) ms before their end instead. To avoid it, let this identity delete the value \(Self.barrierValue) of olcReferral on cn=config (=z), as Schema/slapd-config.ldif.template does")
        }
        return false
    }
}
