import DirectoryBackend
import Habilitations
public import LDAPProtocol

/// Search (RFC 4511 §4.5): the root DSE is answered here, the subschema entry
/// and the data are searched in slapd, which evaluates every filter; the
/// access policy decides who may search the data, and the server's size and
/// time limits cap the client's (§4.5.1.4, §4.5.1.5).
public enum SearchHandler {
    public static func handle(_ request: SearchRequest, context: RequestContext) async throws -> LDAPResult {
        try context.checkCriticalControls()
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
            return .success
        }
        let isSchema = request.scope == .baseObject
            && request.baseObject.lowercased().replacingOccurrences(of: " ", with: "") == RootDSE.subschemaSubentry.lowercased()
        if !isSchema {
            try context.policy.authorizeDataSearch(request, by: context.identity)
        }
        var query = try SearchQuery(request)
        query.sizeLimit = lowered(request.sizeLimit, by: context.configuration.searchSizeLimit)
        query.timeLimit = lowered(request.timeLimit, by: context.configuration.searchTimeLimit)
        let policy = context.policy
        let typesOnly = request.typesOnly
        let (result, _) = try await context.store.search(query, controls: []) { events in
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
        return result
    }

    /// A client limit, capped by the server's (0 means none on either side).
    static func lowered(_ client: Int, by server: Int) -> Int {
        if server == 0 { return client }
        if client == 0 { return server }
        return min(client, server)
    }
}
