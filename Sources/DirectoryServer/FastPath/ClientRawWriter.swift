import LDAPProtocol
import NIOCore

/// Where the fast path (issue #18) writes slapd's answers into a client connection as raw PDUs
/// (RFC 4511 §5.1): between the `LDAPMessage` encoder and the wire (TLS included), so that
/// forwarded bytes skip the encoder and still go through TLS. Used on the connection's event loop only.
///
/// Back-pressure: an upstream link carries other clients' answers too, so it is never stopped
/// for one client; a client that does not read has its answers held here up to
/// `maximumBacklog` bytes beyond NIO's write buffer watermark, and the operation that would go
/// further is given up (`isOverBacklog`).
final class ClientRawWriter: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = LDAPMessage
    typealias InboundOut = LDAPMessage
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Bytes a client that stopped reading may have waiting beyond the watermark.
    static let maximumBacklog = 16 * 1024 * 1024

    private var context: ChannelHandlerContext?
    /// Bytes written since the connection last stopped being writable.
    private(set) var backlog = 0
    /// Bytes written since the last flush.
    private var unflushed = 0

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { backlog = 0 }
        context.fireChannelWritabilityChanged()
    }

    /// The connection's allocator (nil once the connection is gone).
    var allocator: ByteBufferAllocator? { context?.channel.allocator }

    /// Writes one PDU (flushed by `flush`, or at once past 64 KiB); false if the connection is gone.
    @discardableResult
    func write(_ pdu: ByteBuffer) -> Bool {
        guard let context, context.channel.isActive else { return false }
        if !context.channel.isWritable { backlog += pdu.readableBytes }
        unflushed += pdu.readableBytes
        context.write(wrapOutboundOut(pdu), promise: nil)
        if unflushed >= 64 * 1024 { flush() }
        return true
    }

    func flush() {
        guard unflushed > 0, let context else { return }
        unflushed = 0
        context.flush()
    }

    /// Whether the client has left more than `maximumBacklog` bytes unread.
    var isOverBacklog: Bool { backlog > Self.maximumBacklog }
}
