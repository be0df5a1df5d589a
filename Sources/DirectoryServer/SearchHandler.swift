import DirectoryBackend
import Habilitations
public import LDAPProtocol

/// Search (RFC 4511 §4.5): the root DSE is answered here, the subschema entry
/// and the data are searched in slapd, which evaluates every filter; the
/// access policy decides who may search the data, and the server's size and
/// time limits cap the client's (§4.5.1.4, §4.5.1.5). Paged searches
/// (RFC 2696) keep each sequence on its own slapd connection; a paged
/// search's size limit applies to each page, not to the sequence.
///
/// On the fast path (issue #18) a search that is not paged goes to slapd as one request on an
/// upstream link of the connection's event loop, the scope (R8) ANDed to its filter as a value,
/// and slapd's answers reach the client as slapd encoded them (`ForwardedSearch`).
public enum SearchHandler {
    /// A search's outcome: its result and response controls, and whether the result was already
    /// written to the client (by the fast path).
    public struct Answer: Sendable {
        public var result: LDAPResult
        public var controls: [LDAPControl]
        public var alreadySent: Bool
    }

    public static func handle(_ request: SearchRequest, context: RequestContext) async throws -> (LDAPResult, [LDAPControl]) {
        let answer = try await answer(request, context: context)
        return (answer.result, answer.controls)
    }

    /// What a search is once the rules have looked at it, before slapd is asked anything.
    enum Plan {
        /// The root DSE, answered here (nil: the request's filter does not match it).
        case rootDSE(SearchResultEntry?)
        /// A search of the data or of the subschema entry, in slapd.
        case store(StoreSearch)
    }

    /// A search slapd answers: the filter with the identity's scope ANDed (R8), the controls to
    /// forward, the lowered time limit, and the principal whose view of the base is still to be
    /// checked (nil: nothing to check).
    struct StoreSearch {
        var filter: SearchFilter
        var controls: [LDAPControl]
        var timeLimit: Int
        var baseCheck: Principal?
        /// Whether a scope was ANDed (false: the identity reads everything, or the entry is public).
        var isScoped = false
        /// Where the paged results control is among `controls` (RFC 2696), if any.
        var pagedIndex: Int? { controls.firstIndex { $0.oid == SupportedControls.pagedResults } }

        /// The request as it goes to slapd when it is not paged (on the fast path).
        func upstream(_ request: SearchRequest, sizeLimit: Int) -> SearchRequest {
            var upstream = request
            upstream.filter = filter
            upstream.sizeLimit = sizeLimit
            upstream.timeLimit = timeLimit
            upstream.derefAliases = 0  // as the libldap path sends it (LDAP_DEREF_NEVER)
            return upstream
        }
    }

    /// The rules' part of a search, with nothing asked of slapd: the controls it may forward, the
    /// filter's depth, who may search the data and what they see of it (R8, R10), the limits.
    static func plan(
        _ request: SearchRequest, controls requestControls: [LDAPControl], identity: AccessPolicy.Identity,
        policy: AccessPolicy, configuration: ServerConfiguration
    ) throws -> Plan {
        let operation = ProtocolOperation.searchRequest(request)
        let controls = try RequestContext.forwardable(requestControls, for: operation, identity: identity, policy: policy)
        guard request.filter.depth <= configuration.maximumFilterDepth else {
            throw LDAPOperationError(
                .adminLimitExceeded,
                "the filter nests \(request.filter.depth) levels deep; at most \(configuration.maximumFilterDepth) are allowed"
            )
        }
        if request.baseObject.isEmpty && request.scope == .baseObject {
            return .rootDSE(RootDSE(configuration: configuration).entry(for: request))
        }
        let isSchema = request.scope == .baseObject
            && (try? DistinguishedName(request.baseObject)) == (try? DistinguishedName(RootDSE.subschemaSubentry))
        // R10: the usage rules are read by anyone, before binding too.
        let isPublic = isSchema || policy.isPublicRead(request)
        var search = StoreSearch(
            filter: request.filter, controls: controls,
            timeLimit: lowered(request.timeLimit, by: configuration.searchTimeLimit), baseCheck: nil)
        if !isPublic {
            let scope = try policy.authorizeDataSearch(request, by: identity)
            // Only the suffix is served (and the root DSE and cn=Subschema, above); a base the
            // identity may not see answers as a missing one (R8), before slapd is asked anything.
            if case .user(let principal) = identity { search.baseCheck = principal }
            if let scope {
                // R8: what the identity may not see, slapd does not return.
                search.filter = .and([scope, request.filter])
                search.isScoped = true
            }
        }
        return .store(search)
    }

