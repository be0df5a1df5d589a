import NIOCore

/// Closes a connection on which nothing was read or written for the idle
/// timeout (NIO's `IdleStateHandler` raises the event), as slapd's
/// `idletimeout` does.
final class IdleConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
