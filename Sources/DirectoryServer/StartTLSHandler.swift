import LDAPProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// Whether a connection is protected by TLS (LDAPS from the start, or after
/// StartTLS), shared by the pipeline and the session.
final class ConnectionSecurity: Sendable {
    private let active: NIOLockedValueBox<Bool>
    init(tls: Bool) { active = NIOLockedValueBox(tls) }
    var isTLS: Bool { active.withLockedValue { $0 } }
    func markTLS() { active.withLockedValue { $0 = true } }
}

/// StartTLS (RFC 4511 §4.14): once the client has asked, it must send nothing
/// more until the answer; a PDU arriving meanwhile ends the connection
/// (§4.14.1). When the success response has been written, the TLS handler is
/// put at the front of the pipeline and the handshake begins (§4.14.2).
final class StartTLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = LDAPMessage
    typealias InboundOut = LDAPMessage
    typealias OutboundIn = LDAPMessage
    typealias OutboundOut = LDAPMessage

    static let oid = "1.3.6.1.4.1.1466.20037"

    private enum State { case plain, awaitingResponse(Int), upgrading, tls }
    private var state: State
    private let sslContext: NIOSSLContext?
    private let security: ConnectionSecurity

    init(sslContext: NIOSSLContext?, security: ConnectionSecurity) {
        self.sslContext = sslContext
        self.security = security
        state = security.isTLS ? .tls : .plain
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        switch state {
        case .awaitingResponse, .upgrading:
            // RFC 4511 §4.14.1: nothing may follow a StartTLS request before its response.
            context.close(promise: nil)
            return
        case .plain:
            if case .extendedRequest(let request) = message.operation, request.name == Self.oid {
                state = .awaitingResponse(message.messageID)
            }
        case .tls:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        guard case .awaitingResponse(let id) = state, message.messageID == id,
              case .extendedResponse(let response) = message.operation
        else {
            context.write(data, promise: promise)
            return
        }
        guard response.result.code == .success, let sslContext else {
            state = security.isTLS ? .tls : .plain
            context.write(data, promise: promise)
            return
        }
        state = .upgrading
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(data, promise: written)
        written.futureResult.assumeIsolated().whenComplete { [self] result in
            promise?.completeWith(result)
            guard case .success = result else { return }
            do {
                try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext), position: .first)
                security.markTLS()
                state = .tls
            } catch {
                context.close(promise: nil)
            }
        }
    }
}
