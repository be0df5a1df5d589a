import CLDAP
public import LDAPProtocol

/// A blocking LDAP client for command-line tools (`annuaire group …`,
/// `annuaire user …`): one libldap handle to an Annuaire server (never to
/// slapd), over `ldap://` with StartTLS when the server offers it, or over
/// `ldaps://`, then a simple bind; search, add, modify, delete and extended
/// operations, each waited for by its msgid.
///
/// The portal's `PersonConnection` holds one, bound as the person logged in.
/// Its requests are the ones the server's pooled `LDAPConnection` sends
/// (`LibLDAPRequests`), with the same memory rules (`CLDAPMemory`: bervals
/// read by length, libldap's allocations freed with its own functions).
///
/// Not thread-safe: use one client from one thread.
public final class DirectoryClient: LibLDAPRequests {
    /// How the connection is protected.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// StartTLS when the root DSE advertises it (ldaps:// is always TLS).
        case auto
        /// StartTLS or ldaps://, else fail.
        case required
        /// Never StartTLS (ldaps:// still is TLS).
        case off
    }

    /// The connection could not be made or kept (network, TLS handshake,
    /// certificate, timeout): distinct from a result the server sent.
    public struct ConnectionError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// The StartTLS extended operation (RFC 4511 §4.14.1).
    public static let startTLSOID = "1.3.6.1.4.1.1466.20037"

    package private(set) var handle: OpaquePointer?
    /// The URI connected to.
    public let uri: String
    /// Whether the connection is encrypted (ldaps:// or StartTLS done).
    public private(set) var isEncrypted = false
    /// The root DSE as read before binding, when it was readable.
    public private(set) var rootDSE: SearchResultEntry?

    /// Seconds one operation may wait for its result.
    public var resultTimeoutSeconds = 30

    /// Controls sent with every add, modify, delete and extended operation (the CLI's language preference).
    public var requestControls: [LDAPProtocol.LDAPControl] = []

    /// Connects to `uri` (`ldap://host:port` or `ldaps://host:port`), trusting
    /// `caCertificateFile` (PEM) when given, and negotiates TLS per `tls`.
    public init(uri: String, tls: TLSMode = .auto, caCertificateFile: String? = nil, networkTimeoutSeconds: Int = 5) throws {
        self.uri = uri
        let lowered = uri.lowercased()
        guard lowered.hasPrefix("ldap://") || lowered.hasPrefix("ldaps://") else {
            throw ConnectionError("\(uri) is not an ldap:// or ldaps:// URI")
        }
        let ld: OpaquePointer
        switch LibLDAPHandle.open(uri, networkTimeoutSeconds: networkTimeoutSeconds) {
        case .success(let opened): ld = opened
        case .failure(let code): throw ConnectionError("cannot use URI \(uri): \(LibLDAPFailure.message(code.rawValue))")
        }
        handle = ld
        if let caCertificateFile {
            guard LibLDAPHandle.isReadable(caCertificateFile) else {
                close()
                throw ConnectionError("cannot read the CA certificate file \(caCertificateFile)")
            }
            guard LibLDAPHandle.trustCertificates(in: caCertificateFile, ld) else {
                close()
                throw ConnectionError("cannot load the CA certificate file \(caCertificateFile)")
            }
        }
        let isLDAPS = lowered.hasPrefix("ldaps://")
        do {
            do {
                rootDSE = try searchEntries(base: "", scope: .baseObject, filter: "(objectClass=*)", attributes: ["+"]).first
            } catch is LDAPOperationError {
                rootDSE = nil  // an unreadable root DSE is not fatal; an unreachable server is
            }
            if isLDAPS {
                isEncrypted = true
            } else if tls != .off {
                let offered = rootDSE?.values(of: "supportedExtension")
                    .contains { String(decoding: $0, as: UTF8.self) == Self.startTLSOID } ?? false
                if offered {
                    try startTLS(ld)
                } else if tls == .required {
                    throw ConnectionError("\(uri) does not offer StartTLS and TLS is required (use ldaps:// or --tls off)")
                }
            }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Unbinds and closes the connection.
    public func close() {
        if let handle {
            LibLDAPHandle.close(handle)
            self.handle = nil
        }
    }

    private func startTLS(_ ld: OpaquePointer) throws {
        let rc = LibLDAPHandle.startTLS(ld)
        guard rc == LDAP_SUCCESS else {
            let diagnostic = diagnosticMessage()
            let detail = diagnostic.isEmpty || diagnostic.hasPrefix("(unknown") ? "" : ": \(diagnostic)"
            throw ConnectionError(
                "StartTLS with \(uri) failed (\(LibLDAPFailure.message(rc))\(detail)): the TLS handshake failed "
                    + "or the server's certificate is not trusted")
        }
        isEncrypted = true
    }

    // MARK: - Operations

    /// A simple bind (RFC 4513 §5.1.3); a refusal is thrown as `LDAPOperationError` (49 and so on).
    public func bind(dn: String, password: [UInt8]) throws {
        _ = try simpleBindRequest(dn: dn, password: password, controls: []).orThrow()
    }

    /// A simple bind with request controls whose outcome, success or not, is returned with the
    /// response controls rather than thrown (RFC 4511 §4.2.2): the portal reads the password policy
    /// control (changeAfterReset, passwordExpired) from a refused bind too. Only a failure to talk
    /// to the server throws.
    public func bindOutcome(dn: String, password: [UInt8], controls: [LDAPProtocol.LDAPControl]) throws -> OperationOutcome {
        try simpleBindRequest(dn: dn, password: password, controls: controls).outcome
    }

    /// Entries asked for per page by `search` (RFC 2696), below the server's size limit.
    public var pageSize = 500

    /// A search, collected whole, page by page (RFC 2696 paged results, not
    /// critical: a server without paging answers in one go), so that listings
    /// larger than the server's size limit come back whole; a non-success
    /// result is thrown (sizeLimitExceeded too).
    public func search(
        base: String, scope: SearchRequest.Scope, filter: String = "(objectClass=*)", attributes: [String] = [], sizeLimit: Int = 0
    ) throws -> [SearchResultEntry] {
        var entries: [SearchResultEntry] = []
        var cookie: [UInt8] = []
        repeat {
            let paging = PagedResultsControl(size: pageSize, cookie: cookie).control()
            let (page, controls) = try searchPage(
                base: base, scope: scope, filter: filter, attributes: attributes, sizeLimit: sizeLimit, controls: [paging])
            entries += page
            let response = controls.first { $0.oid == PagedResultsControl.oid }.flatMap { try? PagedResultsControl($0) }
            cookie = response?.cookie ?? []
            if sizeLimit > 0 && entries.count >= sizeLimit { break }
        } while !cookie.isEmpty
        return entries
    }

    /// The same search with its filter built as a value: the values are escaped when it is
    /// rendered (RFC 4515 §3), so none can change what it asks.
    public func search(
        base: String, scope: SearchRequest.Scope, filter: SearchFilter, attributes: [String] = [], sizeLimit: Int = 0
    ) throws -> [SearchResultEntry] {
        try search(base: base, scope: scope, filter: try filter.rfc4515String(), attributes: attributes, sizeLimit: sizeLimit)
    }

    /// Reads one entry, or nil if it does not exist (or is out of the bound identity's sight).
    public func read(_ dn: String, attributes: [String] = []) throws -> SearchResultEntry? {
        do {
            return try searchEntries(base: dn, scope: .baseObject, filter: "(objectClass=*)", attributes: attributes).first
        } catch let error as LDAPOperationError where error.code == .noSuchObject {
            return nil
        }
    }

    public func add(dn: String, attributes: [PartialAttribute]) throws {
        _ = try addRequest(dn: dn, attributes: attributes, controls: requestControls).orThrow()
    }

    public func modify(dn: String, changes: [ModifyRequest.Change]) throws {
        _ = try modifyRequest(dn: dn, changes: changes, controls: requestControls).orThrow()
    }

    public func delete(dn: String) throws {
        _ = try deleteRequest(dn: dn, controls: requestControls).orThrow()
    }

    /// An extended operation; returns the response value. A non-success result is thrown.
    public func extended(name: String, value: [UInt8]?) throws -> [UInt8]? {
        let (result, _, responseValue) = try extendedOperation(name: name, value: value, controls: requestControls)
        _ = try result.orThrow()
        return responseValue
    }

    // MARK: - Plumbing

    package func requireHandle() throws -> OpaquePointer {
        guard let handle else { throw ConnectionError("the connection to \(uri) is closed") }
        return handle
    }

    /// Maps a libldap return code: negative API codes are connection failures
    /// (or a local error), positive ones are the server's result codes.
    package func libldapError(_ rc: Int32, _ context: String) -> any Error { error(rc, context) }

    private func error(_ rc: Int32, _ context: String) -> any Error {
        let diagnostic = diagnosticMessage()
        let detail = diagnostic.isEmpty ? "" : " (\(diagnostic))"
        switch LibLDAPFailure(rc) {
        case .unreachable, .timedOut:
            return ConnectionError("cannot reach \(uri) (\(context): \(LibLDAPFailure.message(rc)))\(detail)")
        case .badFilter:
            return LDAPOperationError(.protocolError, "invalid search filter")
        case .local:
            return LDAPOperationError(.other, "\(context): \(LibLDAPFailure.message(rc))\(detail)")
        case .result(let code):
            return LDAPOperationError(code, diagnostic)
        }
    }

    private func searchEntries(
        base: String, scope: SearchRequest.Scope, filter: String, attributes: [String], sizeLimit: Int = 0
    ) throws -> [SearchResultEntry] {
        try searchPage(base: base, scope: scope, filter: filter, attributes: attributes, sizeLimit: sizeLimit, controls: []).entries
    }

    /// One search request with `controls` (one page of an RFC 2696 sequence, say: the cookie
    /// stays valid on this connection only); its entries and the result's controls.
    public func searchPage(
        base: String, scope: SearchRequest.Scope, filter: String, attributes: [String], sizeLimit: Int, controls: [LDAPProtocol.LDAPControl]
    ) throws -> (entries: [SearchResultEntry], controls: [LDAPProtocol.LDAPControl]) {
        let ld = try requireHandle()
        let msgid = try sendSearch(base: base, scope: scope, filter: filter, attributes: attributes, sizeLimit: sizeLimit, controls: controls)
        let answer = try answers(ld, msgid)
        return (answer.entries, try answer.done.orThrow().controls)
    }

    /// Every answer to the search `msgid`: its entries and its result, whatever its code
    /// (continuation references are not followed).
    func answers(_ ld: OpaquePointer, _ msgid: Int32) throws -> (entries: [SearchResultEntry], done: ResultWithControls) {
        var entries: [SearchResultEntry] = []
        while true {
            let message = try waitResult(msgid, all: false)
            switch ldap_msgtype(message) {
            case Int32(LDAP_RES_SEARCH_ENTRY):
                defer { ldap_msgfree(message) }
                entries.append(try readEntry(ld, message))
            case Int32(LDAP_RES_SEARCH_RESULT):
                return (entries, try parseResult(message))
            default:
                ldap_msgfree(message)
            }
        }
    }
}
