import LDAPProtocol

/// The two anonymous extended operations of "Mot de passe oublié" by link
/// (R6), under the project's OID arc:
///
/// ```
/// forgotPassword   2.25.309896955993207786281445528786519232768.3.2
///   SEQUENCE { identifier LDAPString }           -- success whether or not it exists
/// completeRecovery 2.25.309896955993207786281445528786519232768.3.5
///   SEQUENCE { token OCTET STRING, newPassword OCTET STRING }
///   -- success; invalidCredentials (49): unknown, used or expired token;
///   -- constraintViolation (19): the failed quality rule named
/// ```
enum PasswordRecovery {
    static let requestOID = "2.25.309896955993207786281445528786519232768.3.2"
    static let completionOID = "2.25.309896955993207786281445528786519232768.3.5"

    static func requestValue(identifier: String) -> [UInt8] {
        ForgotPasswordRequest(identifier: identifier).encoded()
    }

    static func completionValue(token: String, newPassword: [UInt8]) -> [UInt8] {
        PasswordRecoveryRequest(token: Array(token.utf8), newPassword: newPassword).encoded()
    }
}
