import CLDAP
import Glibc
import LDAPProtocol
import LibLDAP
import NIOConcurrencyHelpers

/// One libldap handle (`LDAP *`) to slapd. Blocking; used by one thread at a
/// time (the pool guarantees it), never on a NIO event loop.
///
/// Every call reads results by the operation's msgid (never `LDAP_RES_ANY`)
/// and maps failures to an `LDAPOperationError` carrying slapd's own result
/// code and diagnostic message.
final class LDAPConnection: LibLDAPRequests, @unchecked Sendable {
    private(set) var handle: OpaquePointer?
    /// The pool generation this handle was opened in; an older one is reopened.
    let generation: Int
    /// Set when libldap reported the connection lost.
    private(set) var isBroken = false
    /// The provider this handle is connected to (`ProviderAddress`), nil before it connected.
    private(set) var peer: String?
    /// The handle's socket while it is open: `sever()` shuts it down from another thread, under
    /// this lock, so that a descriptor closed (and maybe reused) meanwhile is never touched.
    private let socket = NIOLockedValueBox<CInt?>(nil)

    /// How long one blocking wait for a result may last before the store is called unresponsive.
    static let resultTimeoutSeconds = 30
    var resultTimeoutSeconds: Int { Self.resultTimeoutSeconds }
    /// How long a search waits for its next message once one arrived, before handing the batch over.
    static let followUpWaitMicroseconds = 2_000

