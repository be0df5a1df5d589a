import LDAPProtocol

/// "Renvoi de l'identifiant par mail" (R9): an administrator of one of the
/// person's conventions, or the operator, has the person's identifier mailed
/// to the address on file.
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
        guard try await store.read(dn, attributes: ["1.1"]) != nil else {
            throw LDAPOperationError(.noSuchObject, "no user \(request.identifier)")
        }
        try await authorizePasswordReset(of: dn, by: principal)
        try await passwords.mailIdentifier(of: dn)
        try await record("resend-identifier", target: dn, by: principal)
        logger.info("identifier mailed again (R9)", metadata: ["dn": "\(dn)", "by": "\(principal.dn)"])
    }
}
