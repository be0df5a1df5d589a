import DirectoryBackend
import Habilitations
public import LDAPProtocol

/// Search (RFC 4511 §4.5): the root DSE is answered here, the subschema entry
/// and the data are searched in slapd, which evaluates every filter; the
/// access policy decides who may search the data, and the server's size and
/// time limits cap the client's (§4.5.1.4, §4.5.1.5). Paged searches
/// (RFC 2696) keep each sequence on its own slapd connection; a paged
/// search's size limit applies to each page, not to the sequence.
public enum SearchHandler {
    public static func handle(_ request: SearchRequest, context: RequestContext) async throws -> (LDAPResult, [LDAPControl]) {
        let operation = ProtocolOperation.searchRequest(request)
        var controls = try context.forwardableControls(for: operation)
        guard request.filter.depth <= context.configuration.maximumFilterDepth else {
            throw LDAPOperationError(
                .adminLimitExceeded,
                "the filter nests \(request.filter.depth) levels deep; at most \(context.configuration.maximumFilterDepth) are allowed"
            )
        }
        if request.baseObject.isEmpty && request.scope == .baseObject {
            if let entry = RootDSE(configuration: context.configuration).entry(for: request) {
                try await context.send(.searchResultEntry(entry))
            }
            return (.success, [])
        }
        let isSchema = request.scope == .baseObject
            && (try? DistinguishedName(request.baseObject)) == (try? DistinguishedName(RootDSE.subschemaSubentry))
        var query = try SearchQuery(request)
        // R10: the usage rules are read by anyone, before binding too.
        let isPublic = isSchema || context.policy.isPublicRead(request)
        if !isPublic {
            let scope = try context.policy.authorizeDataSearch(request, by: context.identity)
            // Only the suffix is served (and the root DSE and cn=Subschema, above); a base the
            // identity may not see answers as a missing one (R8), before slapd is asked anything.
            if let principal = context.principal {
                try await context.visibility.requireVisibleBase(request.baseObject, by: principal)
            }
            if let scope {
                // R8: what the identity may not see, slapd does not return.
                query.filter = try SearchFilter.and([scope, request.filter]).rfc4515String()
            }
        }
        query.timeLimit = lowered(request.timeLimit, by: context.configuration.searchTimeLimit)

        guard let pagedIndex = controls.firstIndex(where: { $0.oid == SupportedControls.pagedResults }) else {
            query.sizeLimit = lowered(request.sizeLimit, by: context.configuration.searchSizeLimit)
            return try await run(query, controls: controls, on: nil, request: request, context: context)
        }

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
            return (.success, [PagedResultsControl(size: 0, cookie: []).control()])
        }
        query.sizeLimit = request.sizeLimit
        let pageSize = lowered(paging.size, by: context.configuration.searchSizeLimit)
        controls[pagedIndex] = PagedResultsControl(size: pageSize, cookie: sequence.backendCookie).control(criticality: controls[pagedIndex].criticality)
        let result: LDAPResult
        var responseControls: [LDAPControl]
        do {
            (result, responseControls) = try await run(query, controls: controls, on: sequence.connection, request: request, context: context)
        } catch {
            if let clientCookie { registry.end(clientCookie) } else { sequence.connection.close() }
            throw error
        }
        let backendResponse = responseControls.first { $0.oid == PagedResultsControl.oid }.flatMap { try? PagedResultsControl($0) }
        responseControls.removeAll { $0.oid == PagedResultsControl.oid }
        guard result.code == .success, let backendResponse, !backendResponse.cookie.isEmpty else {
            if let clientCookie { registry.end(clientCookie) } else { sequence.connection.close() }
            responseControls.append(PagedResultsControl(size: backendResponse?.size ?? 0, cookie: []).control())
            return (result, responseControls)
        }
        sequence.backendCookie = backendResponse.cookie
        let cookie = registry.store(sequence, cookie: clientCookie)
        responseControls.append(PagedResultsControl(size: backendResponse.size, cookie: cookie).control())
        return (result, responseControls)
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
