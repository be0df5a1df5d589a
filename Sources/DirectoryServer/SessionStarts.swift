import LDAPProtocol
import NIOConcurrencyHelpers
import NIOCore

/// Where a client connection's session (`ClientSession`) is started, and only when the
/// connection first needs one (issue #18): a connection whose requests its event loop answers
/// itself (`InlineRequestHandler`: binds, searches, an unbind) costs no task and no async
/// channel. The server's run loop takes each start in order and runs the session in its task
/// group; on shutdown no session starts any more, and the connections that never needed one
/// get the Notice of Disconnection (RFC 4511 §4.4.1) the sessions send.
final class SessionStarts: Sendable {
    /// A session to run: the connection wrapped for it, and what the connection was given when accepted.
    typealias Start = (channel: NIOAsyncChannel<LDAPMessage, LDAPMessage>, setup: ConnectionSetup)

    let stream: AsyncStream<Start>
    private let state: NIOLockedValueBox<(continuation: AsyncStream<Start>.Continuation?, sessionless: [ObjectIdentifier: any Channel])>

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Start.self)
        self.stream = stream
        state = NIOLockedValueBox((continuation, [:]))
    }

    /// An admitted connection, without a session yet.
    func accepted(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let stopped = state.withLockedValue { state -> Bool in
            guard state.continuation != nil else { return true }
            state.sessionless[key] = channel
            return false
        }
        if stopped {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { _ in
            self.state.withLockedValue { _ = $0.sessionless.removeValue(forKey: key) }
        }
    }

    /// Starts the connection's session (on its event loop, before the request that needs it is
    /// handed on); false when the server is stopping or the connection cannot be wrapped.
    func start(_ channel: any Channel, setup: ConnectionSetup) -> Bool {
        channel.eventLoop.preconditionInEventLoop()
        guard let wrapped = try? NIOAsyncChannel<LDAPMessage, LDAPMessage>(wrappingChannelSynchronously: channel) else { return false }
        let outcome = state.withLockedValue { state -> AsyncStream<Start>.Continuation.YieldResult? in
            guard let continuation = state.continuation else { return nil }
            state.sessionless.removeValue(forKey: ObjectIdentifier(channel))
            return continuation.yield((wrapped, setup))
        }
        switch outcome {
        case .enqueued?:
            return true
        default:
            // Nobody runs sessions any more: the wrapped channel is closed through its own API.
            Task { try? await wrapped.executeThenClose { _, _ in } }
            return false
        }
    }

    /// No session starts from now on; the stream ends.
    func stop() {
        let continuation = state.withLockedValue { state -> AsyncStream<Start>.Continuation? in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.finish()
    }

    /// Tells every connection that never needed a session that the server is shutting down, and closes it.
    func closeSessionless() async {
        let channels = state.withLockedValue { state -> [any Channel] in
            defer { state.sessionless = [:] }
            return Array(state.sessionless.values)
        }
        let notice = LDAPMessage(messageID: 0, operation: .extendedResponse(.noticeOfDisconnection(.unavailable, "the server is shutting down")))
        for channel in channels {
            try? await channel.writeAndFlush(notice).get()
            try? await channel.close()
        }
    }
}
