import LDAPProtocol
import NIOCore

/// A connection beyond `maximumConnections`: told why with a Notice of Disconnection
/// (RFC 4511 §4.4.1, `busy`) as soon as it is open, then closed; nothing it sends is read.
final class ConnectionRefusal: ChannelInboundHandler, Sendable {
    typealias InboundIn = LDAPMessage
    typealias OutboundOut = LDAPMessage

    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        let notice = LDAPMessage(
            messageID: 0,
            operation: .extendedResponse(.noticeOfDisconnection(.busy, "the server has \(limit) open connections, its maximum; try again later")))
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(notice)).assumeIsolated().whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
