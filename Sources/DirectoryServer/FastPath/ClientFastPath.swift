import DirectoryBackend
import HabilitationRules
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

    /// A search whose request is final (scope ANDed, limits lowered), ready to go on a link:
    /// its entries and result are written to the client by the event loop as they come.
    func forwarded(
        _ request: SearchRequest, controls: [LDAPControl], messageID: Int, policy: AccessPolicy, forwardsResult: Bool = true
    ) -> (operation: ForwardedSearch, upstream: UpstreamRequest) {
        let operation = ForwardedSearch(
            clientID: messageID, writer: writer, typesOnly: request.typesOnly, forwardsResult: forwardsResult,
            isHidden: { AccessPolicy.isProtected($0) }, redact: { policy.redact(&$0) })
        let pdu = LDAPMessage(messageID: 1, operation: .searchRequest(request), controls: controls)
        // Given up past its time limit and the grace (the loop's sweep); a search without a limit waits for slapd.
        let deadline = request.timeLimit > 0 ? NIODeadline.now() + .seconds(Int64(request.timeLimit) + Self.grace) : nil
        let waits = SearchBarrierGate.isGated(baseScope: request.scope == .baseObject)
        let upstream = UpstreamRequest(operation: operation, waitsForBarrier: waits, deadline: deadline) { id in
            var message = pdu
            message.messageID = Int(id)
            return ByteBuffer(bytes: try message.serializedBytes())
        }
        return (operation, upstream)
    }

    /// Forwards a search whose request is final and returns its result once written. Throws
    /// (nothing written for the result) when the link failed, the client left too much unread,
    /// or the task was canceled (RFC 4511 §4.11: abandoned upstream, late answers dropped).
    func search(_ request: SearchRequest, controls: [LDAPControl], messageID: Int, policy: AccessPolicy) async throws -> LDAPResult {
        let (operation, upstream) = forwarded(request, controls: controls, messageID: messageID, policy: policy)
        return try await run(operation, upstream) { links in links.submit(upstream) }
    }

    /// One page of a paged search sequence (RFC 2696), on the sequence's own link: its entries are
    /// written to the client as slapd encoded them; its result and controls (slapd's cookie) are
    /// returned for the session to answer with the client's cookie.
    func page(
        _ request: SearchRequest, controls: [LDAPControl], messageID: Int, policy: AccessPolicy, on sequence: DedicatedConnection
    ) async throws -> (LDAPResult, [LDAPControl]) {
        let (operation, upstream) = forwarded(request, controls: controls, messageID: messageID, policy: policy, forwardsResult: false)
        let result = try await run(operation, upstream) { links in links.sendPaged(upstream, on: sequence) }
        return (result, operation.resultControls)
    }

    /// Sends a search on the loop (`send`) and waits for its result; canceled: abandoned upstream.
    private func run(
        _ operation: ForwardedSearch, _ upstream: UpstreamRequest, send: @escaping @Sendable (UpstreamLoopLinks) -> Void
    ) async throws -> LDAPResult {
        let links = self.links
        let loop = links.eventLoop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Self.onLoop(loop) {
                    guard operation.start(continuation) else { return }
                    send(links)
                }
            }
        } onCancel: {
            loop.execute {
                links.abandon(upstream)
                operation.cancel()
            }
        }
    }

    /// A simple bind, ready to go on a bind link (one bind at a time per link); given up when slapd
    /// has not answered within the grace.
    func forwardedBind(dn: String, password: [UInt8], controls: [LDAPControl]) -> (operation: ForwardedBind, upstream: UpstreamRequest) {
        let operation = ForwardedBind()
        let request = BindRequest(name: dn, authentication: .simple(password: password))
        let upstream = UpstreamRequest(operation: operation, isBind: true, deadline: .now() + .seconds(Self.grace)) { id in
            ByteBuffer(bytes: try LDAPMessage(messageID: Int(id), operation: .bindRequest(request), controls: controls).serializedBytes())
        }
        return (operation, upstream)
    }

    /// A simple bind checked by slapd on a bind link; the outcome, success or not, with its
    /// response controls. Only a failure to reach slapd throws.
    func bind(dn: String, password: [UInt8], controls: [LDAPControl]) async throws -> BindOutcome {
        let (operation, upstream) = forwardedBind(dn: dn, password: password, controls: controls)
        let links = self.links
        let loop = links.eventLoop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Self.onLoop(loop) {
                    guard operation.start(continuation) else { return }
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
