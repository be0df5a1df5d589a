import DirectoryBackend
import LDAPProtocol
import NIOCore

/// One client connection's way onto the fast path (issue #18): its searches and simple binds go
/// to slapd on the upstream links of the connection's own event loop, and slapd's answers come
/// back to it on that loop, with no thread pool and no blocking `ldap_result`.
struct ClientFastPath: Sendable {
    let links: UpstreamLoopLinks
    let writer: ClientRawWriter

    /// How long past its time limit a search may go unanswered before it is given up (`busy`,
    /// as the libldap path answers a store that does not answer in time).
    static let grace: Int64 = 30

    /// Forwards a search whose request is final (scope ANDed, limits lowered): its entries and
    /// result are written to the client by the event loop; returns the result once written.
    /// Throws (nothing written for the result) when the link failed, the client left too much
    /// unread, or the task was canceled (RFC 4511 §4.11: abandoned upstream, late answers dropped).
    func search(
        _ request: SearchRequest, controls: [LDAPControl], messageID: Int,
        isHidden: @escaping @Sendable (String) -> Bool, redact: @escaping @Sendable (inout SearchResultEntry) -> Void
    ) async throws -> LDAPResult {
        let operation = ForwardedSearch(clientID: messageID, writer: writer, typesOnly: request.typesOnly, isHidden: isHidden, redact: redact)
        let pdu = LDAPMessage(messageID: 1, operation: .searchRequest(request), controls: controls)
        let upstream = UpstreamRequest(operation: operation) { id in
            var message = pdu
            message.messageID = Int(id)
            return ByteBuffer(bytes: try message.serializedBytes())
        }
        let links = self.links
        let loop = links.eventLoop
        let timeout: TimeAmount? = request.timeLimit > 0 ? .seconds(Int64(request.timeLimit) + Self.grace) : nil
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Self.onLoop(loop) {
                    let deadline = timeout.map { timeout in
                        loop.scheduleTask(in: timeout) {
                            links.abandon(upstream)
                            operation.give(up: LDAPOperationError(.busy, "the directory store did not answer the search in time"))
                        }
                    }
                    guard operation.start(continuation, deadline: deadline) else { return }
                    links.submit(upstream)
                }
            }
        } onCancel: {
            loop.execute {
                links.abandon(upstream)
                operation.cancel()
            }
        }
    }

    /// A simple bind checked by slapd on a bind link (one bind at a time per link); the outcome,
    /// success or not, with its response controls. Only a failure to reach slapd throws.
    func bind(dn: String, password: [UInt8], controls: [LDAPControl]) async throws -> BindOutcome {
        let operation = ForwardedBind()
        let request = BindRequest(name: dn, authentication: .simple(password: password))
        let upstream = UpstreamRequest(operation: operation, isBind: true) { id in
            ByteBuffer(bytes: try LDAPMessage(messageID: Int(id), operation: .bindRequest(request), controls: controls).serializedBytes())
        }
        let links = self.links
        let loop = links.eventLoop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Self.onLoop(loop) {
                    let deadline = loop.scheduleTask(in: .seconds(Self.grace)) {
                        links.abandon(upstream)
                        operation.give(up: LDAPOperationError(.busy, "the directory store did not answer the bind in time"))
                    }
                    guard operation.start(continuation, deadline: deadline) else { return }
                    links.submit(upstream)
                }
            }
        } onCancel: {
            loop.execute {
                links.abandon(upstream)
                operation.cancel()
            }
        }
    }

    /// Runs `body` on the links' loop: at once when the session's task already runs there (the
    /// usual case, tasks stay on the loop that resumed them), else as a task of that loop. Saves
    /// a loop iteration per operation.
    private static func onLoop(_ loop: any EventLoop, _ body: @escaping @Sendable () -> Void) {
        if loop.inEventLoop { body() } else { loop.execute(body) }
    }
}
