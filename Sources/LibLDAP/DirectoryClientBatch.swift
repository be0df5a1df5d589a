import CLDAP
public import LDAPProtocol

/// One search of a batch (RFC 4511 §4.5.1): a size limit bounds it without
/// the paged results control, so that the server answers it in one go.
public struct BatchSearch: Sendable {
    public var base: String
    public var scope: SearchRequest.Scope
    public var filter: String
    public var attributes: [String]
    /// At most this many entries (0: the server's limit); more gives `BatchSearchResult.isTruncated`.
    public var sizeLimit: Int
    public var controls: [LDAPProtocol.LDAPControl]

    public init(
        base: String, scope: SearchRequest.Scope, filter: String = "(objectClass=*)", attributes: [String],
        sizeLimit: Int = 0, controls: [LDAPProtocol.LDAPControl] = []
    ) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.attributes = attributes
        self.sizeLimit = sizeLimit
        self.controls = controls
    }

    /// Reading one entry (a base-object search).
    public static func read(_ dn: String, attributes: [String]) -> BatchSearch {
        BatchSearch(base: dn, scope: .baseObject, attributes: attributes)
    }
}

/// What one search of a batch found: its entries, the result's controls, and whether the size
/// limit cut it short (RFC 4511 §4.5.1.4: the entries returned are kept, the result is 4).
public struct BatchSearchResult: Sendable {
    public var entries: [SearchResultEntry]
    public var controls: [LDAPProtocol.LDAPControl]
    public var isTruncated: Bool
}

extension DirectoryClient {
    /// Sends every search at once on this connection and then reads each answer by its
    /// messageID (RFC 4511 §4.1.1: requests need not wait for earlier ones), so that the
    /// searches one page needs cost one round trip instead of one each. Each search's own
    /// refusal is its result (a missing base: `noSuchObject`); only a failure to talk to the
    /// server throws. Every answer is read before returning, so none is left on the connection.
    public func searchBatch(_ searches: [BatchSearch]) throws -> [Result<BatchSearchResult, LDAPOperationError>] {
        let ld = try requireHandle()
        var sent: [Result<Int32, LDAPOperationError>] = []
        for search in searches {
            do {
                sent.append(.success(try sendSearch(
                    base: search.base, scope: search.scope, filter: search.filter, attributes: search.attributes,
                    sizeLimit: search.sizeLimit, controls: search.controls)))
            } catch let refusal as LDAPOperationError {
                sent.append(.failure(refusal))  // a filter libldap cannot encode, say
            }
        }
        var results: [Result<BatchSearchResult, LDAPOperationError>] = []
        var connectionFailure: (any Error)?
        for outcome in sent {
            guard case .success(let msgid) = outcome else {
                if case .failure(let refusal) = outcome { results.append(.failure(refusal)) }
                continue
            }
            if connectionFailure != nil { continue }
            do {
                results.append(try collect(ld, msgid))
            } catch {
                connectionFailure = error
            }
        }
        if let connectionFailure { throw connectionFailure }
        return results
    }

    private func collect(_ ld: OpaquePointer, _ msgid: Int32) throws -> Result<BatchSearchResult, LDAPOperationError> {
        let (entries, done) = try answers(ld, msgid)
        switch done.result.code {
        case .success:
            return .success(BatchSearchResult(entries: entries, controls: done.controls, isTruncated: false))
        case .sizeLimitExceeded:
            return .success(BatchSearchResult(entries: entries, controls: done.controls, isTruncated: true))
        default:
            return .failure(LDAPOperationError(done.result.code, done.result.diagnosticMessage, matchedDN: done.result.matchedDN))
        }
    }
}
