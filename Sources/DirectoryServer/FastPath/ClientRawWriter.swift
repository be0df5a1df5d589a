import DirectoryBackend
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
    /// The PDUs written since the last flush, in one buffer: one write into the pipeline per
    /// flush rather than one per entry.
    private var pending: ByteBuffer?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) {
        pending = nil
        self.context = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { backlog = 0 }
        context.fireChannelWritabilityChanged()
    }

    /// Anything else written to the client (the encoder's PDUs) goes after what waits here.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if let buffer = pending, buffer.readableBytes > 0 {
            pending = nil
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
        context.write(data, promise: promise)
    }

    /// The connection's allocator (nil once the connection is gone).
    var allocator: ByteBufferAllocator? { context?.channel.allocator }

    /// Writes one PDU (flushed by `flush`, or at once past 64 KiB); false if the connection is gone.
    @discardableResult
    func write(_ pdu: ByteBuffer) -> Bool {
        guard var buffer = take(reserving: pdu.readableBytes) else { return false }
        var pdu = pdu
        buffer.writeBuffer(&pdu)
        put(buffer)
        return true
    }

    /// Writes a PDU from slapd under the client's message ID (RFC 4511 §4.1.1.1), straight into
    /// the pending buffer; false if the connection is gone.
    @discardableResult
    func write(_ pdu: ByteBuffer, envelope: LDAPEnvelope, messageID: Int32) -> Bool {
        guard var buffer = take(reserving: pdu.readableBytes + 6) else { return false }
        envelope.write(pdu, messageID: messageID, into: &buffer)
        put(buffer)
        return true
    }

    private func take(reserving bytes: Int) -> ByteBuffer? {
        guard let context, context.channel.isActive else { return nil }
        if let buffer = pending {
            pending = nil
            return buffer
        }
        return context.channel.allocator.buffer(capacity: max(bytes, 4096))
    }

    private func put(_ buffer: ByteBuffer) {
        pending = buffer
        if buffer.readableBytes >= 64 * 1024 { flush() }
    }

    func flush() {
        guard let context, let buffer = pending, buffer.readableBytes > 0 else { return }
        pending = nil
        if !context.channel.isWritable { backlog += buffer.readableBytes }
        context.write(wrapOutboundOut(buffer), promise: nil)
        context.flush()
    }

    /// Whether the client has left more than `maximumBacklog` bytes unread (counting what waits here).
    var isOverBacklog: Bool { backlog + (pending?.readableBytes ?? 0) > Self.maximumBacklog }
}