    public static func answer(_ request: SearchRequest, context: RequestContext) async throws -> Answer {
        let search: StoreSearch
        switch try plan(request, controls: context.controls, identity: context.identity, policy: context.policy, configuration: context.configuration) {
        case .rootDSE(let entry):
            if let entry { try await context.send(.searchResultEntry(entry)) }
            return Answer(result: .success, controls: [], alreadySent: false)
        case .store(let planned):
            search = planned
        }
        if let principal = search.baseCheck {
            try await context.visibility.requireVisibleBase(request.baseObject, by: principal)
        }
        var controls = search.controls
        let filter = search.filter
        let timeLimit = search.timeLimit

        guard let pagedIndex = search.pagedIndex else {
            let sizeLimit = lowered(request.sizeLimit, by: context.configuration.searchSizeLimit)
            if let fastPath = context.fastPath {
                let result = try await fastPath.search(
                    search.upstream(request, sizeLimit: sizeLimit), controls: controls, messageID: context.messageID, policy: context.policy)
                return Answer(result: result, controls: [], alreadySent: true)
            }
            var query = try SearchQuery(request)
            query.filter = try filter.rfc4515String()
            query.timeLimit = timeLimit
            query.sizeLimit = sizeLimit
            let (result, responseControls) = try await run(query, controls: controls, on: nil, request: request, context: context)
            return Answer(result: result, controls: responseControls, alreadySent: false)
        }
        var query = try SearchQuery(request)
        query.filter = try filter.rfc4515String()
        query.timeLimit = timeLimit

        // RFC 2696: a paged sequence.
        let paging = try PagedResultsControl(controls[pagedIndex])
        let signature = "\(request.baseObject)|\(request.scope.rawValue)|\(query.filter)|\(request.attributes)|\(request.typesOnly)"
        let registry = context.pagedSearches
        var sequence: PagedSearchRegistry.Sequence
        let clientCookie: [UInt8]? = paging.cookie.isEmpty ? nil : paging.cookie
        if let clientCookie {
            sequence = try registry.sequence(for: clientCookie, signature: signature)
        } else {
            sequence = .init(connection: context.store.makeDedicatedConnection(), backendCookie: [], signature: signature, lastUse: 0)
        }
        if paging.size == 0 {
            // A page size of 0 ends the sequence (RFC 2696 §3).
            if let clientCookie { registry.end(clientCookie) } else { sequence.connection.close() }
            return Answer(result: .success, controls: [PagedResultsControl(size: 0, cookie: []).control()], alreadySent: false)
        }
        query.sizeLimit = request.sizeLimit
        let pageSize = lowered(paging.size, by: context.configuration.searchSizeLimit)
        controls[pagedIndex] = PagedResultsControl(size: pageSize, cookie: sequence.backendCookie).control(criticality: controls[pagedIndex].criticality)
        let result: LDAPResult
        var responseControls: [LDAPControl]
        do {
            if let fastPath = context.fastPath {
                // The entries go to the client as slapd encoded them; the result is answered below with the client's cookie.
                (result, responseControls) = try await fastPath.page(
                    search.upstream(request, sizeLimit: request.sizeLimit), controls: controls, messageID: context.messageID,
                    policy: context.policy, on: sequence.connection)
            } else {
                (result, responseControls) = try await run(query, controls: controls, on: sequence.connection, request: request, context: context)
            }
        } catch {
            if let clientCookie { registry.end(clientCookie) } else { sequence.connection.close() }
            throw error
        }
        let backendResponse = responseControls.first { $0.oid == PagedResultsControl.oid }.flatMap { try? PagedResultsControl($0) }
        responseControls.removeAll { $0.oid == PagedResultsControl.oid }
        guard result.code == .success, let backendResponse, !backendResponse.cookie.isEmpty else {
            if let clientCookie { registry.end(clientCookie) } else { sequence.connection.close() }
            responseControls.append(PagedResultsControl(size: backendResponse?.size ?? 0, cookie: []).control())
            return Answer(result: result, controls: responseControls, alreadySent: false)
        }
        sequence.backendCookie = backendResponse.cookie
        let cookie = registry.store(sequence, cookie: clientCookie)
        responseControls.append(PagedResultsControl(size: backendResponse.size, cookie: cookie).control())
        return Answer(result: result, controls: responseControls, alreadySent: false)
    }

    /// Runs the query in slapd and streams its entries to the client.
    private static func run(
        _ query: SearchQuery, controls: [LDAPControl], on connection: DedicatedConnection?,
        request: SearchRequest, context: RequestContext
    ) async throws -> (LDAPResult, [LDAPControl]) {
        let policy = context.policy
        let typesOnly = request.typesOnly
        return try await context.store.search(query, controls: controls, on: connection) { events in
            for event in events {
                switch event {
                case .entry(var entry):
                    policy.redact(&entry)
                    entry.typesOnly = typesOnly
                    try await context.send(.searchResultEntry(entry))
                case .reference(let uris):
                    try await context.send(.searchResultReference(uris))
                case .done:
                    break
                }
            }
        }
    }

    /// A client limit, capped by the server's (0 means none on either side).
    static func lowered(_ client: Int, by server: Int) -> Int {
        if server == 0 { return client }
        if client == 0 { return server }
        return min(client, server)
    }
}
