public import DirectoryBackend
public import Habilitations
public import LDAPProtocol
import Logging

/// Bind (RFC 4511 §4.2, RFC 4513 §5): anonymous binds succeed, unauthenticated
/// binds (a name without a password, RFC 4513 §5.1.2) are refused, simple
/// binds are checked by slapd (the password is never looked at in Swift), and
/// SASL mechanisms, none being offered, get `authMethodNotSupported`. A
/// refused simple bind answers `invalidCredentials` (49), no diagnostic, and
/// (to a client that asked) an empty password policy control, and costs one
/// argon2 verification, whatever the reason: a missing DN, a wrong password,
/// a closed or locked account look the same (`BindDecoy`).
public enum BindHandler {
    /// Who a session is after a bind. A successful bind reads nothing more from slapd unless R6 needs
    /// it (slapd said the password was reset): the principal (R8) is then resolved only when an
    /// operation first needs it (`resolve`), and an SSO's bind-then-unbind costs one slapd bind.
    public enum BoundIdentity: Sendable, Equatable {
        case anonymous
        case resolved(Principal)
        /// Authenticated as this DN; its rights are not read yet.
        case named(String)
    }

    /// The attributes that decide a principal's role (R8).
    static let principalAttributes = ["objectClass", "annAdministers", "annManages", "annServiceScope"]

    /// Reads the bound entry and resolves its role (R8).
    public static func resolve(_ dn: String, store: any DirectoryStore, layout: DirectoryLayout) async throws -> Principal {
        let entry = try await store.read(dn, attributes: principalAttributes).map(EntrySnapshot.init)
        return try Principal.resolve(dn: dn, entry: entry, layout: layout)
    }

    /// The password policy response control a failed bind carries when the client asked for one,
    /// whatever the reason: `SEQUENCE {}`, neither a warning nor an error (never `accountLocked`,
    /// which slapd sends before it looks at the password).
    static let emptyPolicyResponse = LDAPControl(oid: PasswordPolicyControl.oid, value: [0x30, 0x00])

    /// Whether slapd checked the password against a hash on this refused bind: it did when its
    /// policy answered without an error (the entry exists and is not locked or closed) and the
    /// entry has a password. Otherwise the bind answered at once, and the decoy is hashed instead.
    static func slapdHashed(_ outcome: BindOutcome, dn: String, habilitations: HabilitationService) async -> Bool {
        guard let control = outcome.controls.first(where: { $0.oid == PasswordPolicyControl.oid }),
              PasswordPolicyControl.error(in: control) == nil
        else { return false }
        // The clients' slapd identity cannot test userPassword: the service identity answers this one question.
        let hasPassword = try? await habilitations.serviceStore.searchAll(SearchQuery(
            base: dn, scope: .baseObject, filter: "(userPassword=*)", attributes: ["1.1"]))
        return !(hasPassword ?? []).isEmpty
    }

    /// A bind's answer with the session's identity afterwards.
    typealias Answer = (response: BindResponse, controls: [LDAPControl], bound: BoundIdentity)

    /// A simple bind slapd is to check: the name, the password, the controls to send (the password
    /// policy's always) and whether the client asked for the policy's answer.
    struct Check: Sendable {
        let dn: String
        let password: [UInt8]
        let controls: [LDAPControl]
        let wantsPolicy: Bool
    }

    /// What the rules say before slapd is asked: an answer at once (anonymous bind, or a refusal,
    /// thrown), or the check slapd makes.
    enum Preparation: Sendable {
        case answered(BindResponse, BoundIdentity)
        case check(Check)
    }

    /// RFC 4511 §4.2, RFC 4513 §5: what a bind request is before slapd sees it.
    static func prepare(
        _ request: BindRequest, controls requestControls: [LDAPControl], policy: AccessPolicy, configuration: ServerConfiguration, isTLS: Bool
    ) throws -> Preparation {
        let controls = try RequestContext.forwardable(requestControls, for: .bindRequest(request), identity: .anonymous, policy: policy)
        guard request.version == 3 else {
            throw RuleViolation.refusal(.protocolError, .bindOnlyVersion3, ["version": "\(request.version)"])
        }
        switch request.authentication {
        case .sasl(let mechanism, _):
            throw RuleViolation.refusal(.authMethodNotSupported, .bindSASLUnsupported, ["mechanism": OperationLog.bounded(mechanism)])
        case .simple(let password):
            if request.name.isEmpty && password.isEmpty {
                return .answered(BindResponse(result: .success), .anonymous)
            }
            if password.isEmpty {
                throw RuleViolation.refusal(.unwillingToPerform, .bindUnauthenticated)
            }
            if configuration.requireTLS && !isTLS {
                throw RuleViolation.refusal(.confidentialityRequired, .bindTLSRequired)
            }
            if request.name.isEmpty {
                throw LDAPOperationError(.invalidCredentials, "")
            }
            // slapd's ppolicy says on the bind itself whether the password was reset (changeAfterReset,
            // pwdMustChange being set): asked for always, passed on only to a client that asked.
            let wantsPolicy = controls.contains { $0.oid == PasswordPolicyControl.oid }
            let backendControls = wantsPolicy ? controls : controls + [LDAPControl(oid: PasswordPolicyControl.oid)]
            return .check(Check(dn: request.name, password: password, controls: backendControls, wantsPolicy: wantsPolicy))
        }
    }

