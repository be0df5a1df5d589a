import Glibc
import LDAPProtocol
public import NIOCore
import NIOPosix

/// The upstream links of one event loop (the fast path of issue #18): the client sessions on
/// that loop send their searches and binds through them, and slapd's answers are forwarded on
/// the same loop, with no thread hop.
///
/// slapd's limits are respected: a link carries at most `operationsPerLink` requests at once
/// (slapd runs olcThreads/2 of one connection's operations at a time and queues the rest; beyond
/// `olcConnMaxPendingAuth`, 1000 by default, it closes the connection), a bind goes alone on a
/// link of its own (a bind holds its connection, RFC 4511 §4.2.1); requests beyond wait here,
/// in order. A link that ends (slapd restarting) fails its requests with `unavailable` (52) and
/// the next request opens a new one. Confined to its event loop, but for `submit`'s and `abandon`'s hop onto it.
public final class UpstreamLoopLinks: @unchecked Sendable {
    public let eventLoop: any EventLoop
    private let endpoint: BackendEndpoint
    private let bindEndpoint: BackendEndpoint
    private let settings: UpstreamLinks.Settings
    private let gate: SearchBarrierGate
    private var links: [UpstreamLink] = []
    private var bindLinks: [UpstreamLink] = []
    private var opening = 0
    private var openingBind = 0
    private var waiting: [UpstreamRequest] = []
    private var waitingBinds: [UpstreamRequest] = []
    private var closed = false
    /// The once-a-second sweep that gives up requests past their deadline (started with the first such request).
    private var sweep: RepeatedTask?
    /// Links retired by a fail-over that still carry requests (the sweep looks at them too).
    private var retiring: [UpstreamLink] = []
    /// The links of paged search sequences (`sendPaged`; the sweep looks at them too).
    private var pagedLinks: [UpstreamLink] = []
    /// Links of ended paged sequences, ready for the next ones (at most `idlePagedLinksKept`).
    private var idlePagedLinks: [UpstreamLink] = []
    /// The message ID a new link starts from (tests start near maxInt to see the wrap-around).
    var firstMessageID: Int32 = 2

    init(
        eventLoop: any EventLoop, endpoint: BackendEndpoint, bindEndpoint: BackendEndpoint, settings: UpstreamLinks.Settings,
        gate: SearchBarrierGate = SearchBarrierGate()
    ) {
        self.eventLoop = eventLoop
        self.endpoint = endpoint
        self.bindEndpoint = bindEndpoint
        self.settings = settings
        self.gate = gate
    }

    /// Where a request held back by the gate is sent once it may go.
    private enum Resend {
        case submit
        case paged(DedicatedConnection)
    }

    /// Whether the request may go now; false: a transaction barrier is draining or in flight, and
    /// the request is sent again on the loop once it is over (`SearchBarrierGate`). A request
    /// given up meanwhile is not sent. Nothing is allocated unless the request is held back.
    private func passesGate(_ request: UpstreamRequest, resend: Resend) -> Bool {
        guard request.waitsForBarrier, request.enteredGate == nil, !request.isOver else { return true }
        if gate.tryEnter() {
            request.enteredGate = gate
            return true
        }
        let gate = self.gate
        let loop = eventLoop
        let entered = gate.enter {
            loop.execute {
                request.enteredGate = gate
                guard !request.isOver else {
                    request.enteredGate = nil
                    gate.leave()
                    return
                }
                switch resend {
                case .submit: self.submit(request)
                case .paged(let dedicated): self.sendPaged(request, on: dedicated)
                }
            }
        }
        if entered { request.enteredGate = gate }
        return entered
    }

    /// Sends a request on a link with room, opening one if needed (call on the event loop).
    public func submit(_ request: UpstreamRequest) {
        eventLoop.assertInEventLoop()
        guard !closed else {
            request.state = .over
            request.operation.failed(LDAPOperationError(.unavailable, "the server is shutting down"))
            return
        }
        sweepIfNeeded(for: request)
        guard passesGate(request, resend: .submit) else { return }
        if request.isBind {
            if let link = bindLinks.first(where: { $0.isOpen && !$0.bindInProgress }) {
                link.send(request)
            } else {
                waitingBinds.append(request)
                if bindLinks.count + openingBind < settings.bindLinksPerLoop { open(bind: true) }
            }
            return
        }
        if !waiting.isEmpty {
            // Earlier requests wait for room: this one goes after them.
            waiting.append(request)
            if links.count + opening < settings.linksPerLoop { open(bind: false) }
            return
        }
        let best = links.min { $0.inFlight < $1.inFlight }
        if let best, best.inFlight < settings.operationsPerLink {
            best.send(request)
            // Spread the load: one more link while this loop has fewer than its share.
            if best.inFlight > 1, links.count + opening < settings.linksPerLoop { open(bind: false) }
            return
        }
        waiting.append(request)
        if links.count + opening < settings.linksPerLoop { open(bind: false) }
    }

