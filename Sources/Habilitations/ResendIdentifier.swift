import LDAPProtocol

/// "Renvoi de l'identifiant par mail" (R9): an administrator of one of the
/// person's conventions, or the operator, has the person's identifier mailed
/// to the address on file, in the reminder's own words (never the creation
/// mail that announces a second one); refused for a closed person (R7).
///
/// ```
/// resendIdentifierOID ::= 2.25.309896955993207786281445528786519232768.3.3
/// ResendIdentifierRequestValue ::= SEQUENCE { identifier LDAPString }
/// -- the response is success with no value
/// ```
extension HabilitationService {
    public static let resendIdentifierOID = "2.25.309896955993207786281445528786519232768.3.3"

    public func resendIdentifier(_ value: [UInt8]?, by principal: Principal) async throws {
        guard let value, let request = try? ForgotPasswordRequest(value: value) else {
            throw LDAPOperationError(.protocolError, "malformed resend-identifier request: expected SEQUENCE { identifier LDAPString }")
        }
        let dn = layout.user(request.identifier)
        guard let found = try await store.read(dn, attributes: [AttributeName.openDate, AttributeName.closeDate]) else {
            throw LDAPOperationError(.noSuchObject, RuleViolation.text(.notFoundUser, ["identifier": request.identifier]))
        }
        try await authorizePasswordReset(of: dn, by: principal)
        // R7: a closed person is not written to.
        if Validity(EntrySnapshot(found)).status(at: clock.now) == .closed {
            throw RuleViolation.constraint(.ruleResendIdentifierClosedUser, ["identifier": request.identifier])
        }
        try await passwords.mailIdentifierReminder(of: dn)
        try await record("resend-identifier", target: dn, by: principal)
        logger.info("identifier mailed again (R9)", metadata: ["dn": "\(dn)", "by": "\(principal.dn)"])
    }
}