    /// The answer to a bind slapd accepted with no password reset pending: nothing more to ask
    /// (the principal is resolved when an operation first needs it). Nil: `conclude` decides.
    static func answerAtOnce(_ outcome: BindOutcome, check: Check) -> Answer? {
        guard outcome.result.code == .success,
              !outcome.controls.contains(where: { PasswordPolicyControl.error(in: $0) == .changeAfterReset })
        else { return nil }
        let clientControls = check.wantsPolicy ? outcome.controls : outcome.controls.filter { $0.oid != PasswordPolicyControl.oid }
        return (BindResponse(result: .success), clientControls, .named(check.dn))
    }

    /// The answer to any bind slapd checked: refused ones cost one hash whatever the reason, and a
    /// temporary password (R6) opens a session that may only change it (`session.mustChangePassword`).
    static func conclude(
        _ outcome: BindOutcome, check: Check, store: any DirectoryStore, habilitations: HabilitationService, policy: AccessPolicy,
        session: SessionState, logger: Logger
    ) async throws -> Answer {
        if let answer = answerAtOnce(outcome, check: check) {
            logger.debug("bind", metadata: ["dn": "\(OperationLog.bounded(check.dn))"])
            return answer
        }
        let clientControls = check.wantsPolicy ? outcome.controls : outcome.controls.filter { $0.oid != PasswordPolicyControl.oid }
        guard outcome.result.code == .success else {
            logger.info("bind refused", metadata: ["dn": "\(OperationLog.bounded(check.dn))", "code": "\(outcome.result.code)"])
            guard outcome.result.code == .invalidCredentials else {
                return (BindResponse(result: outcome.result), check.wantsPolicy ? [Self.emptyPolicyResponse] : [], .anonymous)
            }
            // The same answer, and the same cost, whether the entry is missing, the password wrong, the
            // account closed or locked (SECURITY.md, "Binds that tell nothing").
            if await !slapdHashed(outcome, dn: check.dn, habilitations: habilitations) {
                _ = try? await store.bind(
                    dn: policy.layout.bindDecoy, password: check.password, controls: [LDAPControl(oid: PasswordPolicyControl.oid)])
            }
            return (BindResponse(result: LDAPResult(code: .invalidCredentials)), check.wantsPolicy ? [Self.emptyPolicyResponse] : [], .anonymous)
        }
        logger.debug("bind", metadata: ["dn": "\(OperationLog.bounded(check.dn))"])
        // R6: a temporary password opens a session for 24 hours, only to change it.
        let entry = try await store.read(check.dn, attributes: principalAttributes + PasswordLifecycle.attributes)
            .map(EntrySnapshot.init)
        let principal = try Principal.resolve(dn: check.dn, entry: entry, layout: policy.layout)
        switch entry.map(habilitations.passwords.temporaryState) ?? .none {
        case .expired:
            logger.info("bind refused: temporary password expired", metadata: ["dn": "\(OperationLog.bounded(check.dn))"])
            return (BindResponse(result: LDAPResult(code: .invalidCredentials)),
                    check.wantsPolicy ? [PasswordPolicyControl.response(error: .passwordExpired)] : [], .anonymous)
        case .valid:
            session.mustChangePassword = true
        case .none:
            session.mustChangePassword = false
        }
        return (BindResponse(result: .success), clientControls, .resolved(principal))
    }

    /// An error of a bind as its answer.
    static func refused(_ error: any Error) -> Answer {
        if let error = error as? LDAPOperationError { return (BindResponse(result: error.result), [], .anonymous) }
        return (BindResponse(result: LDAPResult(code: .other, diagnosticMessage: "bind failed: \(error)")), [], .anonymous)
    }

    /// Handles the request; returns the response, its controls (password policy) and the session's identity afterwards.
    public static func handle(_ request: BindRequest, context: RequestContext) async -> (BindResponse, [LDAPControl], BoundIdentity) {
        context.session.mustChangePassword = false
        do {
            let check: Check
            switch try prepare(
                request, controls: context.controls, policy: context.policy, configuration: context.configuration, isTLS: context.isTLS) {
            case .answered(let response, let bound):
                return (response, [], bound)
            case .check(let prepared):
                check = prepared
            }
            let outcome: BindOutcome
            if let fastPath = context.fastPath {
                outcome = try await fastPath.bind(dn: check.dn, password: check.password, controls: check.controls)
            } else {
                outcome = try await context.store.bind(dn: check.dn, password: check.password, controls: check.controls)
            }
            return try await conclude(
                outcome, check: check, store: context.store, habilitations: context.habilitations, policy: context.policy,
                session: context.session, logger: context.logger)
        } catch {
            return refused(error)
        }
    }
}
