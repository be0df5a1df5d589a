public import DirectoryBackend
public import Habilitations
public import LDAPProtocol

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
    static func slapdHashed(_ outcome: BindOutcome, dn: String, context: RequestContext) async -> Bool {
        guard let control = outcome.controls.first(where: { $0.oid == PasswordPolicyControl.oid }),
              PasswordPolicyControl.error(in: control) == nil
        else { return false }
        // The clients' slapd identity cannot test userPassword: the service identity answers this one question.
        let hasPassword = try? await context.habilitations.serviceStore.searchAll(SearchQuery(
            base: dn, scope: .baseObject, filter: "(userPassword=*)", attributes: ["1.1"]))
        return !(hasPassword ?? []).isEmpty
    }

    /// Handles the request; returns the response, its controls (password policy) and the session's identity afterwards.
    public static func handle(_ request: BindRequest, context: RequestContext) async -> (BindResponse, [LDAPControl], BoundIdentity) {
        context.session.mustChangePassword = false
        do {
            let controls = try context.forwardableControls(for: .bindRequest(request))
            guard request.version == 3 else {
                throw RuleViolation.refusal(.protocolError, .bindOnlyVersion3, ["version": "\(request.version)"])
            }
            switch request.authentication {
            case .sasl(let mechanism, _):
                throw RuleViolation.refusal(.authMethodNotSupported, .bindSASLUnsupported, ["mechanism": OperationLog.bounded(mechanism)])
            case .simple(let password):
                if request.name.isEmpty && password.isEmpty {
                    return (BindResponse(result: .success), [], .anonymous)
                }
                if password.isEmpty {
                    throw RuleViolation.refusal(.unwillingToPerform, .bindUnauthenticated)
                }
                if context.configuration.requireTLS && !context.isTLS {
                    throw RuleViolation.refusal(.confidentialityRequired, .bindTLSRequired)
                }
                if request.name.isEmpty {
                    throw LDAPOperationError(.invalidCredentials, "")
                }
                // slapd's ppolicy says on the bind itself whether the password was reset (changeAfterReset,
                // pwdMustChange being set): asked for always, passed on only to a client that asked.
                let wantsPolicy = controls.contains { $0.oid == PasswordPolicyControl.oid }
                let backendControls = wantsPolicy ? controls : controls + [LDAPControl(oid: PasswordPolicyControl.oid)]
                let outcome: BindOutcome
                if let fastPath = context.fastPath {
                    outcome = try await fastPath.bind(dn: request.name, password: password, controls: backendControls)
                } else {
                    outcome = try await context.store.bind(dn: request.name, password: password, controls: backendControls)
                }
                let clientControls = wantsPolicy ? outcome.controls : outcome.controls.filter { $0.oid != PasswordPolicyControl.oid }
                guard outcome.result.code == .success else {
                    context.logger.info("bind refused", metadata: ["dn": "\(OperationLog.bounded(request.name))", "code": "\(outcome.result.code)"])
                    guard outcome.result.code == .invalidCredentials else {
                        return (BindResponse(result: outcome.result), wantsPolicy ? [Self.emptyPolicyResponse] : [], .anonymous)
                    }
                    // The same answer, and the same cost, whether the entry is missing, the password wrong, the
                    // account closed or locked (SECURITY.md, "Binds that tell nothing").
                    if await !slapdHashed(outcome, dn: request.name, context: context) {
                        _ = try? await context.store.bind(
                            dn: context.policy.layout.bindDecoy, password: password, controls: [LDAPControl(oid: PasswordPolicyControl.oid)])
                    }
                    return (BindResponse(result: LDAPResult(code: .invalidCredentials)), wantsPolicy ? [Self.emptyPolicyResponse] : [], .anonymous)
                }
                context.logger.debug("bind", metadata: ["dn": "\(OperationLog.bounded(request.name))"])
                let reset = outcome.controls.contains { PasswordPolicyControl.error(in: $0) == .changeAfterReset }
                guard reset else {
                    context.session.mustChangePassword = false
                    return (BindResponse(result: .success), clientControls, .named(request.name))
                }
                // R6: a temporary password opens a session for 24 hours, only to change it.
                let entry = try await context.store.read(request.name, attributes: principalAttributes + PasswordLifecycle.attributes)
                    .map(EntrySnapshot.init)
                let principal = try Principal.resolve(dn: request.name, entry: entry, layout: context.policy.layout)
                switch entry.map(context.habilitations.passwords.temporaryState) ?? .none {
                case .expired:
                    context.logger.info("bind refused: temporary password expired", metadata: ["dn": "\(OperationLog.bounded(request.name))"])
                    return (BindResponse(result: LDAPResult(code: .invalidCredentials)),
                            wantsPolicy ? [PasswordPolicyControl.response(error: .passwordExpired)] : [], .anonymous)
                case .valid:
                    context.session.mustChangePassword = true
                case .none:
                    context.session.mustChangePassword = false
                }
                return (BindResponse(result: .success), clientControls, .resolved(principal))
            }
        } catch let error as LDAPOperationError {
            return (BindResponse(result: error.result), [], .anonymous)
        } catch {
            return (BindResponse(result: LDAPResult(code: .other, diagnosticMessage: "bind failed: \(error)")), [], .anonymous)
        }
    }
}