    init(endpoint: BackendEndpoint, generation: Int) throws {
        self.generation = generation
        let ld: OpaquePointer
        switch LibLDAPHandle.open(endpoint.connectURI, networkTimeoutSeconds: 5) {
        case .success(let opened): ld = opened
        case .failure(let code):
            throw LDAPOperationError(.unavailable, "cannot use directory store URI \(endpoint.uri): \(LibLDAPFailure.message(code.rawValue))")
        }
        handle = ld
        do {
            switch endpoint.credentials {
            case .saslExternal:
                try check(LibLDAPHandle.bindSASLExternal(ld, authorizationDN: nil), "SASL EXTERNAL bind to the directory store")
            case .saslExternalAs(let dn):
                try check(LibLDAPHandle.bindSASLExternal(ld, authorizationDN: dn), "SASL EXTERNAL bind to the directory store as \(dn)")
            case .simple(let dn, let password):
                _ = try simpleBind(dn: dn, password: Array(password.utf8), controls: []).orThrow()
            case .anonymous:
                // Connect now, so that a store still restarting is met here,
                // where the pool waits for it, not by the first bind.
                try check(LibLDAPHandle.connect(ld), "connecting to the directory store")
            }
        } catch {
            close()
            throw error
        }
        var descriptor: CInt = -1
        if ldap_get_option(ld, LDAP_OPT_DESC, &descriptor) == LDAP_OPT_SUCCESS, descriptor >= 0 {
            peer = ProviderAddress.peer(ofSocket: descriptor)
            if let peer, !peer.hasPrefix("/") {
                // Data sent and not acknowledged for 10 s (a request to a provider cut off the
                // network) breaks the connection; the kernel acknowledges, not slapd, so a busy
                // provider never trips it.
                var milliseconds: UInt32 = 10_000
                setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, &milliseconds, socklen_t(MemoryLayout<UInt32>.size))
            }
            socket.withLockedValue { $0 = descriptor }
            LiveConnections.shared.add(self)
        }
    }

    deinit { close() }

    func close() {
        LiveConnections.shared.remove(self)
        socket.withLockedValue { descriptor in
            descriptor = nil
            if let handle {
                LibLDAPHandle.close(handle)
                self.handle = nil
            }
        }
        isBroken = true
    }

    /// Ends the connection under whatever waits on it, from any thread: the socket is shut down,
    /// so a request waiting for its answer fails at once as a lost connection (`unavailable`,
    /// 52; a write that may have committed is not sent again). For a provider that stopped
    /// answering without closing its connections (`ProviderWatch`).
    func sever() {
        socket.withLockedValue { descriptor in
            if let descriptor { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    func requireHandle() throws -> OpaquePointer {
        guard let handle, !isBroken else {
            throw LDAPOperationError(.unavailable, "the connection to the directory store is closed")
        }
        return handle
    }

    // MARK: - Errors

    /// Maps a libldap return code (a result code, or a negative API code) to an error.
    func libldapError(_ rc: Int32, _ context: String) -> any Error { error(rc, context) }

    private func error(_ rc: Int32, _ context: String, diagnostic: String? = nil, matchedDN: String = "") -> LDAPOperationError {
        let diagnostic = diagnostic ?? diagnosticMessage()
        switch LibLDAPFailure(rc) {
        case .unreachable:
            isBroken = true
            return LDAPOperationError(.unavailable, "the directory store is unreachable (\(context): \(LibLDAPFailure.message(rc)))")
        case .timedOut:
            isBroken = true
            return LDAPOperationError(.busy, "the directory store did not answer in time (\(context))")
        case .badFilter:
            return LDAPOperationError(.protocolError, "invalid search filter")
        case .local:
            isBroken = true
            return LDAPOperationError(.other, "\(context): \(LibLDAPFailure.message(rc))\(diagnostic.isEmpty ? "" : ": \(diagnostic)")")
        case .result(let code):
            return LDAPOperationError(code, diagnostic, matchedDN: matchedDN)
        }
    }

    private func check(_ rc: Int32, _ context: String) throws {
        guard rc == LDAP_SUCCESS else { throw error(rc, context) }
    }

    // MARK: - Operations

    /// A simple bind (RFC 4513 §5.1.3). The outcome, success or not, with its
    /// response controls (ppolicy's), is a value: only a failure to talk to slapd throws.
    func simpleBind(dn: String, password: [UInt8], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try simpleBindRequest(dn: dn, password: password, controls: controls)
    }

    func add(dn: String, attributes: [PartialAttribute], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try addRequest(dn: dn, attributes: attributes, controls: controls).orThrow()
    }

    func modify(dn: String, changes: [ModifyRequest.Change], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try modifyRequest(dn: dn, changes: changes, controls: controls).orThrow()
    }

    func delete(dn: String, controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try deleteRequest(dn: dn, controls: controls).orThrow()
    }

    func rename(dn: String, newRDN: String, newSuperior: String?, deleteOldRDN: Bool, controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try renameRequest(dn: dn, newRDN: newRDN, newSuperior: newSuperior, deleteOldRDN: deleteOldRDN, controls: controls).orThrow()
    }

    /// Compare (RFC 4511 §4.10): `compareTrue`/`compareFalse` come back as a result, not an error.
    func compare(dn: String, attribute: String, value: [UInt8], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        let outcome = try compareRequest(dn: dn, attribute: attribute, value: value, controls: controls)
        guard outcome.result.code == .compareTrue || outcome.result.code == .compareFalse else { return try outcome.orThrow() }
        return outcome
    }

    /// An extended operation; returns the response name and value with the result.
    func extended(name: String, value: [UInt8]?, controls: [LDAPProtocol.LDAPControl]) throws -> ExtendedOutcome {
        let (result, responseName, responseValue) = try extendedOperation(name: name, value: value, controls: controls)
        return ExtendedOutcome(result: result.result, controls: result.controls, name: responseName, value: responseValue)
    }

    // MARK: - Search

    /// Starts a search; read its messages with `nextSearchMessages`.
    func startSearch(_ query: SearchQuery, controls: [LDAPProtocol.LDAPControl]) throws -> Int32 {
        try sendSearch(
            base: query.base, scope: query.scope, filter: query.filter, attributes: query.attributes, typesOnly: query.typesOnly,
            sizeLimit: query.sizeLimit, timeLimitSeconds: query.timeLimit, controls: controls)
    }

    /// Reads the next messages of a search: blocks for the first, then takes
    /// what is already there, up to `limit`. The final element, if any, is `.done`.
    func nextSearchMessages(_ msgid: Int32, limit: Int) throws -> [SearchEvent] {
        var events: [SearchEvent] = []
        var timeout = timeval(tv_sec: LDAPConnection.resultTimeoutSeconds, tv_usec: 0)
        while events.count < limit {
            let ld = try requireHandle()
            var message: OpaquePointer?
            let type = ldap_result(ld, msgid, LDAP_MSG_ONE, &timeout, &message)
            if type == 0 {
                if events.count > 0 { break }  // nothing more came in the short wait: deliver what we have
                ldap_abandon_ext(ld, msgid, nil, nil)
                throw error(LDAP_TIMEOUT, "search")
            }
            guard type > 0, let message else {
                var rc: Int32 = LDAP_SERVER_DOWN
                ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc)
                throw error(rc == LDAP_SUCCESS ? LDAP_SERVER_DOWN : rc, "reading search results")
            }
            switch type {
            case Int32(LDAP_RES_SEARCH_ENTRY):
                defer { ldap_msgfree(message) }
                events.append(.entry(try readEntry(ld, message)))
            case Int32(LDAP_RES_SEARCH_REFERENCE):
                var referrals: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
                ldap_parse_reference(ld, message, &referrals, nil, 1)
                events.append(.reference(CLDAPMemory.takeStringArray(referrals)))
            case Int32(LDAP_RES_SEARCH_RESULT):
                let done = try parseResult(message)
                events.append(.done(done.result, done.controls))
                return events
            default:
                ldap_msgfree(message)
                throw error(LDAP_DECODING_ERROR, "unexpected message type \(type) in a search")
            }
            // After a message, wait only briefly for the next: a small search's
            // result usually follows its entry within microseconds (one hop to the
            // pool instead of two), and a large one keeps streaming.
            timeout = timeval(tv_sec: 0, tv_usec: LDAPConnection.followUpWaitMicroseconds)
        }
        return events
    }

    /// A whole search on this handle, blocking: its entries and its result (for small reads of
    /// Annuaire's own, such as a probe or a look at `cn=config`).
    func searchAll(_ query: SearchQuery, controls: [LDAPProtocol.LDAPControl] = []) throws -> (entries: [SearchResultEntry], result: LDAPResult) {
        let msgid = try startSearch(query, controls: controls)
        var entries: [SearchResultEntry] = []
        while true {
            for event in try nextSearchMessages(msgid, limit: 16) {
                switch event {
                case .entry(let entry): entries.append(entry)
                case .reference: break
                case .done(let result, _): return (entries, result)
                }
            }
        }
    }

    /// Abandons an operation (RFC 4511 §4.11) and drops whatever of it is queued.
    func abandon(_ msgid: Int32) {
        guard let handle, !isBroken else { return }
        ldap_abandon_ext(handle, msgid, nil, nil)
    }

    // MARK: - Transactions (RFC 5805)

    func startTransaction() throws -> [UInt8] {
        let ld = try requireHandle()
        var identifier: UnsafeMutablePointer<berval>?
        let rc = ldap_txn_start_s(ld, nil, nil, &identifier)
        guard rc == LDAP_SUCCESS, let identifier else { throw error(rc, "starting a transaction") }
        defer { ber_bvfree(identifier) }
        return CLDAPMemory.bytes(identifier.pointee)
    }

    func endTransaction(_ identifier: [UInt8], commit: Bool) throws {
        let ld = try requireHandle()
        // No retidp: libldap 2.5.13 fails with a decoding error when asked for the failed
        // request's id, and loses slapd's result code (which ldapmodify -E txn shows).
        let rc = CLDAPMemory.withBerval(identifier) { ldap_txn_end_s(ld, commit ? 1 : 0, &$0, nil, nil, nil) }
        guard rc == LDAP_SUCCESS else { throw error(rc, commit ? "committing a transaction" : "aborting a transaction") }
    }
}
