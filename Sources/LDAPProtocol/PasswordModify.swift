import SwiftASN1

/// The Password Modify extended operation (RFC 3062 §2, §3). `description`
/// never shows a password.
///
/// ```
/// passwdModifyOID OBJECT IDENTIFIER ::= 1.3.6.1.4.1.4203.1.11.1
/// PasswdModifyRequestValue ::= SEQUENCE {
///   userIdentity    [0]  OCTET STRING OPTIONAL
///   oldPasswd       [1]  OCTET STRING OPTIONAL
///   newPasswd       [2]  OCTET STRING OPTIONAL }
/// PasswdModifyResponseValue ::= SEQUENCE {
///   genPasswd       [0]     OCTET STRING OPTIONAL }
/// ```
public struct PasswordModifyRequest: Hashable, Sendable, CustomStringConvertible {
    public static let oid = "1.3.6.1.4.1.4203.1.11.1"

    public var userIdentity: String?
    public var oldPassword: [UInt8]?
    public var newPassword: [UInt8]?

    public init(userIdentity: String? = nil, oldPassword: [UInt8]? = nil, newPassword: [UInt8]? = nil) {
        self.userIdentity = userIdentity
        self.oldPassword = oldPassword
        self.newPassword = newPassword
    }

    /// Reads the request value (absent: every field absent).
    public init(value: [UInt8]?) throws {
        guard let value else { return }
        do {
            for child in try BER.parse(value).children(.sequence, field: "PasswdModifyRequestValue") {
                switch child.identifier {
                case .context(0) where userIdentity == nil:
                    userIdentity = try child.utf8String(.context(0), field: "userIdentity")
                case .context(1) where oldPassword == nil:
                    oldPassword = Array(try child.primitiveBytes(.context(1), field: "oldPasswd"))
                case .context(2) where newPassword == nil:
                    newPassword = Array(try child.primitiveBytes(.context(2), field: "newPasswd"))
                default:
                    throw LDAPDecodingError("PasswdModifyRequestValue: unexpected element \(child.identifier)")
                }
            }
        } catch {
            throw LDAPOperationError(.protocolError, "malformed Password Modify request value (RFC 3062 §2)")
        }
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            if let userIdentity { coder.appendString(userIdentity, identifier: .context(0)) }
            if let oldPassword { coder.appendOctets(oldPassword, identifier: .context(1)) }
            if let newPassword { coder.appendOctets(newPassword, identifier: .context(2)) }
        }
        return coder.serializedBytes
    }

    public var description: String {
        "PasswordModifyRequest(userIdentity: \(userIdentity ?? "self"), oldPasswd: \(oldPassword == nil ? "absent" : "<redacted>"), newPasswd: \(newPassword == nil ? "absent" : "<redacted>"))"
    }
}
