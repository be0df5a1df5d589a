import DirectoryBackend
import Habilitations
public import LDAPProtocol

/// Extended operations (RFC 4511 §4.12): Who am I (RFC 4532) and Password
/// Modify (RFC 3062: a person changes their own password, proving the old
/// one, as themselves in slapd so its password policy applies; an operator
/// resets another's, and slapd generates one when none is given). StartTLS
/// and Cancel are handled by the session, in order. Annuaire's own: create a
/// user (R4), create users in bulk (all or nothing), resend an identifier (R9),
/// forgot password and its completion by the mailed token (R6). Any other request name
/// gets `protocolError` with a diagnostic, as §4.12 requires.
public enum ExtendedHandler {
    public static func handle(_ request: ExtendedRequest, context: RequestContext) async throws -> ExtendedResponse {
        let controls = try context.forwardableControls(for: .extendedRequest(request))
        switch request.name {
        case RootDSE.whoAmIOID:
            guard request.value == nil else {
                throw LDAPOperationError(.protocolError, "the Who am I request carries no value (RFC 4532 §2)")
            }
            let authzID = context.identity.dn.map { "dn:\($0)" } ?? ""
            return ExtendedResponse(result: .success, value: Array(authzID.utf8))
        case PasswordModifyRequest.oid:
            return try await passwordModify(try PasswordModifyRequest(value: request.value), controls: controls, context: context)
        case ForgotPassword.oid:
            // Answered before the identifier is looked up: the same answer, as fast, for everyone.
            try context.forgotPassword.request(request.value, from: context.clientAddress)
            return ExtendedResponse(result: .success)
        case ForgotPassword.completionOID:
            try await context.forgotPassword.complete(request.value, from: context.clientAddress)
            return ExtendedResponse(result: .success)
        case HabilitationService.resendIdentifierOID:
            let principal = try context.policy.authenticated(context.identity)
            // R8: a person the principal may not see answers as a missing one.
            if let value = request.value, let named = try? ForgotPasswordRequest(value: value) {
                try await context.visibility.requireReadable(context.habilitations.layout.user(named.identifier), by: principal)
            }
            try await context.habilitations.resendIdentifier(request.value, by: principal)
            return ExtendedResponse(result: .success)
        case CreateUserRequest.oid:
            let principal = try context.policy.authenticated(context.identity)
            let created = try await context.habilitations.createUser(try CreateUserRequest(value: request.value), by: principal)
            return ExtendedResponse(result: .success, name: CreateUserRequest.oid, value: created.encoded())
        case CreateUsersRequest.oid:
            let principal = try context.policy.authenticated(context.identity)
            let outcome = try await context.habilitations.createUsers(try CreateUsersRequest(value: request.value), by: principal)
            return ExtendedResponse(result: .success, name: CreateUsersRequest.oid, value: outcome.encoded())
        default:
            throw LDAPOperationError(.protocolError, "unsupported extended operation \(OperationLog.bounded(request.name))")
        }
    }

    static func passwordModify(_ request: PasswordModifyRequest, controls: [LDAPControl], context: RequestContext) async throws -> ExtendedResponse {
        guard let me = context.identity.dn else {
            throw RuleViolation.refusal(.unwillingToPerform, .r6BindFirst)
        }
        var target = request.userIdentity ?? me
        if target.lowercased().hasPrefix("dn:") { target = String(target.dropFirst(3)) }
        let outcome: ExtendedOutcome
        if try DistinguishedName(target) == DistinguishedName(me) {
            guard let old = request.oldPassword, !old.isEmpty else {
                throw RuleViolation.refusal(.unwillingToPerform, .r6GiveCurrentPassword)
            }
            if let new = request.newPassword {
                let entry = try await context.store.read(me, attributes: PasswordLifecycle.attributes).map(EntrySnapshot.init)
                try context.habilitations.passwords.checkQuality(new, for: entry ?? EntrySnapshot(dn: me, attributes: []))
            }
            let value = PasswordModifyRequest(oldPassword: old, newPassword: request.newPassword).encoded()
            outcome = try await context.store.extended(asUser: me, password: old, name: PasswordModifyRequest.oid, value: value, controls: controls)
            if outcome.result.code == .invalidCredentials {
                throw RuleViolation.refusal(.invalidCredentials, .r6CurrentPasswordWrong)
            }
            if outcome.result.code == .success {
                context.session.mustChangePassword = false
                // R11: the person changed its own password (recorded without any value); the change stands if recording fails.
                do {
                    try await context.habilitations.record(HistoryAction.changePassword.rawValue, target: me, actor: me)
                } catch {
                    context.logger.warning("a password change could not be recorded", metadata: ["dn": "\(me)", "error": "\(error)"])
                }
            }
        } else {
            // R6: an administrator never sees the password: a temporary one is generated and mailed.
            let principal = try context.policy.authenticated(context.identity)
            // R8: a person the principal may not see answers as a missing one.
            try await context.visibility.requireReadable(target, by: principal)
            try await context.habilitations.authorizePasswordReset(of: target, by: principal)
            guard request.newPassword == nil else {
                throw LDAPOperationError(
                    .unwillingToPerform,
                    "passwords set by an administrator are generated and mailed to the person (R6); leave the new password out (ldappasswd without -s)")
            }
            try await context.habilitations.passwords.issueTemporaryPassword(for: target)
            try await context.habilitations.record("reset-password", target: target, by: principal)
            context.logger.info("password reset", metadata: ["by": "\(OperationLog.bounded(me))", "for": "\(OperationLog.bounded(target))"])
            return ExtendedResponse(result: .success)
        }
        context.logger.info("password changed", metadata: ["by": "\(OperationLog.bounded(me))", "for": "\(OperationLog.bounded(target))", "code": "\(outcome.result.code)"])
        return ExtendedResponse(result: outcome.result, value: outcome.value)
    }
}
