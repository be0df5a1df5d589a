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

    /// The request's controls to pass on to slapd (`SupportedControls`).
    public func forwardableControls(for operation: ProtocolOperation) throws -> [LDAPControl] {
        try SupportedControls.forwardable(controls, for: operation)
    }
}
