import DirectoryBackend
import Habilitations
import LDAPProtocol
import Messages
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One client connection (RFC 4511 §5.1): reads requests in order, runs them
/// concurrently and answers each by its messageID. A Bind is handled before
/// the next request is read (§4.2.1: it changes the identity the following
/// requests run as); Abandon cancels the operation it names (§4.11); Unbind
/// ends the session (§4.3); a malformed PDU ends it with a Notice of
/// Disconnection (§4.4.1).
struct ClientSession: Sendable {
    let channel: NIOAsyncChannel<LDAPMessage, LDAPMessage>
    /// What the connection was given when accepted (its state, log, fast path).
    let connection: ConnectionSetup
    let forgotPassword: ForgotPassword
    /// Every connection's paged search sequences.
    let pagedSearchBudget: PagedSearchBudget
    let store: any DirectoryStore
    /// Each identity's share of the operations in progress, over all its connections.
    let identityOperations: IdentityOperationLimiter
    let habilitations: HabilitationService
    let policy: AccessPolicy
    let configuration: ServerConfiguration
    let logger: Logger

    var security: ConnectionSecurity { connection.security }
    /// Every attribute type a request names, written the directory's one way before anything decides on it.
    var canonicalizer: RequestCanonicalizer { connection.canonicalizer }
    /// One line and one count per operation.
    var log: OperationLog { connection.log }

    /// The key of an identity's share (`IdentityOperationLimiter`): its DN, or the client's address.
    static func share(of identity: AccessPolicy.Identity, address: String) -> String {
        identity.dn ?? "address:\(address)"
    }

    /// Operations in progress, by messageID, with a bound: at the bound the
    /// session stops reading until one ends, so TCP pushes back on the client
    /// and nothing piles up in memory.
    private final class Operations: Sendable {
        private struct State {
            var tasks: [Int: (task: Task<Void, Never>, operation: ProtocolOperation)] = [:]
            var waiter: CheckedContinuation<Void, Never>?
        }
        private let state = NIOLockedValueBox(State())

        func add(_ id: Int, _ task: Task<Void, Never>, _ operation: ProtocolOperation) {
            state.withLockedValue { $0.tasks[id] = (task, operation) }
        }
        var count: Int { state.withLockedValue { $0.tasks.count } }
        func cancelAll() { for entry in state.withLockedValue({ Array($0.tasks.values) }) { entry.task.cancel() } }
        func cancel(_ id: Int) { state.withLockedValue { $0.tasks[id] }?.task.cancel() }

        /// Cancels an operation (RFC 3909); nil if none is in progress under that id.
        func cancelForCancelRequest(_ id: Int) -> (task: Task<Void, Never>, operation: ProtocolOperation)? {
            let entry = state.withLockedValue { $0.tasks[id] }
            entry?.task.cancel()
            return entry
        }

        func remove(_ id: Int) {
            let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                state.tasks.removeValue(forKey: id)
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        /// Returns once fewer than `limit` operations are in progress.
        func waitForRoom(_ limit: Int) async {
            while state.withLockedValue({ $0.tasks.count >= limit }) {
                await withCheckedContinuation { continuation in
                    let full = state.withLockedValue { state -> Bool in
                        guard state.tasks.count >= limit else { return false }
                        state.waiter = continuation
                        return true
                    }
                    if !full { continuation.resume() }
                }
            }
        }
    }

