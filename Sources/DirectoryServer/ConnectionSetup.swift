import DirectoryBackend
import Habilitations
import LDAPProtocol
import NIOCore

/// What one client connection (RFC 4511 §5.1) is given when it is accepted, on its event loop,
/// before its first byte is read: its number, its TLS state, its place among the server's
/// connections (`admitted`: under `maximumConnections`), its session state and operation log,
/// and its pipeline's fast path handlers (issue #18), already able to take requests so that a
/// client's first Bind does not wait for the session's task to start.
struct ConnectionSetup: Sendable {
    let connectionID: UInt64
    let clientAddress: String
    let admitted: Bool
    let security: ConnectionSecurity
    let session: SessionState
    let log: OperationLog
    let canonicalizer: RequestCanonicalizer
    let raw: ClientRawWriter
    let inline: InlineRequestHandler
    /// The connection's way to slapd on its own event loop; nil: every operation goes through the store.
    let fastPath: ClientFastPath?
}
