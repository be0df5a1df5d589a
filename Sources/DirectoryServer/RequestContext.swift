public import DirectoryBackend
public import Habilitations
public import LDAPProtocol
public import Logging
import NIOCore

/// Everything one request's handler needs: who asks, what they sent, where the
/// data is, and the way back to the client (the lldap model: one handler per
/// operation, a single error type).
public struct RequestContext: Sendable {
    public let messageID: Int
    public let controls: [LDAPControl]
    public let identity: AccessPolicy.Identity
    public let store: any DirectoryStore
    /// Every change goes through the domain rules (R2–R8).
    public let habilitations: HabilitationService
    public let policy: AccessPolicy
    public let configuration: ServerConfiguration
    public let logger: Logger
    let outbound: NIOAsyncChannelOutboundWriter<LDAPMessage>

    /// Sends one response PDU for this request.
    public func send(_ operation: ProtocolOperation, controls: [LDAPControl] = []) async throws {
        try await outbound.write(LDAPMessage(messageID: messageID, operation: operation, controls: controls))
    }

    /// The client's paged search sequences on this connection.
    let pagedSearches: PagedSearchRegistry
    /// Whether the connection is protected by TLS.
    public let isTLS: Bool
    /// State shared by the session's operations (R6: must change its password).
    public let session: SessionState
    /// The client's address, for rate limits.
    public let clientAddress: String
    /// The forgot-password workflow (R6).
    public let forgotPassword: ForgotPassword
    /// The connection's fast path to slapd (issue #18), when the server uses one.
    var fastPath: ClientFastPath? = nil

    /// The request's controls to pass on to slapd (`SupportedControls`).
    ///
    /// R8 holds in the controls too: an assertion (RFC 4528) is held to the rules of a filter and
    /// evaluated only on what the identity may read (the scope is ANDed to it), so that it cannot
    /// answer questions about an entry the identity may not see; a sort key (RFC 2891) may not
    /// order by a password.
    public func forwardableControls(for operation: ProtocolOperation) throws -> [LDAPControl] {
        try Self.forwardable(controls, for: operation, identity: identity, policy: policy)
    }

    /// `forwardableControls(for:)` for a request's controls outside a context (`InlineRequestHandler`).
    static func forwardable(
        _ controls: [LDAPControl], for operation: ProtocolOperation, identity: AccessPolicy.Identity, policy: AccessPolicy
    ) throws -> [LDAPControl] {
        var forwarded = try SupportedControls.forwardable(controls, for: operation)
        guard case .user(let principal) = identity, !forwarded.isEmpty else { return forwarded }
        let scope = policy.scope(of: principal)
        for index in forwarded.indices {
            switch forwarded[index].oid {
            case AssertionControl.oid:
                let assertion = try AssertionControl(forwarded[index])
                try policy.checkFilter(assertion.filter, by: principal)
                guard let scope else { continue }
                var scoped = try AssertionControl(.and([scope, assertion.filter])).control()
                scoped.criticality = forwarded[index].criticality
                forwarded[index] = scoped
            case ServerSideSortRequest.oid:
                for key in try ServerSideSortRequest(value: forwarded[index].value).keys {
                    try policy.checkSortKey(key.attributeType)
                }
            default:
                break
            }
        }
        return forwarded
    }

    /// The principal, when the session is bound.
    var principal: Principal? {
        if case .user(let principal) = identity { principal } else { nil }
    }

    /// Who may see what target (R8: out of scope answers as missing).
    var visibility: TargetVisibility { TargetVisibility(context: self) }
}
