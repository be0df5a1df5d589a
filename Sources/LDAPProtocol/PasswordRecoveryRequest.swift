import SwiftASN1

/// The value of Annuaire's "complete a password recovery" request (R6): the
/// token mailed by the forgot-password request and the password the person
/// chooses. Sent anonymously; `description` shows neither secret.
///
/// ```
/// completePasswordRecoveryOID ::= 2.25.309896955993207786281445528786519232768.3.5
/// CompletePasswordRecoveryRequestValue ::= SEQUENCE {
///    token        OCTET STRING,   -- the code from the mail, as sent (UTF-8)
///    newPassword  OCTET STRING }
/// -- the response is success with no value; invalidCredentials (49) for an unknown,
/// -- used or expired token; constraintViolation (19) for a refused password
/// ```
public struct PasswordRecoveryRequest: Hashable, Sendable, CustomStringConvertible {
    public static let oid = "2.25.309896955993207786281445528786519232768.3.5"

    public var token: [UInt8]
    public var newPassword: [UInt8]

    public init(token: [UInt8], newPassword: [UInt8]) {
        self.token = token
        self.newPassword = newPassword
    }

    /// Reads the request value; a missing or malformed value is a `protocolError` (RFC 4511 §4.12).
    public init(value: [UInt8]?) throws {
        do {
            guard let value else { throw LDAPDecodingError("CompletePasswordRecoveryRequestValue: missing") }
            var children = try BER.parse(value).children(.sequence, field: "CompletePasswordRecoveryRequestValue").makeIterator()
            token = Array(try children.required("token").primitiveBytes(.octetString, field: "token"))
            newPassword = Array(try children.required("newPassword").primitiveBytes(.octetString, field: "newPassword"))
            guard children.next() == nil else { throw LDAPDecodingError("CompletePasswordRecoveryRequestValue: trailing element") }
        } catch {
            throw LDAPOperationError(
                .protocolError, "malformed password recovery request: expected SEQUENCE { token OCTET STRING, newPassword OCTET STRING }")
        }
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendOctets(token)
            coder.appendOctets(newPassword)
        }
        return coder.serializedBytes
    }

    public var description: String { "PasswordRecoveryRequest(token: <redacted>, newPassword: <redacted>)" }
}