    func run() async {
        let operations = Operations()
        let session = connection.session
        let clientAddress = connection.clientAddress
        let pagedSearches = PagedSearchRegistry(budget: pagedSearchBudget, owner: "anonymous \(clientAddress)")
        let loop = channel.channel.eventLoop
        let clientFastPath = connection.fastPath
        let inline = clientFastPath == nil ? nil : connection.inline
        defer { pagedSearches.endAll() }
        do {
            try await channel.executeThenClose { inbound, outbound in
                var identity = AccessPolicy.Identity.anonymous
                // Bound by name, rights not read yet (BindHandler.BoundIdentity.named).
                var unresolved: String?
                // When the bound identity's rights were read (R8): they are read again once older
                // than `rightsRefreshSeconds`, so rights given or taken elsewhere reach this connection.
                var rightsReadAt = ContinuousClock.now
                let rightsLifetime = Duration.seconds(max(configuration.rightsRefreshSeconds, 0))
                // After a bind (RFC 4511 §4.2.1): the identity the next requests run as.
                func boundAs(_ bound: BindHandler.BoundIdentity) {
                    switch bound {
                    case .anonymous: (identity, unresolved) = (.anonymous, nil)
                    case .resolved(let principal):
                        (identity, unresolved) = (.user(principal), nil)
                        rightsReadAt = ContinuousClock.now
                    case .named(let dn): (identity, unresolved) = (.anonymous, dn)
                    }
                    // Paged sequences begun from now on count for this identity (per-identity bound).
                    pagedSearches.owner = (unresolved ?? identity.dn).map { dn in
                        (try? DistinguishedName(dn))?.description.lowercased() ?? dn.lowercased()
                    } ?? "anonymous \(clientAddress)"
                }
                // Who the handler on the event loop may search as (nil: it takes no search).
                func inlineIdentity() -> InlineRequestHandler.Identity? {
                    guard unresolved == nil, !session.mustChangePassword else { return nil }
                    return InlineRequestHandler.Identity(
                        identity: identity, name: OperationLog.name(of: identity),
                        share: Self.share(of: identity, address: clientAddress), rightsReadAgainAt: rightsReadAt + rightsLifetime)
                }
                do {
                    for try await received in inbound {
                        // Once this request is acted on, the handler on the loop may take searches again, as the identity then.
                        defer { inline?.sessionTook(as: inlineIdentity(), on: loop) }
                        if let bound = inline?.takeBind() {
                            // A bind answered on the loop, before this request.
                            boundAs(bound)
                        }
                        let started = ContinuousClock.now
                        let message: LDAPMessage
                        do {
                            message = try canonicalizer.canonical(received)
                        } catch {
                            let result = (error as? LDAPOperationError)?.result ?? LDAPResult(code: .protocolError, diagnosticMessage: "\(error)")
                            if let response = received.operation.response(with: result) {
                                try await outbound.write(LDAPMessage(messageID: received.messageID, operation: response))
                            }
                            log.record(
                                received.operation, messageID: received.messageID, identity: unresolved ?? OperationLog.name(of: identity),
                                result: result, started: started)
                            continue
                        }
                        if session.takeWrite(), unresolved == nil, let dn = identity.dn {
                            // R8: the session's own writes may have changed its rights: read them again.
                            unresolved = dn
                        }
                        if unresolved == nil, let dn = identity.dn, started - rightsReadAt >= rightsLifetime {
                            // R8: someone else may have given or taken rights since they were read.
                            unresolved = dn
                        }
                        if let dn = unresolved, Self.needsPrincipal(message.operation) {
                            // R8: the rights are read when an operation first needs them.
                            do {
                                identity = .user(try await BindHandler.resolve(dn, store: store, layout: policy.layout))
                                unresolved = nil
                                rightsReadAt = ContinuousClock.now
                            } catch {
                                let result = (error as? LDAPOperationError)?.result
                                    ?? LDAPResult(code: .unavailable, diagnosticMessage: "the bound entry's rights could not be read: \(error)")
                                if let response = message.operation.response(with: result) {
                                    try await outbound.write(LDAPMessage(messageID: message.messageID, operation: response))
                                }
                                log.record(message.operation, messageID: message.messageID, identity: dn, result: result, started: started)
                                continue
                            }
                        }
                        let caller = unresolved ?? OperationLog.name(of: identity)
                        let context = RequestContext(
                            messageID: message.messageID, controls: message.controls, identity: identity,
                            store: store, habilitations: habilitations, policy: policy, configuration: configuration, logger: logger, outbound: outbound,
                            pagedSearches: pagedSearches, isTLS: security.isTLS, session: session,
                            clientAddress: clientAddress, forgotPassword: forgotPassword, fastPath: clientFastPath
                        )
                        switch message.operation {
                        case .unbindRequest:
                            log.record(message.operation, messageID: message.messageID, identity: caller, result: nil, started: started)
                            operations.cancelAll()
                            return
                        case .abandonRequest(let id):
                            operations.cancel(id)
                            log.record(message.operation, messageID: message.messageID, identity: caller, result: nil, started: started)
                        case .extendedRequest(let request) where request.name == CancelRequest.oid:
                            // RFC 3909: the canceled operation answers `canceled`, then the Cancel answers.
                            let cancel: CancelRequest
                            do {
                                cancel = try CancelRequest(value: request.value)
                            } catch let error as LDAPOperationError {
                                try await context.send(.extendedResponse(ExtendedResponse(result: error.result)))
                                log.record(message.operation, messageID: message.messageID, identity: caller, result: error.result, started: started)
                                continue
                            }
                            guard let (target, canceled) = operations.cancelForCancelRequest(cancel.cancelID) else {
                                let result = LDAPResult(
                                    code: .noSuchOperation, diagnosticMessage: "no operation \(cancel.cancelID) is in progress on this connection")
                                try await context.send(.extendedResponse(ExtendedResponse(result: result)))
                                log.record(message.operation, messageID: message.messageID, identity: caller, result: result, started: started)
                                continue
                            }
                            let log = self.log
                            // The canceled task sends nothing (it is cancelled); this task answers for it.
                            Task {
                                await target.value
                                if let response = canceled.response(with: LDAPResult(code: .canceled, diagnosticMessage: "canceled by the client")) {
                                    try? await outbound.write(LDAPMessage(messageID: cancel.cancelID, operation: response))
                                }
                                try? await context.send(.extendedResponse(ExtendedResponse(result: .success)))
                                log.record(message.operation, messageID: message.messageID, identity: caller, result: .success, started: started)
                            }
                        case .extendedRequest(let request) where request.name == StartTLSHandler.oid:
                            // Handled in order: the TLS layer goes in right after this response. An operation
                            // whose answer the client already has may still be leaving the registry: give the
                            // operations in progress a moment to end before judging (RFC 4511 §4.14.1).
                            let inProgress = { operations.count + (inline?.operationsInProgress ?? 0) }
                            for _ in 0..<40 where inProgress() > 0 {
                                try await Task.sleep(for: .milliseconds(5))
                            }
                            let result = startTLSResult(inProgress: inProgress())
                            try await context.send(.extendedResponse(ExtendedResponse(result: result, name: StartTLSHandler.oid)))
                            log.record(message.operation, messageID: message.messageID, identity: caller, result: result, started: started)
                        case .bindRequest(let request):
                            let (response, controls, bound) = await BindHandler.handle(request, context: context)
                            boundAs(bound)
                            try await context.send(.bindResponse(response), controls: controls)
                            log.record(
                                message.operation, messageID: message.messageID, identity: unresolved ?? OperationLog.name(of: identity),
                                dn: request.name, result: response.result, started: started)
                        case _ where session.mustChangePassword && !Self.allowedWhileChangingPassword(message.operation):
                            // R6: a session opened with a temporary password may only change it.
                            let result = LDAPResult(
                                code: .unwillingToPerform,
                                diagnosticMessage: RuleViolation.text(.r6TemporarySession))
                            if let response = message.operation.response(with: result) {
                                try await context.send(response)
                            }
                            log.record(
                                message.operation, messageID: message.messageID, identity: caller, dn: OperationLog.target(of: message.operation),
                                result: result, started: started)
                        default:
                            await operations.waitForRoom(configuration.maximumOutstandingOperations)
                            // One identity's flood waits here, on its own connections, not in everyone's queues.
                            let share = unresolved ?? Self.share(of: identity, address: clientAddress)
                            await identityOperations.acquire(share)
                            let id = message.messageID
                            let gate = StartGate()
                            let limiter = identityOperations
                            let task = Task {
                                await gate.wait()
                                await handle(message, context: context, identity: caller, started: started)
                                limiter.release(share)
                                operations.remove(id)
                            }
                            operations.add(id, task, message.operation)
                            gate.open()
                        }
                    }
                } catch let error as LDAPDecodingError {
                    logger.info("malformed PDU; closing the connection", metadata: ["reason": "\(OperationLog.bounded(error.reason))"])
                    operations.cancelAll()
                    try? await outbound.write(LDAPMessage(
                        messageID: 0,
                        operation: .extendedResponse(.noticeOfDisconnection(.protocolError, "malformed request: \(error.reason)"))
                    ))
                } catch is CancellationError {
                    // Handled below: a canceled session's requests end without an error too.
                }
                operations.cancelAll()
                if Task.isCancelled {
                    // The server is shutting down (RFC 4511 §4.4.1): written on the channel itself, not
                    // through the writer of the session's canceled task.
                    let notice = LDAPMessage(
                        messageID: 0, operation: .extendedResponse(.noticeOfDisconnection(.unavailable, "the server is shutting down")))
                    try? await channel.channel.writeAndFlush(notice).get()
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
        operations.cancelAll()
    }

    /// Whether an operation acts with the session's rights (all but bind, unbind and abandon, which
    /// replace, end or stop rather than use them).
    static func needsPrincipal(_ operation: ProtocolOperation) -> Bool {
        switch operation {
        case .bindRequest, .unbindRequest, .abandonRequest: false
        default: true
        }
    }

    /// Whether an operation changes the directory (and so, perhaps, the session's own rights).
    static func isWrite(_ operation: ProtocolOperation) -> Bool {
        switch operation {
        case .addRequest, .modifyRequest, .deleteRequest, .modifyDNRequest: true
        case .extendedRequest(let request): request.name == CreateUserRequest.oid || request.name == CreateUsersRequest.oid
        default: false
        }
    }

    /// R6: what a session opened with a temporary password may still do.
    static func allowedWhileChangingPassword(_ operation: ProtocolOperation) -> Bool {
        switch operation {
        case .extendedRequest(let request):
            return request.name == PasswordModifyRequest.oid || request.name == RootDSE.whoAmIOID
        case .modifyRequest(let request):
            return PasswordChangeByModify.onlyPassword(request)
        default:
            return false
        }
    }

    /// RFC 4511 §4.14.1: StartTLS needs TLS configured, not yet active, and no other operation in progress.
    private func startTLSResult(inProgress: Int) -> LDAPResult {
        if configuration.tlsContext == nil {
            return LDAPResult(code: .protocolError, diagnosticMessage: "unsupported extended operation \(StartTLSHandler.oid): this server has no TLS certificate")
        }
        if security.isTLS {
            return LDAPResult(code: .operationsError, diagnosticMessage: "TLS is already established on this connection")
        }
        if inProgress > 0 {
            return LDAPResult(code: .operationsError, diagnosticMessage: "StartTLS needs every other operation on the connection to have completed first")
        }
        return .success
    }

    /// Runs one request and sends its response, its refusals worded in the language the client asked for
    /// (`LanguagePreferenceControl`; French without it).
    private func handle(_ message: LDAPMessage, context: RequestContext, identity: String, started: ContinuousClock.Instant) async {
        let language = LanguagePreferenceControl.tag(in: message.controls).flatMap(Language.init(tag:)) ?? .french
        await Language.$current.withValue(language) {
            await handleInLanguage(message, context: context, identity: identity, started: started)
        }
    }

    private func handleInLanguage(_ message: LDAPMessage, context: RequestContext, identity: String, started: ContinuousClock.Instant) async {
        let target = OperationLog.target(of: message.operation)
        let result: LDAPResult
        var responseControls: [LDAPControl] = []
        do {
            let outcome: OperationOutcome
            switch message.operation {
            case .searchRequest(let request):
                let answer = try await SearchHandler.answer(request, context: context)
                if answer.alreadySent {
                    log.record(message.operation, messageID: message.messageID, identity: identity, dn: target, result: answer.result, started: started)
                    return
                }
                outcome = OperationOutcome(result: answer.result, controls: answer.controls)
            case .extendedRequest(let request):
                var response = try await ExtendedHandler.handle(request, context: context)
                response.result = OperationLog.boundedDiagnostic(response.result)
                if response.result.code == .success, Self.isWrite(message.operation) { context.session.recordWrite() }
                try await context.send(.extendedResponse(response))
                log.record(message.operation, messageID: message.messageID, identity: identity, dn: target, result: response.result, started: started)
                return
            case .addRequest(let request): outcome = try await UpdateHandlers.add(request, context: context)
            case .modifyRequest(let request): outcome = try await UpdateHandlers.modify(request, context: context)
            case .deleteRequest(let dn): outcome = try await UpdateHandlers.delete(dn, context: context)
            case .modifyDNRequest(let request): outcome = try await UpdateHandlers.modifyDN(request, context: context)
            case .compareRequest(let request): outcome = try await UpdateHandlers.compare(request, context: context)
            default:
                outcome = OperationOutcome(
                    result: LDAPResult(code: .protocolError, diagnosticMessage: "\(message.operation.name) is not a request"),
                    controls: [])
            }
            result = outcome.result
            responseControls = outcome.controls
            if result.code == .success, Self.isWrite(message.operation) { context.session.recordWrite() }
        } catch {
            // Abandoned: no response (RFC 4511 §4.11); canceled: the Cancel request answers (RFC 3909).
            if Task.isCancelled {
                log.record(message.operation, messageID: message.messageID, identity: identity, dn: target, result: nil, started: started, abandoned: true)
                return
            }
            if let error = error as? LDAPOperationError {
                result = OperationLog.boundedDiagnostic(error.result)
            } else {
                result = OperationLog.boundedDiagnostic(LDAPResult(code: .other, diagnosticMessage: "\(error)"))
            }
        }
        if let response = message.operation.response(with: result) {
            try? await context.send(response, controls: responseControls)
        }
        log.record(message.operation, messageID: message.messageID, identity: identity, dn: target, result: result, started: started)
    }
}

/// Holds a new task until its handle is registered, so that an operation that
/// ends at once is removed after it was added, never before.
private final class StartGate: Sendable {
    private let state = NIOLockedValueBox<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resume = state.withLockedValue { state -> Bool in
                if state.open { return true }
                state.waiter = continuation
                return false
            }
            if resume { continuation.resume() }
        }
    }

    func open() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            state.open = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
