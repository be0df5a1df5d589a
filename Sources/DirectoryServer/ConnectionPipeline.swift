import NIOCore
import NIOSSL

/// The handlers of one client connection (RFC 4511 §5.1), from the socket to the session:
/// LDAPS's TLS (or StartTLS's, inserted first later) → the idle timeout → the PDU decoder →
/// the fast path's raw writer → the `LDAPMessage` encoder → StartTLS → the partial-request
/// timeout → the idle closer → the searches answered on the event loop (`InlineRequestHandler`).
///
/// The idle timeout sits next to the socket, below the raw writer: the answers the fast path
/// forwards as slapd encoded them (issue #18) enter the pipeline at the raw writer, so a search
/// whose entries are still being forwarded keeps its connection open as one answered through
/// the encoder does (as slapd's `idletimeout` counts any traffic).
enum ConnectionPipeline {
    /// Adds the handlers to a new connection's pipeline; returns the raw writer the fast path
    /// writes to and the handler that answers searches on the loop.
    static func configure(
        _ operations: ChannelPipeline.SynchronousOperations, ldaps: NIOSSLContext?, startTLS: NIOSSLContext?,
        security: ConnectionSecurity, maximumPDUSize: Int, requestTimeout: Int, idleTimeout: Int
    ) throws -> (raw: ClientRawWriter, inline: InlineRequestHandler) {
        if let ldaps {
            try operations.addHandler(NIOSSLServerHandler(context: ldaps))
        }
        if idleTimeout > 0 {
            try operations.addHandler(IdleStateHandler(allTimeout: .seconds(Int64(idleTimeout))))
        }
        try operations.addHandler(ByteToMessageHandler(LDAPMessageDecoder(maximumPDUSize: maximumPDUSize)))
        let raw = ClientRawWriter()
        try operations.addHandler(raw)
        try operations.addHandler(MessageToByteHandler(LDAPMessageEncoder()))
        try operations.addHandler(StartTLSHandler(sslContext: startTLS, security: security))
        if requestTimeout > 0 {
            try operations.addHandler(PartialRequestTimeout(timeout: .seconds(Int64(requestTimeout))))
        }
        if idleTimeout > 0 {
            try operations.addHandler(IdleConnectionCloser())
        }
        let inline = InlineRequestHandler()
        try operations.addHandler(inline)
        return (raw, inline)
    }
}
