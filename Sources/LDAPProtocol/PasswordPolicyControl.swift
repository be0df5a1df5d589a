import SwiftASN1

/// The password policy response control (draft-behera-ldap-password-policy
/// §6.2), which Keycloak, SSSD, nslcd and python-ldap read on a bind.
///
/// ```
/// PasswordPolicyResponseValue ::= SEQUENCE {
///    warning [0] CHOICE {
///       timeBeforeExpiration [0] INTEGER (0 .. maxInt),
///       graceAuthNsRemaining [1] INTEGER (0 .. maxInt) } OPTIONAL,
///    error   [1] ENUMERATED {
///       passwordExpired             (0),
///       accountLocked               (1),
///       changeAfterReset            (2),
///       passwordModNotAllowed       (3),
///       mustSupplyOldPassword       (4),
///       insufficientPasswordQuality (5),
///       passwordTooShort            (6),
///       passwordTooYoung            (7),
///       passwordInHistory           (8) } OPTIONAL }
/// ```
public enum PasswordPolicyControl {
    public static let oid = "1.3.6.1.4.1.42.2.27.8.5.1"

    public enum Failure: Int, Sendable {
        case passwordExpired = 0, accountLocked, changeAfterReset, passwordModNotAllowed, mustSupplyOldPassword
        case insufficientPasswordQuality, passwordTooShort, passwordTooYoung, passwordInHistory
    }

    /// A response control carrying `error`.
    public static func response(error: Failure) -> LDAPControl {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            try? coder.appendInteger(error.rawValue, identifier: .context(1))
        }
        return LDAPControl(oid: oid, value: coder.serializedBytes)
    }

    /// The error a response control reports, if any.
    public static func error(in control: LDAPControl) -> Failure? {
        guard control.oid == oid, let value = control.value,
              let node = try? BER.parse(value), let children = try? node.children(.sequence, field: "ppolicy")
        else { return nil }
        for child in children where child.identifier == .context(1) {
            if let raw = try? child.integer(.context(1), field: "error") { return Failure(rawValue: raw) }
        }
        return nil
    }
}
