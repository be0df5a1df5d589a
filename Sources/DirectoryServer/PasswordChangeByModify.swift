import DirectoryBackend
import Habilitations
import LDAPProtocol

/// A person changing its own password with a Modify of `userPassword`
/// (RFC 4511 §4.6), the way OpenLDAP's ppolicy with `pwdSafeModify` takes it:
/// the current value deleted and the new one added in the same request. It
/// goes the same way as the Password Modify extended operation (RFC 3062):
/// checked by slapd as the person, hashed by slapd, held to the quality
/// policy, and it ends a temporary-password session's restriction (R6).
enum PasswordChangeByModify {
    /// Whether a change of the request touches the password.
    static func touchesPassword(_ request: ModifyRequest) -> Bool {
        request.changes.contains { isPassword($0.modification.type) }
    }

    /// Whether every change of the request is on the password (allowed in a temporary-password session).
    static func onlyPassword(_ request: ModifyRequest) -> Bool {
        !request.changes.isEmpty && request.changes.allSatisfy { isPassword($0.modification.type) }
    }

    static func isPassword(_ type: String) -> Bool {
        let base = type.split(separator: ";").first.map { $0.lowercased() } ?? ""
        return base == "userpassword" || base == "2.5.4.35"
    }

    static func handle(_ request: ModifyRequest, controls: [LDAPControl], context: RequestContext) async throws -> OperationOutcome {
        let wantsPolicy = controls.contains { $0.oid == PasswordPolicyControl.oid }
        guard let me = context.identity.dn else {
            throw RuleViolation.delegation(.r6BindFirst)
        }
        guard (try? DistinguishedName(request.object)) == (try? DistinguishedName(me)) else {
            throw RuleViolation.refusal(.unwillingToPerform, .r6ResetNotByModify)
        }
        guard onlyPassword(request) else {
            throw RuleViolation.refusal(.unwillingToPerform, .r6PasswordModifyAlone)
        }
        let deletes = request.changes.filter { $0.operation == .delete }
        let adds = request.changes.filter { $0.operation == .add }
        guard deletes.count == 1, adds.count == 1, request.changes.count == 2,
              let old = deletes[0].modification.values.first, deletes[0].modification.values.count == 1,
              let new = adds[0].modification.values.first, adds[0].modification.values.count == 1
        else {
            return OperationOutcome(
                result: LDAPResult(
                    code: .constraintViolation,
                    diagnosticMessage: "must supply the current password as well as the new one: delete userPassword with its current value, then add userPassword with the new value, in one Modify (or use ldappasswd -a CURRENT -s NEW)"),
                controls: wantsPolicy ? [PasswordPolicyControl.response(error: .mustSupplyOldPassword)] : [])
        }
        let response = try await ExtendedHandler.passwordModify(
            PasswordModifyRequest(oldPassword: old, newPassword: new), controls: controls.filter { $0.oid == PasswordPolicyControl.oid },
            context: context)
        return OperationOutcome(result: response.result, controls: [])
    }
}