    /// Sends one page of a paged search sequence (RFC 2696) on the sequence's own link, opened at
    /// its first page: slapd keeps a paged search's state per connection, so a sequence's pages
    /// cannot share a link with other requests. One page at a time (`busy` otherwise); the link
    /// closes with the sequence (`DedicatedConnection.close`).
    public func sendPaged(_ request: UpstreamRequest, on dedicated: DedicatedConnection) {
        eventLoop.assertInEventLoop()
        let (link, closed) = dedicated.upstream.withLockedValue { ($0.link, $0.closed) }
        guard !closed, !self.closed else {
            request.state = .over
            request.operation.failed(Self.sequenceEnded)
            return
        }
        sweepIfNeeded(for: request)
        guard passesGate(request, resend: .paged(dedicated)) else { return }
        if let link {
            guard link.inFlight == 0 else {
                request.state = .over
                request.operation.failed(LDAPOperationErrorFactory.busyPagedSearch)
                return
            }
            link.send(request)
            return
        }
        // A link a sequence that ended left open, else a new one.
        while let idle = idlePagedLinks.popLast() {
            guard idle.isOpen else { continue }
            adopt(idle, for: dedicated, request)
            return
        }
        openLink(endpoint: endpoint).whenComplete { outcome in
            switch outcome {
            case .success(let link):
                self.pagedLinks.append(link)
                self.adopt(link, for: dedicated, request)
            case .failure(let error):
                request.state = .over
                request.operation.failed(
                    (error as? LDAPOperationError) ?? LDAPOperationError(.unavailable, "the directory store is unreachable: \(error)"))
            }
        }
    }

    /// Gives a paged sequence its link and sends its first page there.
    private func adopt(_ link: UpstreamLink, for dedicated: DedicatedConnection, _ request: UpstreamRequest) {
        let kept = dedicated.upstream.withLockedValue { state -> Bool in
            guard !state.closed, state.link == nil else { return false }
            state.link = link
            state.owner = self
            return true
        }
        guard kept, !closed else {
            pagedSequenceEnded(link)
            request.state = .over
            request.operation.failed(Self.sequenceEnded)
            return
        }
        link.send(request)
    }

    /// A paged sequence ended: its link serves the next sequence (slapd starts a new paged state
    /// with the next search that carries an empty cookie), unless it still carries a request
    /// or enough links are kept already.
    func pagedSequenceEnded(_ link: UpstreamLink) {
        eventLoop.assertInEventLoop()
        if !closed, link.isOpen, link.inFlight == 0, idlePagedLinks.count < Self.idlePagedLinksKept {
            idlePagedLinks.append(link)
        } else {
            pagedLinks.removeAll { $0 === link }
            link.close()
        }
    }

    /// A page asked of a sequence that has ended (or of a server shutting down).
    static let sequenceEnded = LDAPOperationError(.unavailable, "the paged search has ended; start again with an empty cookie")

    /// Paged sequence links kept open for the next sequences, per loop.
    public static let idlePagedLinksKept = 4

    /// Gives a request up wherever it is: not sent yet (dropped), or in progress on a link (abandoned there).
    public func abandon(_ request: UpstreamRequest) {
        eventLoop.assertInEventLoop()
        switch request.state {
        case .waiting:
            request.state = .over
            waiting.removeAll { $0 === request }
            waitingBinds.removeAll { $0 === request }
        case .sent(let link, let id):
            link.abandon(id)
        case .over:
            break
        }
    }

