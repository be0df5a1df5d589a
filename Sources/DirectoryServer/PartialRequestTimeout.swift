import LDAPProtocol
import NIOCore

/// What `LDAPMessageDecoder` tells the pipeline about a request arriving in
/// pieces: its first bytes came (`started`), or its last (`completed`).
public enum PartialRequestEvent: Sendable {
    case started
    case completed
}

/// Bounds how long one request may take to arrive whole after its first byte
/// (`--request-timeout`). A client dripping a PDU a byte at a time keeps the
/// idle timeout (which counts any byte) from ever firing and holds its
/// buffer for as long as it likes; slapd has no such bound. At the deadline
/// the connection gets a Notice of Disconnection (RFC 4511 §4.4.1,
/// `unavailable`) and is closed. Requests already received are not affected.
final class PartialRequestTimeout: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = LDAPMessage
    typealias InboundOut = LDAPMessage
    typealias OutboundOut = LDAPMessage

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? PartialRequestEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch event {
        case .started:
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let seconds = timeout.nanoseconds / 1_000_000_000
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                let context = loopBound.value
                let notice = LDAPMessage(
                    messageID: 0,
                    operation: .extendedResponse(.noticeOfDisconnection(
                        .unavailable, "a request did not arrive whole within \(seconds) s of its first byte")))
                context.writeAndFlush(Self.wrapOutboundOut(notice)).assumeIsolated().whenComplete { _ in
                    loopBound.value.close(promise: nil)
                }
            }
        case .completed:
            deadline?.cancel()
            deadline = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}
