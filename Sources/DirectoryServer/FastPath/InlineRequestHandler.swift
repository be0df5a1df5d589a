import DirectoryBackend
import Habilitations
import LDAPProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Searches and simple binds answered on the client connection's event loop (issue #18): no
/// task, no continuation and no thread hop per operation. The handler sits last in the
/// connection's pipeline, in front of the session (`ClientSession`), and takes a request itself
/// when the session's state allows it; everything else, and every request it does not take, goes
/// on to the session, which answers it as before.
///
/// It takes a request only when the session has taken every earlier one, so that requests are
/// acted on in order where LDAP says they must be (RFC 4511 §4.2.1: a Bind changes the identity
/// the next requests run as). A search is taken when the identity's rights are fresh (R8: read
/// again after a write of the session's and every `rightsRefreshSeconds`), the session is not
/// limited to changing a temporary password (R6), and the rules decide without asking slapd: one
/// the rules refuse, a paged one (RFC 2696), one of the root DSE, or one whose base only slapd
/// can say is visible goes to the session. The scope (R8) is ANDed to the filter and hidden
/// attributes are redacted (`ForwardedSearch`) as on the session's path.
///
/// A simple bind with a name and a password is sent to slapd from here too; the requests that
/// come after it wait here until it is answered. Its answer is decided by `BindHandler` as on
/// the session's path (a refused bind costs its hash, a temporary password limits the session,
/// both off the loop); the session learns who it is bound as (`takeBind`) before its next request.
///
/// Its operations count in the connection's and the identity's bounds on operations in
/// progress: at the connection's bound, and past `heldBound` requests waiting behind a bind, it
/// stops reading the socket. Abandon (RFC 4511 §4.11) and Cancel (RFC 3909) of one of its searches are answered
/// here, and an Unbind (§4.3) that comes when the session has taken everything before it.
final class InlineRequestHandler: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = LDAPMessage
    typealias InboundOut = LDAPMessage
    typealias OutboundIn = LDAPMessage
    typealias OutboundOut = LDAPMessage

    /// What the session lends the handler when it starts: everything a request needs but the
    /// identity. A class: handed to every operation and its completion, it is retained once, not
    /// field by field.
    final class Dependencies: Sendable {
        let fastPath: ClientFastPath
        let canonicalizer: RequestCanonicalizer
        let store: any DirectoryStore
        let habilitations: HabilitationService
        let policy: AccessPolicy
        let configuration: ServerConfiguration
        let identityOperations: IdentityOperationLimiter
        let session: SessionState
        let security: ConnectionSecurity
        let logger: Logger
        let log: OperationLog

        init(
            fastPath: ClientFastPath, canonicalizer: RequestCanonicalizer, store: any DirectoryStore, habilitations: HabilitationService,
            policy: AccessPolicy, configuration: ServerConfiguration, identityOperations: IdentityOperationLimiter, session: SessionState,
            security: ConnectionSecurity, logger: Logger, log: OperationLog
        ) {
            self.fastPath = fastPath
            self.canonicalizer = canonicalizer
            self.store = store
            self.habilitations = habilitations
            self.policy = policy
            self.configuration = configuration
            self.identityOperations = identityOperations
            self.session = session
            self.security = security
            self.logger = logger
            self.log = log
        }
    }

    /// The session's identity as of the last request it took: who the searches run as (R8).
    struct Identity: Sendable {
        let identity: AccessPolicy.Identity
        /// As logged.
        let name: String
        /// Its key in `IdentityOperationLimiter`.
        let share: String
        /// When its rights must be read again (by the session).
        let rightsReadAgainAt: ContinuousClock.Instant
    }

    private struct InProgress {
        let operation: ForwardedSearch
        let upstream: UpstreamRequest
        let name: String
    }

    private var context: ChannelHandlerContext?
    /// Starts the connection's session, before the first request handed on to it (`SessionStarts`);
    /// false: the server is stopping. Nil: the connection was refused, nothing is handed on.
    var startSession: ((any Channel) -> Bool)?
    private var sessionStarted = false
    private var dependencies: Dependencies?
    private var current: Identity?
    /// Requests handed on to the session that it has not taken yet.
    private var handedOn = 0
    private var inProgress: [Int: InProgress] = [:]
    /// The bind in progress here, if any: the requests read meanwhile wait in `held`.
    private var bindInProgress: (operation: ForwardedBind, upstream: UpstreamRequest)?
    private var held: [LDAPMessage] = []
    /// Whether the rights of the identity a bind here gave are being read (the requests read
    /// meanwhile wait in `held`), and whether they may still be read here (once per bind).
    private var resolving = false
    private var mayResolve = false
    /// A read the session asked for, held while the connection is at its bound or too many requests wait behind a bind.
    private var readHeld = false
    private var isClosed = false
    private let count = NIOLockedValueBox(0)
    /// Who the last bind answered here left the session bound as, until the session takes it.
    private let boundHere = NIOLockedValueBox<BindHandler.BoundIdentity?>(nil)
    /// The last base seen visible without asking slapd, and for whom (unrestricted or not): a
    /// connection's clients search under the same base again and again.
    private var lastVisibleBase: (dn: String, unrestricted: Bool)?
    /// Who the last bind answered here left the session bound as, as logged.
    private var boundName: String?

    /// Operations in progress here (StartTLS needs none, RFC 4511 §4.14.1).
    var operationsInProgress: Int { count.withLockedValue { $0 } }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        endAll()
        self.context = nil
    }

    // MARK: The server's and the session's side

    /// The connection is accepted (on its event loop): requests may be taken here from now on, searches as `identity`.
    func start(_ dependencies: Dependencies, as identity: Identity?, on loop: any EventLoop) {
        loop.preconditionInEventLoop()
        self.dependencies = dependencies
        current = identity
    }

    /// (Any thread.) The session took one request and acted on it: its identity is now `identity` (nil: the
    /// handler takes no search until the session says otherwise).
    func sessionTook(as identity: Identity?, on loop: any EventLoop) {
        loop.execute {
            self.handedOn -= 1
            self.current = identity
        }
    }

    /// (Any thread.) Who a bind answered here left the session bound as, once (nil: no bind since the last call).
    func takeBind() -> BindHandler.BoundIdentity? {
        boundHere.withLockedValue { bound in
            defer { bound = nil }
            return bound
        }
    }

    // MARK: The pipeline's side (the event loop)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        // After an Unbind taken here, nothing more is read (RFC 4511 §4.3).
        if isClosed { return }
        if bindInProgress != nil || resolving {
            held.append(message)
            return
        }
        if take(message, context: context) { return }
        handOn(message, context: context)
    }

    /// Hands a request on to the session, starting it first if it is not running yet.
    private func handOn(_ message: LDAPMessage, context: ChannelHandlerContext) {
        if !sessionStarted {
            guard let startSession else { return }
            sessionStarted = true
            guard startSession(context.channel) else {
                isClosed = true
                held = []
                context.close(promise: nil)
                return
            }
        }
        handedOn += 1
        context.fireChannelRead(wrapInboundOut(message))
    }

    func read(context: ChannelHandlerContext) {
        if isFull || held.count >= Self.heldBound {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        endAll()
        context.fireChannelInactive()
    }

    /// A malformed PDU or a failed socket: the session answers it (a Notice of Disconnection,
    /// RFC 4511 §4.4.1) and ends; it is started for that if it is not running yet.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !sessionStarted, let startSession {
            sessionStarted = true
            guard startSession(context.channel) else {
                context.close(promise: nil)
                return
            }
        }
        context.fireErrorCaught(error)
    }

    /// Requests read behind a bind in progress before the socket is no longer read (a client
    /// that waits for its bind's answer sends nothing meanwhile; reading on saves the socket's
    /// read interest being dropped and taken again around each bind).
    static let heldBound = 64

    private var isFull: Bool {
        guard let dependencies else { return false }
        return inProgress.count >= dependencies.configuration.maximumOutstandingOperations
    }

    /// Whether the handler answers the request itself.
    private func take(_ message: LDAPMessage, context: ChannelHandlerContext) -> Bool {
        guard let dependencies else { return false }
        switch message.operation {
        case .searchRequest:
            return search(message, dependencies: dependencies)
        case .bindRequest:
            return bind(message, dependencies: dependencies)
        case .unbindRequest:
            // RFC 4511 §4.3: the connection ends; what is in progress is abandoned (`channelInactive`).
            // Only once the session has taken every earlier request, which it then cancels as it ends.
            guard handedOn == 0 else { return false }
            dependencies.log.record(
                message.operation, messageID: message.messageID, identity: current?.name ?? boundName ?? "anonymous", result: nil,
                started: ContinuousClock.now)
            isClosed = true
            held = []
            context.close(promise: nil)
            return true
        case .abandonRequest(let id):
            guard let search = inProgress[id] else { return false }
            let started = ContinuousClock.now
            dependencies.fastPath.links.abandon(search.upstream)
            search.operation.cancel()
            dependencies.log.record(message.operation, messageID: message.messageID, identity: search.name, result: nil, started: started)
            return true
        case .extendedRequest(let request) where request.name == CancelRequest.oid:
            guard let cancel = try? CancelRequest(value: request.value), let search = inProgress[cancel.cancelID] else { return false }
            // RFC 3909: the canceled search answers `canceled`, then the Cancel answers.
            let started = ContinuousClock.now
            dependencies.fastPath.links.abandon(search.upstream)
            search.operation.cancel()
            context.write(wrapOutboundOut(LDAPMessage(
                messageID: cancel.cancelID,
                operation: .searchResultDone(LDAPResult(code: .canceled, diagnosticMessage: "canceled by the client")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(LDAPMessage(
                messageID: message.messageID, operation: .extendedResponse(ExtendedResponse(result: .success)))), promise: nil)
            dependencies.log.record(message.operation, messageID: message.messageID, identity: search.name, result: .success, started: started)
            return true
        default:
            return false
        }
    }

    // MARK: Searches

    /// Sends a search to slapd on the loop's links when nothing stands in the way; false: the session answers it.
    private func search(_ message: LDAPMessage, dependencies: Dependencies) -> Bool {
        if handedOn == 0, current == nil, mayResolve, case .named(let dn)? = boundHere.withLockedValue({ $0 }),
           !dependencies.session.mustChangePassword {
            // The first search after a bind here: the new identity's rights are read first (R8), then it is taken.
            resolve(dn, before: message, dependencies: dependencies)
            return true
        }
        let started = ContinuousClock.now
        guard handedOn == 0, let current, started < current.rightsReadAgainAt, inProgress[message.messageID] == nil,
              !dependencies.session.mustChangePassword, !dependencies.session.hasUnreadWrite
        else { return false }
        let configuration = dependencies.configuration
        // Whatever the rules refuse, the session refuses again, in the client's language.
        guard let canonical = try? dependencies.canonicalizer.canonical(message), case .searchRequest(let request) = canonical.operation,
              case .store(let search)? = try? SearchHandler.plan(
                request, controls: canonical.controls, identity: current.identity, policy: dependencies.policy, configuration: configuration),
              search.pagedIndex == nil
        else { return false }
        if search.baseCheck != nil, !(lastVisibleBase.map { $0.dn == request.baseObject && $0.unrestricted == !search.isScoped } ?? false) {
            guard TargetVisibility.isVisibleWithoutAsking(request.baseObject, unrestricted: !search.isScoped, suffix: configuration.suffixName)
            else { return false }
            lastVisibleBase = (request.baseObject, !search.isScoped)
        }
        guard dependencies.identityOperations.tryAcquire(current.share) else { return false }
        let id = message.messageID
        let sizeLimit = SearchHandler.lowered(request.sizeLimit, by: configuration.searchSizeLimit)
        let (operation, upstream) = dependencies.fastPath.forwarded(
            search.upstream(request, sizeLimit: sizeLimit), controls: search.controls, messageID: id, policy: dependencies.policy)
        inProgress[id] = InProgress(operation: operation, upstream: upstream, name: current.name)
        count.withLockedValue { $0 += 1 }
        let share = current.share
        let name = current.name
        _ = operation.start { [self] outcome in
            searchEnded(canonical.operation, messageID: id, outcome: outcome, share: share, name: name, started: started, dependencies: dependencies)
        }
        dependencies.fastPath.links.submit(upstream)
        return true
    }

    /// A search of the handler's ended: answered (its result already written), failed (its
    /// result written here), or abandoned or canceled (nothing more written).
    private func searchEnded(
        _ operation: ProtocolOperation, messageID: Int, outcome: Result<LDAPResult, any Error>, share: String, name: String,
        started: ContinuousClock.Instant, dependencies: Dependencies
    ) {
        inProgress[messageID] = nil
        count.withLockedValue { $0 -= 1 }
        dependencies.identityOperations.release(share)
        let target = OperationLog.target(of: operation)
        switch outcome {
        case .success(let result):
            dependencies.log.record(operation, messageID: messageID, identity: name, dn: target, result: result, started: started)
        case .failure(let error as LDAPOperationError):
            let result = OperationLog.boundedDiagnostic(error.result)
            context?.writeAndFlush(wrapOutboundOut(LDAPMessage(messageID: messageID, operation: .searchResultDone(result))), promise: nil)
            dependencies.log.record(operation, messageID: messageID, identity: name, dn: target, result: result, started: started)
        case .failure:
            dependencies.log.record(operation, messageID: messageID, identity: name, dn: target, result: nil, started: started, abandoned: true)
        }
        resumeReading()
    }

    // MARK: Binds

    /// Sends a simple bind with a name and a password to slapd on a bind link; false: the session
    /// answers it (an anonymous bind, a refusal the rules make before slapd is asked).
    private func bind(_ message: LDAPMessage, dependencies: Dependencies) -> Bool {
        guard handedOn == 0, inProgress[message.messageID] == nil,
              let canonical = try? dependencies.canonicalizer.canonical(message), case .bindRequest(let request) = canonical.operation,
              case .check(let check)? = try? BindHandler.prepare(
                request, controls: canonical.controls, policy: dependencies.policy, configuration: dependencies.configuration,
                isTLS: dependencies.security.isTLS)
        else { return false }
        let started = ContinuousClock.now
        dependencies.session.mustChangePassword = false
        let (operation, upstream) = dependencies.fastPath.forwardedBind(dn: check.dn, password: check.password, controls: check.controls)
        bindInProgress = (operation, upstream)
        count.withLockedValue { $0 += 1 }
        let loop = dependencies.fastPath.links.eventLoop
        _ = operation.start { [self] outcome in
            switch outcome {
            case .success(let answer):
                if let answered = BindHandler.answerAtOnce(answer, check: check) {
                    bindEnded(canonical, answer: answered, started: started, dependencies: dependencies)
                    return
                }
                // A refused bind's hash, a temporary password's state: asked of slapd off the loop.
                Task {
                    let answered: BindHandler.Answer
                    do {
                        answered = try await BindHandler.conclude(
                            answer, check: check, store: dependencies.store, habilitations: dependencies.habilitations,
                            policy: dependencies.policy, session: dependencies.session, logger: dependencies.logger)
                    } catch {
                        answered = BindHandler.refused(error)
                    }
                    loop.execute { self.bindEnded(canonical, answer: answered, started: started, dependencies: dependencies) }
                }
            case .failure(let error as LDAPOperationError):
                bindEnded(canonical, answer: BindHandler.refused(error), started: started, dependencies: dependencies)
            case .failure:
                // The connection is gone.
                count.withLockedValue { $0 -= 1 }
                bindInProgress = nil
                dependencies.log.record(canonical.operation, messageID: canonical.messageID, identity: check.dn, dn: check.dn, result: nil, started: started, abandoned: true)
            }
        }
        dependencies.fastPath.links.submit(upstream)
        return true
    }

    /// The bind is answered: the client is told, the session will learn who it is bound as, and
    /// the requests that waited are taken or handed on, in order.
    private func bindEnded(_ message: LDAPMessage, answer: BindHandler.Answer, started: ContinuousClock.Instant, dependencies: Dependencies) {
        guard bindInProgress != nil else { return }
        bindInProgress = nil
        count.withLockedValue { $0 -= 1 }
        boundHere.withLockedValue { $0 = answer.bound }
        // The session reads the rights of the new identity before a search may be taken here again.
        current = nil
        let name: String
        switch answer.bound {
        case .anonymous: name = "anonymous"
        case .named(let dn): name = dn
        case .resolved(let principal): name = principal.dn
        }
        boundName = name
        mayResolve = true
        let dn: String? = if case .bindRequest(let request) = message.operation { request.name } else { nil }
        dependencies.log.record(message.operation, messageID: message.messageID, identity: name, dn: dn, result: answer.response.result, started: started)
        guard !isClosed, let context else { return }
        context.writeAndFlush(
            wrapOutboundOut(LDAPMessage(messageID: message.messageID, operation: .bindResponse(answer.response), controls: answer.controls)),
            promise: nil)
        replayHeld(context)
    }

    /// Reads the rights of the identity a bind here gave (R8: its role and scope), off the loop;
    /// `request` and those read meanwhile wait. Read, they are the session's too (`takeBind`); not
    /// read (the store did not answer), the requests go to the session, which answers for it.
    private func resolve(_ dn: String, before request: LDAPMessage, dependencies: Dependencies) {
        mayResolve = false
        resolving = true
        held.insert(request, at: 0)
        let loop = dependencies.fastPath.links.eventLoop
        let layout = dependencies.policy.layout
        let lifetime = Duration.seconds(max(dependencies.configuration.rightsRefreshSeconds, 0))
        Task {
            let principal = try? await BindHandler.resolve(dn, store: dependencies.store, layout: layout)
            let readAt = ContinuousClock.now
            loop.execute {
                self.resolving = false
                if let principal, self.boundHere.withLockedValue({ bound -> Bool in
                    guard case .named(let named)? = bound, named == dn else { return false }
                    bound = .resolved(principal)
                    return true
                }) {
                    self.current = Identity(
                        identity: .user(principal), name: principal.dn, share: principal.dn, rightsReadAgainAt: readAt + lifetime)
                }
                guard !self.isClosed, let context = self.context else { return }
                self.replayHeld(context)
            }
        }
    }

    /// Takes or hands on, in order, the requests that waited for a bind or for the rights.
    private func replayHeld(_ context: ChannelHandlerContext) {
        var handedAny = false
        while bindInProgress == nil, !resolving, !held.isEmpty {
            let next = held.removeFirst()
            if take(next, context: context) { continue }
            handOn(next, context: context)
            handedAny = true
        }
        if handedAny { context.fireChannelReadComplete() }
        resumeReading()
    }

    private func resumeReading() {
        guard readHeld, held.count < Self.heldBound, !isFull, !isClosed, let context else { return }
        readHeld = false
        context.read()
    }

    /// The connection is gone: every operation of the handler's is abandoned upstream.
    private func endAll() {
        isClosed = true
        held = []
        // The closure holds the connection's setup, which holds this handler.
        startSession = nil
        guard let dependencies else { return }
        for search in inProgress.values {
            dependencies.fastPath.links.abandon(search.upstream)
            search.operation.cancel()
        }
        if let bindInProgress {
            dependencies.fastPath.links.abandon(bindInProgress.upstream)
            bindInProgress.operation.cancel()
        }
    }
}