    /// Starts the sweep with the first request that has a deadline.
    private func sweepIfNeeded(for request: UpstreamRequest) {
        guard request.deadline != nil, sweep == nil else { return }
        sweep = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            self?.giveUpExpired()
        }
    }

    /// Gives up the requests past their deadline, waiting or sent: slapd did not answer in time
    /// (`busy`, 51, as the libldap path answers a store that does not answer in time).
    private func giveUpExpired() {
        let now = NIODeadline.now()
        retiring.removeAll { !$0.isOpen }
        pagedLinks.removeAll { !$0.isOpen }
        idlePagedLinks.removeAll { !$0.isOpen }
        let isExpired = { (request: UpstreamRequest) in request.deadline.map { $0 <= now } ?? false }
        var expired = waiting.filter(isExpired) + waitingBinds.filter(isExpired)
        for link in links + bindLinks + retiring + pagedLinks { expired += link.expired(at: now) }
        for request in expired {
            abandon(request)
            let what = request.isBind ? "bind" : "search"
            request.operation.failed(LDAPOperationError(.busy, "the directory store did not answer the \(what) in time"))
        }
    }

    /// Sends what waits, while links have room.
    private func drain() {
        while !waitingBinds.isEmpty, let link = bindLinks.first(where: { $0.isOpen && !$0.bindInProgress }) {
            link.send(waitingBinds.removeFirst())
        }
        while !waiting.isEmpty {
            guard let best = links.min(by: { $0.inFlight < $1.inFlight }), best.inFlight < settings.operationsPerLink else { break }
            best.send(waiting.removeFirst())
        }
    }

    /// Opens a link for the loop's searches or binds (`openLink`) and puts it to work.
    private func open(bind: Bool) {
        if bind { openingBind += 1 } else { opening += 1 }
        openLink(endpoint: bind ? bindEndpoint : endpoint).whenComplete { outcome in
            if bind { self.openingBind -= 1 } else { self.opening -= 1 }
            switch outcome {
            case .success(let link):
                guard !self.closed else { link.close(); return }
                link.onClose = { [weak self] link in self?.remove(link) }
                link.onRoom = { [weak self] _ in self?.drain() }
                if bind { self.bindLinks.append(link) } else { self.links.append(link) }
                self.drain()
            case .failure(let error):
                let failure = (error as? LDAPOperationError) ?? LDAPOperationError(.unavailable, "the directory store is unreachable: \(error)")
                // Nothing else will carry what waits: it fails.
                if bind, self.bindLinks.isEmpty, self.openingBind == 0 {
                    let requests = self.waitingBinds
                    self.waitingBinds = []
                    for request in requests { request.state = .over; request.operation.failed(failure) }
                } else if !bind, self.links.isEmpty, self.opening == 0 {
                    let requests = self.waiting
                    self.waiting = []
                    for request in requests { request.state = .over; request.operation.failed(failure) }
                }
            }
        }
    }

    /// A new link: libldap connects and authenticates on a thread of the blocking pool, then the
    /// duplicated socket is registered on this loop.
    private func openLink(endpoint: BackendEndpoint) -> EventLoopFuture<UpstreamLink> {
        let loop = eventLoop
        let grace = settings.reconnectGrace
        let firstID = firstMessageID
        return NIOThreadPool.singleton.runIfActive(eventLoop: loop) { () throws -> (LDAPConnection, CInt) in
            let connection = try ConnectionPool.open(endpoint, generation: 0, grace: grace)
            do {
                return (connection, try UpstreamLink.duplicatedDescriptor(of: connection))
            } catch {
                connection.close()
                throw error
            }
        }.flatMap { (connection, descriptor) -> EventLoopFuture<UpstreamLink> in
            let link = UpstreamLink(eventLoop: loop, connection: connection, firstMessageID: firstID)
            return ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(UpstreamLinkHandler(link: link))
                    }
                }
                .withConnectedSocket(descriptor)
                .map { channel in
                    link.attach(channel)
                    return link
                }
                .flatMapErrorThrowing { error in
                    Glibc.close(descriptor)
                    connection.close()
                    throw error
                }
        }
    }

    private func remove(_ link: UpstreamLink) {
        links.removeAll { $0 === link }
        bindLinks.removeAll { $0 === link }
        // What waited for room goes on the remaining links, or on new ones.
        if !waiting.isEmpty, links.count + opening < settings.linksPerLoop { open(bind: false) }
        if !waitingBinds.isEmpty, bindLinks.count + openingBind < settings.bindLinksPerLoop { open(bind: true) }
        drain()
    }

    /// Moves this loop to new links (issue #19, `ProviderWatch` failing over or back): the links
    /// open now take no new request and each closes once the requests it carries are answered;
    /// the next requests open links on the provider list as it is now.
    func retire() {
        eventLoop.assertInEventLoop()
        guard !closed else { return }
        let old = links + bindLinks
        links = []
        bindLinks = []
        for link in old {
            link.onClose = nil
            if link.inFlight == 0 {
                link.close()
            } else {
                retiring.append(link)
                link.onRoom = { [weak self] link in
                    guard link.inFlight == 0 else { return }
                    self?.retiring.removeAll { $0 === link }
                    link.close()
                }
            }
        }
        if !waiting.isEmpty, opening < settings.linksPerLoop { open(bind: false) }
        if !waitingBinds.isEmpty, openingBind < settings.bindLinksPerLoop { open(bind: true) }
    }

    /// Ends every link and fails what waits (server shutdown).
    func close() {
        eventLoop.assertInEventLoop()
        closed = true
        sweep?.cancel()
        sweep = nil
        let all = links + bindLinks + retiring + pagedLinks
        retiring = []
        pagedLinks = []
        idlePagedLinks = []
        links = []
        bindLinks = []
        for link in all { link.close() }
        let requests = waiting + waitingBinds
        waiting = []
        waitingBinds = []
        for request in requests {
            request.state = .over
            request.operation.failed(LDAPOperationError(.unavailable, "the server is shutting down"))
        }
    }

    /// Links open now (tests).
    public var openLinks: Int { links.count }
}
